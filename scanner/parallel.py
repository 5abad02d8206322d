"""A large history read and matched on every core.

One process reads (history.read_texts: the pack files, or git for what they cannot give) and
matches on one core. Here the blobs are cut into slices that worker processes take in turn;
each worker reads and matches its slice with its own engine and sends back
only what it found (scanner/hits.py: tokens with line and column, never the bytes). The parent
hands the slices' results on in slice order, so the findings, their order and the statistics are
exactly those of a serial scan.

Workers are forked: they share the parent's compiled engine without recompiling or pickling it.
Where there is no fork (Windows, macOS's default), or the history is small, the scan stays serial.
A worker that dies takes nothing with it: the parent scans that worker's unfinished slices itself.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tokenreach.scanner.engine import Engine
from tokenreach.scanner.hits import Hit, hits_in
from tokenreach.scanner.model import SourceStats
from tokenreach.scanner.sources import git, history

if TYPE_CHECKING:
    import multiprocessing.process
    from multiprocessing.connection import Connection

MIN_BLOBS = 2000  # below this, starting workers costs more than it saves
SLICE_BLOBS = 1000  # small enough that two workers finish close together
_BATCH = 256  # results per message


@dataclass(slots=True)
class Analysed:
    """One blob (or archive member), or one commit's message, analysed: where it came from and
    what it holds."""

    oid: str
    member: str
    hits: list[Hit]
    size: int
    message: bool = False  # ``oid`` is a commit, and this its message


@dataclass
class _Slice:
    results: list[Analysed] = field(default_factory=list)
    stats: SourceStats | None = None  # set when the slice is done
    not_reported: int = 0
    error: str | None = None


def jobs_for(requested: int, blobs: int) -> int:
    """How many worker processes: ``requested`` when given (1 = serial), else every core once the
    history is large enough to pay for them."""
    if not can_fork():
        return 1
    if requested:
        return max(1, requested)
    return min(cores(), 8) if blobs >= MIN_BLOBS else 1


def cores() -> int:
    """The cores this process may run on (its affinity where the platform says, else all)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def can_fork() -> bool:
    import multiprocessing  # here, not at the top: most runs never fork, and it costs 7 ms to import

    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def analysed_blobs(repo: Path, oids: list[str], stats: SourceStats, eng: Engine, *, max_size: int,
                   jobs: int, commits: list[str] | None = None) -> Iterator[Analysed]:
    """What each blob in ``oids`` holds, in ``oids`` order, then the message of each commit in
    ``commits``, read and matched by ``jobs`` workers. Counts (blobs, bytes, skips, warnings)
    land in ``stats`` as a serial read would leave them; placeholders the workers set aside are
    added to ``eng.not_reported``."""
    import multiprocessing
    from multiprocessing.connection import Connection, wait

    slices = [oids[i:i + SLICE_BLOBS] for i in range(0, len(oids), SLICE_BLOBS)]
    if commits:
        slices.append(commits)
    messages = len(slices) - 1 if commits else -1  # the slice of commits, if any
    ctx = multiprocessing.get_context("fork")
    todo: Any = ctx.SimpleQueue()
    # The messages are handed on last, but read first: a worker's first task, not the parent's tail.
    for i in sorted(range(len(slices)), key=lambda i: i != messages):
        todo.put(i)
    for _ in range(jobs):
        todo.put(None)
    state = [_Slice() for _ in slices]
    conns: dict[Connection, multiprocessing.process.BaseProcess] = {}
    for _ in range(jobs):
        recv, send = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_work, args=(repo, slices, messages, todo, send, eng, max_size), daemon=True)
        proc.start()
        send.close()
        conns[recv] = proc
    emitted = 0  # slices handed on so far
    pos = 0  # results of slice ``emitted`` handed on so far
    try:
        while conns or emitted < len(slices):
            if conns:
                for conn in wait(list(conns)):
                    assert isinstance(conn, Connection)
                    try:
                        msg = conn.recv()
                    except (EOFError, OSError):
                        conns.pop(conn).join(timeout=1)
                        continue
                    kind, i = msg[0], msg[1]
                    if kind == "hits":
                        state[i].results.extend(msg[2])
                    elif kind == "done":
                        state[i].stats, state[i].not_reported = msg[2], msg[3]
                    elif kind == "error":
                        state[i].error = msg[2]
            elif state[emitted].stats is None and state[emitted].error is None:
                # Every worker is gone and this slice is unfinished (a worker was killed): do it
                # here. Its results come in the same order, so the ones handed on are skipped.
                state[emitted] = _Slice()
                _scan_slice(repo, slices[emitted], eng, max_size, state[emitted], messages=emitted == messages)
            # Hand on what is ready, in order.
            while emitted < len(slices):
                s = state[emitted]
                if s.error is not None:
                    raise git.GitError(s.error)
                done = s.stats is not None
                while pos < len(s.results):
                    yield s.results[pos]
                    pos += 1
                if not done:
                    break
                _merge(stats, s.stats, eng, s.not_reported)
                state[emitted] = _Slice(stats=s.stats)  # drop the results handed on
                emitted += 1
                pos = 0
    finally:
        for conn, worker in conns.items():
            worker.kill()
            worker.join(timeout=1)
            conn.close()


def _merge(stats: SourceStats, part: SourceStats | None, eng: Engine, not_reported: int) -> None:
    assert part is not None
    stats.blobs += part.blobs
    stats.bytes += part.bytes
    stats.skipped.update(part.skipped)
    for message in part.warnings:
        stats.warn(message)
    eng.not_reported += not_reported


def _work(repo: Path, slices: list[list[str]], messages: int, todo: Any, send: Connection, eng: Engine,
          max_size: int) -> None:
    """A worker: slices from ``todo`` until None, each one's results sent as they come."""
    while True:
        i = todo.get()
        if i is None:
            break
        s = _Slice()
        try:
            _scan_slice(repo, slices[i], eng, max_size, s, lambda batch, i=i: send.send(("hits", i, batch)),
                        messages=i == messages)
        except git.GitError as exc:
            send.send(("error", i, str(exc)))
            continue
        send.send(("done", i, s.stats, s.not_reported))
    send.close()


def _scan_slice(repo: Path, oids: list[str], eng: Engine, max_size: int, s: _Slice,
                flush: Any = None, *, messages: bool = False) -> None:
    """Read and match one slice (of blobs, or with ``messages`` of commits) into ``s`` (or, with
    ``flush``, send its results in batches)."""
    stats = SourceStats()
    before = eng.not_reported
    batch: list[Analysed] = []
    texts: Iterator[tuple[str, str, bytes]] = (
        ((sha, "", text) for sha, text in history.message_texts(repo, oids, stats, max_size=max_size))
        if messages else history.read_texts(repo, oids, stats, max_size=max_size))
    for oid, member, text in texts:
        batch.append(Analysed(oid, member, hits_in(eng, text), len(text), messages))
        if flush is not None and len(batch) >= _BATCH:
            flush(batch)
            batch = []
    if flush is not None:
        if batch:
            flush(batch)
    else:
        s.results.extend(batch)
    s.stats = stats
    s.not_reported = eng.not_reported - before
