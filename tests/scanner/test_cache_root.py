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


def _files(folder, names_sizes, start=1_000_000):
    """Files with increasing modification times, in the order given (the last is the newest)."""
    import os

    folder.mkdir(parents=True, exist_ok=True)
    for i, (name, size) in enumerate(names_sizes):
        (folder / name).write_bytes(b"\0" * size)
        os.utime(folder / name, (start + i, start + i))


def test_pruning_keeps_the_most_recently_used_of_each_kind(tmp_path):
    small = [(f"hs-{i:02d}.db", 100) for i in range(12)] + [(f"catalog-{i:02d}.json", 10) for i in range(3)]
    _files(tmp_path, [*small, ("unrelated.txt", 5)])
    cache_root.prune_engine_dir(tmp_path)
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == sorted([f"hs-{i:02d}.db" for i in range(4, 12)] + [f"catalog-{i:02d}.json" for i in range(3)]
                          + ["unrelated.txt"])


def test_pruning_keeps_large_databases_within_the_budget(tmp_path, monkeypatch):
    monkeypatch.setattr(cache_root, "ENGINE_BUDGET", 250)
    _files(tmp_path, [(f"hs-{i}.db", 100) for i in range(5)])  # hs-4 is the newest
    cache_root.prune_engine_dir(tmp_path)
    # the two newest always; the third would make 300 bytes
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hs-3.db", "hs-4.db"]


def test_pruning_drops_what_a_dead_process_left_half_written(tmp_path):
    import os

    _files(tmp_path, [("hs-a.123.tmp", 10), ("hs-b.124.tmp", 10)])
    os.utime(tmp_path / "hs-b.124.tmp")  # being written now
    cache_root.prune_engine_dir(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["hs-b.124.tmp"]
    cache_root.prune_engine_dir(tmp_path / "missing")  # no folder: nothing to do, no error


def test_a_new_database_prunes_the_folder_and_a_load_marks_it_used(tmp_path, monkeypatch):
    import os

    import pytest

    pytest.importorskip("hyperscan")
    from tokenreach.detectors.registry import all_patterns
    from tokenreach.scanner.engine import Engine

    monkeypatch.setenv("TOKENREACH_ENGINE_CACHE", str(tmp_path))
    _files(tmp_path, [(f"hs-old{i:02d}.db", 100) for i in range(10)])
    eng = Engine(list(all_patterns())[:20])
    assert eng._db_file is not None and eng._db_file.exists()
    left = {p.name for p in tmp_path.glob("hs-*.db")}
    assert eng._db_file.name in left and len(left) == cache_root.ENGINE_KEEP
    os.utime(eng._db_file, (1, 1))  # long unused, until loaded again
    assert Engine(list(all_patterns())[:20])._db_file == eng._db_file
    assert eng._db_file.stat().st_mtime > 1_000_000
