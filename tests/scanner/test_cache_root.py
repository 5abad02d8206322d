"""scanner/cache_root.py: where the compiled catalog is kept."""

from __future__ import annotations

from tokenreach.scanner import cache_root


def test_the_engine_cache_follows_xdg_unless_an_absolute_override_is_set(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("TOKENREACH_ENGINE_CACHE")
    assert cache_root.engine_dir() == (tmp_path / "xdg").resolve() / "tokenreach" / "engine"
    monkeypatch.setenv("TOKENREACH_ENGINE_CACHE", str(tmp_path / "shared"))
    assert cache_root.engine_dir() == (tmp_path / "shared").resolve()
    monkeypatch.setenv("TOKENREACH_ENGINE_CACHE", "relative/engine")  # it would write where the scan runs
    assert cache_root.engine_dir() == (tmp_path / "xdg").resolve() / "tokenreach" / "engine"


def test_an_override_inside_a_scanned_folder_is_not_used(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    target = tmp_path / "repo"
    target.mkdir()
    monkeypatch.setenv("TOKENREACH_ENGINE_CACHE", str(target / ".cache"))
    monkeypatch.setattr(cache_root, "_KEEP_OUT", set())
    cache_root.keep_out_of(target)
    assert cache_root.engine_dir() == (tmp_path / "xdg").resolve() / "tokenreach" / "engine"
