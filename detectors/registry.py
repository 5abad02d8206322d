"""Every detector, discovered from the modules of ``tokenreach.detectors.providers``.

A provider module exposes ``detector = SomeDetector()``; nothing else needs editing to add one.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

import tokenreach.detectors.providers as _package
from tokenreach.detectors.base import Detector, Pattern


@cache
def all_detectors() -> tuple[Detector, ...]:
    found: list[Detector] = []
    for info in sorted(pkgutil.iter_modules(_package.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{_package.__name__}.{info.name}")
        det = getattr(module, "detector", None)
        if isinstance(det, Detector):
            found.append(det)
    providers = [d.provider for d in found]
    dupes = {p for p in providers if providers.count(p) > 1}
    if dupes:
        raise RuntimeError(f"two detector modules claim provider(s) {sorted(dupes)}")
    return tuple(found)


@cache
def by_provider() -> dict[str, Detector]:
    return {d.provider: d for d in all_detectors()}


@cache
def all_patterns() -> tuple[tuple[Detector, Pattern], ...]:
    pairs = [(d, p) for d in all_detectors() for p in d.patterns]
    ids = [p.id for _, p in pairs]
    dupes = {i for i in ids if ids.count(i) > 1}
    if dupes:
        raise RuntimeError(f"duplicate pattern id(s) {sorted(dupes)}")
    return tuple(pairs)
