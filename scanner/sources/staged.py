"""The index: what the next commit will contain (for pre-commit).

Only entries that differ from HEAD are read, straight from the object database, so the cost
follows the size of the change and not the size of the repository. When pre-commit names the
files (``--all-files``, CI), exactly those files' index entries are read instead.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from tokenreach.scanner.model import SourceStats
from tokenreach.scanner.sources import Chunk, Origin, git, member_path
from tokenreach.scanner.sources.history import read_texts


def staged_blobs(repo: Path) -> list[tuple[str, str]]:
    """(blob id, path) of every added or modified index entry."""
    head = git.run(repo, "rev-parse", "--verify", "-q", "HEAD", check=False).strip()
    entries: list[tuple[str, str]] = []
    if head:
        out = git.run(repo, "diff-index", "--cached", "--raw", "-z", "--no-renames", "--diff-filter=AMT",
                      "--no-abbrev", "HEAD")
        items = out.split(b"\0")
        for meta, path in zip(items[0::2], items[1::2], strict=False):
            parts = meta.lstrip(b":").split(b" ")
            if len(parts) >= 5 and parts[1] not in (b"160000", b"120000"):
                entries.append((parts[3].decode(), git.decode_path(path)))
    else:  # first commit: everything in the index is new
        out = git.run(repo, "ls-files", "-s", "-z")
        for item in git.nul_split(out):
            meta, _, path = item.partition(b"\t")
            mode, oid, _stage = meta.split(b" ")
            if mode not in (b"160000", b"120000"):
                entries.append((oid.decode(), git.decode_path(path)))
    return entries


def named_blobs(repo: Path, names: Sequence[str]) -> list[tuple[str, str]]:
    """(blob id, path) of the index entries of exactly these files (paths from the repository's top)."""
    if not names:
        return []
    out = git.run(repo, "ls-files", "-s", "-z", "--", *(f":(top,literal){n}" for n in names))
    entries = []
    for item in git.nul_split(out):
        meta, _, path = item.partition(b"\t")
        mode, oid, _stage = meta.split(b" ")
        if mode not in (b"160000", b"120000"):
            entries.append((oid.decode(), git.decode_path(path)))
    return entries


def chunks(repo: Path, stats: SourceStats, *, max_size: int, names: Sequence[str] | None = None) -> Iterator[Chunk]:
    entries = staged_blobs(repo) if names is None else named_blobs(repo, names)
    paths: dict[str, list[str]] = {}
    for oid, path in entries:
        paths.setdefault(oid, []).append(path)
    for oid, member, text in read_texts(repo, list(paths), stats, max_size=max_size):
        for path in paths[oid]:
            yield Chunk(text, Origin(member_path(path, member), "staged"))
