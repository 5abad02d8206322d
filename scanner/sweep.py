"""A sweep of many repositories: targets → one scan per repository → one merged run.

Each repository is scanned as the repository it is (its own history and exposures), as an
independent task: in this process, on a local pool of processes, or on a Dask cluster
(scanner/cluster.py). The coordinator merges the findings by (provider, secret), so a token
copied into twelve repositories is one finding with twelve repositories' locations, and it is
looked up once, with the provider budgets of one run (scanner/lookup.py).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from tokenreach.detectors.redaction import fingerprint_all
from tokenreach.scanner import baseline as baselines
from tokenreach.scanner import config as configs
from tokenreach.scanner import run as runs
from tokenreach.scanner.assess import assess, order
from tokenreach.scanner.cache_root import keep_out_of
from tokenreach.scanner.engine import Engine, default_engine
from tokenreach.scanner.errors import ScanError
from tokenreach.scanner.findings import ScanOptions, scan
from tokenreach.scanner.model import Finding, RepositoryStats, RunResult, ScanResult, SourceStats
from tokenreach.scanner.parallel import can_fork, cores
from tokenreach.scanner.run import RunOptions
from tokenreach.scanner.sources import git

if TYPE_CHECKING:
    from concurrent.futures import Future

MAX_DEPTH = 6  # how deep a folder of repositories is searched for them


@dataclass(frozen=True)
class Target:
    """One repository to scan: its short stable name and where it is on disk."""

    name: str
    path: str


@dataclass
class Outcome:
    """What one repository's task returns to the coordinator (picklable: it crosses processes)."""

    target: Target
    findings: list[Finding] = field(default_factory=list)
    stats: SourceStats = field(default_factory=SourceStats)
    notices: list[str] = field(default_factory=list)
    duration: float = 0.0
    engine: str = ""
    error: str | None = None


def is_repository(path: Path) -> bool:
    """A working tree with its .git (a folder or a gitfile), or a bare repository."""
    try:
        return git.locate(path) is not None and (git.repo_info(path) or (None,))[0] == path.resolve()
    except OSError:
        return False


def find_repositories(folder: Path) -> list[Path]:
    """The repositories in ``folder`` (by their .git, or a bare repository's layout), without
    descending into one: a vendored repository inside another is part of that one's tree."""
    found: list[Path] = []

    def walk(d: Path, depth: int) -> None:
        try:
            entries = sorted(os.scandir(d), key=lambda e: e.name)
        except OSError:
            return
        for e in entries:
            if e.name == ".git" or not e.is_dir(follow_symlinks=False):
                continue
            p = Path(e.path)
            if os.path.lexists(p / ".git") or _looks_bare(p):
                found.append(p)
            elif depth < MAX_DEPTH:
                walk(p, depth + 1)

    walk(folder, 1)
    return found


def _looks_bare(p: Path) -> bool:
    return (p / "HEAD").is_file() and (p / "objects").is_dir() and (p / "refs").is_dir()


def targets_for(paths: Sequence[Path]) -> list[Target]:
    """Each path as the repositories it names: itself when it is one, else those it holds. Names
    are the folder names, made unique by the path below the given folder (or a number)."""
    picked: list[tuple[Path, str]] = []
    for path in paths:
        if not path.exists():
            raise ScanError(f"{path}: no such file or folder")
        if not path.is_dir():
            raise ScanError(f"{path}: not a folder (tokenreach scans a folder or repository)")
        if git.repo_info(path) is not None:
            picked.append((path, _name(path.resolve())))
            continue
        repos = find_repositories(path)
        if not repos:
            picked.append((path, _name(path.resolve())))  # a plain folder: its working tree
        top = _name(path.resolve())
        picked.extend((r, f"{top}/{r.relative_to(path).as_posix().removesuffix('.git')}") for r in repos)
    return unique_targets(picked)


def _name(path: Path) -> str:
    return path.name.removesuffix(".git") or str(path)


def unique_targets(picked: Iterable[tuple[Path, str]], shorten: bool = True) -> list[Target]:
    """One target per folder, each with a name no other has, in name order (the merge order):
    the last part of ``name`` when ``shorten`` and no other has it, else the whole name."""
    out: dict[str, Target] = {}
    seen: set[str] = set()
    for path, name in picked:
        where = str(path)
        if os.path.realpath(where) in seen:
            continue
        seen.add(os.path.realpath(where))
        last = name.rsplit("/", 1)[-1]
        short = last if shorten and last not in out else name
        candidate, n = short, 2
        while candidate in out:
            candidate, n = f"{short}-{n}", n + 1
        out[candidate] = Target(candidate, where)
    return [out[k] for k in sorted(out)]


# The engine a forked pool worker uses: set by the coordinator before the pool starts, so that
# users' rules and providers turned off reach the workers without pickling a compiled database.
_ENGINE: Engine | None = None


def scan_target(target: Target, options: ScanOptions) -> Outcome:
    """Scan one repository; every failure is the repository's outcome, never the sweep's end."""
    started = time.perf_counter()
    try:
        result = scan(replace(options, path=Path(target.path)), engine=_ENGINE)
    except ScanError as exc:
        return Outcome(target, error=str(exc), duration=time.perf_counter() - started)
    except (OSError, git.GitError) as exc:
        return Outcome(target, error=f"{target.path}: {exc}", duration=time.perf_counter() - started)
    for f in result.findings:
        f.locations = [replace(loc, repository=target.name) for loc in f.locations]
        f._seen = None
    return Outcome(target, result.findings, result.stats, result.notices, result.duration, result.engine)


Done = Callable[[Outcome, int, int], None]  # (outcome, done, total)


def scan_serial(targets: Sequence[Target], options: ScanOptions, done: Done | None = None) -> list[Outcome]:
    out = []
    for t in targets:
        out.append(scan_target(t, options))
        if done:
            done(out[-1], len(out), len(targets))
    return out


def pool_size(requested: int) -> int:
    """``requested`` processes, or one more than the cores: each repository's scan spends part of
    its time waiting on git (2.67-2.69 s against 2.70-2.79 s for fleet.py's pool on 2 cores)."""
    if requested:
        return max(1, requested)
    return cores() + 1


def scan_pool(targets: Sequence[Target], options: ScanOptions, jobs: int, done: Done | None = None,
              engine: Engine | None = None) -> list[Outcome]:
    """Each repository a task on ``jobs`` forked processes. A process that dies breaks the whole
    pool, so the tasks it took down are run again on a fresh pool; those lost a second time each
    get a process of their own, and one that dies there is reported as a failed repository."""
    global _ENGINE
    if jobs <= 1 or len(targets) <= 1 or not can_fork():
        _ENGINE = engine
        try:
            return scan_serial(targets, options, done)
        finally:
            _ENGINE = None
    # One repository per process: history workers inside a task would only fight over the cores.
    task_opts = replace(options, jobs=1)
    results: dict[str, Outcome] = {}
    # Built (or loaded from its cache) once, here: every forked process inherits it.
    engine = engine or default_engine()

    def finished(t: Target, outcome: Outcome) -> None:
        results[t.name] = outcome
        if done:
            done(outcome, len(results), len(targets))

    todo = list(targets)
    _ENGINE = engine
    try:
        for _ in range(2):
            todo = _pool_round(todo, task_opts, jobs, finished)
            if not todo:
                break
        for t in todo:  # alone: a repository that kills its process takes no other with it
            if _pool_round([t], task_opts, 1, finished):
                finished(t, Outcome(t, error=f"{t.name}: the process scanning it died (retried)"))
    finally:
        _ENGINE = None
    return [results[t.name] for t in targets]


def _pool_round(todo: Sequence[Target], options: ScanOptions, jobs: int,
                finished: Callable[[Target, Outcome], None]) -> list[Target]:
    """Run ``todo`` on one pool; returns the targets whose task was lost with a dead process."""
    # Imported here: a one-repository scan (every pre-commit run) never starts a pool.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    lost: list[Target] = []
    with ProcessPoolExecutor(max_workers=min(jobs, len(todo)), mp_context=multiprocessing.get_context("fork")) as pool:
        futures: dict[Future[Outcome], Target] = {pool.submit(scan_target, t, options): t for t in todo}
        for fut in _as_completed(futures):
            t = futures[fut]
            try:
                outcome = fut.result()
            except BrokenProcessPool:
                lost.append(t)
                continue
            finished(t, outcome)
    return sorted(lost, key=lambda t: t.name)


def _as_completed(futures: Iterable[Future[Outcome]]) -> Iterable[Future[Outcome]]:
    from concurrent.futures import as_completed

    return as_completed(list(futures))


def merge(outcomes: Sequence[Outcome]) -> tuple[list[Finding], SourceStats, list[str]]:
    """One finding per (provider, secret) across every repository, in the targets' order, so the
    same outcomes give the same findings however the tasks were scheduled."""
    found: dict[tuple[str, str], Finding] = {}
    stats = SourceStats()
    notices: list[str] = []
    for o in outcomes:
        if o.error:
            stats.warn(f"repository {o.target.name} not scanned: {o.error}")
            continue
        s = o.stats
        stats.files += s.files
        stats.blobs += s.blobs
        stats.bytes += s.bytes
        stats.commits += s.commits
        stats.not_reported += s.not_reported
        stats.skipped.update(s.skipped)
        for w in s.warnings:
            stats.warn(f"{o.target.name}: {w}")
        notices.extend(f"{o.target.name}: {n}" for n in o.notices)
        for f in o.findings:
            key = (f.token.provider, f.token.secret)
            have = found.get(key)
            if have is None:
                found[key] = f
                continue
            for loc in f.locations:
                have.add(loc)
            if len(f.token.extras) > len(have.token.extras):
                have.token = replace(f.token, variable=f.token.variable or have.token.variable)
                have.pattern_name = f.pattern_name
            elif have.token.variable is None and f.token.variable:
                have.token = replace(have.token, variable=f.token.variable)
    return list(found.values()), stats, notices


def repository_stats(outcomes: Sequence[Outcome], findings: Sequence[Finding]) -> list[RepositoryStats]:
    per: dict[str, int] = {}
    for f in findings:
        for name in {loc.repository for loc in f.locations if loc.repository}:
            per[name] = per.get(name, 0) + 1
    return [RepositoryStats(o.target.name, o.target.path, o.stats.files, o.stats.blobs, o.stats.commits,
                            o.stats.bytes, per.get(o.target.name, 0), o.duration, o.error)
            for o in outcomes]


def sweep(opts: RunOptions, targets: Sequence[Target], jobs: int = 0, cluster: str | None = None,
          done: Done | None = None, failed: Sequence[Outcome] = ()) -> RunResult:
    """The run of run.py over many repositories: the configuration and baseline come from the
    command line only (a scanned repository's own file would decide for the others). ``failed``:
    repositories that never got as far as a scan (a clone that failed), reported as such."""
    started = time.perf_counter()
    if not targets:
        why = "; ".join(o.error or "" for o in failed[:3])
        raise ScanError("no repositories to scan" + (f": {why}" if why else ""))
    for t in targets:
        keep_out_of(Path(t.path))
    cfg = runs.load_config(opts, Path.cwd()) if opts.config_path and opts.use_config else configs.Config()
    max_file_size, size_notice = runs._max_file_size(opts, cfg)
    options = ScanOptions(path=Path("."), history=opts.history, max_file_size=max_file_size, exclude=cfg.exclude,
                          fingerprints=False,
                          skip_dependency_dirs=not (opts.include_deps if opts.include_deps is not None
                                                    else bool(cfg.include_deps)))
    engine = _engine_for(cfg, opts)
    cluster_notices: list[str] = []
    if cluster:
        from tokenreach.scanner import cluster as clusters

        if engine is not None:
            raise ScanError("--cluster: users' rules and providers turned off are not sent to the workers yet; "
                            "scan without --cluster")
        outcomes = clusters.scan_cluster(cluster, targets, options, done, warn=cluster_notices.append)
    else:
        outcomes = scan_pool(targets, options, pool_size(jobs), done, engine)
    outcomes = sorted([*outcomes, *failed], key=lambda o: o.target.name)
    if all(o.error for o in outcomes):
        raise ScanError("no repository could be scanned: " + "; ".join(o.error or "" for o in outcomes[:3]))
    findings, stats, notices = merge(outcomes)
    fingerprint_all((f.token.provider, f.token.secret) for f in findings)
    if size_notice:
        notices.append(size_notice)
    notices.extend(cluster_notices)
    result = ScanResult(findings, stats, sum(o.duration for o in outcomes), notices,
                        next((o.engine for o in outcomes if o.engine), ""), _root(targets))
    out = RunResult(result, cfg)
    if cfg.allow:
        kept = [f for f in findings if f.fingerprint not in cfg.allow]
        out.suppressed["allowed in configuration"] = len(findings) - len(kept)
        findings = kept
    looking_up = time.perf_counter()
    result.lookups_failed = runs._look_up(findings, opts, cfg, Path(targets[0].path), notices)
    result.lookup_duration = time.perf_counter() - looking_up
    for f in findings:
        assess(f, cfg.intents)
    if opts.use_baseline and opts.baseline_path is not None:
        try:
            accepted = baselines.load(opts.baseline_path)
        except baselines.BaselineError as exc:
            raise ScanError(str(exc)) from None
        findings, n = baselines.apply(findings, accepted)
        out.suppressed["in the baseline"] = n
        out.baseline_file = str(opts.baseline_path)
    result.findings = order(findings)
    result.repositories = repository_stats(outcomes, result.findings)
    out.suppressed = {k: v for k, v in out.suppressed.items() if v}
    result.total_duration = time.perf_counter() - started
    return out


def _root(targets: Sequence[Target]) -> str:
    try:
        return os.path.commonpath([os.path.abspath(t.path) for t in targets])
    except ValueError:
        return ""


def _engine_for(cfg: configs.Config, opts: RunOptions) -> Engine | None:
    """A custom engine when the configuration turns providers off or users add rules, else None
    (each task then uses the default one)."""
    off = {p for p, mode in cfg.providers.items() if mode == "off"}
    user = runs.user_rules(cfg, opts.rules)
    if not (off or user):
        return None
    from tokenreach.detectors.registry import all_patterns

    pairs = [*all_patterns(), *((d, p) for d in user for p in d.patterns)]
    return Engine([(d, p) for d, p in pairs if d.provider not in off])

