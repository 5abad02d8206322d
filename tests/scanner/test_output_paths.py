"""A bad output path fails before the scan, in a second, with one line (issue 15, item 14)."""

from __future__ import annotations

import pytest

from tests.helpers import Repo, run_cli
from tokenreach.scanner import run as run_module

TOKEN = "hf_Zq8Rm3Vx7Np2Kw5Ts9LbQ4Yc6Ud1Hg0Jf3"


@pytest.fixture
def scanned(repo: Repo, monkeypatch) -> list[int]:
    repo.write("a.py", f"T = '{TOKEN}'\n")
    repo.commit("a")
    calls: list[int] = []
    real = run_module.run

    def counting(opts):
        calls.append(1)
        return real(opts)

    monkeypatch.setattr("tokenreach.scanner.cli.app.run", counting)
    return calls


@pytest.mark.parametrize("args", [
    ["--output", "/nonexistent/x.json"],
    ["--report", "sarif=/nonexistent/x.sarif"],
    ["--report", "html=."],
])
def test_scan_checks_every_output_path_first(repo: Repo, scanned: list[int], args: list[str]):
    proc = run_cli(["scan", str(repo.root), "--offline", *args])
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.count("\n") == 1 and "tokenreach: error:" in proc.stderr
    assert scanned == [], "the scan ran before the output path was checked"


def test_baseline_checks_its_output_first(repo: Repo, scanned: list[int]):
    proc = run_cli(["baseline", str(repo.root), "--offline", "-o", "/nonexistent/b.json"])
    assert proc.returncode == 2 and "no such folder" in proc.stderr
    assert scanned == []


def test_a_good_output_path_still_gets_the_report(repo: Repo, scanned: list[int], tmp_path):
    out = tmp_path / "r.json"
    proc = run_cli(["scan", str(repo.root), "--offline", "--format", "json", "--output", str(out)])
    assert proc.returncode == 1 and out.read_text().startswith("{") and scanned == [1]
