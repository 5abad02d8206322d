"""Run provider lookups: offline first, then concurrent read-only calls under one deadline.

Each distinct token is looked up once per run. A failure of any kind is ``live: None`` with the
reason; nothing here can turn an error into "revoked".
"""

from __future__ import annotations

import logging
import time
from collections import Counter, deque
from collections.abc import Callable, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Any

from tokenreach.detectors.base import Detector, LookupUnavailable
from tokenreach.detectors.redaction import redact
from tokenreach.detectors.registry import detector
from tokenreach.scanner.cache import LookupCache
from tokenreach.scanner.model import Access, Token

log = logging.getLogger("tokenreach.lookup")

PER_PROVIDER_CONCURRENCY = 2
WORKERS = 8


@dataclass
class LookupOptions:
    offline: bool = False
    total_timeout: float = 60.0  # the whole lookup phase
    request_timeout: float = 10.0  # one HTTP request
    max_retries: int = 2
    cache: LookupCache | None = None
    environ: Mapping[str, str] | None = None
    offline_providers: frozenset[str] = frozenset()  # configuration: providers = { x = "offline" }
    # --lookup-private-hosts: connect to private, link-local and loopback hosts named by scanned data.
    private_hosts: bool = False


def offline_access(det: Detector | None, token: Token) -> Access:
    if det is None:
        return Access(evidence="prefix").note("no provider module for this token")
    try:
        return scrub(det.classify(token), token.secret)
    except Exception as exc:  # a decoder bug must not end the scan; never echo its text
        log.debug("classify failed for %s: %s", det.provider, type(exc).__name__)
        return Access(evidence="prefix").note(f"offline decoding failed ({type(exc).__name__})")


def scrub(access: Access, secret: str) -> Access:
    """``access`` with every copy of ``secret`` in its texts replaced by the redacted form. What a
    provider answers is data: an error message, a misconfigured or hostile endpoint may echo the
    token it was sent, and whatever lands in an Access is printed, cached and reported."""
    if not secret:
        return access
    shown = redact(secret)

    def clean(value: Any) -> Any:
        if isinstance(value, str):
            return value.replace(secret, shown) if secret in value else value
        if isinstance(value, (list, tuple, set, frozenset)):
            return type(value)(clean(v) for v in value)
        if isinstance(value, dict):
            return {clean(k): clean(v) for k, v in value.items()}
        return value

    access.identity = clean(access.identity)
    access.expires_at = clean(access.expires_at)
    access.grants = clean(access.grants)
    access.resources = clean(access.resources)
    access.notes = clean(access.notes)
    access.facts = clean(access.facts)
    return access


def run_lookups(
    tokens: Mapping[str, Token],
    options: LookupOptions,
    on_done: Callable[[str], None] | None = None,
) -> dict[str, Access]:
    """Access for every token, keyed like ``tokens`` (by fingerprint)."""
    results: dict[str, Access] = {}
    pending: list[tuple[str, Detector, Token, Access]] = []
    for key, token in tokens.items():
        det = detector(token.provider)
        access = offline_access(det, token)
        if det is None or not det.has_lookup() or not _pattern_looks_up(det, token):
            results[key] = access
            continue
        if options.offline or det.provider in options.offline_providers:
            why = "--offline" if options.offline else f'configuration: {det.provider} = "offline"'
            results[key] = access.unknown(f"not looked up ({why})") if access.live is None else access
            continue
        if access.live is not None or access.facts.get("skip_lookup"):
            # Decided offline (expired, test key …) or must not be called (canary tokens).
            results[key] = access
            continue
        cached = options.cache.get(det.provider, token.secret) if options.cache else None
        if cached is not None:
            results[key] = cached.note("from the lookup cache")
            continue
        pending.append((key, det, token, access))

    if pending:
        results.update(_lookup_online(pending, options, on_done))
    return results


def _pattern_looks_up(det: Detector, token: Token) -> bool:
    for p in det.patterns:
        if p.id == token.pattern_id:
            return p.lookup
    return True


def _lookup_online(
    pending: list[tuple[str, Detector, Token, Access]],
    options: LookupOptions,
    on_done: Callable[[str], None] | None,
) -> dict[str, Access]:
    import httpx  # only a scan that looks something up pays for importing httpx

    from tokenreach.detectors.http import ProviderSession, tls_context

    deadline = time.monotonic() + options.total_timeout
    results: dict[str, Access] = {}
    sessions: dict[str, ProviderSession] = {}
    # Lookups not yet handed to the pool, per provider. At most PER_PROVIDER_CONCURRENCY of one
    # provider are ever in the pool, so a provider that hangs holds that many workers and no
    # more: the others' lookups never queue behind its waiting ones.
    queues: dict[str, deque[tuple[str, Detector, Token, Access]]] = {}
    client = httpx.Client(
        verify=tls_context(),
        follow_redirects=False,
        trust_env=False,  # no proxy or netrc from the environment: tokens go straight to the host
        limits=httpx.Limits(max_connections=WORKERS * 2),
    )

    def one(det: Detector, token: Token, offline: Access) -> Access:
        http = sessions[det.provider].http(token.secret)
        try:
            access = det.lookup(token, http, offline.copy())
        except LookupUnavailable as exc:
            access = offline.copy().unknown(f"liveness unknown: {exc}")
        except Exception as exc:  # provider bug or unexpected body: unknown, never revoked
            log.debug("lookup failed for %s: %s", det.provider, type(exc).__name__)
            access = offline.copy().unknown(f"liveness unknown: lookup error ({type(exc).__name__})")
        return scrub(access, token.secret)

    futures: dict[Future[Access], tuple[str, Detector, Token, Access]] = {}
    pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="lookup")

    def submit_next(provider: str) -> Future[Access] | None:
        queue = queues[provider]
        if not queue:
            return None
        item = queue.popleft()
        fut = pool.submit(one, item[1], item[2], item[3])
        futures[fut] = item
        return fut

    try:
        for item in pending:
            det = item[1]
            if det.provider not in sessions:
                sessions[det.provider] = ProviderSession(
                    det,
                    client=client,
                    deadline=deadline,
                    timeout=options.request_timeout,
                    max_retries=options.max_retries,
                    environ=options.environ,
                    allow_private_hosts=options.private_hosts,
                )
                queues[det.provider] = deque()
            queues[det.provider].append(item)
        for _ in range(PER_PROVIDER_CONCURRENCY):
            for provider in queues:  # round robin: every provider starts before any gets a second
                submit_next(provider)
        not_done = set(futures)
        while not_done:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            done, not_done = wait(not_done, timeout=remaining + 0.5, return_when=FIRST_COMPLETED)
            for fut in done:
                key, det, token, _ = futures[fut]
                access = fut.result()
                results[key] = access
                if options.cache is not None and access.live is not None:
                    options.cache.put(det.provider, token.secret, access)
                if on_done:
                    on_done(key)
                nxt = submit_next(det.provider)
                if nxt is not None:
                    not_done.add(nxt)
        for fut in not_done:
            key, _, _, access = futures[fut]
            fut.cancel()
            results[key] = access.copy().unknown("liveness unknown: lookup time limit reached")
        for queue in queues.values():  # never started: the time ran out first
            for key, _, _, access in queue:
                results[key] = access.copy().unknown("liveness unknown: lookup time limit reached")
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
        for session in sessions.values():  # wake lookups still blocked on a socket: they are over
            session.abort()
        client.close()
        if options.cache is not None:
            options.cache.save()
    for det_session in sessions.values():
        log.debug("%s: sent %s", det_session.detector.provider, ", ".join(det_session.sent) or "nothing")
    return results


def failure_summary(accesses: Mapping[str, Access]) -> str | None:
    """``lookups failed for 41 tokens: DNS lookup failed; ranking uses offline facts`` when lookups
    were tried and none got an answer; None when one did, or none was tried (offline, no lookup
    for these providers)."""
    reasons: Counter[str] = Counter()
    for access in accesses.values():
        if access.live is not None and access.evidence == "api":
            return None  # a provider answered: the network works
        failed = next((n for n in reversed(access.notes) if n.startswith("liveness unknown: ")), None)
        if failed:
            reasons[failed.removeprefix("liveness unknown: ")] += 1
    if not reasons:
        return None
    total = sum(reasons.values())
    why = reasons.most_common(1)[0][0] + (f" (and {len(reasons) - 1} other reason(s))" if len(reasons) > 1 else "")
    return f"lookups failed for {total} token{'s' if total != 1 else ''}: {why}; ranking uses offline facts"


def lookup_one(token: Token, options: LookupOptions) -> Access:
    return run_lookups({"token": token}, options)["token"]


