"""The fleet view of a sweep (issue 14) in every report; a one-repository scan keeps its output."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from tests.fakes import github as fake_github
from tests.helpers import Repo
from tokenreach.reports import html, markdown, sarif, text
from tokenreach.reports import json as json_report
from tokenreach.scanner import sweep as sweeps
from tokenreach.scanner.model import ScanResult
from tokenreach.scanner.run import RunOptions, run

SCHEMA = json.loads((Path(__file__).parents[1] / "data" / "sarif-schema-2.1.0.json").read_text())
SHARED = fake_github.CLASSIC_NARROW
OWN = fake_github.CLASSIC_BROAD
HOSTILE = "evil<img src=x>|`"


def _repo(root: Path, text_: str) -> Repo:
    r = Repo(root)
    r.write("app.env", text_)
    r.commit("init")
    return r


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> ScanResult:
    base = tmp_path_factory.mktemp("fleet")
    _repo(base / "api", f"GITHUB_TOKEN={SHARED}\n")
    _repo(base / "web", f"GITHUB_TOKEN={SHARED}\nADMIN_TOKEN={OWN}\n")
    _repo(base / HOSTILE, f"GITHUB_TOKEN={SHARED}\n")
    Repo(base / "empty")  # fails: no commits, no files
    return sweeps.sweep(RunOptions(path=base, offline=True), sweeps.targets_for([base]), jobs=1).scan


@pytest.fixture(scope="module")
def single(tmp_path_factory: pytest.TempPathFactory) -> ScanResult:
    r = _repo(tmp_path_factory.mktemp("one") / "api", f"GITHUB_TOKEN={SHARED}\n")
    return run(RunOptions(path=r.root, offline=True)).scan


def test_json_names_the_repository_of_each_location(fleet: ScanResult) -> None:
    doc = json.loads(json_report.render(fleet))
    assert doc["version"] == json_report.FLEET_SCHEMA_VERSION
    assert [r["name"] for r in doc["repositories"]] == ["api", "empty", HOSTILE, "web"]  # name order
    shared = next(f for f in doc["findings"] if len(f["locations"]) == 3)
    assert sorted(loc["repository"] for loc in shared["locations"]) == sorted(["api", "web", HOSTILE])
    failed = {r["name"]: r["error"] for r in doc["repositories"]}
    assert failed["empty"] and failed["api"] is None


def test_text_has_a_repository_table_and_the_shared_tokens(fleet: ScanResult) -> None:
    out = text.render(fleet)
    assert "repository" in out and "failed: " in out
    assert "1 token(s) shared across repositories:" in out
    assert "web: app.env:1:" in out  # a location says its repository


def test_markdown_tables_escape_repository_names(fleet: ScanResult) -> None:
    out = markdown.render(fleet)
    assert "### Repositories" in out and "### Tokens shared across repositories (1)" in out
    assert "<img" not in out
    assert "evil&lt;img src=x&gt;\\|\\`" in out


def test_html_has_a_repository_filter_and_a_shared_section(fleet: ScanResult) -> None:
    out = html.render(fleet)
    assert 'id="f-repository"' in out and "Tokens shared across repositories" in out
    assert "<img src=x>" not in out
    assert "evil&lt;img src=x&gt;" in out


def test_sarif_has_one_valid_run_per_repository(fleet: ScanResult) -> None:
    doc = json.loads(sarif.render(fleet))
    jsonschema.Draft4Validator(SCHEMA).validate(doc)
    runs = doc["runs"]
    assert len(runs) == len(fleet.repositories) == 4
    ids = [r["automationDetails"]["id"] for r in runs]
    assert len(set(ids)) == 4 and all(i.startswith("tokenreach/") and "<" not in i for i in ids)
    by_repo = {r["properties"]["repository"]: r for r in runs}
    assert len(by_repo["web"]["results"]) == 2 and len(by_repo["api"]["results"]) == 1
    assert by_repo["empty"]["invocations"][0]["executionSuccessful"] is False
    for r in runs:  # each run's locations are its own repository's
        for res in r["results"]:
            assert len(res["locations"]) == 1


def test_a_single_repository_report_has_no_fleet_sections(single: ScanResult) -> None:
    assert not single.repositories
    assert "repositories" not in json.loads(json_report.render(single))
    assert json.loads(json_report.render(single))["version"] == json_report.SCHEMA_VERSION
    assert 'id="f-repository"' not in html.render(single)
    assert "shared across" not in text.render(single)
    assert "### Repositories" not in markdown.render(single)
    assert len(json.loads(sarif.render(single))["runs"]) == 1
