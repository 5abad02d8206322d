"""The text inside a gzip or zip file: one level deep, with the decompressed size bounded.

A repository commits ``dump.sql.gz``, ``backup.tar.gz``, ``config.zip`` or a ``.jar``/``.docx``
(zip files too), and a token inside is as exposed as one in plain text. Each archive is opened
once; what comes out is capped, so a decompression bomb costs no more than a file of the size
limit:

* at most ``max_size`` bytes decompressed per archive, all members together, and at most
  ``MAX_RATIO`` times the archive's own size;
* at most ``MAX_MEMBERS`` members; encrypted members, directories and links are passed over;
* one level deep: a gzip holding a tar is read as the tar's files (``.tar.gz`` is one
  container), but an archive inside an archive is not opened.
"""

from __future__ import annotations

import io
import tarfile
import zipfile
import zlib
from collections.abc import Callable, Iterator

GZIP_MAGIC = b"\x1f\x8b"
ZIP_MAGIC = b"PK\x03\x04"
MAX_RATIO = 100  # decompressed bytes per compressed byte: real text compresses ~3-10x
MAX_MEMBERS = 10_000
_READ = 1 << 16


def is_archive(data: bytes) -> bool:
    return data.startswith((GZIP_MAGIC, ZIP_MAGIC))


def members(data: bytes, max_size: int, to_text: Callable[[bytes], bytes | None]) -> Iterator[tuple[str, bytes]]:
    """(member name, text) of every text member; a plain gzip's one member has the name ``""``.
    Damaged or truncated archives yield what could be read before the damage."""
    budget = min(max_size, MAX_RATIO * len(data))
    if data.startswith(GZIP_MAGIC):
        raw = _gunzip(data, budget)
        if raw is None:
            return
        if _is_tar(raw):
            yield from _tar_members(raw, to_text)
        elif (text := to_text(raw)) is not None:
            yield "", text
    elif data.startswith(ZIP_MAGIC):
        yield from _zip_members(data, budget, to_text)


def _gunzip(data: bytes, budget: int) -> bytes | None:
    """The decompressed bytes (of every concatenated gzip member), cut at ``budget``; what came
    out before any damage; None when nothing did."""
    out: list[bytes] = []
    size = 0
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    pending = data
    try:
        while size < budget:
            piece = d.decompress(pending, min(_READ, budget - size))
            out.append(piece)
            size += len(piece)
            pending = d.unconsumed_tail
            if d.eof:  # gzip allows members one after another
                pending = d.unused_data
                if not pending.startswith(GZIP_MAGIC):
                    break
                d = zlib.decompressobj(16 + zlib.MAX_WBITS)
            elif not piece and not pending:
                break  # truncated: the input ran out first
    except zlib.error:
        pass
    return b"".join(out) if size else None


def _is_tar(raw: bytes) -> bool:
    return raw[257:262] == b"ustar"


def _tar_members(raw: bytes, to_text: Callable[[bytes], bytes | None]) -> Iterator[tuple[str, bytes]]:
    try:
        with tarfile.open(fileobj=io.BytesIO(raw), mode="r:") as tar:
            for n, info in enumerate(tar):
                if n >= MAX_MEMBERS:
                    return
                if not info.isreg():
                    continue
                fh = tar.extractfile(info)
                if fh is None:
                    continue
                text = to_text(fh.read())
                if text is not None:
                    yield info.name, text
    except (tarfile.TarError, EOFError, OSError):
        return  # a tar cut by the size budget: its members before the cut were yielded


def _zip_members(data: bytes, budget: int, to_text: Callable[[bytes], bytes | None]) -> Iterator[tuple[str, bytes]]:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()[:MAX_MEMBERS]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return
    with zf:
        for info in infos:
            if budget <= 0:
                return
            if info.is_dir() or info.flag_bits & 0x1:  # a folder, or an encrypted member
                continue
            try:
                with zf.open(info) as fh:
                    raw = fh.read(budget + 1)  # the header's size may lie: read no more than is left
            except (zipfile.BadZipFile, NotImplementedError, OSError, ValueError, EOFError, zlib.error):
                continue
            if len(raw) > budget:
                return
            budget -= len(raw)
            text = to_text(raw)
            if text is not None:
                yield info.filename, text
