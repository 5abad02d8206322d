"""The Action's diff mode takes its configuration and baselines from the base commit.

A pull request that added a ``.tokenreach.toml`` with ``fail_on = "critical"`` or an ``allow``
entry, a baseline accepting its token, or a ``.secrets.baseline`` marking it a false positive,
would switch its own check off (issue 17, item 19). So the files that can narrow a scan are
copied out of the base commit — read-only, through the safe git runner, blob by blob — into a
folder outside the workspace, and the run reads them there, never from the pull request's head.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path

from tokenreach.scanner.errors import ScanError
from tokenreach.scanner.reading import BASELINE_CAP, CONFIG_CAP
from tokenreach.scanner.sources import git

# Read from the base when present there: the configuration files, then the baselines run() looks for.
CONFIG_FILES = (".tokenreach.toml", "pyproject.toml")
BASELINE_FILES = (".tokenreach-baseline.json", ".secrets.baseline")
_REGULAR = ("100644", "100755")
WHY = "diff mode reads configuration and baselines from the base commit, not from the pull request"


@dataclass(frozen=True)
class BaseSettings:
    folder: Path  # the base commit's configuration and baselines, at their paths in the repository
    baseline: Path | None  # the baseline to use (None: what the configuration or the default says)


def from_base(top: Path, base: str, folder: Path, baseline_input: Path | None, cwd: Path) -> BaseSettings:
    """Copy what configures the scan out of ``base`` into the empty ``folder``.

    ``baseline_input`` (the Action's ``baseline``) is read from the base too when it lies inside
    the repository; outside it (a file the workflow made), it is used as it is."""
    from tokenreach.scanner import config as configs

    snap = _Snapshot(top, base, folder.resolve())
    for name in CONFIG_FILES:
        snap.copy(name, CONFIG_CAP)
    for name in BASELINE_FILES:
        snap.copy(name, BASELINE_CAP)
    baseline: Path | None = None
    found = configs.find(snap.folder)
    if found is not None:
        try:
            cfg = configs.load(found)
        except configs.ConfigError as exc:
            raise ScanError(name_in_base(str(exc), snap.folder, base)) from None
        for rules in cfg.rules:  # resolved inside the configuration's folder, which is ours
            snap.copy_rules(Path(rules).relative_to(snap.folder).as_posix())
        if cfg.baseline:
            baseline = snap.inside(top / cfg.baseline, "the configuration's baseline")
    if baseline_input is not None:
        baseline = snap.inside(cwd / baseline_input, "baseline")  # an absolute input stays as it is
    return BaseSettings(snap.folder, baseline)


def name_in_base(message: str, folder: Path, base: str) -> str:
    """A message about a file copied into ``folder`` names it as git does, ``<base>:<path>``."""
    return message.replace(f"{folder}/", f"{base[:12]}:").replace(str(folder), f"{base[:12]}:")


class _Snapshot:
    def __init__(self, top: Path, base: str, folder: Path) -> None:
        self.top, self.base, self.folder = top, base, folder


    def inside(self, path: Path, what: str) -> Path:
        """``path`` as the base commit has it when it is inside the repository; else ``path``."""
        try:
            rel = path.resolve().relative_to(self.top.resolve()).as_posix()
        except ValueError:
            return path
        if not self.copy(rel, BASELINE_CAP):
            raise ScanError(f"{what} {rel} is not in the base commit {self.base[:12]} ({WHY})")
        return self.folder / rel

    def copy(self, rel: str, cap: int) -> bool:
        """The base commit's regular file ``rel`` into the folder; False when the base has none."""
        entry = self._entry(rel)
        if entry is None:
            return False
        mode, kind, oid = entry
        if kind != "blob" or mode not in _REGULAR:
            raise ScanError(f"{rel} in the base commit {self.base[:12]} is not a regular file "
                            f"({'a symbolic link' if mode == '120000' else kind}); {WHY}")
        self._write(rel, oid, cap)
        return True

    def copy_rules(self, rel: str) -> None:
        """A rule file, or a folder's ``*.toml`` files (docs/rules.md), from the base commit."""
        entry = self._entry(rel)
        if entry is not None and entry[1] == "tree":
            (self.folder / rel).mkdir(parents=True, exist_ok=True)
            for mode, kind, oid, name in _tree(self.top, entry[2]):
                if name.endswith(".toml") and kind == "blob" and mode in _REGULAR:
                    self._write(f"{rel}/{name}", oid, CONFIG_CAP)
        else:
            self.copy(rel, CONFIG_CAP)  # absent: the run says "no such rule file or folder"

    def _entry(self, rel: str) -> tuple[str, str, str] | None:
        rel = posixpath.normpath(rel)
        if rel.startswith(("../", "/")) or rel in ("..", "."):
            return None
        parent, _, name = rel.rpartition("/")
        # The parent tree by object name, then the entry by exact name: no pathspec is ever parsed.
        tree = git.run(self.top, "rev-parse", "--verify", "-q",
                       f"{self.base}:{parent}" if parent else f"{self.base}^{{tree}}", check=False).strip()
        if not tree:
            return None
        for mode, kind, oid, entry_name in _tree(self.top, tree.decode()):
            if entry_name == name:
                return mode, kind, oid
        return None

    def _write(self, rel: str, oid: str, cap: int) -> None:
        size = int(git.run(self.top, "cat-file", "-s", oid).strip() or 0)
        if size > cap:
            raise ScanError(f"{rel} in the base commit {self.base[:12]} is larger than {cap // (1 << 20)} MiB")
        dest = self.folder / posixpath.normpath(rel)
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(git.run(self.top, "cat-file", "blob", oid))


def _tree(top: Path, tree: str) -> list[tuple[str, str, str, str]]:
    """(mode, type, object, name) of each entry of one tree object."""
    out = []
    for raw in git.nul_split(git.run(top, "ls-tree", "-z", tree, check=False)):
        meta, _, name = raw.partition(b"\t")
        parts = meta.decode("ascii", "replace").split()
        if len(parts) == 3:
            out.append((parts[0], parts[1], parts[2], git.decode_path(name)))
    return out
