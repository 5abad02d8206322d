"""The generic detector test: every pattern's examples match and its counterexamples do not.

A new detector is tested the moment it is written (Nosey Parker's rules work this way).
"""

from __future__ import annotations

import re

import pytest

from tokenreach.detectors.registry import all_detectors, all_patterns
from tokenreach.scanner.engine import Engine, hyperscan_expression

PAIRS = all_patterns()
IDS = [p.id for _, p in PAIRS]


@pytest.fixture(scope="module", params=["hyperscan", "re"])
def engine(request):
    if request.param == "hyperscan":
        pytest.importorskip("hyperscan")
    return Engine(PAIRS, use_hyperscan=request.param == "hyperscan")


@pytest.mark.parametrize(("det", "pat"), PAIRS, ids=IDS)
def test_pattern_is_well_formed(det, pat):
    assert pat.id.startswith(det.provider + "."), "pattern ids start with their provider"
    assert pat.examples, "every pattern has at least one example"
    assert pat.keywords and all(k == k.lower() and len(k) >= 3 for k in pat.keywords)
    re.compile(pat.regex)
    for example in pat.examples:
        assert any(k in example.lower() for k in pat.keywords), f"no keyword in example {example!r}"


@pytest.mark.parametrize(("det", "pat"), PAIRS, ids=IDS)
def test_compiles_in_hyperscan(det, pat):
    """One pattern Hyperscan rejects would silently drop the whole scan to the slow re engine."""
    hyperscan = pytest.importorskip("hyperscan")
    db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    db.compile(expressions=[hyperscan_expression(pat)], ids=[0], elements=1,
               flags=[hyperscan.HS_FLAG_SINGLEMATCH])


def test_the_default_engine_uses_hyperscan():
    pytest.importorskip("hyperscan")
    assert Engine(PAIRS).backend == "hyperscan"


@pytest.mark.parametrize(("det", "pat"), PAIRS, ids=IDS)
def test_prefilter_matches_every_example(det, pat):
    """Hyperscan runs the prefilter (or the relaxed regex): it must fire wherever regex matches."""
    hs_side = hyperscan_expression(pat)
    for example in pat.examples:
        assert re.search(hs_side, example.encode()), f"{pat.id}: Hyperscan side misses {example!r}"


@pytest.mark.parametrize(("det", "pat"), PAIRS, ids=IDS)
def test_examples_match_and_counterexamples_do_not(engine, det, pat):
    for example in pat.examples:
        hits = [m for m in engine.scan(example.encode()) if m.pattern.id == pat.id]
        assert hits, f"{pat.id} misses its example {example!r}"
    for counter in pat.counterexamples:
        hits = [m for m in engine.scan(counter.encode()) if m.pattern.id == pat.id]
        assert not hits, f"{pat.id} matches its counterexample {counter!r}"


def test_every_detector_has_patterns_and_metadata():
    for det in all_detectors():
        assert det.patterns, det.provider
        assert det.title
        if det.has_lookup():
            assert (det.api_url or det.hosts or det.host_suffixes or det.self_hosted
                    or getattr(det, "host_from_url", False)), det.provider
