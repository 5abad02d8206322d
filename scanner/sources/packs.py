"""Objects read straight from a repository's pack files: the history scan's bulk read.

``git cat-file --batch`` inflates every blob with the system zlib and hands each byte through a
pipe: on a large history that was 40% of the whole scan's CPU, more than matching. Here the
packs are read in the scanning process itself: libdeflate (the ``deflate`` package) inflates
about three times as fast as zlib, and dulwich's compiled ``apply_delta`` rebuilds deltified
objects. git stays the reference: this reader answers only what it fully understands, and
``None`` sends an object back to ``git cat-file`` (history.read_texts), which then answers as
it always has. That is every loose object, every object in an alternate or a SHA-256 repository,
everything without the two libraries, and anything unexpected: a pack index other than
version 2, a damaged pack, a delta chain deeper than git ever writes, an object over the limit.

The repository is not trusted, so nothing in a pack decides an allocation before it is checked:
an object's stated size is compared with the limit before it is inflated, an inflated object must
have exactly the size its header states, offsets must fall inside the files, and a delta's base
must come before it. Files are opened without blocking and only when they are regular files
(a FIFO named ``.pack`` waits for nobody). Packs are read with ``pread``, not mapped: the scan's
memory follows what it reads, not the size of the packs, and a file cut short under the reader is a
short read, not a SIGBUS. Indexes are read whole (256 MiB at most; git answers for a larger one)
and kept for the next slice of the same history.
"""

from __future__ import annotations

import functools
import os
import stat
import threading
from array import array
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from struct import Struct

from tokenreach.scanner.reading import read_up_to

Inflate = Callable[[bytes | memoryview, int], bytearray]  # deflate.zlib_decompress(data, size)
ApplyDelta = Callable[[bytes, bytes], list[bytes]]  # dulwich's, in pieces to join

BLOB, COMMIT, TREE, TAG = 3, 1, 2, 4
_OFS_DELTA, _REF_DELTA = 6, 7
_WHOLE = {COMMIT: "commit", TREE: "tree", BLOB: "blob", TAG: "tag"}

MAX_PACKS = 256
CACHE_BYTES = 96 << 20  # recently read objects kept as delta bases (git's core.deltaBaseCacheLimit)
MAX_DEPTH = 4_095  # git writes chains of at most this (pack.depth); a longer one is not a pack of git's
CHAIN_BYTES = 256 << 20  # the deltas of one chain held at once, inflated
BASE_LIMIT = 64 << 20  # the largest delta base read here, whatever the limit on scanned objects
_FIRST_READ = 1 << 12  # one pread covers the header and all of most objects
_HASH = 20  # SHA-1: an index of a SHA-256 repository is left to git

_U32 = Struct(">I")
_U64 = Struct(">Q")


class _Index:
    """A pack's ``.idx`` (version 2): the sorted object ids, and each one's offset in the pack."""

    def __init__(self, data: bytes) -> None:
        if len(data) < 8 + 1024 or data[:8] != b"\xfftOc\x00\x00\x00\x02":
            raise ValueError("not a version 2 pack index")
        fanout = [_U32.unpack_from(data, 8 + 4 * i)[0] for i in range(256)]
        if fanout != sorted(fanout):
            raise ValueError("fan-out table out of order")
        n = fanout[255]
        names = 8 + 1024
        offsets = names + n * (_HASH + 4)  # past the names and their CRCs
        large = offsets + 4 * n
        if len(data) < large + 2 * _HASH:
            raise ValueError("pack index too short")
        self.count = n
        self._data = data
        self._fanout = fanout
        self._names = names
        self._offsets = offsets
        self._large = large
        self._large_count = (len(data) - large - 2 * _HASH) // 8

    def offset(self, oid: bytes) -> int | None:
        data, names = self._data, self._names
        lo = self._fanout[oid[0] - 1] if oid[0] else 0
        hi = self._fanout[oid[0]]
        while lo < hi:
            mid = (lo + hi) >> 1
            at = names + mid * _HASH
            name = data[at:at + _HASH]
            if name < oid:
                lo = mid + 1
            elif name > oid:
                hi = mid
            else:
                off: int = _U32.unpack_from(data, self._offsets + 4 * mid)[0]
                if off & 0x80000000:
                    slot = off & 0x7FFFFFFF
                    if slot >= self._large_count:
                        return None
                    off = _U64.unpack_from(data, self._large + 8 * slot)[0]
                return off
        return None


class _Pack:
    def __init__(self, fd: int, size: int, index: _Index) -> None:
        self.fd = fd
        self.size = size  # the data ends 20 bytes before: the pack's checksum
        self.index = index


class Packs:
    """Every pack of one object store. ``read(oid, limit)`` gives ``(type, content)`` of an object
    of at most ``limit`` bytes, or None: git must answer for it."""

    def __init__(self, packs: list[_Pack], inflate: Inflate, apply_delta: ApplyDelta) -> None:
        self._packs = packs
        self._inflate = inflate
        self._apply_delta = apply_delta
        self._cache: OrderedDict[tuple[int, int], tuple[int, bytes]] = OrderedDict()
        self._cached = 0

    @classmethod
    def open(cls, objects: Path) -> Packs | None:
        """The packs in ``objects/pack`` (newest first, as git looks), or None when there is none
        this reader can use, or no libraries to read them with."""
        libraries = _libraries()
        if libraries is None or not hasattr(os, "pread"):  # Windows has no pread: git reads it all there
            return None
        try:
            entries = [(e.stat().st_mtime_ns, e.path) for e in os.scandir(objects / "pack") if e.name.endswith(".idx")]
        except OSError:
            return None
        found: list[_Pack] = []
        # Newest first, and MAX_PACKS at most: each holds a descriptor while the slice is read (a
        # repository never repacked may have thousands of packs; git answers for the rest).
        for _, path in sorted(entries, reverse=True)[:MAX_PACKS]:
            pack = _open_pack(Path(path))
            if pack is not None:
                found.append(pack)
        return cls(found, *libraries) if found else None

    def close(self) -> None:
        for pack in self._packs:
            os.close(pack.fd)
        self._packs = []
        self._cache.clear()

    def locate(self, oids: list[str]) -> tuple[array[int], array[int]]:
        """Where each of ``oids`` is: its pack (-1 when no pack's index lists it) and its offset
        there, for ``read_at``. Two flat arrays: a history of millions of blobs costs megabytes."""
        which, where = array("i"), array("q")
        for oid in oids:
            found = self._located(oid)
            which.append(-1 if found is None else found[0])
            where.append(0 if found is None else found[1])
        return which, where

    def read(self, oid: str, limit: int) -> tuple[str, bytes] | None:
        found = self._located(oid)
        return None if found is None else self.read_at(found[0], found[1], limit)

    def read_at(self, which: int, offset: int, limit: int) -> tuple[str, bytes] | None:
        """The object at ``offset`` in pack ``which`` (from ``locate``), or None: git must answer."""
        try:
            got = self._object(which, offset, limit)
        except (OSError, ValueError, IndexError, _Unreadable):
            return None
        if got is None:
            return None
        return _WHOLE[got[0]], got[1]

    def _located(self, oid: str) -> tuple[int, int] | None:
        if len(oid) != 2 * _HASH:
            return None
        try:
            return self._find(bytes.fromhex(oid))
        except ValueError:
            return None

    def _find(self, raw: bytes) -> tuple[int, int] | None:
        for i, pack in enumerate(self._packs):
            off = pack.index.offset(raw)
            if off is not None:
                return i, off
        return None

    def _object(self, which: int, off: int, limit: int) -> tuple[int, bytes] | None:
        """The object at ``off`` in pack ``which``: its chain of deltas walked down to a whole
        object (or one in the cache), then applied back up."""
        chain: list[tuple[int, int, bytes, int, int]] = []  # (pack, offset, delta, source, result), top down
        held = 0  # bytes of the deltas in ``chain``
        walked: set[tuple[int, int]] = set()
        while True:
            key = (which, off)
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
                kind, data = hit
                if not chain and len(data) > limit:
                    return None
                break
            pack = self._packs[which]
            if not 12 <= off < pack.size - _HASH:
                raise _Unreadable
            head = os.pread(pack.fd, _FIRST_READ, off)
            kind, size, at = _entry_header(head)
            bound = limit if not chain else BASE_LIMIT
            if kind in _WHOLE:
                if size > bound:
                    return None
                data = self._inflated(pack, head, off, at, size)
                self._keep(key, kind, data)
                break
            # A delta's own size bounds nothing of its result: its header (read once inflated) does.
            if size > bound + (bound >> 4) + 64:
                return None
            if kind == _OFS_DELTA:
                back, at = _offset_varint(head, at)
                base = (which, off - back)
                if not 0 < back < off:
                    raise _Unreadable
            elif kind == _REF_DELTA:
                base_id = head[at:at + _HASH]
                at += _HASH
                located = self._find(base_id) if len(base_id) == _HASH else None
                if located is None:
                    return None  # a base in no pack (a thin pack): git knows where it is
                base = located
            else:
                raise _Unreadable
            delta = self._inflated(pack, head, off, at, size)
            source, p = _size_varint(delta, 0)
            result, _ = _size_varint(delta, p)
            held += len(delta)
            if result > bound or held > CHAIN_BYTES:
                return None
            if len(chain) >= MAX_DEPTH or key in walked:
                raise _Unreadable  # deeper than git writes, or a loop of deltas by id
            walked.add(key)
            chain.append((which, off, delta, source, result))
            which, off = base
        for pack_i, pack_off, delta, source, result in reversed(chain):
            if source != len(data):
                raise _Unreadable
            try:
                data = b"".join(self._apply_delta(data, delta))
            except Exception as exc:  # dulwich's ApplyDeltaError: a copy outside the base, a bad opcode
                raise _Unreadable from exc
            if len(data) != result:
                raise _Unreadable
            self._keep((pack_i, pack_off), kind, data)
        return kind, data

    def _inflated(self, pack: _Pack, head: bytes, off: int, at: int, size: int) -> bytes:
        """The ``size`` bytes of the zlib stream at ``off + at``: exactly that many, or _Unreadable."""
        # zlib never needs more than its deflate bound: stored blocks cost 5 bytes in 16 KiB.
        need = size + (size >> 10) + 64
        stream = memoryview(head)[at:] if at + need <= len(head) else os.pread(pack.fd, need, off + at)
        try:
            out = self._inflate(stream, size) if size else b""
        except Exception as exc:  # deflate.DeflateError: a damaged stream, or one git wrote oddly
            raise _Unreadable from exc
        if len(out) != size:
            raise _Unreadable
        return bytes(out)

    def _keep(self, key: tuple[int, int], kind: int, data: bytes) -> None:
        if len(data) > CACHE_BYTES // 4:
            return
        self._cache[key] = (kind, data)
        self._cached += len(data)
        while self._cached > CACHE_BYTES:
            _, (_, old) = self._cache.popitem(last=False)
            self._cached -= len(old)


class _Unreadable(Exception):
    """The pack is not what git writes here: git answers for the object instead."""


def _open_pack(idx: Path) -> _Pack | None:
    """The pack of an ``.idx``: both regular files, whose counts of objects agree; or None."""
    index = _index(idx)
    if index is None:
        return None
    fd = _open_regular(idx.with_suffix(".pack"))
    if fd is None:
        return None
    try:
        st = os.fstat(fd)
        head = os.pread(fd, 12, 0)
        if (len(head) == 12 and head[:4] == b"PACK" and _U32.unpack_from(head, 4)[0] in (2, 3)
                and _U32.unpack_from(head, 8)[0] == index.count):
            return _Pack(fd, st.st_size, index)
    except OSError:
        pass
    os.close(fd)
    return None


# Parsed indexes by (path, inode, size, mtime): a history is read in slices, each opening the packs
# again, and an index of a large repository is tens of megabytes. Bounded in bytes.
_indexes: OrderedDict[tuple[str, int, int, int], _Index] = OrderedDict()
_INDEX_CACHE = 256 << 20  # a larger index (tens of millions of objects) is left to git
_indexes_lock = threading.Lock()


def _index(path: Path) -> _Index | None:
    fd = _open_regular(path)
    if fd is None:
        return None
    try:
        st = os.fstat(fd)
        key = (str(path), st.st_ino, st.st_size, st.st_mtime_ns)
        with _indexes_lock:
            known = _indexes.get(key)
        if known is not None:
            return known
        if st.st_size > _INDEX_CACHE:
            return None
        data = read_up_to(fd, st.st_size)
    except OSError:
        return None
    finally:
        os.close(fd)
    try:
        parsed = _Index(data or b"")
    except ValueError:
        return None
    with _indexes_lock:
        _indexes[key] = parsed
        while sum(len(i._data) for i in _indexes.values()) > _INDEX_CACHE:
            _indexes.popitem(last=False)
    return parsed


def _open_regular(path: Path) -> int | None:
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    try:
        if stat.S_ISREG(os.fstat(fd).st_mode):
            return fd
    except OSError:
        pass
    os.close(fd)
    return None


def _entry_header(head: bytes) -> tuple[int, int, int]:
    """(type, size, where the data starts) of the pack entry at the start of ``head``."""
    c = head[0]
    kind, size, shift, at = (c >> 4) & 7, c & 15, 4, 1
    while c & 0x80:
        c = head[at]
        at += 1
        size |= (c & 0x7F) << shift
        shift += 7
        if shift > 70:
            raise _Unreadable
    return kind, size, at


def _offset_varint(head: bytes, at: int) -> tuple[int, int]:
    """An OFS_DELTA's distance back to its base (git's own variant of a varint)."""
    c = head[at]
    at += 1
    value = c & 0x7F
    while c & 0x80:
        c = head[at]
        at += 1
        value = ((value + 1) << 7) | (c & 0x7F)
        if value >> 64:
            raise _Unreadable
    return value, at


def _size_varint(delta: bytes, at: int) -> tuple[int, int]:
    """A size at the start of delta data (little-endian base 128)."""
    value = shift = 0
    while True:
        c = delta[at]
        at += 1
        value |= (c & 0x7F) << shift
        shift += 7
        if not c & 0x80:
            return value, at
        if shift > 70:
            raise _Unreadable




@functools.cache
def _libraries() -> tuple[Inflate, ApplyDelta] | None:
    """libdeflate's inflate and dulwich's compiled apply_delta: both declared dependencies, imported
    on the first history read (a pre-commit run reads none). Without either, git reads it all."""
    try:
        from deflate import zlib_decompress
        from dulwich._pack import apply_delta  # type: ignore[import-not-found,unused-ignore]  # compiled
    except ImportError:
        return None
    return zlib_decompress, apply_delta
