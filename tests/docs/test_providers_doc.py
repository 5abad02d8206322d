"""docs/providers.md is generated from the detector registry (docs/providers_page.py) and must
stay in sync with it."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from tokenreach.detectors.http import env_var_for
from tokenreach.detectors.registry import all_detectors

_SCRIPT = Path(__file__).resolve().parents[2] / "docs" / "providers_page.py"
_spec = importlib.util.spec_from_file_location("providers_page", _SCRIPT)
assert _spec and _spec.loader
page = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(page)


def test_providers_doc_is_in_sync_with_the_modules() -> None:
    assert page.DOC.read_text(encoding="utf-8") == page.render(), "run: python docs/providers_page.py"


def test_every_looked_up_provider_documents_its_override_variable() -> None:
    text = page.DOC.read_text(encoding="utf-8")
    for det in all_detectors():
        if det.has_lookup() and not getattr(det, "host_from_url", False):  # databases: the URL's host
            assert env_var_for(det.provider) in text


def test_readme_counts_match_the_registry() -> None:
    from tokenreach.detectors.registry import all_patterns

    readme = (page.DOC.parents[1] / "README.md").read_text(encoding="utf-8")
    dets = all_detectors()
    looked_up = sum(1 for d in dets if d.has_lookup())
    assert f"{len(dets)} providers and credential types ({len(all_patterns())} patterns): {looked_up} of them" in readme
