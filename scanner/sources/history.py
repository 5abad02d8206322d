"""Git history: every unique blob of every ref, read once, attributed to the commit that
introduced it.

1. ``git log --raw`` over every ref lists, per commit, the blobs it added or changed. Walking
   newest to oldest and overwriting, each blob ends up attributed to its oldest introduction.
   Only the blob id and a small index into the commit table are kept: memory stays bounded
   by the number of unique blobs, not their size or the number of commits.
2. ``git cat-file --batch-check`` gives sizes, so oversized blobs are never read.
3. One long-lived ``git cat-file --batch`` streams the contents, fed by a writer thread.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from tokenreach.scanner.model import Exposure, SourceStats
from tokenreach.scanner.reading import read_exactly
from tokenreach.scanner.sources import Chunk, Origin, git, to_text_bytes

_SKIP_MODES = (b"160000", b"120000", b"000000")  # submodule links, symlinks, deletions


@dataclass(frozen=True, slots=True)
class Commit:
    sha: str
    author: str
    date: str


class BlobIndex:
    """blob id → (commit index, path) of its oldest introduction."""

    def __init__(self) -> None:
        self.commits: list[Commit] = []
        self.blobs: dict[str, tuple[int, str]] = {}

    def origin(self, oid: str, exposure: Exposure = "history") -> Origin:
        ci, path = self.blobs[oid]
        c = self.commits[ci]
        return Origin(path, exposure, c.sha, c.author, c.date)


def index_blobs(repo: Path, revs: Iterable[str], stats: SourceStats) -> BlobIndex:
    """Parse ``git log --raw -z`` for ``revs`` (e.g. ["--all"] or ["BASE..HEAD"])."""
    index = BlobIndex()
    proc = git.popen(
        repo, "log", *revs, "--no-renames", "--raw", "--no-abbrev", "-z", "--diff-merges=first-parent",
        "--no-textconv", "--no-ext-diff", "--no-color", "--format=%x01%H%x02%an <%ae>%x02%aI",
    )
    assert proc.stdout is not None
    current = -1
    pending_meta: bytes | None = None
    buf = b""
    while True:
        block = proc.stdout.read(1 << 20)
        if not block:
            break
        buf += block
        *items, buf = buf.split(b"\0")
        for item in items:
            if pending_meta is not None:
                _add(index, pending_meta, item, current)
                pending_meta = None
                continue
            item = item.lstrip(b"\n")
            if item.startswith(b"\x01"):
                # The author's name and e-mail are the commit's bytes and may hold \x02 too: the
                # hash is the first field, the date the last, the author everything between.
                sha, sep, rest = item[1:].partition(b"\x02")
                author, sep2, date = rest.rpartition(b"\x02")
                if sep and sep2:
                    index.commits.append(Commit(*(f.decode("utf-8", "replace") for f in (sha, author, date))))
                    current = len(index.commits) - 1
            elif item.startswith(b":"):
                pending_meta = item
    err = proc.stderr.read() if proc.stderr else b""
    if proc.wait() != 0:
        raise git.GitError(err.decode("utf-8", "replace").strip().removeprefix("fatal: ") or "git log failed")
    stats.commits = len(index.commits)
    return index


def _add(index: BlobIndex, meta: bytes, path: bytes, commit: int) -> None:
    # ":100644 100644 <old> <new> M"
    parts = meta[1:].split(b" ")
    if len(parts) < 5 or parts[1] in _SKIP_MODES or commit < 0:
        return
    oid = parts[3].decode()
    if set(oid) == {"0"}:
        return
    index.blobs[oid] = (commit, git.decode_path(path))


def blob_sizes(repo: Path, oids: list[str]) -> dict[str, int]:
    """Sizes of blobs (missing or corrupt objects are absent)."""
    out = git.run(repo, "cat-file", "--batch-check=%(objectname) %(objecttype) %(objectsize)",
                  input=("\n".join(oids) + "\n").encode(), check=False)
    sizes: dict[str, int] = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] == b"blob":
            sizes[parts[0].decode()] = int(parts[2])
    return sizes


def read_blobs(repo: Path, oids: list[str]) -> Iterator[tuple[str, bytes | None]]:
    """(oid, content) for each oid through one ``git cat-file --batch``; None when missing."""
    proc = git.popen(repo, "cat-file", "--batch", stdin=True)
    assert proc.stdin is not None and proc.stdout is not None

    def feed() -> None:
        try:
            for oid in oids:
                proc.stdin.write(oid.encode() + b"\n")  # type: ignore[union-attr]
            proc.stdin.close()  # type: ignore[union-attr]
        except (BrokenPipeError, OSError):
            pass

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    out = proc.stdout
    try:
        for oid in oids:
            header = out.readline()
            if not header:
                break
            parts = header.split()
            if len(parts) == 2 and parts[1] in (b"missing", b"ambiguous"):
                yield oid, None
                continue
            if len(parts) != 3:
                break
            size = int(parts[2])
            data = read_exactly(out, size)  # in pieces: a length from a header is not an allocation
            out.read(1)  # the newline after each object
            yield parts[0].decode(), data
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        writer.join(timeout=1)


def read_texts(repo: Path, oids: list[str], stats: SourceStats, *, max_size: int) -> Iterator[tuple[str, bytes]]:
    """(blob id, text) of every blob in ``oids`` that exists, fits ``max_size`` and is not binary;
    each one left out is counted in ``stats`` with its reason."""
    if not oids:
        return
    sizes = blob_sizes(repo, oids)
    readable: list[str] = []
    for oid in oids:
        size = sizes.get(oid)
        if size is None:
            stats.warn(f"git object {oid[:12]} is missing or corrupt; skipped")
            stats.skip("missing git object")
        elif size > max_size:
            stats.skip("larger than the size limit")
        else:
            readable.append(oid)
    for oid, data in read_blobs(repo, readable):
        if data is None:
            stats.skip("missing git object")
            continue
        text = to_text_bytes(data)
        if text is None:
            stats.skip("binary")
            continue
        stats.blobs += 1
        stats.bytes += len(data)
        yield oid, text


def chunks(
    repo: Path,
    index: BlobIndex,
    stats: SourceStats,
    *,
    max_size: int,
    skip: set[str] | frozenset[str] = frozenset(),
    tracked_in_head: dict[str, str] | None = None,
) -> Iterator[Chunk]:
    """Scan-ready chunks for every indexed blob not in ``skip`` (blobs identical to a tracked
    working-tree file, already scanned there). ``tracked_in_head`` (path → blob id) marks blobs
    that are the current tracked version of their path as ``tracked`` rather than ``history``."""
    wanted = [oid for oid in index.blobs if oid not in skip]
    for oid, text in read_texts(repo, wanted, stats, max_size=max_size):
        exposure: Exposure = "history"
        if tracked_in_head is not None:
            path = index.blobs[oid][1]
            if tracked_in_head.get(path) == oid:
                exposure = "tracked"
        yield Chunk(text, index.origin(oid, exposure))
