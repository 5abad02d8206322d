"""The re fallback engine (no Hyperscan) on the catalog's own examples and counterexamples: one
small buffer each, as ``tokenreach rules check`` and a scan of many small files give it.

    python benchmarks/re_engine.py
"""

from __future__ import annotations

import time

from tokenreach.detectors.registry import all_patterns
from tokenreach.scanner.engine import Engine


def main() -> None:
    pairs = all_patterns()
    engine = Engine(pairs, use_hyperscan=False)
    buffers = [text.encode() for _, p in pairs for text in (*p.examples, *p.counterexamples)]
    for buf in buffers[:50]:  # compile the regexes those first buffers need
        engine.scan(buf)
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        found = sum(len(engine.scan(buf)) for buf in buffers)
        best = min(best, time.perf_counter() - started)
    print(f"{len(pairs)} patterns, {len(buffers)} buffers, {found} matches: {best:.2f} s (best of 3)")


if __name__ == "__main__":
    main()
