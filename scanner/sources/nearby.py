"""Secret-named files in the parent folder's other projects (``--nearby DEPTH``), exposure ``nearby``.

An agent with a shell runs ``grep -r`` across ``~/code`` as easily as across the repository. So
the parent folder of the scanned project is walked, to DEPTH folders below it, for the file names
stores.toml lists (``.env*``, ``*.pem``, ``credentials*.json``, CLI configuration …), bounded in
entries looked at and files read; symbolic links are never followed, dependency folders never
entered, the project itself never walked again. Paths are shown relative to the project
(``../other/.env``).
"""

from __future__ import annotations

import fnmatch
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from tokenreach.scanner.model import SourceStats
from tokenreach.scanner.sources import Chunk, Origin, read_regular, stores, to_text_bytes

MAX_ENTRIES = 20_000  # folder entries looked at, in all
MAX_FILES = 500  # secret-named files read


class _Budget:
    def __init__(self, entries: int, files: int) -> None:
        self.entries, self.files = entries, files
        self.told = False


def chunks(project: Path, depth: int, stats: SourceStats, *, max_size: int,
           max_entries: int = MAX_ENTRIES, max_files: int = MAX_FILES) -> Iterator[Chunk]:
    project = project.resolve()
    parent = project.parent
    if depth < 0 or parent == project:
        return
    budget = _Budget(max_entries, max_files)
    yield from _walk(parent, "..", 0, depth, project, stats, max_size, budget)
    if budget.told:
        stats.warn(f"--nearby: stopped early (at most {max_entries} folder entries looked at and "
                   f"{max_files} files read): deeper or further files in {parent} were not read")


def _walk(folder: Path, shown: str, level: int, depth: int, project: Path, stats: SourceStats,
          max_size: int, budget: _Budget) -> Iterator[Chunk]:
    config = stores.nearby()
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        stats.warn(f"{shown}: cannot list folder ({exc.strerror or exc})")
        stats.skip("unreadable")
        return
    subfolders = []
    for entry in entries:
        if budget.entries <= 0:
            _stop(stats, budget)
            return
        budget.entries -= 1
        path = Path(entry.path)
        if path == project:
            continue
        try:
            st = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        name_shown = f"{shown}/{entry.name}"
        if stat.S_ISLNK(st.st_mode):
            if _secret_named(entry.name, config.names):
                stats.skip("symbolic link")
            continue
        if stat.S_ISDIR(st.st_mode):
            if level < depth and entry.name not in config.skip_dirs:
                subfolders.append((path, name_shown))
            continue
        if not _secret_named(entry.name, config.names):
            continue
        if budget.files <= 0:
            _stop(stats, budget)
            return
        budget.files -= 1
        yield from _read(path, name_shown, st, stats, max_size)
    for path, name_shown in subfolders:
        yield from _walk(path, name_shown, level + 1, depth, project, stats, max_size, budget)


def _stop(stats: SourceStats, budget: _Budget) -> None:
    if not budget.told:
        budget.told = True
        stats.skip("nearby: over the entry or file limit")


def _secret_named(name: str, patterns: tuple[str, ...]) -> bool:
    return any(fnmatch.fnmatchcase(name, p) for p in patterns)


def _read(path: Path, shown: str, st: os.stat_result, stats: SourceStats, max_size: int) -> Iterator[Chunk]:
    data = read_regular(path, shown, st, stats, max_size)
    if data is None:
        return
    text = to_text_bytes(data)
    if text is None:
        stats.skip("binary")
        return
    stats.files += 1
    stats.bytes += len(data)
    yield Chunk(text, Origin(shown, "nearby"))
