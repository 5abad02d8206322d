"""`--home` scans the home stores even from an empty repository (issue 15, item 15)."""

from __future__ import annotations

import json

from tests.helpers import Repo, run_cli

TOKEN = "hf_Zq8Rm3Vx7Np2Kw5Ts9LbQ4Yc6Ud1Hg0Jf3"


def test_home_from_a_repository_with_no_commits(repo: Repo, tmp_path):
    home = tmp_path / "home"
    (home / ".cache" / "huggingface").mkdir(parents=True)
    (home / ".cache" / "huggingface" / "token").write_text(TOKEN)
    proc = run_cli(["scan", str(repo.root), "--home", "--offline", "--format", "json"], env={"HOME": str(home)})
    assert proc.returncode in (0, 1), proc.stderr
    doc = json.loads(proc.stdout)
    assert [loc["exposure"] for f in doc["findings"] for loc in f["locations"]] == ["home"]
    assert any("empty repository" in n for n in doc["notices"])


def test_without_home_an_empty_repository_is_still_an_error(repo: Repo):
    proc = run_cli(["scan", str(repo.root), "--offline"])
    assert proc.returncode == 2 and "empty repository" in proc.stderr
