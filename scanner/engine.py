"""One pass over a buffer with every detector's patterns: bytes in, matches out.

Hyperscan (when its wheel is installed) tells in one pass which patterns occur in a buffer; only
those patterns then run through Python ``re`` to pull out the groups. Without Hyperscan, each
pattern's keywords prefilter the buffer (a substring test per keyword runs at memchr speed) so
``re`` runs only where a match is possible.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from tokenreach.detectors.base import Detector, Pattern

log = logging.getLogger("tokenreach.engine")

# A match's variable name: the identifier assigned just before it on the same line.
# NAME=tok, NAME: tok, "name": "tok", name => 'tok', --name tok, export NAME="tok", NAME := tok
_ASSIGN = re.compile(
    rb"""(?:^|[\s{,;(\[])(?:export\s+|set\s+|\$env:)?["']?(?P<name>[A-Za-z_@$][\w.\-\[\]@$]{0,80}?)["']?"""
    rb"""\s*(?:=|:=|:|=>|==)\s*[\["'`(]?\s*$"""
)
_FLAG_NAME = re.compile(rb"--(?P<name>[A-Za-z][\w-]{1,60})[ =]\s*[\"']?$")
_MAX_LOOKBEHIND = 160
CONTEXT_WINDOW = 2048


@dataclass(frozen=True, slots=True)
class RawMatch:
    detector: Detector
    pattern: Pattern
    start: int  # offsets of the secret in the buffer
    end: int
    secret: str
    extras: tuple[tuple[str, str], ...]
    variable: str | None
    context: tuple[tuple[str, str], ...] = ()


class _Compiled:
    """A pattern with its keywords; the Python regex is compiled the first time it is needed
    (with Hyperscan in front, most patterns never are in a run: that is startup time saved)."""

    __slots__ = ("_regex", "detector", "keywords", "pattern")

    def __init__(self, detector: Detector, pattern: Pattern) -> None:
        self.detector = detector
        self.pattern = pattern
        self.keywords = tuple(k.lower().encode() for k in pattern.keywords)
        self._regex: re.Pattern[bytes] | None = None

    @property
    def regex(self) -> re.Pattern[bytes]:
        if self._regex is None:
            self._regex = re.compile(self.pattern.regex.encode())
        return self._regex


class Engine:
    """Compiled once per run; ``scan(buf)`` is the hot path."""

    def __init__(self, patterns: Sequence[tuple[Detector, Pattern]], use_hyperscan: bool | None = None):
        self._compiled = [_Compiled(det, pat) for det, pat in patterns]
        self._context: dict[str, list[tuple[str, re.Pattern[bytes]]]] = {}
        self._hs = None
        want = use_hyperscan if use_hyperscan is not None else os.environ.get("TOKENREACH_ENGINE") != "re"
        if want:
            self._hs = _hyperscan_db([hyperscan_expression(p) for _, p in patterns])
        self.backend = "hyperscan" if self._hs is not None else "re"

    def _candidates(self, buf: bytes) -> Iterator[_Compiled]:
        if self._hs is not None:
            hits: set[int] = set()

            def on_match(pid: int, _from: int, _to: int, _flags: int, _ctx: object) -> None:
                hits.add(pid)

            self._hs.scan(buf, match_event_handler=on_match)
            for pid in sorted(hits):
                yield self._compiled[pid]
            return
        lowered: bytes | None = None
        for c in self._compiled:
            if lowered is None:
                lowered = buf.lower()
            if any(k in lowered for k in c.keywords):
                yield c

    def scan(self, buf: bytes) -> list[RawMatch]:
        out: list[RawMatch] = []
        seen: set[tuple[str, int]] = set()
        for c in self._candidates(buf):
            for m in c.regex.finditer(buf):
                groups = m.groupdict()
                if groups.get("secret") is not None:
                    start, end = m.span("secret")
                else:
                    start, end = m.span()
                secret = buf[start:end].decode("utf-8", "replace")
                if c.pattern.validate is not None and not c.pattern.validate(secret):
                    continue
                key = (c.pattern.id, start)
                if key in seen:
                    continue
                seen.add(key)
                extras = tuple(
                    (k, v.decode("utf-8", "replace"))
                    for k, v in groups.items()
                    if k != "secret" and v is not None
                )
                # The name a secret is assigned to stands right before the secret itself (a pattern
                # may match a pair or a context word first); failing that, before the whole match.
                variable = variable_before(buf, start) or variable_before(buf, m.start())
                out.append(RawMatch(c.detector, c.pattern, start, end, secret, extras, variable,
                                    self._context_near(c.detector, buf, start, end)))
        return _drop_contained(out)


    def _context_near(self, det: Detector, buf: bytes, start: int, end: int) -> tuple[tuple[str, str], ...]:
        rules = self._context.get(det.provider)
        if rules is None:
            rules = self._context[det.provider] = [
                (name, re.compile(rx.encode())) for name, rx in det.context_patterns.items()]
        if not rules:
            return ()
        window = buf[max(0, start - CONTEXT_WINDOW):end + CONTEXT_WINDOW]
        found = []
        for name, rx in rules:
            m = rx.search(window)
            if m:
                value = m.group(1) if rx.groups else m.group(0)
                if value is not None:
                    found.append((name, value.decode("utf-8", "replace")))
        return tuple(found)


def variable_before(buf: bytes, start: int) -> str | None:
    """The variable or key the text at ``start`` is assigned to, if the line says so."""
    line_start = buf.rfind(b"\n", max(0, start - _MAX_LOOKBEHIND), start) + 1
    head = buf[max(line_start, start - _MAX_LOOKBEHIND):start]
    m = _FLAG_NAME.search(head) or _ASSIGN.search(head)
    if not m:
        return None
    name = m.group("name").decode("ascii", "replace").strip("\"'.-")
    return name or None


def _drop_contained(matches: list[RawMatch]) -> list[RawMatch]:
    """When a specific pattern and a broader one find overlapping text, keep the longer secret
    (a token inside a URL's password keeps both; an identical span keeps one).

    A sweep: sorted by start, only kept matches still open at ``m.start`` can contain ``m``, so
    the work stays linear in the number of matches however many a file holds."""
    if len(matches) < 2:
        return matches
    # Longest first at each offset; at an identical span a provider's detector beats a generic one.
    matches.sort(key=lambda r: (r.start, -(r.end - r.start), r.detector.generic))
    kept: list[RawMatch] = []
    open_: list[RawMatch] = []  # kept matches whose span may still contain later ones
    for m in matches:
        open_ = [k for k in open_ if k.end > m.start] if open_ and open_[0].end <= m.start else open_
        contained = False
        for k in open_:
            if m.end <= k.end and (k.detector is m.detector or m.detector.generic
                                   or (k.start == m.start and k.end == m.end)):
                contained = True
                break
        if contained:
            continue
        kept.append(m)
        open_.append(m)
        open_.sort(key=lambda r: r.end)
    return kept


def line_col(buf: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in bytes) of ``offset``."""
    line = buf.count(b"\n", 0, offset) + 1
    col = offset - (buf.rfind(b"\n", 0, offset) + 1) + 1
    return line, col


# Hyperscan ------------------------------------------------------------------------------------


def _hyperscan_db(regexes: Sequence[bytes]):  # type: ignore[no-untyped-def]
    try:
        import hyperscan
    except ImportError:
        log.debug("hyperscan not installed: using the re engine")
        return None
    exprs = list(regexes)
    digest = hashlib.sha256(b"\0".join(exprs) + hyperscan_version().encode()).hexdigest()[:24]
    cache_path = _db_cache_dir() / f"hs-{digest}.db"
    try:
        loaded = hyperscan.loadb(cache_path.read_bytes(), hyperscan.HS_MODE_BLOCK)
        loaded.scratch = hyperscan.Scratch(loaded)  # a deserialised database has none
        return loaded
    except Exception:  # no cache yet, or one from an incompatible build
        pass
    db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    try:
        db.compile(
            expressions=exprs,
            ids=list(range(len(exprs))),
            elements=len(exprs),
            flags=[hyperscan.HS_FLAG_SINGLEMATCH] * len(exprs),
        )
    except hyperscan.error as exc:
        log.warning("hyperscan could not compile the patterns (%s): using the re engine", exc)
        return None
    try:
        cache_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache_path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(hyperscan.dumpb(db))
        os.replace(tmp, cache_path)
    except OSError:
        pass  # a read-only home only costs the compile time next run
    return db


# Hyperscan unrolls bounded repeats: one `[\s\S]{40,8000}` took a minute to compile. Hyperscan only
# has to say "this pattern may match in this buffer" (re then extracts with the exact regex), so
# a superset is correct: large bounds {m,n} become {m,}, which it compiles in microseconds.
_LARGE_BOUND = re.compile(r"(?<!\\)\{(\d*),\s*(\d+)\}")
MAX_UNROLLED_REPEAT = 120


def hyperscan_expression(pattern: Pattern) -> bytes:
    if pattern.prefilter:
        return pattern.prefilter.encode()

    def relax(m: re.Match[str]) -> str:
        return "{%s,}" % (m.group(1) or "0") if int(m.group(2)) > MAX_UNROLLED_REPEAT else m.group(0)

    return _LARGE_BOUND.sub(relax, pattern.regex).encode()


def hyperscan_version() -> str:
    try:
        from importlib.metadata import version

        return version("hyperscan")
    except Exception:
        return "unknown"


def _db_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "tokenreach" / "engine"
