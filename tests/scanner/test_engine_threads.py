"""One engine, scans from several threads at once (a Dask worker runs sweep tasks in threads):
each thread has its own Hyperscan scratch, and every scan finds what a lone scan finds."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from tokenreach.detectors.registry import all_patterns
from tokenreach.scanner.engine import Engine


def test_scans_from_many_threads_at_once() -> None:
    pytest.importorskip("hyperscan")
    eng = Engine(all_patterns())
    assert eng.backend == "hyperscan"
    buffers = [ex.encode() for _, p in all_patterns()[:200] for ex in p.examples] * 3
    alone = [[(m.pattern.id, m.start) for m in eng.scan(b)] for b in buffers]
    with ThreadPoolExecutor(max_workers=8) as pool:
        together = list(pool.map(lambda b: [(m.pattern.id, m.start) for m in eng.scan(b)], buffers))
    assert together == alone and any(alone)
