"""`tokenreach scan` over several repositories: which targets, and the progress line of a sweep."""

from __future__ import annotations

import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tokenreach.scanner import sweep as sweeps
from tokenreach.scanner.errors import ScanError
from tokenreach.scanner.model import RunResult
from tokenreach.scanner.run import RunOptions


def read_repos_file(path: Path) -> list[str]:
    """The entries of a --repos file: one path or clone URL a line; blank lines and # comments
    are skipped."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScanError(f"--repos {path}: cannot read ({getattr(exc, 'strerror', None) or exc})") from None
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def is_url(entry: str) -> bool:
    return "://" in entry or (entry.startswith("git@") and ":" in entry)


@dataclass
class Remotes:
    """The remote half of a sweep's targets (scanner/remote.py)."""

    github_orgs: Sequence[str] = ()
    github_users: Sequence[str] = ()
    gitlab_groups: Sequence[str] = ()
    forks: bool = False
    archived: bool = False
    clone_dir: Path | None = None

    def any(self) -> bool:
        return bool(self.github_orgs or self.github_users or self.gitlab_groups)


@dataclass
class Fleet:
    targets: list[sweeps.Target]
    failed: list[sweeps.Outcome] = field(default_factory=list)
    clone_dir: tempfile.TemporaryDirectory[str] | None = None  # removed when the sweep is over


def fleet_targets(paths: Sequence[Path], repos: Path | None, remotes: Remotes | None = None,
                  force: bool = False) -> Fleet | None:
    """The repositories of a sweep, or None when the command names one repository (or one folder
    that holds none) and ``force`` is not set: that scan runs exactly as it always has."""
    from tokenreach.scanner import remote

    remotes = remotes or Remotes()
    entries = read_repos_file(repos) if repos is not None else []
    urls = [remote.remote_of_url(e) for e in entries if is_url(e)]
    local = [*paths, *(Path(e) for e in entries if not is_url(e))]
    if not force and not remotes.any() and repos is None and len(local) <= 1:
        one = local[0] if local else Path(".")
        if not one.is_dir() or sweeps.git.locate(one) is not None or not sweeps.find_repositories(one):
            return None
    found = sweeps.targets_for(local or ([Path(".")] if not (remotes.any() or urls) else []))
    listed = list(urls)
    for org in remotes.github_orgs:
        listed += remote.github_repositories(org, forks=remotes.forks, archived=remotes.archived)
    for user in remotes.github_users:
        listed += remote.github_repositories(user, user=True, forks=remotes.forks, archived=remotes.archived)
    for group in remotes.gitlab_groups:
        listed += remote.gitlab_repositories(group, forks=remotes.forks, archived=remotes.archived)
    fleet = Fleet([])
    cloned: list[sweeps.Target] = []
    if listed:
        folder = remotes.clone_dir
        if folder is None:
            fleet.clone_dir = tempfile.TemporaryDirectory(prefix="tokenreach-clones-")
            folder = Path(fleet.clone_dir.name)
        cloned, fleet.failed = remote.mirror_all(listed, folder)
    fleet.targets = sweeps.unique_targets([*((Path(t.path), t.name) for t in found),
                                           *((Path(t.path), t.name) for t in cloned)], shorten=False)
    return fleet


class ProgressLine:
    """`sweep 12/200 repositories · 5 findings · slowest: api (41 s)` on stderr, redrawn each
    second. Tasks start in submission order as workers free up, so the ones in flight are the
    next ``slots`` not yet done."""

    def __init__(self, targets: Sequence[sweeps.Target], slots: int) -> None:
        self.names = [t.name for t in targets]
        self.done: set[str] = set()
        self.started: dict[str, float] = {}
        self.findings = 0
        self.slots = max(1, slots)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._mark_started()
        self._thread = threading.Thread(target=self._tick, daemon=True)
        self._thread.start()

    def _mark_started(self) -> None:
        now = time.monotonic()
        waiting = [n for n in self.names if n not in self.done]
        for n in waiting[:self.slots]:
            self.started.setdefault(n, now)

    def __call__(self, outcome: sweeps.Outcome, done: int, total: int) -> None:
        with self._lock:
            self.done.add(outcome.target.name)
            self.findings += len(outcome.findings)
            self._mark_started()
        self._draw()

    def _draw(self) -> None:
        with self._lock:
            now = time.monotonic()
            flying = [(now - t, n) for n, t in self.started.items() if n not in self.done]
            slowest = max(flying) if flying else None
            line = f"sweep {len(self.done)}/{len(self.names)} repositories · {self.findings} findings"
            if slowest:
                line += f" · slowest: {slowest[1][:40]} ({slowest[0]:.0f} s)"
        sys.stderr.write("\r\x1b[2K" + line)
        sys.stderr.flush()

    def _tick(self) -> None:
        while not self._stop.wait(1.0):
            self._draw()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        sys.stderr.write("\r\x1b[2K")
        sys.stderr.flush()


def run_fleet(opts: RunOptions, fleet: Fleet, jobs: int = 0, cluster: str | None = None,
              show: bool = False) -> RunResult:
    if jobs < 0:
        raise ScanError("--jobs must be 0 (every core) or more")
    if cluster is not None:
        from tokenreach.scanner.cluster import check_address

        warning = check_address(cluster)  # before any clone or scan: a bad address fails fast
        if warning:
            sys.stderr.write(f"tokenreach: warning: {warning}\n")
    line = ProgressLine(fleet.targets, sweeps.pool_size(jobs)) if show and fleet.targets else None
    try:
        return sweeps.sweep(opts, fleet.targets, jobs=jobs, cluster=cluster, done=line, failed=fleet.failed)
    finally:
        if line is not None:
            line.close()
        if fleet.clone_dir is not None:
            fleet.clone_dir.cleanup()
