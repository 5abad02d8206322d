"""The re fallback's keyword prefilter (scanner/engine.py ``_by_keyword``): the patterns it runs
are exactly those with a keyword in the buffer, or with none, short buffer or long."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.registry import all_patterns
from tokenreach.scanner import engine as engines
from tokenreach.scanner.engine import Engine


def _brute(eng: Engine, lowered: bytes) -> list[int]:
    return [i for i, c in enumerate(eng._compiled) if not c.keywords or any(k in lowered for k in c.keywords)]


@pytest.fixture(scope="module")
def catalog() -> Engine:
    return Engine(all_patterns(), use_hyperscan=False)


def _text(rng: random.Random, eng: Engine, size: int) -> bytes:
    keywords = [k for c in eng._compiled for k in c.keywords]
    parts = []
    while sum(map(len, parts)) < size:
        parts.append(rng.choice(keywords) if rng.random() < 0.3 else bytes(rng.choices(b"abcdefxyz_=. \n", k=20)))
    return b"".join(parts)[:size]


@pytest.mark.parametrize("size", [0, 1, 2, 3, 40, 700, engines._SHORT_BUFFER, engines._SHORT_BUFFER + 1, 20_000])
def test_the_catalog_runs_what_a_keyword_test_of_every_pattern_would(catalog: Engine, size: int) -> None:
    rng = random.Random(size)
    for _ in range(20):
        text = _text(rng, catalog, size).lower()
        assert catalog._by_keyword(text) == _brute(catalog, text)


def test_a_keyword_at_the_very_end_or_shorter_than_three_bytes_is_seen() -> None:
    det = Detector()
    pats = [Pattern(id="t.a", name="a", regex="zz", keywords=("zz",), examples=()),
            Pattern(id="t.b", name="b", regex="abc", keywords=("abc",), examples=()),
            Pattern(id="t.c", name="c", regex="q", keywords=(), examples=())]
    eng = Engine([(det, p) for p in pats], use_hyperscan=False)
    assert eng._by_keyword(b"xxabc") == [1, 2]
    assert eng._by_keyword(b"zz") == [0, 2]
    assert eng._by_keyword(b"ab") == [2]


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=64), st.lists(st.binary(min_size=1, max_size=5), min_size=1, max_size=6))
def test_any_bytes_and_any_keywords(text: bytes, keywords: list[bytes]) -> None:
    det = Detector()
    pats = [Pattern(id=f"t.k{i}", name="k", regex="x", keywords=(k.decode("latin-1"),), examples=())
            for i, k in enumerate(keywords)]
    eng = Engine([(det, p) for p in pats], use_hyperscan=False)
    lowered = text.lower()
    assert eng._by_keyword(lowered) == _brute(eng, lowered)
