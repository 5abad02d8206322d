"""Issue 17, item 20: scans sharing the lookup cache keep every scan's entries, and the cache is
never written into the scanned repository.

Two scans at once kept only one scan's entries (each rewrote one shared file with what it had
loaded); a relative ``XDG_CACHE_HOME`` wrote the cache into the folder the scan ran from.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
from pathlib import Path

import pytest

from tests.fakes import huggingface as hf
from tests.helpers import GIT_ENV, TOKENREACH, Repo, fake_env
from tokenreach.scanner.cache import LookupCache
from tokenreach.scanner.model import Access

WORKERS = 4
PER_WORKER = 25


def _secret(worker: int, i: int) -> str:
    return f"hf_Shared{worker:02d}x{i:03d}" + "Q" * 22


def _worker(folder: str, worker: int, barrier) -> None:  # type: ignore[no-untyped-def]
    cache = LookupCache(Path(folder), ttl=3600)
    barrier.wait(timeout=60)  # every scan has opened (and loaded) the cache before any writes
    for i in range(PER_WORKER):
        cache.put("huggingface", _secret(worker, i), Access(live=True, identity=f"w{worker}-{i}"))
    barrier.wait(timeout=60)
    cache.save()


def test_scans_sharing_the_cache_at_once_keep_every_entry(tmp_path):
    folder = tmp_path / "tokenreach"  # not created yet: the scans also race to create the key
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(WORKERS)
    procs = [ctx.Process(target=_worker, args=(str(folder), w, barrier)) for w in range(WORKERS)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=120)
    assert [p.exitcode for p in procs] == [0] * WORKERS
    reader = LookupCache(folder, ttl=3600)
    missing = [(w, i) for w in range(WORKERS) for i in range(PER_WORKER)
               if (a := reader.get("huggingface", _secret(w, i))) is None or a.identity != f"w{w}-{i}"]
    assert not missing, f"{len(missing)} of {WORKERS * PER_WORKER} entries lost"


@pytest.fixture
def fake():
    with hf.make() as server:
        yield server


def _files(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if ".git" not in p.relative_to(root).parts}


def _scan(repo: Repo, fake, **env: str) -> dict:
    full = {**os.environ, **GIT_ENV, **fake_env({"huggingface": fake.url}), "TOKENREACH_NO_PROGRESS": "1", **env}
    proc = subprocess.run([*TOKENREACH, "scan", ".", "--format", "json", "--cache-ttl", "3600"], cwd=repo.root,
                          env=full, capture_output=True, text=True, timeout=120)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)


def test_a_relative_xdg_cache_home_is_ignored(repo, fake, tmp_path):
    repo.write("app.py", f"HF_TOKEN = '{hf.WRITE}'\n")
    repo.commit("app")
    home = tmp_path / "home"
    home.mkdir()
    before = _files(repo.root)
    report = _scan(repo, fake, XDG_CACHE_HOME="relative-cache", HOME=str(home))
    assert report["findings"][0]["access"]["live"] is True
    assert _files(repo.root) == before, "the scan wrote into the scanned repository"
    assert list((home / ".cache" / "tokenreach" / "lookups").glob("*.json")), "cached under ~/.cache"


def test_a_cache_folder_inside_the_target_is_not_used(repo, fake):
    repo.write("app.py", f"HF_TOKEN = '{hf.WRITE}'\n")
    repo.commit("app")
    before = _files(repo.root)
    report = _scan(repo, fake, XDG_CACHE_HOME=str(repo.root / "build" / "cache"))
    assert report["findings"][0]["access"]["live"] is True
    assert _files(repo.root) == before, "the scan wrote into the scanned repository"
    assert any("inside the scanned folder" in n for n in report["notices"]), report["notices"]
