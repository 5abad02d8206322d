"""The Action as a security tool's own Action should be (issue 15, item 18): zizmor finds nothing
in action.yml nor in the README's workflow, every third-party action is pinned by commit SHA, the
install is cached and runs on Linux, macOS and Windows runners alike."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.helpers import Repo
from tests.integrations.helpers import HF
from tests.integrations.test_ci_github import Actions, annotations
from tokenreach.scanner.cli import action_setup

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
PLACEHOLDER = "<full-commit-sha>"  # what the README asks the reader to replace (no release is tagged yet)
_SHA_PIN = re.compile(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}  # v\d+\.\d+\.\d+")


def _workflow_snippet() -> str:
    [block] = [b for b in re.findall(r"```yaml\n(.*?)```", README, flags=re.S) if ".github/workflows/" in b]
    return block


@pytest.fixture(scope="module")
def action() -> dict[str, Any]:
    doc = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    assert isinstance(doc, dict)
    return doc


def test_zizmor_finds_nothing_in_the_action_nor_the_readme_workflow(tmp_path: Path) -> None:
    zizmor = shutil.which("zizmor")
    assert zizmor, "zizmor is missing: it is in the test extras (pip install -e '.[test]')"
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    # The one thing a reader fills in: a commit SHA of tokenreach. Any 40-hex value stands for it.
    snippet = _workflow_snippet()
    assert PLACEHOLDER in snippet
    (workflows / "tokenreach.yml").write_text(snippet.replace(PLACEHOLDER, "0123456789abcdef" * 2 + "01234567"))
    proc = subprocess.run([zizmor, "--offline", "--no-config", "--no-progress", "--format", "json",
                           str(ROOT / "action.yml"), str(workflows / "tokenreach.yml")],
                          capture_output=True, text=True, timeout=120)
    findings = json.loads(proc.stdout or "[]")
    assert findings == [], [(f["ident"], f["determinations"]["severity"],
                             [loc["symbolic"]["key"] for loc in f["locations"]]) for f in findings]
    assert proc.returncode == 0, proc.stderr


def test_every_action_used_is_pinned_by_commit_sha_with_its_version(action: dict[str, Any]) -> None:
    text = (ROOT / "action.yml").read_text(encoding="utf-8")
    uses = re.findall(r"uses: (\S+.*)", text)
    assert len(uses) == 4
    for line in uses:
        assert _SHA_PIN.fullmatch(line.strip()), line
    readme_uses = re.findall(r"uses: (\S+.*)", _workflow_snippet())
    checkout = next(u for u in readme_uses if u.startswith("actions/checkout@"))
    assert _SHA_PIN.fullmatch(checkout.strip()), checkout
    # The same action at the same version everywhere it is named.
    pins = {u.split("@")[0]: u.split("@")[1] for u in uses + readme_uses if "tokenreach/" not in u}
    assert len(pins) == 5


def test_the_readme_checkout_does_not_persist_credentials() -> None:
    steps = yaml.safe_load(_workflow_snippet())["jobs"]["scan"]["steps"]
    checkout = next(s for s in steps if s["uses"].startswith("actions/checkout@"))
    assert checkout["with"]["persist-credentials"] is False


def test_the_readme_documents_the_permissions_sarif_needs() -> None:
    workflow = yaml.safe_load(_workflow_snippet())
    assert workflow["permissions"] == {"contents": "read", "actions": "read", "security-events": "write"}


def test_the_install_is_cached_and_no_step_names_a_platform_path(action: dict[str, Any]) -> None:
    steps = action["runs"]["steps"]
    cache = next(s for s in steps if s.get("uses", "").startswith("actions/cache@"))
    assert cache["with"] == {"path": "${{ steps.where.outputs.venv }}", "key": "${{ steps.where.outputs.key }}"}
    names = [s.get("id") or s.get("uses", "").split("@")[0] for s in steps]
    assert names.index("where") < names.index("actions/cache") < names.index("scan")
    for step in steps:
        if "run" in step:
            assert step["shell"] == "bash"  # bash is on every hosted runner, Windows included
            assert "/bin/" not in step["run"] and "Scripts" not in step["run"]
    scan = next(s for s in steps if s.get("id") == "scan")
    assert scan["run"] == '"$TOKENREACH_VENV_PYTHON" -m tokenreach.scanner.cli ci github'
    assert scan["env"]["TOKENREACH_VENV_PYTHON"] == "${{ steps.where.outputs.python }}"


@pytest.mark.parametrize("runner_os, windows, expected", [
    ("Linux", False, "tokenreach-venv/bin/python"),
    ("macOS", False, "tokenreach-venv/bin/python"),
    ("Windows", True, "tokenreach-venv/Scripts/python.exe"),
])
def test_the_venv_interpreter_path_per_runner(tmp_path: Path, runner_os: str, windows: bool, expected: str) -> None:
    venv = action_setup.venv_dir({"RUNNER_TEMP": str(tmp_path), "RUNNER_OS": runner_os})
    assert action_setup.venv_python(venv, windows=windows).relative_to(tmp_path).as_posix() == expected


def test_where_writes_the_step_outputs(tmp_path: Path) -> None:
    output = tmp_path / "output.txt"
    env = {**os.environ, "RUNNER_TEMP": str(tmp_path), "RUNNER_OS": "Linux", "RUNNER_ARCH": "X64",
           "GITHUB_OUTPUT": str(output)}
    proc = subprocess.run([sys.executable, str(ROOT / "scanner" / "cli" / "action_setup.py"), "where"], env=env,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    outputs = dict(line.split("=", 1) for line in output.read_text().splitlines())
    assert outputs["venv"] == str(tmp_path / "tokenreach-venv")
    assert outputs["python"] == str(tmp_path / "tokenreach-venv" / "bin" / "python")
    assert re.fullmatch(r"tokenreach-Linux-X64-py\d+\.\d+\.\d+\w*-[0-9a-f]{24}", outputs["key"])


def test_the_cache_key_follows_the_source_not_only_the_ref(tmp_path: Path) -> None:
    source = tmp_path / "src"
    for name in ("scanner", "detectors", "reports"):
        (source / name).mkdir(parents=True)
        (source / name / "__init__.py").write_text("")
    (source / "pyproject.toml").write_text('[project]\nname = "tokenreach"\n')
    env = {"RUNNER_OS": "Linux", "RUNNER_ARCH": "X64"}
    before = action_setup.cache_key(env, source)
    (source / "scanner" / "__pycache__").mkdir()
    (source / "scanner" / "__pycache__" / "x.pyc").write_bytes(b"\0")
    assert action_setup.cache_key(env, source) == before  # bytecode is not source
    (source / "detectors" / "new.py").write_text("X = 1\n")
    assert action_setup.cache_key(env, source) != before
    assert action_setup.cache_key({**env, "RUNNER_OS": "Windows"}, source) != before


def test_a_restored_install_that_does_not_import_is_rebuilt(tmp_path: Path) -> None:
    venv = tmp_path / "tokenreach-venv"
    python = action_setup.venv_python(venv)
    python.parent.mkdir(parents=True)
    python.write_text("not an interpreter\n")
    assert not action_setup.works(python)
    assert action_setup.works(Path(sys.executable))  # this test's Python imports tokenreach


def test_the_scan_step_command_runs_the_action(repo: Repo, tmp_path: Path) -> None:
    """What the Scan step runs, as it runs it: `python -m tokenreach.scanner.cli ci github`."""
    repo.write("app.env", f"HF_TOKEN={HF}\n")
    repo.commit("token")
    gh = Actions(tmp_path, repo.root)
    env = gh.env(offline="true")
    env["TOKENREACH_VENV_PYTHON"] = sys.executable
    [scan] = [s for s in yaml.safe_load((ROOT / "action.yml").read_text())["runs"]["steps"] if s.get("id") == "scan"]
    proc = subprocess.run(["bash", "-c", scan["run"]], env=env, cwd=repo.root, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 1, proc.stderr
    assert [p["file"] for _, p, _ in annotations(proc.stdout)] == ["app.env"]
