"""sources ──► engine ──► findings: one pass over every byte, one finding per distinct secret."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from contextlib import nullcontext
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

from tokenreach.detectors.redaction import Fingerprinter
from tokenreach.scanner import parallel
from tokenreach.scanner.engine import Engine, default_engine
from tokenreach.scanner.errors import ScanError
from tokenreach.scanner.hits import Hit, Matched, hits_in
from tokenreach.scanner.model import Finding, Location, ScanResult, SourceStats
from tokenreach.scanner.sources import Chunk, Origin, git, gitconfig, history, staged, worktree

# Exposures whose chunks the working-tree walk did not already filter by ``exclude``.
_EXCLUDABLE = frozenset({"history", "staged"})


DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024


@dataclass
class ScanOptions:
    path: Path
    history: bool = True
    worktree: bool = True
    staged: bool = False
    staged_names: tuple[str, ...] | None = None  # pre-commit's file names: exactly these index entries
    since: str | None = None
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    exclude: tuple[str, ...] = ()
    skip_dependency_dirs: bool = True
    home: bool = False  # also the credential stores in $HOME (opt-in)
    jobs: int = 0  # history worker processes: 0 = every core once the history is large, 1 = none
    env: bool = False  # also this process's environment variables (opt-in)
    nearby: int | None = None  # also secret-named files this many folders below the parent folder
    # False: leave the (deliberately slow) fingerprints to the caller: a sweep computes them once,
    # after merging, instead of once per repository and process (scanner/sweep.py).
    fingerprints: bool = True


T = TypeVar("T")
Progress = Callable[[int, int], None]  # (items, bytes) added


def check_target(path: Path) -> None:
    """A folder that exists and can be listed, or one clear error."""
    if not path.exists():
        raise ScanError(f"{path}: no such file or folder")
    if not path.is_dir():
        raise ScanError(f"{path}: not a folder (tokenreach scans a folder or repository)")
    try:
        next(iter(path.iterdir()), None)
    except OSError as exc:
        raise ScanError(f"{path}: cannot read ({exc.strerror or exc})") from None


def scan(options: ScanOptions, progress: Progress | None = None, engine: Engine | None = None) -> ScanResult:
    started = time.perf_counter()
    path = options.path
    check_target(path)

    stats = SourceStats()
    notices: list[str] = []
    eng = engine or default_engine()
    # A commit's staged files need no refs; everything else lists them (and the probe does it).
    examined = git.examine(path, with_refs=not options.staged)
    info = examined.info
    sources: list[Iterable[Chunk | Matched]] = []
    if info is None:
        if options.staged or options.since:
            if examined.problem:
                raise ScanError(f"{path}: {examined.problem}")
            raise ScanError(f"{path}: not inside a git repository (needed for --staged / --since)")
        if examined.problem:  # a repository git must not be run on (a FIFO in .git): said, not hidden
            stats.warn(examined.problem)
        else:
            notices.append(f"{path} is not a git repository: scanning the working tree only")
        if options.worktree:
            sources.append(worktree.walk(path, stats, view=None, max_size=options.max_file_size,
                                         exclude=options.exclude,
                                         skip_dependency_dirs=options.skip_dependency_dirs))
    else:
        top, _gitdir, bare = info
        if options.staged:
            sources.append(staged.chunks(top, stats, max_size=options.max_file_size, names=options.staged_names))
        else:
            sources += _repository(path, top, bare, examined, stats, options, notices, eng)

    if options.home:
        from tokenreach.scanner.sources import home

        sources.append(home.chunks(Path.home(), stats, max_size=options.max_file_size))
    if options.env:
        import os

        from tokenreach.scanner.sources import environment

        sources.append(environment.chunks(dict(os.environ), stats))
    if options.nearby is not None:
        from tokenreach.scanner.sources import nearby

        project = info[0] if info is not None else path
        sources.append(nearby.chunks(project, options.nearby, stats, max_size=options.max_file_size))

    found: dict[tuple[str, str], Finding] = {}  # by (provider, secret)
    # Each new secret's (deliberately slow) fingerprint is computed on the other cores while the
    # scan goes on, instead of all of them at the end.
    set_aside = eng.not_reported
    with Fingerprinter() if options.fingerprints else nullcontext() as fingerprints:
        for source in sources:
            for item in source:
                origin = item.origin
                if options.exclude and origin.exposure in _EXCLUDABLE and \
                        worktree.is_excluded(origin.path, options.exclude):
                    stats.skip("excluded by configuration")
                    continue
                if isinstance(item, Matched):  # matched by a history worker (scanner/parallel.py)
                    hits, size = item.hits, item.size
                else:
                    hits, size = hits_in(eng, item.data), len(item.data)
                _add_hits(found, origin, hits, stats, fingerprints)
                if progress:
                    progress(1, size)
        if fingerprints is not None:
            fingerprints.wait()
    stats.not_reported += eng.not_reported - set_aside
    findings = _drop_redundant_history(list(found.values()))
    return ScanResult(findings, stats, time.perf_counter() - started, notices, eng.backend, str(path))


def _repository(path: Path, repo: Path, bare: bool, examined: git.Examined, stats: SourceStats, options: ScanOptions,
                notices: list[str], eng: Engine) -> list[Iterable[Chunk | Matched]]:
    """The sources of a repository's working tree and history (``--since``: of that range only)."""
    listed, unlisted = examined.refs, examined.refs_error  # scan() asked the probe for them
    # Refs git cannot list: a HEAD may still resolve (then history says what fails); if not, say
    # it here: a history that is silently not scanned reads as a clean one.
    commits = git.has_commits(repo, listed)
    if listed is None and not commits and options.history:
        stats.warn(f"git cannot list the refs of {repo} ({unlisted}): its history is not scanned")
    sources: list[Iterable[Chunk | Matched]] = []
    if options.since:
        if not commits:
            raise ScanError(f"{path}: the repository has no commits")
        if not git.run(repo, "rev-parse", "--verify", "-q", options.since + "^{commit}", check=False).strip():
            raise ScanError(f"--since {options.since}: no such commit in {repo}")
        index = history.range_index(repo, options.since, stats)
        sources.append(history.chunks(repo, index, stats, max_size=options.max_file_size,
                                      tracked_in_head=_head_tree(repo)))
        return sources
    tracked_ids: set[str] = set()
    if options.worktree and not bare:
        if not commits and not _has_any_file(path):
            _empty(f"{path}: empty repository (no commits and no files)", options, notices)
        view = _git_view(repo, stats)
        sources.append(worktree.walk(path, stats, view=view, max_size=options.max_file_size,
                                     exclude=options.exclude, tracked_blob_ids=tracked_ids,
                                     skip_dependency_dirs=options.skip_dependency_dirs,
                                     object_format=examined.object_format))
    elif bare and not commits:
        _empty(f"{path}: empty repository (no commits)", options, notices)
    if options.history and commits:
        # git log runs while the working tree is read, on another core: the index is ready sooner.
        built = _started(lambda: history.full_index(repo, stats, max_size=options.max_file_size, listed=listed))
        sources.append(_history_after(repo, stats, options, tracked_ids, bare, eng, built))
    if options.worktree and examined.layout is not None:
        sources.append(gitconfig.chunks(examined.layout, stats, max_size=options.max_file_size))
    return sources


def _history_after(repo: Path, stats: SourceStats, options: ScanOptions, tracked_ids: set[str],
                   bare: bool, eng: Engine, built: Callable[[], history.BlobIndex]) -> Iterable[Chunk | Matched]:
    # A generator, so the blobs are chosen after the working tree has filled tracked_ids.
    index = built()
    head = _head_tree(repo) if bare else None
    oids = history.wanted(index, tracked_ids)
    jobs = parallel.jobs_for(options.jobs, len(oids))
    if jobs <= 1:
        yield from history.chunks(repo, index, stats, max_size=options.max_file_size, skip=tracked_ids,
                                  tracked_in_head=head)
        return
    positions = history.commit_positions(index)
    for a in parallel.analysed_blobs(repo, oids, stats, eng, max_size=options.max_file_size, jobs=jobs,
                                     commits=history.commit_shas(index)):
        origin = (index.origin_of(positions[a.oid], history.COMMIT_MESSAGE) if a.message
                  else history.blob_origin(index, a.oid, a.member, head))
        yield Matched(origin, a.hits, a.size)
    yield from history.tag_messages(index)


def _started(call: Callable[[], T]) -> Callable[[], T]:
    """``call`` running on a thread from now; the function returned waits for its result, or
    raises what it raised. A daemon thread: a scan stopped meanwhile does not wait for git log."""
    future: Future[T] = Future()

    def run() -> None:
        try:
            future.set_result(call())
        except BaseException as exc:  # handed to the caller, which raises it where it always did
            future.set_exception(exc)

    threading.Thread(target=run, name="history-index", daemon=True).start()
    return future.result


def _git_view(top: Path, stats: SourceStats) -> worktree.GitView | None:
    """Which files git tracks and ignores; None (every file "untracked", still scanned) when git
    cannot say in time, e.g. a .gitignore that is a FIFO."""
    try:
        return worktree.GitView(top, warn=stats.warn)
    except git.GitError as exc:
        stats.warn(f"{exc}: working-tree files are scanned, but all labelled untracked")
        return None


def _head_tree(repo: Path) -> dict[str, str]:
    out = git.run(repo, "ls-tree", "-r", "-z", "--full-tree", "HEAD", check=False)
    tree: dict[str, str] = {}
    for item in git.nul_split(out):
        meta, _, p = item.partition(b"\t")
        parts = meta.split(b" ")
        if len(parts) == 3 and parts[1] == b"blob":
            tree[git.decode_path(p)] = parts[2].decode()
    return tree


def _empty(message: str, options: ScanOptions, notices: list[str]) -> None:
    """An empty repository is an error, unless the scan has somewhere else to look (--home, --env,
    --nearby)."""
    if not (options.home or options.env or options.nearby is not None):
        raise ScanError(message)
    notices.append(message)


def _has_any_file(path: Path) -> bool:
    return any(p.name != ".git" for p in path.iterdir())


def _add_hits(found: dict[tuple[str, str], Finding], origin: Origin, hits: list[Hit], stats: SourceStats,
              fingerprints: Fingerprinter | None = None) -> None:
    for hit in hits:
        if hit.ignored:
            stats.skip("ignored inline (tokenreach:ignore)")
            continue
        token = hit.token
        key = (token.provider, token.secret)
        loc = Location(origin.path, hit.line, hit.column, origin.exposure, origin.commit, origin.author, origin.date,
                       encoding=hit.encoding)
        finding = found.get(key)
        if finding is None:
            found[key] = Finding(token=token, pattern_name=hit.pattern_name, locations=[loc])
            if fingerprints is not None:
                fingerprints.add(*key)
            continue
        finding.add(loc)
        # Keep the richest view of the token: a match that found more (a paired secret) brings its
        # own pattern and kind along; a variable name is kept from wherever it was seen.
        if len(token.extras) > len(finding.token.extras):
            finding.token = replace(token, variable=token.variable or finding.token.variable,
                                    context={**finding.token.context, **token.context})
            finding.pattern_name = hit.pattern_name
        elif finding.token.variable is None and token.variable:
            finding.token = replace(finding.token, variable=token.variable)


def _drop_redundant_history(findings: list[Finding]) -> list[Finding]:
    """A history location of a secret that is still in the same tracked file says nothing new."""
    for f in findings:
        live_paths = {loc.path for loc in f.locations if loc.exposure == "tracked"}
        if live_paths:
            f.locations = [loc for loc in f.locations
                           if not (loc.exposure == "history" and loc.path in live_paths)]
    return findings
