"""Every detector: the modules of ``tokenreach.detectors.providers`` and the rule files of
``detectors/rules/`` (docs/rules.md).

A provider module exposes ``detector = SomeDetector()``; a provider that needs no code is one rule
file, ``detectors/rules/<provider>.toml``, and nothing else needs editing to add either. A module
that needs code reads its patterns from its own rule file (``rules_for``), so a rule file whose
provider has a module is the module's and is not loaded twice.

Users' rule files (``--rules``, ``rules = [...]``) are added per run with ``use_user_detectors``.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import cache

import tokenreach.detectors.providers as _package
from tokenreach.detectors import rule_files
from tokenreach.detectors.base import Detector, Pattern

_user: tuple[Detector, ...] = ()


@cache
def all_detectors() -> tuple[Detector, ...]:
    """The built-in detectors, in the order of their module or rule file names."""
    found: list[tuple[str, Detector]] = []
    for info in pkgutil.iter_modules(_package.__path__):
        module = importlib.import_module(f"{_package.__name__}.{info.name}")
        det = getattr(module, "detector", None)
        if isinstance(det, Detector):
            found.append((info.name, det))
    claimed = {d.provider for _, d in found}
    for path in rule_files.builtin_files():
        if path.stem not in claimed:
            spec = rule_files.builtin(path.stem)
            found.append((path.stem, rule_files.RuleDetector(spec)))
    found.sort(key=lambda pair: pair[0])
    dupes = _repeated(d.provider for _, d in found)
    if dupes:
        raise RuntimeError(f"two detector modules claim provider(s) {sorted(dupes)}")
    return tuple(d for _, d in found)


@cache
def _builtin_by_provider() -> dict[str, Detector]:
    return {d.provider: d for d in all_detectors()}


def by_provider() -> dict[str, Detector]:
    """Built-in detectors by provider id, and this run's users' rule files after them."""
    if not _user:
        return _builtin_by_provider()
    return {**_builtin_by_provider(), **{d.provider: d for d in _user}}


def use_user_detectors(detectors: Sequence[Detector]) -> None:
    """The users' rule-file detectors of the current run (replacing the previous run's): their
    titles and remediation facts then reach assessment and reports like a built-in's."""
    global _user
    _user = tuple(detectors)


@cache
def all_patterns() -> tuple[tuple[Detector, Pattern], ...]:
    pairs = [(d, p) for d in all_detectors() for p in d.patterns]
    check_unique(pairs)
    return tuple(pairs)


def check_unique(pairs: Sequence[tuple[Detector, Pattern]]) -> None:
    dupes = _repeated(p.id for _, p in pairs)
    if dupes:
        raise RuntimeError(f"duplicate pattern id(s) {sorted(dupes)}")


def _repeated(names: Iterable[str]) -> set[str]:
    return {name for name, n in Counter(names).items() if n > 1}
