"""`tokenreach ci github` run as GitHub Actions runs it: fabricated event, summary and output files;
and action.yml checked against the command it wraps."""

from __future__ import annotations

import json
import random
import re
import string
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.helpers import Repo
from tests.integrations.helpers import HF, HF2, HF3, assert_no_secret, clean_env, run_tokenreach, stderr_lines
from tokenreach.scanner.cli.github import command, escape_data, escape_property, output_lines

ROOT = Path(__file__).resolve().parents[2]
ZERO = "0" * 40


class Actions:
    """A fabricated GitHub Actions environment around a workspace."""

    def __init__(self, tmp: Path, workspace: Path) -> None:
        self.workspace = workspace
        self.dir = tmp / "runner"
        self.dir.mkdir()
        self.summary = self.dir / "step_summary.md"
        self.output = self.dir / "output.txt"
        self.summary.write_text("")
        self.output.write_text("")
        self.event_path = self.dir / "event.json"

    def env(self, event: str | None = None, payload: Any = None, **inputs: str) -> dict[str, str]:
        env = {
            "GITHUB_ACTIONS": "true",
            "GITHUB_WORKSPACE": str(self.workspace),
            "GITHUB_STEP_SUMMARY": str(self.summary),
            "GITHUB_OUTPUT": str(self.output),
            "RUNNER_TEMP": str(self.dir),
        }
        if event is not None:
            env["GITHUB_EVENT_NAME"] = event
            env["GITHUB_EVENT_PATH"] = str(self.event_path)
            self.event_path.write_text(payload if isinstance(payload, str) else json.dumps(payload))
        # The action passes its inputs this way (see action.yml).
        env.update({f"TOKENREACH_CI_{k.upper()}": v for k, v in inputs.items()})
        return clean_env(env)

    def run(self, env: dict[str, str], *args: str):  # type: ignore[no-untyped-def]
        return run_tokenreach(["ci", "github", *args], env=env, cwd=self.workspace)

    def outputs(self) -> dict[str, str]:
        return parse_outputs(self.output.read_text())


def parse_outputs(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    lines = iter(text.splitlines())
    for line in lines:
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delim = line.split("<<", 1)
            value = []
            for more in lines:
                if more == delim:
                    break
                value.append(more)
            out[name] = "\n".join(value)
        else:
            name, _, value = line.partition("=")
            out[name] = value
    return out


def annotations(stdout: str) -> list[tuple[str, dict[str, str], str]]:
    """(level, properties, message) of every ::error / ::warning line outside stop-commands."""
    out = []
    stopped: str | None = None
    for line in stdout.splitlines():
        if stopped is not None:
            if line == f"::{stopped}::":
                stopped = None
            continue
        if line.startswith("::stop-commands::"):
            stopped = line.removeprefix("::stop-commands::")
            continue
        m = re.match(r"::(error|warning) ([^:]*)::(.*)$", line)
        if m:
            props = dict(p.split("=", 1) for p in m.group(2).split(","))
            out.append((m.group(1), props, m.group(3)))
    return out


def all_written(gh: Actions) -> list[str]:
    texts = [gh.summary.read_text(), gh.output.read_text()]
    texts += [p.read_text() for p in (gh.dir / "tokenreach").glob("*")] if (gh.dir / "tokenreach").exists() else []
    return texts


@pytest.fixture
def gh(tmp_path: Path, repo: Repo) -> Actions:
    return Actions(tmp_path, repo.root)


# ── full mode ─────────────────────────────────────────────────────────────────────────────────

def test_push_full_scan_annotates_summarises_and_fails(repo: Repo, gh: Actions) -> None:
    repo.write("README.md", "hello\n")
    repo.write("app/settings.py", f'import os\nHF_TOKEN = "{HF}"\n')
    head = repo.commit("add settings")
    public = {"full_name": "octo/app", "private": False}  # sarif: auto uploads from a public repository
    proc = gh.run(gh.env("push", {"before": ZERO, "after": head, "repository": public}, offline="true"))
    assert proc.returncode == 1, proc.stderr

    found = annotations(proc.stdout)
    assert found == [("error", {"file": "app/settings.py", "line": "2", "col": "13",
                                "title": "HIGH%3A Hugging Face access token (user token)"}, found[0][2])]
    message = found[0][2]
    assert "hf_…4567 in HF_TOKEN" in message and "not looked up (offline)" in message
    assert "tracked file" in message

    outputs = gh.outputs()
    assert outputs["findings"] == "1" and outputs["live"] == "0" and outputs["over-privileged"] == "0"
    assert outputs["highest-severity"] == "high"
    sarif = json.loads(Path(outputs["sarif-file"]).read_text())
    assert sarif["version"] == "2.1.0"
    assert sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == \
        "app/settings.py"
    assert Path(outputs["html-file"]).read_text().lstrip().lower().startswith("<!doctype html")
    assert json.loads(Path(outputs["json-file"]).read_text())["findings"][0]["provider"] == "huggingface"
    # Reports go under RUNNER_TEMP, never into the scanned workspace.
    for key in ("sarif-file", "html-file", "json-file"):
        assert Path(outputs[key]).parent == gh.dir / "tokenreach"

    summary = gh.summary.read_text().replace("\\.", ".")  # Markdown escapes a name's dots (no autolink)
    assert "Hugging Face" in summary and "settings.py" in summary
    assert_no_secret(proc.stdout, proc.stderr, *all_written(gh))


def test_clean_repository_passes_with_zero_counts(repo: Repo, gh: Actions) -> None:
    repo.write("main.py", "print('no secrets here')\n")
    repo.commit("clean")
    gh.summary.write_text("## an earlier step\n")
    proc = gh.run(gh.env("push", {"before": ZERO, "after": ZERO}), "--offline")
    assert proc.returncode == 0, proc.stderr
    assert annotations(proc.stdout) == []
    outputs = gh.outputs()
    assert (outputs["findings"], outputs["live"], outputs["over-privileged"], outputs["highest-severity"]) == \
        ("0", "0", "0", "")
    summary = gh.summary.read_text()
    assert summary.startswith("## an earlier step\n")  # appended, not overwritten
    assert "tokenreach" in summary


def test_fail_on_decides_error_or_warning_and_exit(repo: Repo, gh: Actions) -> None:
    repo.write("config.env", f"HF_TOKEN={HF}\n")
    repo.commit("env")
    proc = gh.run(gh.env(offline="true", fail_on="critical"))
    assert proc.returncode == 0, proc.stderr
    assert [a[0] for a in annotations(proc.stdout)] == ["warning"]
    assert gh.outputs()["findings"] == "1"


def test_fail_on_comes_from_the_repository_configuration(repo: Repo, gh: Actions) -> None:
    repo.write("config.env", f"HF_TOKEN={HF}\n")
    repo.write(".tokenreach.toml", 'fail_on = "critical"\n')
    repo.commit("env and config")
    assert gh.run(gh.env(offline="true")).returncode == 0
    # The input beats the configuration.
    assert gh.run(gh.env(offline="true", fail_on="medium")).returncode == 1


def test_history_only_token_is_annotated_with_its_commit(repo: Repo, gh: Actions) -> None:
    repo.write("old.txt", f"token {HF}\n")
    added = repo.commit("oops")
    repo.git("rm", "-q", "old.txt")
    repo.commit("remove it")
    proc = gh.run(gh.env(offline="true"))
    [(level, props, message)] = annotations(proc.stdout)
    assert props["file"] == "old.txt" and props["line"] == "1"
    assert f"only in git history (commit {added[:12]}" in message
    # History lowers it one level (high → medium), below the default fail-on.
    assert (level, proc.returncode) == ("warning", 0)


def test_one_annotation_per_token_at_its_most_exposed_location(repo: Repo, gh: Actions) -> None:
    """Issue 15, item 17: a token at several places is one annotation, where it is most exposed."""
    repo.write("old/a.txt", f"{HF}\n")
    repo.write("old/b.txt", f"x {HF}\n")
    repo.commit("two copies")
    repo.git("rm", "-q", "-r", "old")
    repo.commit("gone from the tree")
    repo.write("many.txt", "".join(f"t{i} = {HF}\n" for i in range(30)))
    repo.commit("many")
    proc = gh.run(gh.env(offline="true"))
    [(level, props, message)] = annotations(proc.stdout)
    assert (level, props["file"], props["line"]) == ("error", "many.txt", "1")  # tracked beats history
    assert "31 more location(s) in the job summary" in message
    assert "not annotated" not in proc.stdout  # every token has its annotation
    summary = gh.summary.read_text()
    assert "31 token locations without an annotation" in summary
    listed = summary.split("without an annotation", 1)[1]  # Markdown: '.' and '(' come escaped
    assert "old/a\\.txt:1:1 \\(only in git history\\)" in listed and "old/b\\.txt:1:3" in listed
    assert "many\\.txt:30:" in listed and "many\\.txt:1:" not in listed  # not the annotated one


def _hf_tokens(n: int) -> list[str]:
    rng = random.Random(15)
    alphabet = string.ascii_letters + string.digits
    return ["hf_" + "".join(rng.choice(alphabet) for _ in range(34)) for _ in range(n)]


def test_ten_annotations_of_each_level_and_the_rest_in_the_summary(repo: Repo, gh: Actions) -> None:
    """GitHub shows 10 error and 10 warning annotations per step: the worst ten of each level."""
    tokens = _hf_tokens(14)
    repo.write("tree.env", "".join(f"T{i}={t}\n" for i, t in enumerate(tokens[:12])))  # high: errors
    repo.write("gone.env", "".join(f"G{i}={t}\n" for i, t in enumerate(tokens[12:])))
    repo.commit("tokens")
    repo.git("rm", "-q", "gone.env")
    repo.commit("two only in history")  # medium, below fail-on: warnings
    proc = gh.run(gh.env(offline="true"))
    assert proc.returncode == 1
    found = annotations(proc.stdout)
    assert [lvl for lvl, _, _ in found] == ["error"] * 10 + ["warning"] * 2
    assert "::notice::2 more token(s) not annotated" in proc.stdout
    summary = gh.summary.read_text().split("without an annotation", 1)[1]
    assert sum(f"tree\\.env:{i + 1}:" in summary for i in range(12)) == 2


def test_annotation_properties_and_log_are_escaped(repo: Repo, gh: Actions) -> None:
    name = "we,ird:na%me.txt"
    repo.write(name, f"x = {HF}\n")
    repo.commit("weird name")
    proc = gh.run(gh.env(offline="true"))
    [(_, props, _)] = annotations(proc.stdout)
    assert props["file"] == "we%2Cird%3Ana%25me.txt"
    # The human-readable report in the log sits between stop-commands markers.
    lines = proc.stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("::stop-commands::"))
    guard = lines[start].removeprefix("::stop-commands::")
    assert re.fullmatch(r"[0-9a-f]{32}", guard)
    end = lines.index(f"::{guard}::")
    assert any(name in line for line in lines[start:end])


def test_paths_are_relative_to_the_workspace(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    sub = Repo(workspace / "services" / "api")
    sub.write("deploy.sh", f"export HF_TOKEN={HF}\n")
    sub.commit("deploy")
    gh = Actions(tmp_path, workspace)
    proc = gh.run(gh.env(offline="true", path="services/api"))
    [(_, props, _)] = annotations(proc.stdout)
    assert props["file"] == "services/api/deploy.sh"


def test_reports_can_be_switched_off(repo: Repo, gh: Actions) -> None:
    repo.write("a.txt", f"{HF}\n")
    repo.commit("a")
    proc = gh.run(gh.env(offline="true", sarif="false", html="false"))
    assert proc.returncode == 1
    outputs = gh.outputs()
    assert outputs["sarif-file"] == "" and outputs["html-file"] == ""
    assert sorted(p.name for p in (gh.dir / "tokenreach").iterdir()) == ["tokenreach.json"]


def test_baseline_input_accepts_known_tokens(repo: Repo, gh: Actions, tmp_path: Path) -> None:
    repo.write("a.txt", f"{HF}\n")
    repo.commit("a")
    baseline = tmp_path / "accepted.json"
    made = run_tokenreach(["baseline", ".", "--offline", "--output", str(baseline)], env=clean_env(),
                          cwd=repo.root)
    assert made.returncode == 0, made.stderr
    proc = gh.run(gh.env(offline="true", baseline=str(baseline)))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert gh.outputs()["findings"] == "0"
    assert "1 token(s) not reported: 1 in the baseline" in proc.stdout
    # A new token is still reported.
    repo.write("b.txt", f"{HF2}\n")
    repo.commit("b")
    gh.output.write_text("")
    assert gh.run(gh.env(offline="true", baseline=str(baseline))).returncode == 1
    assert gh.outputs()["findings"] == "1"


def test_extra_args_reach_the_scan(repo: Repo, gh: Actions) -> None:
    repo.write("old.txt", f"{HF}\n")
    repo.commit("old")
    repo.git("rm", "-q", "old.txt")
    repo.commit("gone")
    assert gh.run(gh.env(offline="true", fail_on="low")).returncode == 1
    gh.output.write_text("")
    proc = gh.run(gh.env(offline="true", fail_on="low", extra_args="--no-history --lookup-timeout 5"))
    assert proc.returncode == 0, proc.stderr
    assert gh.outputs()["findings"] == "0"


@pytest.mark.parametrize("extra, message", [
    ("--format json", "extra-args: unknown option '--format'"),
    ("--lookup-timeout soon", "extra-args: argument --lookup-timeout: invalid float value: 'soon'"),
    ("--max-file-size 'unclosed", "extra-args: No closing quotation"),
])
def test_bad_extra_args_are_one_line_errors(repo: Repo, gh: Actions, extra: str, message: str) -> None:
    repo.commit("empty")
    proc = gh.run(gh.env(offline="true", extra_args=extra))
    assert proc.returncode == 2
    [line] = stderr_lines(proc.stderr)
    assert line.startswith(f"tokenreach: error: {message}")


# ── diff mode ─────────────────────────────────────────────────────────────────────────────────

def _pull_request(base: str, head: str) -> dict[str, Any]:
    return {"action": "synchronize", "number": 7,
            "pull_request": {"number": 7, "base": {"ref": "main", "sha": base},
                             "head": {"ref": "feature", "sha": head}}}


def test_pull_request_diff_scans_only_what_the_pull_request_adds(repo: Repo, gh: Actions) -> None:
    repo.write("legacy.cfg", f"token = {HF}\n")  # on main before the pull request
    repo.commit("legacy")
    repo.write("history.txt", f"{HF3}\n")
    repo.commit("history")
    repo.git("rm", "-q", "history.txt")
    base = repo.commit("removed")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("src/client.py", f'API = "{HF2}"\n')
    head = repo.commit("feature work")

    proc = gh.run(gh.env("pull_request", _pull_request(base, head), mode="diff", offline="true"))
    assert proc.returncode == 1, proc.stderr
    found = annotations(proc.stdout)
    assert [(lvl, p["file"], p["line"]) for lvl, p, _ in found] == [("error", "src/client.py", "1")]
    assert "hf_…3210" in found[0][2]
    assert f"mode diff: scanned what {base[:12]}..HEAD introduces" in proc.stdout
    assert gh.outputs()["findings"] == "1"
    summary = gh.summary.read_text().replace("\\.", ".")  # Markdown escapes a name's dots (no autolink)
    assert "client.py" in summary and "legacy.cfg" not in summary

    # The same repository in full mode reports all three.
    gh.output.write_text("")
    assert gh.run(gh.env("pull_request", _pull_request(base, head), mode="full", offline="true")).returncode == 1
    assert gh.outputs()["findings"] == "3"
    assert_no_secret(proc.stdout, proc.stderr, *all_written(gh))


def test_pull_request_diff_with_a_merge_commit_head(repo: Repo, gh: Actions) -> None:
    """actions/checkout checks a pull request out as GitHub's merge commit (base + head)."""
    repo.write("README.md", "base\n")
    base = repo.commit("base")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("leak.py", f"K = '{HF2}'\n")
    head = repo.commit("leak")
    repo.git("checkout", "-q", "main")
    repo.write("other.md", "main moved on\n")
    base = repo.commit("main moves")
    repo.git("merge", "-q", "--no-ff", "-m", "Merge feature into main", "feature")
    proc = gh.run(gh.env("pull_request", _pull_request(base, head), mode="diff", offline="true"))
    assert proc.returncode == 1, proc.stderr
    assert [p["file"] for _, p, _ in annotations(proc.stdout)] == ["leak.py"]


def test_push_diff_scans_before_to_after(repo: Repo, gh: Actions) -> None:
    repo.write("old.env", f"A={HF}\n")
    before = repo.commit("old")
    repo.write("new.env", f"B={HF2}\n")
    after = repo.commit("new")
    proc = gh.run(gh.env("push", {"before": before, "after": after, "ref": "refs/heads/main"},
                         mode="diff", offline="true"))
    assert proc.returncode == 1, proc.stderr
    assert [p["file"] for _, p, _ in annotations(proc.stdout)] == ["new.env"]
    assert gh.outputs()["findings"] == "1"


def test_push_diff_clean_change_passes(repo: Repo, gh: Actions) -> None:
    repo.write("old.env", f"A={HF}\n")
    before = repo.commit("old")
    repo.write("docs.md", "just docs\n")
    after = repo.commit("docs")
    proc = gh.run(gh.env("push", {"before": before, "after": after}, mode="diff", offline="true"))
    assert proc.returncode == 0, proc.stderr
    assert annotations(proc.stdout) == [] and gh.outputs()["findings"] == "0"


@pytest.mark.parametrize("event, payload", [
    ("push", {"before": ZERO, "after": None}),  # a new branch: nothing to diff against
    ("workflow_dispatch", {"inputs": {}}),
    ("schedule", {"schedule": "0 3 * * *"}),
])
def test_diff_without_a_base_falls_back_to_a_full_scan(repo: Repo, gh: Actions, event: str,
                                                       payload: dict[str, Any]) -> None:
    repo.write("old.env", f"A={HF}\n")
    head = repo.commit("old")
    if event == "push":
        payload["after"] = head
    proc = gh.run(gh.env(event, payload, mode="diff", offline="true"))
    assert proc.returncode == 1, proc.stderr
    assert f"::notice::mode diff: a {event} event without a base commit; scanning the whole repository" \
        in proc.stdout
    assert gh.outputs()["findings"] == "1"


# ── clear errors ──────────────────────────────────────────────────────────────────────────────

def _one_line_error(proc) -> str:  # type: ignore[no-untyped-def]
    assert proc.returncode == 2, proc.stdout + proc.stderr
    lines = stderr_lines(proc.stderr)
    assert len(lines) == 1 and lines[0].startswith("tokenreach: error: "), proc.stderr
    assert "Traceback" not in proc.stderr
    return lines[0]


def test_diff_mode_without_an_event_file(repo: Repo, gh: Actions) -> None:
    repo.commit("c")
    env = gh.env(mode="diff", offline="true")
    env["GITHUB_EVENT_NAME"] = "pull_request"
    assert "GITHUB_EVENT_PATH" in _one_line_error(gh.run(env))
    env["GITHUB_EVENT_PATH"] = str(gh.dir / "missing.json")
    assert "missing.json: no such file" in _one_line_error(gh.run(env))


@pytest.mark.parametrize("payload, expected", [
    ("{not json", "not a valid JSON event"),
    ("[1, 2]", "not a valid JSON event (expected an object)"),
    ("\xff\xfe", "not a valid JSON event"),
    (json.dumps({"pull_request": {"head": {"sha": "a" * 40}}}),
     "the pull_request event has no commit sha at pull_request.base.sha"),
    (json.dumps({"pull_request": {"base": {"sha": "--upload-pack=evil"}, "head": {"sha": "a" * 40}}}),
     "the pull_request event has no commit sha at pull_request.base.sha"),
])
def test_malformed_pull_request_event(repo: Repo, gh: Actions, payload: str, expected: str) -> None:
    repo.commit("c")
    assert expected in _one_line_error(gh.run(gh.env("pull_request", payload, mode="diff", offline="true")))


def test_base_commit_missing_from_a_shallow_clone(repo: Repo, gh: Actions) -> None:
    head = repo.commit("c")
    missing = "1234567890abcdef1234567890abcdef12345678"
    proc = gh.run(gh.env("pull_request", _pull_request(missing, head), mode="diff", offline="true"))
    line = _one_line_error(proc)
    assert "base commit 1234567890ab of the pull_request event is not in the clone" in line
    assert "fetch-depth: 0" in line
    # Issue 15, item 19: the run's page says it too, as an error annotation.
    [error] = [x for x in proc.stdout.splitlines() if x.startswith("::error")]
    assert error.startswith("::error title=tokenreach::mode diff: base commit 1234567890ab")
    assert "fetch-depth: 0" in error


def test_a_shallow_clone_is_named(tmp_path: Path, repo: Repo) -> None:
    repo.write("a.txt", "one\n")
    base = repo.commit("one")
    repo.write("b.txt", "two\n")
    repo.commit("two")
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo.root}", str(shallow)], check=True,
                   env=clean_env(), capture_output=True)
    gh = Actions(tmp_path, shallow)
    head = subprocess.run(["git", "-C", str(shallow), "rev-parse", "HEAD"], capture_output=True, text=True,
                          check=True).stdout.strip()
    proc = gh.run(gh.env("pull_request", _pull_request(base, head), mode="diff", offline="true"))
    assert proc.returncode == 2
    assert f"::error title=tokenreach::mode diff: base commit {base[:12]} of the pull_request event is not in " \
           "the clone (a shallow clone): check out the whole history, with actions/checkout and fetch-depth: 0" \
        in proc.stdout.splitlines()


@pytest.mark.parametrize("inputs, expected", [
    ({"mode": "partial"}, "--mode must be full or diff, not 'partial'"),
    ({"fail_on": "severe"}, "--fail-on must be one of info, low, medium, high, critical"),
    ({"baseline": "/nonexistent/baseline.json"}, "baseline file not found"),
])
def test_bad_inputs_are_one_line_errors(repo: Repo, gh: Actions, inputs: dict[str, str], expected: str) -> None:
    repo.write("a.txt", f"{HF}\n")
    repo.commit("c")
    assert expected in _one_line_error(gh.run(gh.env(offline="true", **inputs)))


def test_bad_boolean_input_is_refused(repo: Repo, gh: Actions) -> None:
    repo.commit("c")
    proc = gh.run(gh.env(offline="maybe"))
    assert proc.returncode == 2 and "TOKENREACH_CI_OFFLINE" in proc.stderr


# ── workflow-command and output encoding ──────────────────────────────────────────────────────

def test_escaping_follows_github_rules() -> None:
    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    assert command("error", "line1\nline2", file="x,y.py", line=3, title="HIGH: t") == \
        "::error file=x%2Cy.py,line=3,title=HIGH%3A t::line1%0Aline2"
    assert command("notice", "plain") == "::notice::plain"


def test_outputs_with_line_breaks_use_the_delimiter_form() -> None:
    text = "".join(output_lines({"findings": "2", "odd": "a\nb"}))
    parsed = parse_outputs(text)
    assert parsed == {"findings": "2", "odd": "a\nb"}
    assert re.search(r"^odd<<ghadelimiter_[0-9a-f-]{36}$", text, re.M)


# ── action.yml ────────────────────────────────────────────────────────────────────────────────

@pytest.fixture(scope="module")
def action() -> dict[str, Any]:
    doc = yaml.safe_load((ROOT / "action.yml").read_text())
    assert isinstance(doc, dict)
    return doc


def test_action_declares_the_issue_inputs(action: dict[str, Any]) -> None:
    inputs = action["inputs"]
    for name in ("path", "mode", "fail-on", "offline", "baseline", "sarif", "html-artifact", "extra-args"):
        assert name in inputs and inputs[name]["description"]
    assert inputs["sarif"]["default"] == "auto" and inputs["html-artifact"]["default"] == "true"
    assert inputs["mode"]["default"] == "full"
    assert action["runs"]["using"] == "composite"


def test_every_referenced_input_exists_and_every_input_is_used(action: dict[str, Any]) -> None:
    text = (ROOT / "action.yml").read_text()
    used = set(re.findall(r"\binputs\.([A-Za-z0-9_-]+)", text))
    assert used, "no inputs referenced"
    assert used <= set(action["inputs"]), used - set(action["inputs"])
    assert set(action["inputs"]) <= used, set(action["inputs"]) - used


def test_outputs_and_conditions_reference_real_steps_and_outputs(action: dict[str, Any], repo: Repo,
                                                                  gh: Actions) -> None:
    steps = action["runs"]["steps"]
    ids = {s["id"] for s in steps if "id" in s}
    repo.commit("c")
    assert gh.run(gh.env(offline="true")).returncode == 0
    written = set(gh.outputs())  # what `tokenreach ci github` really writes to GITHUB_OUTPUT
    text = (ROOT / "action.yml").read_text()
    refs = re.findall(r"steps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)", text)
    assert refs
    for step, name in refs:
        assert step in ids, step
        if step == "scan":
            assert name in written, name
    for name, spec in action["outputs"].items():
        assert re.fullmatch(r"\$\{\{ steps\.[a-z-]+\.outputs\.[a-z-]+ \}\}", spec["value"]), name
        assert spec["description"]
    assert {"findings", "live", "over-privileged", "sarif-file", "html-file"} <= set(action["outputs"])


def test_scan_step_passes_inputs_only_through_the_commands_environment(action: dict[str, Any]) -> None:
    import typer.main

    from tokenreach.scanner.cli.ci import app

    github = typer.main.get_command(app).commands["github"]  # type: ignore[attr-defined]
    envvars = {p.envvar for p in github.params if p.envvar}
    scan = next(s for s in action["runs"]["steps"] if s.get("id") == "scan")
    # Besides the inputs: the installed interpreter, and the job's token for the code-scanning check.
    plumbing = {"TOKENREACH_VENV_PYTHON": "${{ steps.where.outputs.python }}", "GITHUB_TOKEN": "${{ github.token }}"}
    inputs = {k: v for k, v in scan["env"].items() if k not in plumbing}
    assert {k: scan["env"][k] for k in plumbing} == plumbing
    assert set(inputs) <= envvars, set(inputs) - envvars
    for name, value in inputs.items():
        assert re.fullmatch(r"\$\{\{ inputs\.[a-z-]+ \}\}", value), name
    assert "${{" not in scan["run"]  # no expression spliced into the script
    assert scan["run"].endswith(" -m tokenreach.scanner.cli ci github")
    for step in action["runs"]["steps"]:
        if "run" in step:
            assert step["shell"] == "bash" and "${{" not in step["run"]


def test_action_installs_itself_and_uploads_reports(action: dict[str, Any]) -> None:
    steps = action["runs"]["steps"]
    uses = [s.get("uses", "") for s in steps]
    assert any(u.startswith("actions/setup-python@") for u in uses)
    install = next(s for s in steps if s.get("run", "").endswith('action_setup.py" install'))
    assert install["env"]["TOKENREACH_SOURCE"] == "${{ github.action_path }}"
    sarif = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif@"))
    html = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert sarif["with"]["sarif_file"] == "${{ steps.scan.outputs.sarif-file }}"
    assert html["with"]["path"] == "${{ steps.scan.outputs.html-file }}"
    # Reports are uploaded even when the scan step fails the job.
    assert sarif["if"].startswith("always()") and html["if"].startswith("always()")


def test_the_jobs_own_token_in_git_config_does_not_fail_the_job(repo: Repo, gh: Actions) -> None:
    # actions/checkout at its defaults keeps the job's GITHUB_TOKEN in .git/config.
    import base64

    from tokenreach.detectors.providers.github import with_checksum

    own = with_checksum("ghs", "JobTokenJobTokenJobTokenJobT01")
    other = with_checksum("ghs", "NotTheJobsNotTheJobsNotTheJ002")
    repo.write("README.md", "hello\n")
    repo.commit("start")
    basic = base64.b64encode(f"x-access-token:{own}".encode()).decode()
    repo.git("config", "http.https://github.com/.extraheader", f"AUTHORIZATION: basic {basic}")
    env = gh.env(offline="true")
    proc = gh.run({**env, "GITHUB_TOKEN": own})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert gh.outputs()["findings"] == "0"
    assert "the job's own GITHUB_TOKEN" in proc.stdout

    # Any other token there is still a finding.
    basic = base64.b64encode(f"x-access-token:{other}".encode()).decode()
    repo.git("config", "http.https://github.com/.extraheader", f"AUTHORIZATION: basic {basic}")
    proc = gh.run({**env, "GITHUB_TOKEN": own})
    assert proc.returncode == 1 and gh.outputs()["findings"] == "1"
