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
from tokenreach.detectors.base import Detector, Pattern

# rule_files (the TOML reader and the check vocabulary) is imported where a rule file is read: a
# run whose engine comes from the cache and finds nothing reads none.
_user: tuple[Detector, ...] = ()


# Where a detector comes from: ("module", name) for a module of the providers package, ("rules",
# stem) for a rule file with no module. The engine's cached catalog (scanner/engine.py) names its
# patterns by source, so that a run loads only the providers whose patterns Hyperscan reports.
Source = tuple[str, str]


@cache
def _module_names() -> tuple[str, ...]:
    return tuple(sorted(info.name for info in pkgutil.iter_modules(_package.__path__)))


@cache
def load(source: Source) -> Detector | None:
    """One built-in detector, loaded alone: its module imported, or its rule file read."""
    kind, name = source
    if kind == "module":
        det = getattr(importlib.import_module(f"{_package.__name__}.{name}"), "detector", None)
        return det if isinstance(det, Detector) else None
    from tokenreach.detectors import rule_files

    return rule_files.RuleDetector(rule_files.builtin(name))


@cache
def sources() -> tuple[tuple[Source, Detector], ...]:
    """Every built-in detector with its source, in the order of their module or rule file names."""
    from tokenreach.detectors import rule_files

    files = rule_files.builtin_files()  # first: every module's rules_for() then reads from them
    found: list[tuple[Source, Detector]] = []
    for name in _module_names():
        det = load(("module", name))
        if det is not None:
            found.append((("module", name), det))
    claimed = {d.provider for _, d in found}
    for path in files:
        if path.stem not in claimed:
            det = load(("rules", path.stem))
            assert det is not None
            found.append((("rules", path.stem), det))
    found.sort(key=lambda pair: pair[0][1])
    dupes = _repeated(d.provider for _, d in found)
    if dupes:
        raise RuntimeError(f"two detector modules claim provider(s) {sorted(dupes)}")
    return tuple(found)


def all_detectors() -> tuple[Detector, ...]:
    """The built-in detectors, in the order of their module or rule file names."""
    return tuple(d for _, d in sources())


@cache
def _builtin_by_provider() -> dict[str, Detector]:
    return {d.provider: d for d in all_detectors()}


def by_provider() -> dict[str, Detector]:
    """Built-in detectors by provider id, and this run's users' rule files after them."""
    if not _user:
        return _builtin_by_provider()
    return {**_builtin_by_provider(), **{d.provider: d for d in _user}}


def detector(provider: str) -> Detector | None:
    """One provider's detector, without loading the others when its module or rule file bears its
    name (all but a few do): a finding's assessment and report need only their own."""
    for det in reversed(_user):
        if det.provider == provider:
            return det
    return _one(provider)


@cache
def _one(provider: str) -> Detector | None:
    from tokenreach.detectors import rule_files

    if not rule_files.PROVIDER_ID.fullmatch(provider):  # a name from a configuration file: never a path
        return None
    if provider in _module_names():
        det = load(("module", provider))
    elif (rule_files.RULES_DIR / f"{provider}.toml").is_file():
        det = load(("rules", provider))
    else:
        det = None
    if det is not None and det.provider == provider:
        return det
    return _builtin_by_provider().get(provider)


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
