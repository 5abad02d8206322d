"""One pass over a buffer with every detector's patterns: bytes in, matches out.

Hyperscan (when its wheel is installed) tells in one pass which patterns occur in a buffer; only
those patterns then run through Python ``re`` to pull out the groups. Without Hyperscan, each
pattern's keywords prefilter the buffer (a substring test per keyword runs at memchr speed) so
``re`` runs only where a match is possible.

Two kinds of work are positional rather than per buffer, so that ``re`` never sweeps a whole
buffer for them: Hyperscan reports where each of their matches ends, and only the line there is
looked at.

* Line patterns (a pattern with an ``extract`` callable, e.g. ``detectors/providers/generic.py``): their
  regex only finds candidate lines (a secret-like name assigned a value); ``extract(line)`` then
  says where in the line (the line's bytes as Latin-1: offsets are byte offsets) a secret is,
  and of what kind.
* Decoding: a base64 run of at least 20 characters standing as a value (after ``=`` or ``:``,
  quoted or not, of a secret-like name or of any name in a Kubernetes Secret, or after ``Basic``)
  and shaped like base64 of text is decoded; decoded printable text is scanned once more (one
  level deep, bounded in size) and what it holds is reported at the run's place,
  ``encoding="base64"``.
"""

from __future__ import annotations

import base64
import binascii
import bisect
import contextlib
import hashlib
import json
import logging
import os
import re
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from tokenreach.detectors import registry
from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import relax_bounds
from tokenreach.detectors.encoding import (
    DECODE_NAMED_REGEX,
    DECODE_REGEX,
    ESCAPED_SEPARATOR_REGEX,
    MAX_BASE64,
    MAX_BASE64_DEPTH,
    MIN_BASE64,
    SECRET_MANIFEST_REGEX,
)
from tokenreach.detectors.examples import not_a_secret
from tokenreach.scanner.binding import bound_value
from tokenreach.scanner.cache_root import engine_dir, prune_engine_dir
from tokenreach.scanner.model import Token

if TYPE_CHECKING:
    import hyperscan

log = logging.getLogger("tokenreach.engine")

# A match's variable name: the identifier assigned just before it on the same line.
# NAME=tok, NAME: tok, "name": "tok", name => 'tok', --name tok, export NAME="tok", NAME := tok,
# const name: string = "tok" (a type between them),
# the Makefile and PHP operators (?= ::= :::= += .=), a call's key argument (setProperty("NAME",
# "tok"), getenv("NAME", "tok")), an option's value (--from-literal=NAME=tok), and escaped inside a
# string or a URL: "…\nNAME=tok",
# "?a=1%26name%3Dtok". (catalog.ASSIGN is the same grammar for the patterns themselves.)
_ASSIGN = re.compile(
    rb"""(?:^|[\s{,;(\[=]|\\[nrt]|%(?:20|26|3[fF]))(?:export\s+|set\s+|\$env:)?["']?"""
    rb"""(?P<name>[A-Za-z_@$][\w.\-\[\]@$]{0,80}?)(?:["'\]]{0,2}\s*(?::\s*[A-Za-z_][\w.<>\[\]?]{0,40}\s*=|"""
    rb"""::{0,2}=|[?.+]=|\|\|=|:|=>|==|=|%3[dDaA])|["']\s*,)"""
    rb"""\s*[\["'`(]?\s*$"""
)
_FLAG_NAME = re.compile(rb"--(?P<name>[A-Za-z][\w-]{1,60})[ =]\s*[\"']?$")
_MAX_LOOKBEHIND = 160
CONTEXT_WINDOW = 2048

# A line pattern's extract() sees at most this much of a line on each side of a match (minified
# files have megabyte lines).
LINE_WINDOW = 512

# What one buffer may have decoded in all: a file of a million base64 values costs no more.
MAX_DECODED_PER_BUFFER = 1 << 20
ENCODING_BASE64 = "base64"
# The where-to-decode expressions are data, in detectors/encoding.py.
_DECODE = re.compile(DECODE_REGEX.encode())
_DECODE_NAMED = re.compile(DECODE_NAMED_REGEX.encode())
_SECRET_MANIFEST = re.compile(SECRET_MANIFEST_REGEX.encode())
# Decoded text worth a second look: printable ASCII (and whitespace) only. Tokens are ASCII;
# base64 of random bytes is almost never printable (15 random bytes: ~3e-7).
_PRINTABLE = re.compile(rb"[\t\n\r\x20-\x7e]+")

Extract = Callable[[str], Iterable[tuple[int, int, "str | None"]]]


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
    kind: str | None = None  # a line pattern's kind for this match; None: the pattern's own
    encoding: str | None = None  # "base64": found by decoding the text at start:end
    # Spans of the other secrets this match holds (an AWS pair's secret access key): a generic
    # match there is the same credential, already reported by this provider.
    held: tuple[tuple[int, int], ...] = ()


class _Compiled:
    """A pattern with its keywords; the Python regex is compiled the first time it is needed
    (with Hyperscan in front, most patterns never are in a run: that is startup time saved)."""

    __slots__ = ("_regex", "detector", "extract", "keywords", "pattern")

    def __init__(self, detector: Detector, pattern: Pattern) -> None:
        self.detector = detector
        self.pattern = pattern
        self.keywords = tuple(k.lower().encode() for k in pattern.keywords)
        self._regex: re.Pattern[bytes] | None = None
        # A line pattern (Pattern.extract, detectors/providers/generic.py): the regex finds lines, this the secrets.
        self.extract: Extract | None = pattern.extract

    @property
    def regex(self) -> re.Pattern[bytes]:
        if self._regex is None:
            self._regex = _compiled_regex(self.pattern.regex)
        return self._regex


@cache
def _compiled_regex(regex: str) -> re.Pattern[bytes]:
    # Once per process, whichever engine asks: the catalog's large assignment grammars take
    # milliseconds each to compile, and re's own cache keeps only 512.
    return re.compile(regex.encode())


# Up to this many bytes, the re fallback finds keywords by their first three bytes at each place of
# the buffer (a dict lookup a byte); above it, by one substring search a keyword (memchr speed).
_SHORT_BUFFER = 4096


@dataclass
class _Keywords:
    patterns: dict[bytes, list[int]] = field(default_factory=dict)  # keyword → ids of its patterns
    always: list[int] = field(default_factory=list)  # patterns with no keyword
    short: list[bytes] = field(default_factory=list)  # keywords under three bytes
    grams: dict[bytes, list[bytes]] = field(default_factory=dict)  # first three bytes → keywords


class _Deferred:
    """The built-in catalog's patterns by Hyperscan id, each built the first time Hyperscan reports
    it: a run loads only the providers whose patterns may match (a clean pre-commit run, none)."""

    def __init__(self, entries: list[tuple[registry.Source, str]], manifest: Path) -> None:
        self._entries = entries
        self._manifest = manifest
        self._built: dict[int, _Compiled] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[_Compiled]:
        return (self[i] for i in range(len(self)))

    def __getitem__(self, pid: int) -> _Compiled:
        c = self._built.get(pid)
        if c is None:
            source, pattern_id = self._entries[pid]
            det = registry.load(source)
            pattern = next((p for p in det.patterns if p.id == pattern_id), None) if det else None
            if det is None or pattern is None:  # the stamp missed a change: never guess
                raise RuntimeError(f"{self._manifest} names {pattern_id!r}, which {source[1]} no longer "
                                   "has: delete that file and run again")
            c = self._built[pid] = _Compiled(det, pattern)
        return c


class Engine:
    """Compiled once per run; ``scan(buf)`` is the hot path."""

    def __init__(self, patterns: Sequence[tuple[Detector, Pattern]], use_hyperscan: bool | None = None,
                 decode: bool = True):
        compiled = [_Compiled(det, pat) for det, pat in patterns]
        hs, db_file = None, None
        if use_hyperscan if use_hyperscan is not None else os.environ.get("TOKENREACH_ENGINE") != "re":
            exprs = [hyperscan_expression(p) for _, p in patterns] + [
                relax_bounds(DECODE_NAMED_REGEX), SECRET_MANIFEST_REGEX.encode(), _ESCAPED_WORD.pattern]
            # Per-buffer patterns report once; positional ones report every match end.
            single = [c.extract is None for c in compiled] + [False, True, False]
            hs, db_file = _hyperscan_db(exprs, single)
        self._start(compiled, hs, db_file, [i for i, c in enumerate(compiled) if c.extract is not None], decode)

    def _start(self, compiled: list[_Compiled] | _Deferred, hs: hyperscan.Database | None, db_file: Path | None,
               line_ids: Iterable[int], decode: bool) -> None:
        self._compiled = compiled
        self._context: dict[str, list[tuple[str, re.Pattern[bytes]]]] = {}
        self.decode = decode
        # Matches dropped as placeholders or published examples (detectors/examples.py), all
        # buffers together: the scan reports how many it set aside.
        self.not_reported = 0
        # Hyperscan ids: the patterns in order, then the base64 candidate after a secret-like
        # name (positional), then "this buffer is a Kubernetes Secret" (once per buffer), then an
        # escaped separator before a word (positional).
        self._decode_id = len(compiled)
        self._manifest_id = self._decode_id + 1
        self._escape_id = self._manifest_id + 1
        self._hs, self._db_file = hs, db_file
        # Hyperscan's scratch space serves one scan at a time: each thread gets its own (a Dask
        # worker runs several sweep tasks at once, in threads, on one engine).
        self._scratch = threading.local()
        self.backend = "hyperscan" if hs is not None else "re"
        self._line_ids = frozenset(line_ids)
        self._keywords: _Keywords | None = None  # the re fallback's prefilter, built on its first use
        self._positional = self._line_ids | {self._decode_id, self._escape_id}

    @classmethod
    def builtin(cls) -> Engine:
        """The built-in catalog. With Hyperscan, every run after the first loads the compiled
        database and the catalog's manifest from the cache, and builds a pattern (importing its
        provider's module or reading its rule file) only when Hyperscan reports it."""
        if os.environ.get("TOKENREACH_ENGINE") == "re":
            return cls(registry.all_patterns())
        manifest = engine_dir() / f"catalog-{catalog_stamp()}.json"
        eng = _from_manifest(manifest)
        if eng is None:
            eng = cls(registry.all_patterns())
            if eng._db_file is not None:
                _write_manifest(manifest, eng._db_file, eng._line_ids)
        return eng

    def scan(self, buf: bytes) -> list[RawMatch]:
        return self._scan(buf, self.decode)

    def _scan(self, buf: bytes, decode: bool, depth: int = 0, count: bool = True) -> list[RawMatch]:
        """``depth``: how many base64 layers ``buf`` was decoded from (escapes are read at the top only).
        ``count``: whether placeholders found here add to ``not_reported`` (not when re-reading
        lines of a buffer already scanned)."""
        found, ends = self._candidates(buf, decode)
        out: list[RawMatch] = []
        seen: set[tuple[str, int]] = set()
        examples: set[tuple[int, int]] = set()  # spans set aside (counted once, whatever matched)
        for c in found:
            out.extend(self._regex_matches(c, buf, seen, examples))
        line_matches: list[RawMatch] = []
        for pid, pends in ends.items():
            if pid < self._decode_id and pends:
                line_matches.extend(self._line_matches(self._compiled[pid], buf, pends, examples))
        if count:
            self.not_reported += len(examples)
        found_here = out + _yield_to_others(line_matches, out)
        escape_ends = ends.get(self._escape_id) if decode and depth == 0 else None
        if escape_ends:
            found_here += self._unescaped(buf, escape_ends, found_here)
        plain = _drop_contained(found_here)
        decode_ends = ends.get(self._decode_id) if decode else None
        return self._with_decoded(buf, plain, decode_ends, depth) if decode_ends else plain

    def _candidates(self, buf: bytes, decode: bool) -> tuple[list[_Compiled], dict[int, list[int]]]:
        """The per-buffer patterns that may match, and where the matches of the positional ones
        end (line patterns, and the base64 candidate under ``_decode_id``), in increasing order."""
        ends: dict[int, list[int]] = {}
        if self._hs is not None:
            hits: set[int] = set()
            positional = self._positional

            def on_match(pid: int, _from: int, to: int, _flags: int, _ctx: object) -> None:
                if pid in positional:
                    ends.setdefault(pid, []).append(to)
                else:
                    hits.add(pid)

            self._hs.scan(buf, match_event_handler=on_match, scratch=self._thread_scratch())
            if self._manifest_id in hits:
                hits.discard(self._manifest_id)
                if decode:
                    ends[self._decode_id] = _every_value(buf)
            return [self._compiled[pid] for pid in sorted(hits)], ends
        lowered = buf.lower()
        found: list[_Compiled] = []
        for i in self._by_keyword(lowered):
            c = self._compiled[i]
            if c.extract is None:
                found.append(c)
            else:
                ends[i] = [m.end() for m in c.regex.finditer(buf)]
        if decode:
            ends[self._decode_id] = (_every_value(buf) if _SECRET_MANIFEST.search(buf)
                                     else [m.end() for m in _DECODE_NAMED.finditer(buf)])
            if b"%" in buf or b"\\" in buf:
                ends[self._escape_id] = [m.end() for m in _ESCAPED_WORD.finditer(buf)]
        return found, ends

    def _thread_scratch(self) -> hyperscan.Scratch:
        scratch = getattr(self._scratch, "space", None)
        if scratch is None:
            import hyperscan

            scratch = self._scratch.space = hyperscan.Scratch(self._hs)
        return scratch

    def _by_keyword(self, lowered: bytes) -> list[int]:
        """The patterns (in id order) with a keyword in ``lowered``, and those with none (a user's
        rule, run always). Each distinct keyword is looked for once (the catalog's 1,133 patterns
        have 1,706); in a short buffer, only at the places its first three bytes occur."""
        kw = self._keywords or self._index_keywords()
        hit = set(kw.always)
        if len(lowered) > _SHORT_BUFFER:
            for k, ids in kw.patterns.items():
                if k in lowered:
                    hit.update(ids)
            return sorted(hit)
        for k in kw.short:
            if k in lowered:
                hit.update(kw.patterns[k])
        grams = kw.grams
        for i in range(len(lowered) - 2):
            for k in grams.get(lowered[i:i + 3], ()):
                if lowered.startswith(k, i):
                    hit.update(kw.patterns[k])
        return sorted(hit)

    def _index_keywords(self) -> _Keywords:
        kw = _Keywords()
        for i, c in enumerate(self._compiled):
            for k in c.keywords:
                kw.patterns.setdefault(k, []).append(i)
            if not c.keywords:
                kw.always.append(i)
        for k in kw.patterns:
            if len(k) < 3:
                kw.short.append(k)
            else:
                kw.grams.setdefault(k[:3], []).append(k)
        self._keywords = kw
        return kw

    def _regex_matches(self, c: _Compiled, buf: bytes, seen: set[tuple[str, int]],
                       examples: set[tuple[int, int]]) -> Iterable[RawMatch]:
        for m in c.regex.finditer(buf):
            groups = m.groupdict()
            if groups.get("secret") is not None:
                start, end = m.span("secret")
            else:
                start, end = m.span()
            secret = buf[start:end].decode("utf-8", "replace")
            if not_a_secret(secret):
                examples.add((start, end))
                continue
            if c.pattern.validate is not None and not c.pattern.validate(secret):
                continue
            if c.pattern.accept is not None and not c.pattern.accept(
                    {k: v.decode("utf-8", "replace") for k, v in groups.items() if v is not None}):
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
            held = () if c.detector.generic else tuple(
                m.span(k) for k, v in groups.items() if k != "secret" and v is not None)
            yield RawMatch(c.detector, c.pattern, start, end, secret, extras, variable,
                           self._context_near(c.detector, buf, start, end), held=held)

    def _line_matches(self, c: _Compiled, buf: bytes, ends: list[int],
                      examples: set[tuple[int, int]]) -> Iterable[RawMatch]:
        """A line pattern: each line (window) holding a match end goes to its ``extract`` once."""
        assert c.extract is not None
        done: set[int] = set()
        for to in ends:
            lo, hi = _line_window(buf, max(0, to - 1))
            if lo in done:
                continue
            done.add(lo)
            line = buf[lo:hi]
            # Hyperscan ran a superset (relaxed bounds): the exact regex must hold on the line,
            # so that both backends hand extract() the same lines.
            if not c.regex.search(line):
                continue
            for at, to_, kind in c.extract(line.decode("latin-1")):
                secret = line[at:to_].decode("utf-8", "replace")
                start, end = lo + at, lo + to_
                if not_a_secret(secret):
                    examples.add((start, end))
                    continue
                if c.pattern.validate is not None and not c.pattern.validate(secret):
                    continue
                yield RawMatch(c.detector, c.pattern, start, end, secret, (), variable_before(buf, start),
                               self._context_near(c.detector, buf, start, end), kind=kind)

    def _with_decoded(self, buf: bytes, plain: list[RawMatch], ends: list[int], depth: int = 0) -> list[RawMatch]:
        """Decode the base64 values that end at ``ends``; what the decoded text holds is reported
        at the value's place. A generic match of the encoded text itself yields to it."""
        encoded: list[RawMatch] = []
        budget = MAX_DECODED_PER_BUFFER
        done: set[int] = set()
        # A line pattern's match of a value that decodes to text holding nothing: it stands for
        # its decoded form (a Kubernetes Secret's password), if the pattern still accepts that.
        generic = {(m.start, m.end): m for m in plain if m.pattern.extract is not None}
        restated: dict[tuple[int, int], RawMatch | None] = {}
        for to in ends:
            span = _base64_run(buf, to)
            if span is None or span[0] in done:
                continue
            done.add(span[0])
            text = _decode_base64(buf[span[0]:span[1]])
            if text is None:
                continue
            budget -= len(text)
            if budget < 0:
                break
            found = list(self._in_decoded(buf, span[0], span[1], text, depth + 1))
            if not found:
                found = self._in_line(buf, span, text, depth + 1)
            encoded.extend(found)
            if not found and span in generic:
                restated[span] = self._restate(buf, generic[span], text)
        if not encoded and not restated:
            return plain
        covered = _Spans((e.start, e.end) for e in encoded)
        kept = [m for m in plain if (m.start, m.end) not in restated
                and not (m.detector.generic and covered.overlaps(m.start, m.end))]
        return kept + [m for m in restated.values() if m is not None] + encoded

    def _in_line(self, buf: bytes, span: tuple[int, int], text: bytes, depth: int) -> list[RawMatch]:
        """The matches of a base64 value whose decoded text holds none alone, read in its line with
        the value decoded in place: a key that only the name it is assigned to tells apart (a
        Kubernetes Secret's ``data``, ``JENKINS_API_TOKEN: <base64>``). Only a match of the whole
        decoded value counts (less a newline at its end: ``echo token | base64``)."""
        value = text[:-1] if text.endswith(b"\n") else text
        if not value or len(value) > LINE_WINDOW or b"\n" in value:
            return []
        line, at = _decoded_in_place(buf, span[0], span[1], value)
        return [replace(m, start=span[0], end=span[1], encoding=ENCODING_BASE64)
                for m in self._scan(line, decode=False, depth=depth, count=False)
                if (m.start, m.end) == (at, at + len(value))]

    def _restate(self, buf: bytes, m: RawMatch, text: bytes) -> RawMatch | None:
        """``m`` with its decoded value, when its line pattern accepts the line with the value
        decoded in place; None (dropped) when it does not (base64 of JSON, of a placeholder)."""
        extract = m.pattern.extract
        if extract is None or len(text) > LINE_WINDOW or b"\n" in text:
            return None
        line, at = _decoded_in_place(buf, m.start, m.end, text)
        for start, end, kind in extract(line.decode("latin-1")):
            if (start, end) == (at, at + len(text)):
                return replace(m, secret=text.decode("ascii"), kind=kind, encoding=ENCODING_BASE64)
        return None

    def _unescaped(self, buf: bytes, ends: list[int], found: list[RawMatch]) -> list[RawMatch]:
        """What the lines holding an escaped separator before a word (``ends``) hold once each
        escape reads as the character it stands for (``token%3Dghp_…``, ``Bearer%20…``, a JSON
        ``…\\nGITHUB_TOKEN=…``), beyond ``found``. The escapes are rewritten in place with
        padding (``%3D`` becomes two spaces and ``=``), so every offset stays the file's own; a
        match is kept only when its secret is the file's bytes untouched."""
        windows: list[list[int]] = []
        for to in sorted(ends):
            lo, hi = _line_window(buf, max(0, to - 1))
            if windows and lo <= windows[-1][1]:
                windows[-1][1] = max(windows[-1][1], hi)
            else:
                windows.append([lo, hi])
        parts: list[bytes] = []
        places: list[tuple[int, int]] = []  # (offset in the view, offset in buf) of each window
        size = 0
        for lo, hi in windows:
            if size + hi - lo > MAX_DECODED_PER_BUFFER:
                break
            places.append((size, lo))
            parts.append(_ESCAPE.sub(_same_length_unescape, buf[lo:hi]))
            size += hi - lo + 1
        view = b"\n".join(parts)
        starts = [v for v, _ in places]
        known = {(m.pattern.id, m.start) for m in found}
        out: list[RawMatch] = []
        for m in self._scan(view, decode=False, count=False):
            v, b = places[bisect.bisect_right(starts, m.start) - 1]
            start, end = b + m.start - v, b + m.end - v
            if (m.pattern.id, start) in known or buf[start:end] != view[m.start:m.end]:
                continue
            out.append(replace(m, start=start, end=end,
                               context=self._context_near(m.detector, buf, start, end)))
        return out

    def _in_decoded(self, buf: bytes, start: int, end: int, text: bytes, depth: int = 1) -> Iterable[RawMatch]:
        """The matches in ``text``, decoded from ``depth`` base64 layers (MAX_BASE64_DEPTH at most:
        base64 of a docker config.json whose auth is base64 again), placed at the base64 value's
        span ``start:end`` of ``buf``."""
        outer: str | None = None
        for m in sorted(self._scan(text, decode=depth < MAX_BASE64_DEPTH, depth=depth), key=lambda r: r.start):
            variable = m.variable
            # A bare value, or "user:token" (docker's auth, HTTP basic): the outer name is the one.
            if variable is None or _USERINFO.fullmatch(text[:m.start]):
                outer = outer or variable_before(buf, start)
                variable = outer or variable
            yield replace(m, start=start, end=end, variable=variable, encoding=ENCODING_BASE64)

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
            if name in det.bound_context:  # a host the token goes to: only one bound to it
                value = bound_value(buf, rx, start, end)
                if value is not None:
                    found.append((name, value.decode("utf-8", "replace")))
                continue
            m = rx.search(window)
            if m:
                value = m.group(1) if rx.groups else m.group(0)
                if value is not None:
                    found.append((name, value.decode("utf-8", "replace")))
        return tuple(found)


_USERINFO = re.compile(rb"[^\s:=\"']{0,256}:")


_B64_CHARS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


# An escaped separator (detectors/encoding.py) in front of a word character: where a token or a
# name may stand that a word boundary refuses. Each escape then reads as its character, padded to
# the escape's own length (_same_length_unescape).
_ESCAPE = re.compile(ESCAPED_SEPARATOR_REGEX.encode())
_ESCAPED_WORD = re.compile(ESCAPED_SEPARATOR_REGEX.encode() + rb"[A-Za-z0-9_]")
_ESCAPE_CHARS = {b"n": b"\n", b"t": b"\t", b"r": b" "}


def _same_length_unescape(m: re.Match[bytes]) -> bytes:
    text = m.group()
    if text[:1] == b"%":
        char = bytes([int(text[1:3], 16)])
    elif text[1:2] in _ESCAPE_CHARS:
        char = _ESCAPE_CHARS[text[1:2]]
    else:  # \xHH, \u00HH
        char = bytes([int(text[-2:], 16)])
    if char < b" " and char not in b"\t\n":
        char = b" "
    return b" " * (len(text) - 1) + char


def _every_value(buf: bytes) -> list[int]:
    """Where every base64 value ends, whatever its name (a Kubernetes Secret's data)."""
    return [m.end() for m in _DECODE.finditer(buf)]


def _base64_run(buf: bytes, to: int) -> tuple[int, int] | None:
    """The span of the base64 value of the DECODE_REGEX match that ends at ``to``, found from
    its end (bytes.rstrip runs at C speed), so that re never sweeps the buffer."""
    end = to - 1 if to > 0 and buf[to - 1:to] not in b"=" and buf[to - 1] not in _B64_CHARS else to
    lo = max(0, end - MAX_BASE64 - 4)
    head = buf[lo:end].rstrip(b"=")
    start = lo + len(head.rstrip(_B64_CHARS))
    if (start == lo and lo > 0) or end - start < MIN_BASE64:
        return None  # longer than MAX_BASE64, or shorter than MIN_BASE64 (padding counted)
    for m in _DECODE.finditer(buf, max(0, start - 12), to):
        if m.span("b64") == (start, end):
            return start, end
    return None


def _decode_base64(run: bytes) -> bytes | None:
    """The decoded text of a base64 run, or None when it is not base64 of printable text."""
    body = run.rstrip(b"=")
    if len(body) % 4 == 1:
        return None
    try:
        data = base64.b64decode(body + b"=" * (-len(body) % 4), validate=True)
    except (binascii.Error, ValueError):
        return None
    return data if _PRINTABLE.fullmatch(data) else None


def _decoded_in_place(buf: bytes, start: int, end: int, value: bytes) -> tuple[bytes, int]:
    """The line of ``buf`` holding ``start:end`` (an encoded value) with ``value`` in its place,
    and where ``value`` starts in it."""
    lo, hi = _line_window(buf, start)
    return buf[lo:start] + value + buf[end:hi], start - lo


def _line_window(buf: bytes, at: int) -> tuple[int, int]:
    """The line holding offset ``at``, cut to LINE_WINDOW bytes either side of it."""
    lo = buf.rfind(b"\n", max(0, at - LINE_WINDOW), at) + 1 or max(0, at - LINE_WINDOW)
    if buf[at:at + 1] == b"\n":  # a match that ended with the newline belongs to the line before
        hi = at
    else:
        nl = buf.find(b"\n", at, at + LINE_WINDOW)
        hi = nl if nl >= 0 else min(len(buf), at + LINE_WINDOW)
    return lo, hi


def _yield_to_others(line_matches: list[RawMatch], others: list[RawMatch]) -> list[RawMatch]:
    """A line pattern's match is the weakest evidence: any other pattern's match over the same
    text (a provider's token, a URL's password, a private key, the other half of a pair) wins."""
    if not line_matches or not others:
        return line_matches
    covered = _Spans([(m.start, m.end) for m in others] + [span for m in others for span in m.held])
    return [m for m in line_matches if not covered.overlaps(m.start, m.end)]


class _Spans:
    """Does [start, end) overlap any of these spans? (sorted starts, running maximum of ends)"""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self._starts = [s for s, _ in ordered]
        self._max_end: list[int] = []
        top = -1
        for _, e in ordered:
            top = max(top, e)
            self._max_end.append(top)

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self._starts, end)  # the spans that start before ``end``
        return i > 0 and self._max_end[i - 1] > start


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
    (a token inside a URL's password keeps both; an identical span keeps one: a provider's match
    over a generic detector's or a yielding pattern's, so that a provider's whole token as a
    database URL's password is that provider's, and goes only to its issuer).

    A sweep: sorted by start, only kept matches still open at ``m.start`` can contain ``m``, so
    the work stays linear in the number of matches however many a file holds."""
    if len(matches) < 2:
        return matches
    # Longest first at each offset; at an identical span a provider's pattern beats a generic one.
    matches.sort(key=lambda r: (r.start, -(r.end - r.start), r.detector.generic or r.pattern.yields))
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


class LineCursor:
    """Lines of one buffer at increasing offsets, counted incrementally: each byte is examined
    a bounded number of times however many offsets are asked for, so a file holding 50,000
    matches costs one pass, not 50,000 (``line_col`` counts from the start every time).

    Offsets should come in increasing order; a smaller one restarts from the start (still right,
    only slower)."""

    __slots__ = ("_buf", "_line", "_line_end", "_pos", "_prev_start", "_start")

    def __init__(self, buf: bytes) -> None:
        self._buf = buf
        self._rewind()

    def _rewind(self) -> None:
        self._pos = 0  # newlines before here are counted
        self._line = 1
        self._start = 0  # where the current line starts
        self._line_end: int | None = None  # where it ends (found on demand)
        self._prev_start: int | None = None  # where the line before it starts (on demand)

    def seek(self, offset: int) -> None:
        if offset < self._pos:
            self._rewind()
        buf = self._buf
        newlines = buf.count(b"\n", self._pos, offset)
        if newlines:
            self._line += newlines
            self._start = buf.rfind(b"\n", self._pos, offset) + 1
            self._line_end = None
            self._prev_start = None
        self._pos = offset

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column (in bytes) of ``offset``, as ``line_col`` gives them."""
        self.seek(offset)
        return self._line, offset - self._start + 1

    def line(self, offset: int) -> tuple[int, int]:
        """The span [start, end) of the line holding ``offset`` (without its newline)."""
        self.seek(offset)
        if self._line_end is None:
            end = self._buf.find(b"\n", offset)
            self._line_end = end if end >= 0 else len(self._buf)
        return self._start, self._line_end

    def previous_line(self, offset: int) -> tuple[int, int] | None:
        """The span of the line before the one holding ``offset``; None on the first line."""
        self.seek(offset)
        if self._start == 0:
            return None
        if self._prev_start is None:
            self._prev_start = self._buf.rfind(b"\n", 0, self._start - 1) + 1
        return self._prev_start, self._start - 1


# Hyperscan ------------------------------------------------------------------------------------


def _hyperscan_db(regexes: Sequence[bytes], single: Sequence[bool]) -> tuple[hyperscan.Database | None, Path | None]:
    """The compiled database and its cache file. ``single[i]``: expression i reports once per
    buffer (HS_FLAG_SINGLEMATCH), else at every match end."""
    try:
        import hyperscan
    except ImportError:
        log.debug("hyperscan not installed: using the re engine")
        return None, None
    exprs = list(regexes)
    marks = b"".join(b"s" if one else b"p" for one in single)
    digest = hashlib.sha256(b"\0".join(exprs) + marks + hyperscan_version().encode()).hexdigest()[:24]
    cache_path = engine_dir() / f"hs-{digest}.db"
    loaded = _load_db(cache_path)
    if loaded is not None:
        return loaded, cache_path
    db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    try:
        db.compile(
            expressions=exprs,
            ids=list(range(len(exprs))),
            elements=len(exprs),
            flags=[hyperscan.HS_FLAG_SINGLEMATCH if one else 0 for one in single],
        )
    except hyperscan.error as exc:
        log.warning("hyperscan could not compile the patterns (%s): using the re engine", exc)
        return None, None
    try:
        cache_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache_path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(hyperscan.dumpb(db))
        os.replace(tmp, cache_path)
    except OSError:
        return db, None  # a read-only home only costs the compile time next run
    prune_engine_dir(cache_path.parent)
    return db, cache_path


def _load_db(path: Path) -> hyperscan.Database | None:
    try:
        import hyperscan

        # No scratch here: every scan passes its thread's own (Engine._thread_scratch).
        db = hyperscan.loadb(path.read_bytes(), hyperscan.HS_MODE_BLOCK)
    except Exception:  # Hyperscan not installed, no cache yet, or one from an incompatible build
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # used now: prune_engine_dir keeps the most recently used
    return db


# The built-in catalog's manifest: which source each Hyperscan id comes from, so that a run can
# load the compiled database without building the catalog first (scanner/engine.py, builtin()).
_MANIFEST_VERSION = 1


def catalog_stamp(top: Path | None = None) -> str:
    """Changes whenever anything the built-in catalog's database is built from may have: every file
    of the detectors package (``top``: its modules and rule files), this module, and the versions
    of Python and Hyperscan. Like a .pyc, by name, size and modification time."""
    top = top or Path(registry.__file__).parent
    files: list[tuple[str, int, int]] = []
    for folder, dirs, names in os.walk(top):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        for name in names:
            try:
                st = os.stat(os.path.join(folder, name))
            except OSError:  # gone since the listing: it is not part of this catalog either
                continue
            files.append((os.path.join(folder, name), st.st_size, st.st_mtime_ns))
    me = os.stat(__file__)
    files.append((__file__, me.st_size, me.st_mtime_ns))
    files.sort()
    key = repr((_MANIFEST_VERSION, sys.version_info[:2], hyperscan_version(), files))
    return hashlib.sha256(key.encode()).hexdigest()[:24]


def _write_manifest(path: Path, db_file: Path, line_ids: frozenset[int]) -> None:
    entries = [[source[0], source[1], p.id] for source, det in registry.sources() for p in det.patterns]
    doc = {"version": _MANIFEST_VERSION, "db": db_file.name, "entries": entries, "lines": sorted(line_ids)}
    try:
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(doc), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass  # next run builds the catalog again


def _from_manifest(path: Path) -> Engine | None:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(doc, dict) or doc.get("version") != _MANIFEST_VERSION:
            return None
        entries = [((str(kind), str(name)), str(pid)) for kind, name, pid in doc["entries"]]
        line_ids = [int(i) for i in doc["lines"]]
        db_file = path.parent / str(doc["db"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    hs = _load_db(db_file) if db_file.parent == path.parent else None
    if hs is None:
        return None
    eng = Engine.__new__(Engine)
    eng._start(_Deferred(entries, path), hs, db_file, line_ids, decode=True)
    return eng


def hyperscan_expression(pattern: Pattern) -> bytes:
    # A prefilter's large bounds are opened up too: it only has to be a superset of the regex.
    return relax_bounds(pattern.prefilter or pattern.regex)


def hyperscan_version() -> str:
    # The module's own attribute: importlib.metadata walks every installed distribution (40 ms of
    # a pre-commit hook's budget).
    try:
        import hyperscan

        return str(getattr(hyperscan, "__version__", "unknown"))
    except ImportError:
        return "unknown"


# Text in, tokens out -------------------------------------------------------------------------


@cache
def default_engine() -> Engine:
    return Engine.builtin()


def token_of(match: RawMatch) -> Token:
    return Token(
        provider=match.detector.provider,
        secret=match.secret,
        kind=match.kind or match.pattern.kind,
        pattern_id=match.pattern.id,
        variable=match.variable,
        extras=dict(match.extras),
        context=dict(match.context),
    )


def tokens_in(text: str | bytes, engine: Engine | None = None) -> list[Token]:
    """Every token in ``text``, in order of appearance."""
    buf = text.encode() if isinstance(text, str) else text
    matches = (engine or default_engine()).scan(buf)
    return [token_of(m) for m in sorted(matches, key=lambda m: m.start)]
