"""Issue 17, item 15: many secrets in one file must cost linear work, not quadratic.

A 3.5 MB file with ~50,000 secrets took 88 s: each finding's line was counted from the start of
the file, and each repeat of a secret was compared with every location already kept. The tests
count the work (bytes examined, comparisons made) instead of timing it; benchmarks/many_secrets.py
measures the time.
"""

from __future__ import annotations

import random
import string

import pytest

from tokenreach.scanner import findings as findings_mod
from tokenreach.scanner.engine import default_engine, line_col
from tokenreach.scanner.hits import hits_in
from tokenreach.scanner.model import Finding, Location, SourceStats
from tokenreach.scanner.sources import Origin

_ALNUM = string.ascii_letters + string.digits
N = 5000


def _tokens(n: int, seed: int = 15) -> list[str]:
    rng = random.Random(seed)
    return ["glpat-" + "".join(rng.choice(_ALNUM) for _ in range(20)) for _ in range(n)]


class CountingBytes(bytes):
    """bytes that add up how many bytes their line searches (count, find, rfind) examine: a
    search that hits stops there."""

    examined = 0

    def _bounds(self, args: tuple[int | None, ...]) -> tuple[int, int]:
        start = args[0] if args and args[0] is not None else 0
        end = args[1] if len(args) > 1 and args[1] is not None else len(self)
        start, end = (max(0, x + len(self)) if x < 0 else min(x, len(self)) for x in (start, end))
        return start, max(start, end)

    def count(self, sub, *args):  # type: ignore[no-untyped-def, override]
        start, end = self._bounds(args)
        CountingBytes.examined += end - start
        return super().count(sub, *args)

    def find(self, sub, *args):  # type: ignore[no-untyped-def, override]
        at = super().find(sub, *args)
        start, end = self._bounds(args)
        CountingBytes.examined += (at + 1 if at >= 0 else end) - start
        return at

    def rfind(self, sub, *args):  # type: ignore[no-untyped-def, override]
        at = super().rfind(sub, *args)
        start, end = self._bounds(args)
        CountingBytes.examined += end - (at if at >= 0 else start)
        return at


def _scan(data: bytes) -> dict[tuple[str, str], Finding]:
    found: dict[tuple[str, str], Finding] = {}
    findings_mod._add_hits(found, Origin("many.txt", "untracked"), hits_in(default_engine(), data), SourceStats())
    return found


@pytest.mark.parametrize("one_line", [False, True], ids=["a-line-each", "one-minified-line"])
def test_line_numbers_of_many_secrets_are_found_in_one_pass(one_line):
    toks = _tokens(N)
    sep = " ; " if one_line else "\n"
    data = sep.join(f"- {t} deploy key" for t in toks).encode()
    CountingBytes.examined = 0
    found = _scan(CountingBytes(data))
    # Counting each line from the start of the file examined ~N/2 times the file (2,500x here);
    # one pass examines it a few times, plus a bounded window around each match.
    assert CountingBytes.examined < 20 * len(data) + 2048 * N, CountingBytes.examined
    # ... and every place is exact.
    assert len(found) == N
    where = {secret: [(loc.line, loc.column) for loc in f.locations] for (_, secret), f in found.items()}
    for i, t in enumerate(toks):
        offset = data.index(t.encode())
        assert where[t] == [line_col(data, offset)] == [(1, offset + 1) if one_line else (i + 1, 3)]


def test_a_secret_repeated_many_times_is_not_compared_with_every_earlier_place(monkeypatch):
    tok = _tokens(1)[0]
    data = "".join(f"- {tok} copy {i}\n" for i in range(N)).encode()
    compared = 0
    plain_eq = Location.__eq__

    def counting_eq(self, other):  # type: ignore[no-untyped-def]
        nonlocal compared
        compared += 1
        return plain_eq(self, other)

    monkeypatch.setattr(Location, "__eq__", counting_eq)
    found = _scan(data)
    (finding,) = found.values()
    assert sorted(loc.line for loc in finding.locations) == list(range(1, N + 1))
    # A list membership test compared each new place with every earlier one: N²/2 = 12.5 million.
    assert compared < 10 * N, compared


def test_the_cursor_agrees_with_counting_from_the_start():
    from tokenreach.scanner.engine import LineCursor

    rng = random.Random(7)
    buf = bytes(rng.choice(b"ab\n") for _ in range(5000))
    offsets = [*rng.sample(range(len(buf)), 600), 0, len(buf)]
    cursor = LineCursor(buf)
    for offset in sorted(offsets):
        assert cursor.line_col(offset) == line_col(buf, offset)
        lo, hi = cursor.line(offset)
        assert lo == buf.rfind(b"\n", 0, offset) + 1 and buf[lo:hi].find(b"\n") == -1
        assert hi == len(buf) or buf[hi:hi + 1] == b"\n"
    # Offsets out of order are still right (the cursor starts over).
    for offset in rng.sample(range(len(buf)), 50):
        assert cursor.line_col(offset) == line_col(buf, offset)


def test_inline_ignores_still_apply_among_many_matches():
    toks = _tokens(40, seed=3)
    lines = []
    for i, t in enumerate(toks):
        if i % 4 == 1:
            lines.append("# tokenreach:ignore")
        lines.append(f"- {t}" + ("  # tokenreach:ignore" if i % 4 == 2 else ""))
    found = _scan("\n".join(lines).encode())
    kept = {secret for _, secret in found}
    assert kept == {t for i, t in enumerate(toks) if i % 4 in (0, 3)}
