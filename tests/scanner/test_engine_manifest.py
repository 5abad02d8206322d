"""The built-in engine from its cache: the compiled database and the catalog's manifest, with each
pattern built only when Hyperscan reports it (scanner/engine.py, ``Engine.builtin``)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tokenreach.detectors.registry import all_patterns
from tokenreach.scanner import engine as engines
from tokenreach.scanner.engine import Engine, catalog_stamp

pytest.importorskip("hyperscan")

HF = "hf_" + "Staged" * 5 + "St99"

# Runs in a fresh interpreter: which provider modules a scan imported is only visible there.
_PROBE = textwrap.dedent("""
    import json, sys
    from tokenreach.scanner.engine import Engine
    eng = Engine.builtin()
    found = [m.pattern.id for m in eng.scan(sys.argv[1].encode())]
    mods = sorted(m.rsplit(".", 1)[1] for m in sys.modules if m.startswith("tokenreach.detectors.providers."))
    rules = sys.modules.get("tokenreach.detectors.rule_files")
    every_file = bool(rules and rules._builtin_data.cache_info().currsize)
    print(json.dumps({"found": found, "modules": mods, "deferred": type(eng._compiled).__name__,
                      "every_rule_file": every_file}))
""")


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of its own, holding only the suite's compiled database (named by its content,
    so any copy is valid): no manifest yet, and no multi-second compile either."""
    Engine.builtin()  # the shared folder has its database
    for db in Path(os.environ["TOKENREACH_ENGINE_CACHE"]).glob("hs-*.db"):
        shutil.copy(db, tmp_path)
    monkeypatch.setenv("TOKENREACH_ENGINE_CACHE", str(tmp_path))
    return tmp_path


def _probe(cache: Path, text: str) -> dict[str, object]:
    env = {**os.environ, "TOKENREACH_ENGINE_CACHE": str(cache)}
    out = subprocess.run([sys.executable, "-c", _PROBE, text], env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_a_cached_run_loads_only_the_providers_hyperscan_reports(cache: Path) -> None:
    first = _probe(cache, f"HF={HF}\n")
    assert first["deferred"] == "list" and len(first["modules"]) > 50  # built: every module imported
    assert list(cache.glob("catalog-*.json"))
    second = _probe(cache, f"HF={HF}\n")
    assert second["deferred"] == "_Deferred"
    assert second["found"] == first["found"] == ["huggingface.token"]
    assert second["modules"] == ["huggingface"]
    assert first["every_rule_file"] and not second["every_rule_file"]  # its own rule file only
    clean = _probe(cache, "nothing to see here\n")
    assert clean["found"] == [] and clean["modules"] == []


def test_the_cached_engine_finds_what_the_built_one_finds(cache: Path) -> None:
    built = Engine.builtin()
    cached = Engine.builtin()
    assert isinstance(cached._compiled, engines._Deferred) and not isinstance(built._compiled, engines._Deferred)
    # Every example of the catalog, each in a buffer of its own (one buffer of them all takes
    # seconds: every pattern's re would sweep all of it).
    for _, pattern in all_patterns():
        for example in pattern.examples:
            got = cached.scan(example.encode())
            assert [(m.pattern.id, m.start, m.end, m.secret) for m in got] == [
                (m.pattern.id, m.start, m.end, m.secret) for m in built.scan(example.encode())], example
            # The same objects the registry hands to assessment and reports.
            assert all(m.pattern in m.detector.patterns for m in got)


def test_a_changed_file_changes_the_stamp(tmp_path: Path) -> None:
    rule = tmp_path / "rules" / "acme.toml"
    rule.parent.mkdir()
    rule.write_text('provider = "acme"\n')
    before = catalog_stamp(tmp_path)
    assert catalog_stamp(tmp_path) == before
    rule.write_text('provider = "acme2"\n')
    assert catalog_stamp(tmp_path) != before
    (tmp_path / "new.py").write_text("")
    assert catalog_stamp(tmp_path) != before


@pytest.mark.parametrize("text", ["", "{", "[]", '{"version": 1}',
                                  '{"version": 1, "db": "../x", "entries": [], "lines": []}',
                                  '{"version": 99, "db": "x", "entries": [], "lines": []}'])
def test_an_unusable_manifest_means_building_again(cache: Path, text: str) -> None:
    Engine.builtin()
    [manifest] = cache.glob("catalog-*.json")
    manifest.write_text(text)
    eng = Engine.builtin()
    assert isinstance(eng._compiled, list) and eng.scan(f"HF={HF}".encode())
    assert json.loads(manifest.read_text())["version"] == 1  # written again


def test_a_manifest_naming_a_pattern_that_is_gone_says_which_file_to_delete(cache: Path) -> None:
    Engine.builtin()
    [manifest] = cache.glob("catalog-*.json")
    doc = json.loads(manifest.read_text())
    i = next(i for i, e in enumerate(doc["entries"]) if e[2] == "huggingface.token")
    doc["entries"][i][2] = "huggingface.gone"
    manifest.write_text(json.dumps(doc))
    with pytest.raises(RuntimeError, match=r"huggingface\.gone.*delete that file"):
        Engine.builtin().scan(f"HF={HF}".encode())


def test_without_hyperscan_the_manifest_is_not_used(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Engine.builtin()  # writes the manifest
    monkeypatch.setitem(sys.modules, "hyperscan", None)  # as if the wheel were not installed
    eng = Engine.builtin()
    assert eng.backend == "re" and isinstance(eng._compiled, list)
    assert [m.pattern.id for m in eng.scan(f"HF={HF}".encode())] == ["huggingface.token"]
