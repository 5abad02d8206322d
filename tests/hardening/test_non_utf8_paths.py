"""Issue 17, item 7: a file name that is not valid UTF-8 crashed every --output and --report, and left
non-UTF-8 JSON on stdout. Each such byte is now shown as \\xNN in every format, and kept exactly
where a format can carry bytes: JSON's ``path_base64``, SARIF's percent-encoded URI."""

from __future__ import annotations

import base64
import io
import json
import os

import pytest
from markdown_it import MarkdownIt

from tests.helpers import Repo, run_cli
from tests.integrations.helpers import HF, HF2
from tests.reports.test_html import page_data
from tests.reports.test_sarif import validate
from tokenreach.scanner.cli.common import Verdict
from tokenreach.scanner.cli.github import annotation_lines
from tokenreach.scanner.cli.precommit import run_precommit

RAW = b"conf\xff\xfe-\xe9t\xe9.env"  # Latin-1 "été": not UTF-8
SHOWN = "conf\\xff\\xfe-\\xe9t\\xe9.env"
FORMATS = ("text", "json", "sarif", "markdown", "html")


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Repo:
    repo = Repo(tmp_path_factory.mktemp("non-utf8") / "repo")
    (repo.root / os.fsdecode(RAW)).write_text(f"HF_TOKEN={HF}\n")
    repo.commit("a file whose name is Latin-1")
    (repo.root / os.fsdecode(b"old-\xff.env")).write_text(f"HF_TOKEN={HF2}\n")
    repo.commit("another")
    (repo.root / os.fsdecode(b"old-\xff.env")).unlink()
    repo.commit("gone, in history only")
    return repo


@pytest.fixture(scope="module")
def reports(repo: Repo, tmp_path_factory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("reports")
    files = {fmt: out / f"report.{fmt}" for fmt in FORMATS}
    proc = run_cli(["scan", str(repo.root), "--offline", "--format", "json", "--output", str(out / "main.json"),
                    *[arg for fmt, path in files.items() for arg in ("--report", f"{fmt}={path}")]])
    assert proc.returncode == 1, proc.stderr
    assert "error" not in proc.stderr
    return {fmt: path.read_bytes() for fmt, path in files.items()} | {"main.json": (out / "main.json").read_bytes()}


def test_every_report_is_written_as_valid_utf8(reports):
    for data in reports.values():
        data.decode("utf-8")  # strict: no lone surrogate, no raw byte (what each holds: the tests below)


def test_json_shows_the_bytes_and_keeps_them(reports):
    doc = json.loads(reports["json"])
    locs = {loc["path"]: loc for f in doc["findings"] for loc in f["locations"]}
    assert SHOWN in locs and "old-\\xff.env" in locs
    assert base64.b64decode(locs[SHOWN]["path_base64"]) == RAW
    assert base64.b64decode(locs["old-\\xff.env"]["path_base64"]) == b"old-\xff.env"
    assert locs["old-\\xff.env"]["exposure"] == "history"
    # A name that is valid UTF-8 needs no second form.
    assert json.loads(reports["main.json"]) == doc


def test_json_on_stdout_is_valid_utf8(repo):
    proc = run_cli(["scan", str(repo.root), "--offline", "--format", "json"])
    assert proc.returncode == 1, proc.stderr
    assert "\ufffd" not in proc.stdout, "stdout was not valid UTF-8"
    assert SHOWN in {loc["path"] for f in json.loads(proc.stdout)["findings"] for loc in f["locations"]}


def test_text_on_stdout_shows_the_escaped_name(repo):
    proc = run_cli(["scan", str(repo.root), "--offline"])
    assert proc.returncode == 1, proc.stderr
    assert f"at      {SHOWN}:1:10 [tracked]" in proc.stdout
    assert "\ufffd" not in proc.stdout


def test_sarif_uri_is_the_exact_bytes_percent_encoded(reports):
    doc = json.loads(reports["sarif"])
    validate(doc)
    uris = {loc["physicalLocation"]["artifactLocation"]["uri"] for r in doc["runs"][0]["results"]
            for loc in r["locations"] + r.get("relatedLocations", [])}
    assert "conf%FF%FE-%E9t%E9.env" in uris and "old-%FF.env" in uris
    messages = [r["message"]["text"] for r in doc["runs"][0]["results"]]
    assert any(SHOWN.replace("\\", "\\\\") in m for m in messages)  # SARIF escapes the backslash itself


def test_markdown_and_html_show_the_escaped_name(reports):
    rendered = MarkdownIt("commonmark", {"html": True}).enable("table").render(reports["markdown"].decode())
    assert SHOWN in rendered
    paths = [loc[0] for f in page_data(reports["html"].decode())["findings"] for loc in f["locations"]]
    assert SHOWN in paths


def test_precommit_line_and_github_annotations(repo, tmp_path):
    staged = Repo(tmp_path / "staged")
    (staged.root / os.fsdecode(RAW)).write_text(f"HF_TOKEN={HF}\n")
    staged.git("add", "-A")
    out = io.StringIO()
    assert run_precommit(staged.root, offline=True, fail_on=None, baseline=None, lookup_timeout=5, out=out) == 1
    assert f"{SHOWN}:1 [staged]" in out.getvalue()
    out.getvalue().encode("utf-8")

    from tokenreach.scanner.run import RunOptions, run

    outcome = run(RunOptions(path=repo.root, offline=True))
    lines = annotation_lines(outcome.scan, Verdict("high", False), repo.root, repo.root, offline=True)
    assert any(f"file={SHOWN}," in line for line in lines)
    "\n".join(lines).encode("utf-8")

