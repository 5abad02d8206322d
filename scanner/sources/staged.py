"""The index: what the next commit will contain (for pre-commit).

Only entries that differ from HEAD are read, straight from the object database, so the cost
follows the size of the change and not the size of the repository.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from tokenreach.scanner import git
from tokenreach.scanner.sources import Chunk, Origin, SourceStats, to_text_bytes
from tokenreach.scanner.sources.history import blob_sizes, read_blobs


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


def chunks(repo: Path, stats: SourceStats, *, max_size: int) -> Iterator[Chunk]:
    entries = staged_blobs(repo)
    paths: dict[str, list[str]] = {}
    for oid, path in entries:
        paths.setdefault(oid, []).append(path)
    oids = list(paths)
    sizes = blob_sizes(repo, oids) if oids else {}
    readable = []
    for oid in oids:
        if oid not in sizes:
            stats.skip("missing git object")
        elif sizes[oid] > max_size:
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
        for path in paths[oid]:
            yield Chunk(text, Origin(path, "staged"))
