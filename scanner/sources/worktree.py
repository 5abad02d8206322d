"""The working tree: tracked, untracked and ignored files, each with its exposure.

Ignored files (.env, .railway/, local config) are scanned by default: a local agent reads them
as easily as any file. Directories of installed dependencies (node_modules, .venv …) are skipped
unless git tracks something inside them, because their secrets are not the user's to rotate.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from fnmatch import fnmatch
from pathlib import Path

from tokenreach.scanner.model import Exposure, SourceStats
from tokenreach.scanner.sources import Chunk, Origin, git, member_path, read_regular, texts_of

DEPENDENCY_DIRS = frozenset({
    "node_modules", "bower_components", ".venv", "venv", "site-packages", "__pycache__", ".tox",
    ".nox", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".gradle", ".terraform", ".yarn",
    ".pnpm-store", ".next", ".nuxt", ".parcel-cache", ".eggs",
})
# Files of the user's own that live in a dependency folder, scanned there all the same (by name,
# directly inside it): Terraform keeps the backend's configuration, credentials included, in
# .terraform/terraform.tfstate.
KEPT_IN_DEPENDENCY_DIRS: dict[str, tuple[str, ...]] = {".terraform": ("*.tfstate", "*.tfstate.backup")}


class GitView:
    """Which paths git tracks and which it ignores, relative to the repository top level. The
    ignored ones are listed the first time a file is not tracked: a checkout that holds only
    tracked files (most of a sweep's clones) never pays that git start-up. ``warn`` hears why
    they could not be listed; those files are then labelled untracked."""

    def __init__(self, top: Path, warn: Callable[[str], None] | None = None) -> None:
        self.top = top
        self.tracked = set(git.ls_files(top, "--cached"))
        self.tracked_dirs: set[str] = set()
        for p in self.tracked:
            parts = p.split("/")
            for i in range(1, len(parts)):
                self.tracked_dirs.add("/".join(parts[:i]))
        self._warn = warn
        self._ignored: tuple[set[str], set[str]] | None = None  # files, folders

    def _ignored_paths(self) -> tuple[set[str], set[str]]:
        if self._ignored is None:
            files: set[str] = set()
            dirs: set[str] = set()
            try:
                for p in git.ls_files(self.top, "--others", "--ignored", "--exclude-standard", "--directory"):
                    if p.endswith("/"):
                        dirs.add(p.rstrip("/"))
                    else:
                        files.add(p)
            except git.GitError as exc:
                if self._warn:
                    self._warn(f"{exc}: untracked files are scanned, but ignored ones are labelled untracked")
                files, dirs = set(), set()
            self._ignored = (files, dirs)
        return self._ignored

    def exposure(self, rel: str) -> Exposure:
        if rel in self.tracked:
            return "tracked"
        files, dirs = self._ignored_paths()
        if rel in files:
            return "ignored"
        parts = rel.split("/")
        for i in range(1, len(parts)):
            if "/".join(parts[:i]) in dirs:
                return "ignored"
        return "untracked"


def walk(
    root: Path,
    stats: SourceStats,
    *,
    view: GitView | None,
    max_size: int,
    exclude: tuple[str, ...] = (),
    skip_dependency_dirs: bool = True,
    tracked_blob_ids: set[str] | None = None,
    object_format: str = "sha1",
) -> Iterator[Chunk]:
    """Every readable text file under ``root``. Paths in origins are relative to the repository
    top level when there is one (so they line up with history paths), else to ``root``."""
    root = root.resolve()
    base = view.top.resolve() if view else root
    stack = [root]
    kept_only: dict[Path, tuple[str, ...]] = {}  # dependency folders read for a few named files
    while stack:
        folder = stack.pop()
        only = kept_only.get(folder)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            stats.warn(f"{_rel(folder, base)}: cannot list folder ({exc.strerror or 'unreadable'})")
            stats.skip("unreadable")
            continue
        dirs: list[Path] = []
        for entry in entries:
            path = Path(entry.path)
            rel = _rel(path, base)
            if entry.name == ".git":
                continue  # the repository database (or a worktree/submodule's pointer file)
            if exclude and _matches(rel, entry.name, exclude):
                stats.skip("excluded by configuration")
                continue
            if only is not None and (entry.is_dir(follow_symlinks=False)
                                     or not any(fnmatch(entry.name, pat) for pat in only)):
                stats.skip("dependency folder")
                continue
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError as exc:
                stats.warn(f"{rel}: cannot stat ({exc.strerror or 'vanished'})")
                stats.skip("unreadable")
                continue
            if stat.S_ISLNK(st.st_mode):
                # Never followed: a link inside the root is scanned at its target, one that
                # leaves the root is not ours to read, and following links invites loops.
                stats.skip("symbolic link")
                continue
            if stat.S_ISDIR(st.st_mode):
                if skip_dependency_dirs and entry.name in DEPENDENCY_DIRS and not (
                    view and rel in view.tracked_dirs
                ):
                    if entry.name in KEPT_IN_DEPENDENCY_DIRS:
                        kept_only[path] = KEPT_IN_DEPENDENCY_DIRS[entry.name]
                        dirs.append(path)
                    else:
                        stats.skip("dependency folder")
                    continue
                if view and rel != "" and (path / ".git").exists() and rel in view.tracked:
                    stats.skip("submodule (not followed)")
                    continue
                dirs.append(path)
                continue
            data = read_regular(path, rel, st, stats, max_size)
            if data is None:
                continue
            exposure: Exposure = view.exposure(rel) if view else "untracked"
            if exposure == "tracked" and tracked_blob_ids is not None:
                tracked_blob_ids.add(git.blob_id(data, object_format))
            texts = texts_of(data, max_size)
            if not texts:
                stats.skip("binary")
                continue
            stats.files += 1
            stats.bytes += len(data)
            for member, text in texts:
                yield Chunk(text, Origin(member_path(rel, member), exposure))
        stack.extend(reversed(dirs))


def _rel(path: Path, base: Path) -> str:
    try:
        rel = path.relative_to(base).as_posix()
    except ValueError:
        rel = path.as_posix()
    return "" if rel == "." else rel


def _matches(rel: str, name: str, patterns: tuple[str, ...]) -> bool:
    return any(fnmatch(rel, pat) or fnmatch(name, pat) for pat in patterns)


def is_excluded(path: str, patterns: tuple[str, ...]) -> bool:
    """Whether the walk would have skipped ``path`` (relative to the top): the path itself or any of
    its folders, by relative path or by name. Used for what does not come from the walk (history,
    the index), so that ``exclude`` means the same for every exposure."""
    parts = path.split("/")
    return any(_matches("/".join(parts[:i + 1]), parts[i], patterns) for i in range(len(parts)))
