"""The per-repository scans of a sweep on an existing Dask distributed scheduler (--cluster).

Each repository is one task, ``sweep.scan_target``: a worker reads the repository at its path (a
path every worker sees: a shared folder, or --clone-dir on shared storage), scans it offline,
and returns its findings to this process, which merges them, looks each token up once and
writes the reports. The findings hold full secrets, so they cross the wire inside the cluster's
own connections: use ``tls://`` with certificates for any cluster not on one host (docs/cluster.md).

A task whose worker died is rescheduled by the scheduler (``distributed.scheduler.allowed-failures``)
until it gives up (KilledWorker); this side then submits it once more, and a second failure is
that repository's failure, reported with the others. The sweep goes on.
"""

from __future__ import annotations

import logging
import socket
import uuid
from collections.abc import Sequence
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

from tokenreach.scanner.errors import ScanError
from tokenreach.scanner.findings import ScanOptions
from tokenreach.scanner.sweep import Done, Outcome, Target, scan_target

log = logging.getLogger(__name__)
CONNECT_TIMEOUT = 30  # seconds to reach the scheduler


def check_address(address: str) -> str | None:
    """A clear error for an address that is not tcp:// or tls://; the warning to print for a
    plain tcp:// address that is not loopback (secrets would cross the network in clear)."""
    parts = urlsplit(address)
    if parts.scheme not in ("tcp", "tls") or not parts.hostname:
        raise ScanError(f"--cluster {address!r}: expected tcp://HOST:PORT or tls://HOST:PORT")
    if parts.scheme == "tcp" and not _loopback(parts.hostname):
        return (f"--cluster {address}: plain tcp:// to a host that is not this one: the findings (full secrets) "
                "cross the network unencrypted. Use tls:// with certificates (docs/cluster.md).")
    return None


def _loopback(host: str) -> bool:
    """A loopback literal, or a name every address of which is loopback."""
    from tokenreach.detectors.http import is_loopback

    if is_loopback(host):
        return True
    try:
        return all(is_loopback(str(info[4][0])) for info in socket.getaddrinfo(host, None))
    except OSError:
        return False


def scan_cluster(address: str, targets: Sequence[Target], options: ScanOptions, done: Done | None = None,
                 warn: Any = None) -> list[Outcome]:
    warning = check_address(address)
    if warning:
        (warn or log.warning)(warning)
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise ScanError("--cluster needs Dask distributed: pip install 'tokenreach[cluster]'") from None
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as exc:
        raise ScanError(f"--cluster {address}: cannot reach the scheduler ({exc})") from None
    # A Dask worker is a daemonic process: it may not fork the history workers of scanner/parallel.py.
    options = replace(options, jobs=1)
    # Keys are the scheduler's names for tasks, shared by all its clients: each sweep's are its own,
    # or a sweep started while another ran (or was still being released) got that one's results.
    sweep_id = uuid.uuid4().hex[:12]
    results: dict[str, Outcome] = {}
    try:
        by_future: dict[Any, tuple[Target, int]] = {}
        for t in targets:
            fut = client.submit(scan_target, t, options, pure=False, key=f"tokenreach-scan-{sweep_id}-{t.name}-1")
            by_future[fut] = (t, 1)
        pending = as_completed(list(by_future))
        for fut in pending:
            t, attempt = by_future.pop(fut)
            try:
                outcome = fut.result()
            except Exception as exc:  # KilledWorker, a lost connection: the task, not the sweep
                if attempt == 1:
                    again = client.submit(scan_target, t, options, pure=False,
                                          key=f"tokenreach-scan-{sweep_id}-{t.name}-2")
                    by_future[again] = (t, 2)
                    pending.add(again)
                    continue
                outcome = Outcome(t, error=f"{t.name}: failed twice on the cluster ({type(exc).__name__}: {exc})")
            results[t.name] = outcome
            if done:
                done(outcome, len(results), len(targets))
    finally:
        client.close()
    return [results[t.name] for t in targets]
