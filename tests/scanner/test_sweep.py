"""A sweep of many repositories (issue 14): targets, merge across repositories, one lookup per token."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fakes import github as fake_github
from tests.helpers import Repo, fake_env, run_cli, scan_json
from tokenreach.scanner import sweep as sweeps
from tokenreach.scanner.run import RunOptions

TOKEN = fake_github.CLASSIC_NARROW


def _repo(root: Path, name: str, text: str, history: str | None = None) -> Repo:
    r = Repo(root / name)
    if history is not None:
        r.write("old.env", history)
        r.commit("old")
        (r.root / "old.env").unlink()
    r.write("config.env", text)
    r.commit("init")
    return r


def test_one_token_in_twelve_repositories_is_one_finding_and_one_lookup(tmp_path: Path) -> None:
    fleet = tmp_path / "fleet"
    for i in range(12):
        _repo(fleet, f"svc{i:02d}", f"GITHUB_TOKEN={TOKEN}\n")
    with fake_github.make() as fake:
        env = fake_env({"github": fake.url})
        single = scan_json(fleet / "svc00", env=env)
        one_repo_requests = len(fake.requests)
        fake.requests.clear()
        doc = scan_json(fleet, "--jobs", "2", env=env)
        assert len(fake.requests) == one_repo_requests > 0
        fake.assert_read_only()
    [finding] = [f for f in doc["findings"] if f["provider"] == "github"]
    assert sorted({loc["repository"] for loc in finding["locations"]}) == [f"svc{i:02d}" for i in range(12)]
    assert [r["name"] for r in doc["repositories"]] == [f"svc{i:02d}" for i in range(12)]
    assert all(r["findings"] == 1 and r["error"] is None for r in doc["repositories"])
    assert finding["access"] == single["findings"][0]["access"]


def test_each_repository_keeps_its_own_history_and_exposures(tmp_path: Path) -> None:
    _repo(tmp_path, "a", "nothing here\n", history=f"GITHUB_TOKEN={TOKEN}\n")
    b = _repo(tmp_path, "b", "nothing here\n")
    b.write("local.env", f"GITHUB_TOKEN={TOKEN}\n")  # untracked
    doc = scan_json(tmp_path, "--offline")
    [finding] = [f for f in doc["findings"] if f["provider"] == "github"]
    seen = {(loc["repository"], loc["exposure"], loc["path"]) for loc in finding["locations"]}
    assert seen == {("a", "history", "old.env"), ("b", "untracked", "local.env")}


def test_a_single_repository_scan_has_no_fleet_fields(tmp_path: Path) -> None:
    r = _repo(tmp_path, "only", f"GITHUB_TOKEN={TOKEN}\n")
    doc = scan_json(r.root, "--offline")
    assert "repositories" not in doc
    assert all("repository" not in loc for f in doc["findings"] for loc in f["locations"])


def test_repositories_are_found_by_their_git_and_not_descended_into(tmp_path: Path) -> None:
    outer = _repo(tmp_path / "group", "outer", "x\n")
    Repo(outer.root / "vendor" / "inner")  # inside a repository: part of its tree
    _repo(tmp_path / "group" / "team", "deep", "x\n")
    bare = tmp_path / "group" / "mirror.git"
    Repo(tmp_path, init=False).git("clone", "-q", "--mirror", str(outer.root), str(bare))
    names = [t.name for t in sweeps.targets_for([tmp_path / "group"])]
    assert names == ["deep", "mirror", "outer"]


def test_names_stay_unique(tmp_path: Path) -> None:
    _repo(tmp_path / "x", "api", "1\n")
    _repo(tmp_path / "y", "api", "1\n")
    names = [t.name for t in sweeps.targets_for([tmp_path / "x", tmp_path / "y"])]
    assert names == ["api", "y/api"]


def test_repos_file_and_several_paths(tmp_path: Path) -> None:
    a = _repo(tmp_path, "a", f"GITHUB_TOKEN={TOKEN}\n")
    b = _repo(tmp_path, "b", f"GITHUB_TOKEN={TOKEN}\n")
    c = _repo(tmp_path, "c", "nothing\n")
    listing = tmp_path / "repos.txt"
    listing.write_text(f"# the team's\n{b.root}\n\n{c.root}\n")
    doc = scan_json(a.root, "--repos", str(listing), "--offline")
    assert [r["name"] for r in doc["repositories"]] == ["a", "b", "c"]
    assert [r["findings"] for r in doc["repositories"]] == [1, 1, 0]


def test_a_repository_that_cannot_be_scanned_is_reported_and_the_sweep_goes_on(tmp_path: Path) -> None:
    _repo(tmp_path, "good", f"GITHUB_TOKEN={TOKEN}\n")
    Repo(tmp_path / "empty")  # no commits, no files
    doc = scan_json(tmp_path, "--offline")
    by_name = {r["name"]: r for r in doc["repositories"]}
    assert by_name["good"]["error"] is None
    assert "empty repository" in by_name["empty"]["error"]
    assert any("empty" in w for w in doc["warnings"])


def test_nothing_scannable_exits_2(tmp_path: Path) -> None:
    Repo(tmp_path / "e1")
    Repo(tmp_path / "e2")
    proc = run_cli(["scan", str(tmp_path), "--offline"])
    assert proc.returncode == 2
    assert "no repository could be scanned" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_the_pool_gives_the_same_findings_as_serial(tmp_path: Path) -> None:
    for i in range(5):
        _repo(tmp_path, f"r{i}", f"GITHUB_TOKEN={TOKEN}\n", history=f"OLD={fake_github.CLASSIC_BROAD}\n")
    serial = scan_json(tmp_path, "--offline", "--jobs", "1")
    pooled = scan_json(tmp_path, "--offline", "--jobs", "2")
    assert serial["findings"] == pooled["findings"]
    assert [r["name"] for r in serial["repositories"]] == [r["name"] for r in pooled["repositories"]]


def test_sweep_api_merges_in_target_order(tmp_path: Path) -> None:
    for name in ("b", "a"):
        _repo(tmp_path, name, f"GITHUB_TOKEN={TOKEN}\n")
    targets = sweeps.targets_for([tmp_path])
    out = sweeps.sweep(RunOptions(path=tmp_path, offline=True), targets, jobs=1)
    [f] = [f for f in out.findings if f.provider == "github"]
    assert [loc.repository for loc in f.locations] == ["a", "b"]


@pytest.mark.parametrize("flag", ["--staged", "--home"])
def test_one_repository_options_are_refused_for_a_sweep(tmp_path: Path, flag: str) -> None:
    _repo(tmp_path, "a", "x\n")
    _repo(tmp_path, "b", "x\n")
    proc = run_cli(["scan", str(tmp_path), flag, "--offline"])
    assert proc.returncode == 2
    assert "not several" in proc.stderr


def test_unreadable_repos_file_is_one_line(tmp_path: Path) -> None:
    proc = run_cli(["scan", str(tmp_path), "--repos", str(tmp_path / "missing.txt")])
    assert proc.returncode == 2
    assert "--repos" in proc.stderr and "Traceback" not in proc.stderr


def test_a_repository_that_kills_its_process_is_reported_and_the_others_are_scanned(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    for name in ("a", "b", "crash", "d"):
        _repo(tmp_path, name, f"GITHUB_TOKEN={TOKEN}\n")
    real = sweeps.scan

    def dying(options: sweeps.ScanOptions, **kw: object) -> object:
        if options.path.name == "crash":
            os._exit(9)  # a segfault in a worker, as the pool sees it
        return real(options, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(sweeps, "scan", dying)  # the forked workers inherit it
    targets = sweeps.targets_for([tmp_path])
    outcomes = sweeps.scan_pool(targets, sweeps.ScanOptions(path=tmp_path), jobs=2)
    by_name = {o.target.name: o for o in outcomes}
    assert [o.target.name for o in outcomes] == ["a", "b", "crash", "d"]
    assert "died" in (by_name["crash"].error or "")
    assert all(by_name[n].error is None and by_name[n].findings for n in ("a", "b", "d"))


def test_the_progress_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tokenreach.scanner.cli.fleet import ProgressLine

    targets = [sweeps.Target(n, str(tmp_path / n)) for n in ("a", "b", "c")]
    line = ProgressLine(targets, slots=2)
    line(sweeps.Outcome(targets[0], findings=[]), 1, 3)
    line.close()
    err = capsys.readouterr().err
    assert "sweep 1/3 repositories · 0 findings · slowest: " in err
    assert "slowest: b" in err or "slowest: c" in err
