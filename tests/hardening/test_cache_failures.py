"""Issue 17, item 16: the optional lookup cache never ends a scan.

An unusable cache folder (a file, ``/proc``) gave exit 2 and lost the report; a cache entry whose
expiry is a string gave an internal error. Now a broken cache is a notice in the report, and the
lookups simply run.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.fakes import huggingface as hf
from tests.helpers import Repo, fake_env, run_cli
from tokenreach.scanner.cache import LookupCache
from tokenreach.scanner.model import Access


@pytest.fixture
def fake():
    with hf.make() as server:
        yield server


@pytest.fixture
def target(repo: Repo) -> Repo:
    repo.write("app.py", f"HF_TOKEN = '{hf.WRITE}'\n")
    repo.commit("app")
    return repo


def scan(root: Path, fake, cache_home: Path | str) -> tuple[int, dict[str, Any], str]:
    # In this process (the same entry point, exit code and streams as `tokenreach scan`): a scan
    # is a fresh LookupCache each time, read from and written to XDG_CACHE_HOME.
    env = {**fake_env({"huggingface": fake.url}), "XDG_CACHE_HOME": str(cache_home)}
    proc = run_cli(["scan", str(root), "--format", "json", "--cache-ttl", "3600"], env=env)
    assert proc.returncode in (0, 1), f"exit {proc.returncode}: {proc.stderr}"
    return proc.returncode, json.loads(proc.stdout), proc.stderr


def _looked_up(report: dict[str, Any]) -> dict[str, Any]:
    (finding,) = report["findings"]
    assert finding["access"]["live"] is True and finding["access"]["identity"], finding["access"]
    return finding


@pytest.mark.parametrize("where", ["a-file", "its-folder-is-a-file", "proc"])
def test_an_unusable_cache_folder_is_a_notice_and_the_report_survives(target, fake, tmp_path, where):
    if where == "a-file":
        cache_home: Path = tmp_path / "cache-file"
        cache_home.write_text("not a folder\n")
    elif where == "its-folder-is-a-file":
        cache_home = tmp_path / "cache"
        cache_home.mkdir()
        (cache_home / "tokenreach").write_text("not a folder\n")
    else:
        cache_home = Path("/proc")
    _, report, _ = scan(target.root, fake, cache_home)
    finding = _looked_up(report)
    assert "from the lookup cache" not in finding["access"]["notes"]
    assert any(n.startswith("lookup cache not used") for n in report["notices"]), report["notices"]


def _rewrite_expiries(folder: Path, value: Any) -> int:
    """Set every "expires" in every JSON file under ``folder`` to ``value``; how many were set."""
    changed = 0

    def walk(node: Any) -> None:
        nonlocal changed
        if isinstance(node, dict):
            for k in node:
                if k == "expires":
                    node[k] = value
                    changed += 1
                else:
                    walk(node[k])
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for path in folder.rglob("*.json"):
        doc = json.loads(path.read_text())
        walk(doc)
        path.write_text(json.dumps(doc))
    return changed


@pytest.mark.parametrize("expiry", ["2099-01-01", None, [1], True])
def test_an_entry_whose_expiry_is_not_a_number_is_a_miss(target, fake, tmp_path, expiry):
    cache_home = tmp_path / "cache"
    _looked_up(scan(target.root, fake, cache_home)[1])
    assert _rewrite_expiries(cache_home, expiry) >= 1
    before = len(fake.requests)
    _, report, _ = scan(target.root, fake, cache_home)
    finding = _looked_up(report)
    assert "from the lookup cache" not in finding["access"]["notes"]
    assert len(fake.requests) > before, "looked up again"


@pytest.mark.parametrize("bad", [
    {"capabilities": 5}, {"capabilities": ["everything"]}, {"grants": "abc"}, {"live": "yes"},
    {"reach": "galaxy"}, {"facts": ["x"]}, {"resources_total": "many"}, {"identity": {"a": 1}},
])
def test_an_entry_of_the_wrong_shape_is_a_miss(tmp_path, bad):
    cache = LookupCache(tmp_path / "tokenreach", ttl=3600)
    cache.put("huggingface", hf.WRITE, Access(live=True, identity="alice", capabilities={"read"}))
    cache.save()
    for path in (tmp_path / "tokenreach").rglob("*.json"):
        doc = json.loads(path.read_text())
        stack = [doc]
        while stack:  # the Access object, wherever the layout keeps it
            node = stack.pop()
            if isinstance(node, dict) and "capabilities" in node and "live" in node:
                node.update(bad)
            elif isinstance(node, dict):
                stack.extend(node.values())
        path.write_text(json.dumps(doc))
    assert LookupCache(tmp_path / "tokenreach", ttl=3600).get("huggingface", hf.WRITE) is None
    # A sound entry still reads back.
    good = LookupCache(tmp_path / "tokenreach", ttl=3600)
    good.put("huggingface", hf.READ, Access(live=True, identity="bob", capabilities={"read"}))
    good.save()
    again = LookupCache(tmp_path / "tokenreach", ttl=3600).get("huggingface", hf.READ)
    assert again is not None and again.identity == "bob" and again.capabilities == {"read"}


def test_a_cache_that_breaks_during_the_run_is_a_problem_not_an_exception(tmp_path):
    folder = tmp_path / "tokenreach"
    cache = LookupCache(folder, ttl=3600)
    shutil.rmtree(folder)
    folder.write_text("replaced by a file\n")  # the disk, the mount or another program went away
    cache.put("huggingface", hf.WRITE, Access(live=True, identity="alice"))
    cache.save()
    assert cache.get("huggingface", hf.WRITE) is None
    problems = getattr(cache, "problems", None)
    assert problems and all("\n" not in p and hf.WRITE not in p for p in problems), problems
