"""registry.detector(provider) loads one provider alone; it must give the very object the whole
catalog holds for that provider, or assessment and reports would see another detector."""

from __future__ import annotations

from tokenreach.detectors import registry


def test_each_provider_alone_is_the_catalogs_own() -> None:
    for det in registry.all_detectors():
        assert registry.detector(det.provider) is det, det.provider


def test_each_source_loads_the_detector_the_catalog_lists() -> None:
    for source, det in registry.sources():
        assert registry.load(source) is det, source


def test_names_that_are_not_provider_ids() -> None:
    for name in ("", "../github", "github/../github", "GitHub", "a" * 41, "nosuch"):
        assert registry.detector(name) is None, name
