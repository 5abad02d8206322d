"""Objects read straight from pack files (scanner/sources/packs.py) are byte for byte what git
gives; anything else is left to git, and nothing in a pack can hang, crash or inflate the reader."""

from __future__ import annotations

import hashlib
import os
import random
import string
import struct
import zlib
from contextlib import closing
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import Repo
from tokenreach.scanner.findings import ScanOptions, scan
from tokenreach.scanner.sources import git, history, packs

LIMIT = 10 << 20


def _objects(repo: Repo) -> dict[str, tuple[str, bytes]]:
    """Every object git can read, with its type and content, through git itself."""
    listing = repo.git("cat-file", "--batch-all-objects", "--batch-check=%(objectname) %(objecttype)")
    out: dict[str, tuple[str, bytes]] = {}
    for line in listing.splitlines():
        oid, kind = line.split()
        data = git.run(repo.root, "cat-file", kind, oid)
        out[oid] = (kind, data)
    return out


def _history(repo: Repo, revisions: int = 40) -> None:
    """Files edited a little at each commit: git deltifies the revisions against each other."""
    rng = random.Random(3)
    lines = [f"line {i}: {rng.random()}\n" for i in range(400)]
    for c in range(revisions):
        for _ in range(5):
            lines[rng.randrange(len(lines))] = f"edited at {c}: {rng.random()}\n"
        repo.write("big.txt", "".join(lines))
        repo.write(f"notes/{c % 7}.md", f"note {c}\n" * (c + 1))
        repo.commit(f"revision {c}")


def _entry_kinds(objects_dir: Path) -> set[int]:
    """The entry types (whole 1-4, OFS_DELTA 6, REF_DELTA 7) of every object in every pack."""
    kinds: set[int] = set()
    for idx in (objects_dir / "pack").glob("*.idx"):
        index = packs._Index(idx.read_bytes())
        data = idx.with_suffix(".pack").read_bytes()
        for i in range(index.count):
            oid = index._data[index._names + 20 * i:index._names + 20 * i + 20]
            off = index.offset(oid)
            assert off is not None
            kinds.add(packs._entry_header(data[off:off + 32])[0])
    return kinds


def _store(repo: Repo) -> packs.Packs:
    store = packs.Packs.open(repo.root / ".git" / "objects")
    assert store is not None
    return store


@pytest.mark.parametrize("offsets", [True, False], ids=["ofs-delta", "ref-delta"])
def test_every_object_is_what_git_gives(tmp_path: Path, offsets: bool) -> None:
    repo = Repo(tmp_path / "r")
    _history(repo)
    repo.git("-c", f"repack.useDeltaBaseOffset={str(offsets).lower()}", "repack", "-a", "-d", "-f", "-q",
             "--depth=50", "--window=50")
    kinds = _entry_kinds(repo.root / ".git" / "objects")
    assert (6 if offsets else 7) in kinds and 3 in kinds  # the test reads deltas of the kind named
    expected = _objects(repo)
    with closing(_store(repo)) as store:
        for oid, (kind, data) in expected.items():
            assert store.read(oid, LIMIT) == (kind, data), oid


def test_several_packs_and_loose_objects(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "r")
    _history(repo, 10)
    repo.git("repack", "-a", "-d", "-q")
    repo.write("later.txt", "in a second pack\n")
    repo.commit("second pack")
    repo.git("repack", "-d", "-q")  # a pack of the new objects only
    repo.write("loose.txt", "never packed\n")
    loose = repo.commit("loose")
    assert len(list((repo.root / ".git" / "objects" / "pack").glob("*.pack"))) == 2
    with closing(_store(repo)) as store:
        for oid, (kind, data) in _objects(repo).items():
            got = store.read(oid, LIMIT)
            if got is None:  # loose: git answers
                assert (repo.root / ".git" / "objects" / oid[:2] / oid[2:]).is_file()
            else:
                assert got == (kind, data)
        assert store.read(loose, LIMIT) is None
        assert store.read("0" * 40, LIMIT) is None
        assert store.read("not an id", LIMIT) is None


def test_an_object_over_the_limit_is_left_to_git(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "r")
    _history(repo, 4)
    repo.git("repack", "-a", "-d", "-q")
    with closing(_store(repo)) as store:
        for oid, (kind, data) in _objects(repo).items():
            assert store.read(oid, len(data)) == (kind, data)
            if data:
                assert store.read(oid, len(data) - 1) is None


def test_no_libraries_means_no_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = Repo(tmp_path / "r")
    _history(repo, 2)
    repo.git("repack", "-a", "-d", "-q")
    monkeypatch.setattr(packs, "_libraries", lambda: None)
    assert packs.Packs.open(repo.root / ".git" / "objects") is None


def _planted(repo: Repo) -> None:
    """A history with tokens in packed blobs, packed deltas, loose blobs and a commit message."""
    rng = random.Random(11)
    body = [f"setting_{i} = {rng.random()}\n" for i in range(300)]
    for c in range(30):
        body[rng.randrange(len(body))] = f"changed {c}\n"
        if c % 6 == 0:
            key = "sk_live_" + f"{c:02d}" + "".join(rng.choices("abcdefXYZ0123456789", k=22))
            body[rng.randrange(len(body))] = f'STRIPE_KEY = "{key}"\n'
        repo.write("config.py", "".join(body))
        repo.commit(f"config {c}")
    repo.git("repack", "-a", "-d", "-q")
    alphabet = string.ascii_letters + string.digits
    anthropic = "sk-ant-api03-" + "".join(rng.choices(alphabet, k=93)) + "AA"
    repo.write("config.py", "".join(body) + f'ANTHROPIC_API_KEY = "{anthropic}"\n')
    repo.commit("loose, with STRIPE_KEY=sk_live_" + "".join(rng.choices(alphabet, k=24)))


def _scan(repo: Repo) -> tuple[list[tuple[str, str, str | None]], dict[str, object]]:
    result = scan(ScanOptions(path=repo.root, worktree=False, jobs=1, fingerprints=False))
    places = sorted((f.token.provider, loc.path, loc.commit) for f in result.findings for loc in f.locations)
    stats = {"blobs": result.stats.blobs, "bytes": result.stats.bytes, "skipped": dict(result.stats.skipped)}
    return places, stats


def test_a_scan_finds_the_same_with_and_without_the_pack_reader(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    repo = Repo(tmp_path / "r")
    _planted(repo)
    read: list[str] = []  # the kinds of the objects the pack reader gave
    original = packs.Packs.read_at

    def counted(self: packs.Packs, which: int, offset: int, limit: int) -> tuple[str, bytes] | None:
        got = original(self, which, offset, limit)
        if got is not None:
            read.append(got[0])
        return got

    monkeypatch.setattr(packs.Packs, "read_at", counted)
    with_packs = _scan(repo)
    assert read  # the pack reader did read the packed objects
    monkeypatch.setattr(packs, "_libraries", lambda: None)
    without = _scan(repo)
    assert with_packs == without
    assert {"stripe", "anthropic"} <= {provider for provider, _, _ in with_packs[0]}
    assert history.COMMIT_MESSAGE in {path for _, path, _ in with_packs[0]}


# Packs written by hand: what git never writes, and a hostile repository may --------------------


def _entry(kind: int, size: int, extra: bytes, payload: bytes) -> bytes:
    """One pack entry: the type-and-size header, a delta's base, then ``payload`` (zlib)."""
    c = (kind << 4) | (size & 15)
    size >>= 4
    head = bytearray()
    while size:
        head.append(c | 0x80)
        c = size & 0x7F
        size >>= 7
    head.append(c)
    return bytes(head) + extra + payload


def _ofs(distance: int) -> bytes:
    out = [distance & 0x7F]
    distance >>= 7
    while distance:
        distance -= 1
        out.append(0x80 | (distance & 0x7F))
        distance >>= 7
    return bytes(reversed(out))


def _write_pack(objects_dir: Path, entries: list[tuple[bytes, bytes]], *, count: int | None = None) -> Path:
    """``entries`` (object id, raw entry) as a pack and its version 2 index in ``objects_dir``."""
    body = bytearray(b"PACK" + struct.pack(">II", 2, len(entries) if count is None else count))
    offsets: dict[bytes, int] = {}
    for oid, raw in entries:
        offsets[oid] = len(body)
        body += raw
    body += hashlib.sha1(body).digest()
    names = sorted(offsets)
    fanout = [sum(1 for n in names if n[0] <= b) for b in range(256)]
    idx = bytearray(b"\xfftOc" + struct.pack(">I", 2) + struct.pack(">256I", *fanout))
    idx += b"".join(names) + b"\0\0\0\0" * len(names)
    idx += b"".join(struct.pack(">I", offsets[n]) for n in names)
    idx += body[-20:]
    idx += hashlib.sha1(idx).digest()
    folder = objects_dir / "pack"
    folder.mkdir(parents=True, exist_ok=True)
    name = hashlib.sha1(bytes(body)).hexdigest()
    (folder / f"pack-{name}.idx").write_bytes(bytes(idx))
    (folder / f"pack-{name}.pack").write_bytes(bytes(body))
    return folder / f"pack-{name}.pack"


def _delta(source: int, result: int, ops: bytes) -> bytes:
    def size(n: int) -> bytes:
        out = bytearray()
        while True:
            out.append((n & 0x7F) | (0x80 if n > 0x7F else 0))
            n >>= 7
            if not n:
                return bytes(out)
    return size(source) + size(result) + ops


A, B, C = (bytes([i]) * 20 for i in (0xA0, 0xB0, 0xC0))


def _open(objects_dir: Path) -> packs.Packs:
    store = packs.Packs.open(objects_dir)
    assert store is not None
    return store


def test_hand_written_pack_is_read(tmp_path: Path) -> None:
    base = b"hello, packs\n" * 10
    delta = _delta(len(base), len(base) + 6, b"\x90" + bytes([len(base)]) + b"\x06world\n")
    first = _entry(3, len(base), b"", zlib.compress(base))
    _write_pack(tmp_path, [(A, first), (B, _entry(6, len(delta), _ofs(len(first)), zlib.compress(delta)))])
    with closing(_open(tmp_path)) as store:
        assert store.read(A.hex(), LIMIT) == ("blob", base)
        assert store.read(B.hex(), LIMIT) == ("blob", base + b"world\n")


@pytest.mark.parametrize("case", [
    "ref-delta-cycle", "ofs-delta-forward", "ofs-delta-self", "claims-a-terabyte", "delta-claims-a-terabyte",
    "short-stream", "long-stream", "bad-adler", "bad-type", "delta-wrong-source-size", "delta-bad-opcode",
    "truncated-pack", "offset-past-end",
])
def test_a_hostile_pack_is_left_to_git(tmp_path: Path, case: str) -> None:
    text = b"some text\n" * 20
    whole = _entry(3, len(text), b"", zlib.compress(text))
    copy_all = _delta(len(text), len(text), b"\x90" + bytes([len(text)]))
    entries = {
        "ref-delta-cycle": [(A, _entry(7, len(copy_all), B, zlib.compress(copy_all))),
                            (B, _entry(7, len(copy_all), A, zlib.compress(copy_all)))],
        "ofs-delta-forward": [(A, _entry(6, len(copy_all), _ofs(0x7F), zlib.compress(copy_all)))],
        "ofs-delta-self": [(A, _entry(6, len(copy_all), _ofs(0), zlib.compress(copy_all)))],
        "claims-a-terabyte": [(A, _entry(3, 1 << 40, b"", zlib.compress(text)))],
        "delta-claims-a-terabyte": [(B, whole), (A, _entry(6, 16, _ofs(len(whole)),
                                                           zlib.compress(_delta(len(text), 1 << 40, b"\x90\x05"))))],
        "short-stream": [(A, _entry(3, len(text) + 1, b"", zlib.compress(text)))],
        "long-stream": [(A, _entry(3, len(text) - 1, b"", zlib.compress(text)))],
        "bad-adler": [(A, _entry(3, len(text), b"", zlib.compress(text)[:-1] + b"\0"))],
        "bad-type": [(A, _entry(5, len(text), b"", zlib.compress(text)))],
        "delta-wrong-source-size": [(B, whole), (A, _entry(6, len(copy_all), _ofs(len(whole)),
                                                           zlib.compress(_delta(3, len(text), b"\x90\x05"))))],
        "delta-bad-opcode": [(B, whole), (A, _entry(6, 4, _ofs(len(whole)),
                                                    zlib.compress(_delta(len(text), 5, b"\x00"))))],
        "truncated-pack": [(A, whole)],
        "offset-past-end": [(A, whole)],
    }[case]
    pack = _write_pack(tmp_path, entries)
    if case == "truncated-pack":
        pack.write_bytes(pack.read_bytes()[:20])
    if case == "offset-past-end":
        idx = pack.with_suffix(".idx")
        data = bytearray(idx.read_bytes())
        at = 8 + 1024 + 24
        data[at:at + 4] = struct.pack(">I", 1 << 30)
        idx.write_bytes(bytes(data))
    with closing(_open(tmp_path)) as store:
        assert store.read(A.hex(), LIMIT) is None


@pytest.mark.parametrize("case", ["count-mismatch", "index-version-1", "fifo", "device", "not-a-pack"])
def test_a_pack_that_cannot_be_trusted_is_not_opened(tmp_path: Path, case: str) -> None:
    text = b"x\n"
    pack = _write_pack(tmp_path, [(A, _entry(3, len(text), b"", zlib.compress(text)))],
                       count=5 if case == "count-mismatch" else None)
    if case == "index-version-1":
        idx = pack.with_suffix(".idx")
        idx.write_bytes(b"\0" * 1024 + idx.read_bytes()[8 + 1024:])
    elif case == "fifo":
        pack.unlink()
        os.mkfifo(pack)
    elif case == "device":
        pack.unlink()
        pack.symlink_to("/dev/zero")
    elif case == "not-a-pack":
        pack.write_bytes(b"JUNK" + pack.read_bytes()[4:])
    assert packs.Packs.open(tmp_path) is None  # returns at once: a FIFO is never waited on


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(flips=st.lists(st.tuples(st.integers(min_value=0), st.integers(min_value=1, max_value=255)),
                      min_size=1, max_size=4))
def test_damaged_bytes_never_raise(tmp_path_factory: pytest.TempPathFactory,
                                   flips: list[tuple[int, int]]) -> None:
    folder = tmp_path_factory.mktemp("damaged")
    text = b"the same line again\n" * 30
    whole = _entry(3, len(text), b"", zlib.compress(text))
    delta = _delta(len(text), len(text) + 3, b"\xb0" + struct.pack("<H", len(text)) + b"\x03end")
    pack = _write_pack(folder, [(B, whole), (A, _entry(6, len(delta), _ofs(len(whole)), zlib.compress(delta))),
                                (C, _entry(7, len(delta), B, zlib.compress(delta)))])
    data = bytearray(pack.read_bytes())
    for at, bits in flips:
        data[12 + at % (len(data) - 32)] ^= bits  # the entries, not the pack's header or checksum
    pack.write_bytes(bytes(data))
    with closing(_open(folder)) as store:
        for oid in (A, B, C):
            got = store.read(oid.hex(), LIMIT)  # a flipped type bit may make it a tree: git would say so too
            assert got is None or got[0] in ("blob", "tree", "commit", "tag")


def test_history_reads_in_the_order_asked_from_packs_and_git_alike(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "r")
    _planted(repo)
    index = history.full_index(repo.root, history.SourceStats(), max_size=LIMIT)
    oids = history.wanted(index)
    loose = [o for o in oids if (repo.root / ".git" / "objects" / o[:2] / o[2:]).is_file()]
    assert loose and len(loose) < len(oids)  # both readers answer
    got = [oid for oid, _, _ in history.read_texts(repo.root, oids, history.SourceStats(), max_size=LIMIT)]
    assert got == oids  # git's answers merge in where they were asked, not at the end
    shas = history.commit_shas(index)
    messages = [sha for sha, _ in history.message_texts(repo.root, shas, history.SourceStats(), max_size=LIMIT)]
    assert messages == shas


@pytest.mark.parametrize("limit", ["depth", "bytes"])
def test_a_chain_too_deep_or_too_large_is_left_to_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       limit: str) -> None:
    text = b"base text\n" * 10
    copy_all = _delta(len(text), len(text), b"\x90" + bytes([len(text)]))
    entries = [(B, _entry(3, len(text), b"", zlib.compress(text)))]
    ids = [bytes([0xD0 + i]) * 20 for i in range(3)]
    for oid in ids:  # each a delta on the one before: a chain three deep
        distance = sum(len(raw) for _, raw in entries[-1:])
        entries.append((oid, _entry(6, len(copy_all), _ofs(distance), zlib.compress(copy_all))))
    _write_pack(tmp_path, entries)
    if limit == "depth":
        monkeypatch.setattr(packs, "MAX_DEPTH", 2)
    else:
        monkeypatch.setattr(packs, "CHAIN_BYTES", 2 * len(copy_all))
    with closing(_open(tmp_path)) as store:
        assert store.read(ids[2].hex(), LIMIT) is None
    with closing(_open(tmp_path)) as store:
        assert store.read(ids[1].hex(), LIMIT) == ("blob", text)  # two deep: within both limits


def test_only_the_newest_packs_are_opened(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old, new = b"in the older pack\n", b"in the newer pack\n"
    older = _write_pack(tmp_path, [(A, _entry(3, len(old), b"", zlib.compress(old)))])
    os.utime(older.with_suffix(".idx"), (1_000_000_000, 1_000_000_000))
    _write_pack(tmp_path, [(B, _entry(3, len(new), b"", zlib.compress(new)))])
    monkeypatch.setattr(packs, "MAX_PACKS", 1)
    with closing(_open(tmp_path)) as store:
        assert store.read(B.hex(), LIMIT) == ("blob", new)
        assert store.read(A.hex(), LIMIT) is None  # git answers for the packs past the limit
