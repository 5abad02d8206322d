"""`exclude` means the same for every exposure: history and the index too (issue 15, item 4)."""

from __future__ import annotations

import json

from tests.helpers import Repo, run_cli
from tokenreach.scanner.sources.worktree import is_excluded

FIXTURE = "hf_Zq8Rm3Vx7Np2Kw5Ts9LbQ4Yc6Ud1Hg0Jf3"
REAL = "hf_Ab9Cd8Ef7Gh6Ij5Kl4Mn3Op2Qr1St0Uv9W"


def test_excluded_paths_match_as_the_walk_does():
    assert is_excluded("tests/fixtures/a.py", ("tests/**",))
    assert is_excluded("tests/fixtures/a.py", ("fixtures",))  # a folder's name
    assert is_excluded("deep/x.pem", ("*.pem",))
    assert not is_excluded("src/tests.py", ("tests/**",))


def test_exclude_reaches_history_and_staged(repo: Repo):
    repo.write(".tokenreach.toml", 'exclude = ["tests/**"]\n')
    repo.write("tests/fixtures/old.py", f"T = '{FIXTURE}'\n")
    repo.write("src/app.py", f"T = '{REAL}'\n")
    repo.commit("fixtures")
    repo.git("rm", "-q", "tests/fixtures/old.py")
    repo.commit("drop the fixture")  # now only in history
    proc = run_cli(["scan", str(repo.root), "--offline", "--format", "json"])
    doc = json.loads(proc.stdout)
    paths = [loc["path"] for f in doc["findings"] for loc in f["locations"]]
    assert paths == ["src/app.py"], paths
    assert doc["stats"]["skipped"].get("excluded by configuration", 0) >= 1

    repo.write("tests/fixtures/new.py", f"T = '{FIXTURE}'\n")
    repo.git("add", "tests/fixtures/new.py")
    proc = run_cli(["scan", str(repo.root), "--offline", "--staged", "--format", "json"])
    assert json.loads(proc.stdout)["findings"] == []
