"""What a report may show of a secret: a redacted form and a fingerprint, neither a way back.

Both land in reports that travel (SARIF uploaded to code scanning, HTML build artifacts), so
together they must leave an attacker with no practical brute force:

- ``redact()`` shows the public prefix (``ghp_``, ``sk_live_``) and a 4-character tail only when
  the hidden rest still holds at least ``MIN_HIDDEN_BITS`` of estimated randomness. A short or
  low-entropy secret shows nothing at all, not even its length.
- ``fingerprint()`` is scrypt (memory-hard, ``128 * N * SCRYPT_R`` bytes per guess), salted per
  provider with a constant so that it stays stable across machines for baselines. The work factor
  follows the secret: ``SCRYPT_N_STRONG`` (1 MiB a guess) when what a report never shows of it
  (all but a public prefix and a 4-character tail) holds ``MIN_HIDDEN_BITS`` of estimated
  randomness, which no brute force reaches whatever each guess costs; ``SCRYPT_N`` (8 MiB) for
  everything else (passwords, short keys). So a scan with thousands of random tokens does not
  spend minutes hashing (50,000 distinct 20-character tokens took over 280 s at 8 MiB each), and a
  guessable secret still costs 8 MiB a guess.
  A fast unkeyed hash let a 10-character password be recovered from prefix + tail + hash in seconds.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import weakref
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from concurrent.futures import Future, ThreadPoolExecutor

MIN_HIDDEN_BITS = 80
TAIL = 4
HIDDEN = "****"  # what a secret with too little randomness to show any of it reads as

SCRYPT_N = 2**13
SCRYPT_N_STRONG = 2**10
SCRYPT_R = 8
SCRYPT_P = 1
_SALT = "tokenreach/fingerprint/v2/"
FINGERPRINT_VERSION = 2

# A public format prefix: lowercase letters, then "_" or "-", once or twice (ghp_, sk_live_, xoxb-,
# glpat-, github_pat_). Shown only in front of a random body, so a human-chosen "Summer_2024"
# never shows its word.
_PREFIX = re.compile(r"^([a-z]{2,10}[_-](?:[a-z]{2,6}[_-])?)")
# Bits per character of the smallest alphabet the body fits in.
_ALPHABETS = (
    (re.compile(r"[0-9]+"), math.log2(10)),
    (re.compile(r"[0-9a-f]+"), 4.0),
    (re.compile(r"[0-9A-F]+"), 4.0),
    (re.compile(r"[0-9a-z]+"), math.log2(36)),
    (re.compile(r"[0-9A-Z]+"), math.log2(36)),
    (re.compile(r"[0-9A-Za-z]+"), math.log2(62)),
    (re.compile(r"[0-9A-Za-z+/=_.-]+"), 6.0),
)
_PRINTABLE_BITS = math.log2(95)


def estimated_bits(text: str) -> float:
    """A deliberately low estimate of the randomness in ``text``: its length times the lesser of
    its alphabet's bits per character and its observed (Shannon) entropy per character."""
    if not text:
        return 0.0
    alphabet = next((bits for rx, bits in _ALPHABETS if rx.fullmatch(text)), _PRINTABLE_BITS)
    counts = Counter(text)
    shannon = -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())
    return len(text) * min(alphabet, shannon)


def redact(secret: str) -> str:
    """The public prefix and the last 4 characters when at least 80 bits stay hidden; else nothing."""
    s = secret.strip()
    m = _PREFIX.match(s)
    prefix = m.group(1) if m else ""
    body = s[len(prefix):]
    if len(body) <= TAIL or estimated_bits(body[:-TAIL]) < MIN_HIDDEN_BITS:
        return HIDDEN
    return f"{prefix}…{body[-TAIL:]}"


@lru_cache(maxsize=65536)
def fingerprint(provider: str, secret: str) -> str:
    """Stable id of a secret, the same on every run and machine, and slow to guess against."""
    n = work_factor(secret)
    digest = hashlib.scrypt(secret.encode("utf-8"), salt=f"{_SALT}{provider}".encode(), n=n,
                            r=SCRYPT_R, p=SCRYPT_P, maxmem=4 * 128 * n * SCRYPT_R, dklen=16)
    return digest.hex()


def work_factor(secret: str) -> int:
    """scrypt's N for this secret: the full cost unless the part a report never shows (without a
    public prefix and the tail, whether or not they are shown) holds MIN_HIDDEN_BITS."""
    body = secret.strip()
    m = _PREFIX.match(body)
    hidden = body[m.end() if m else 0:][:-TAIL]
    return SCRYPT_N_STRONG if estimated_bits(hidden) >= MIN_HIDDEN_BITS else SCRYPT_N


class Fingerprinter:
    """Fingerprints computed in the background while a scan goes on: scrypt releases the GIL, so
    a scan that reads and matches on one core fingerprints what it found so far on the others.
    ``add`` each (provider, secret) once; ``wait`` returns when every fingerprint is cached. Leaving
    the ``with`` block stops what has not started (a scan that failed needs none of them)."""

    def __init__(self) -> None:
        self._pool: ThreadPoolExecutor | None = None
        self._pending: list[Future[str]] = []

    def __enter__(self) -> Fingerprinter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def add(self, provider: str, secret: str) -> None:
        if self._pool is None:
            from concurrent.futures import ThreadPoolExecutor  # here: most runs fingerprint one token or none

            self._pool = ThreadPoolExecutor(max_workers=os.cpu_count() or 2, thread_name_prefix="fingerprint")
            _running.add(self)
        self._pending.append(self._pool.submit(fingerprint, provider, secret))

    def settle(self) -> None:
        """Finish what was handed over; the threads then idle, holding no lock."""
        from concurrent.futures import wait

        wait(self._pending)

    def wait(self) -> None:
        for done in self._pending:
            done.result()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
            _running.discard(self)
        self._pending = []


# A thread inside OpenSSL (scrypt) when the process forks can leave one of its locks taken in the
# child, which then waits on it forever the first time it hashes; the history workers
# (scanner/parallel.py) are forked while a scan's fingerprints are being computed. So a fork waits
# for the fingerprints handed over so far.
_running: weakref.WeakSet[Fingerprinter] = weakref.WeakSet()


def _settle_before_fork() -> None:
    for fingerprints in list(_running):
        fingerprints.settle()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(before=_settle_before_fork)


def fingerprint_all(pairs: Iterable[tuple[str, str]]) -> None:
    """Warm the cache for many secrets at once, on every core."""
    with Fingerprinter() as every:
        for p in set(pairs):
            every.add(*p)
        every.wait()


def legacy_fingerprint(provider: str, secret: str) -> str:
    """The version-1 fingerprint (unkeyed SHA-256), only to recognise entries of old baselines and
    allow lists. Never written anywhere."""
    return hashlib.sha256(f"tokenreach:v1:{provider}:{secret}".encode()).hexdigest()[:32]
