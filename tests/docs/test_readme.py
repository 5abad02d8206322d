"""The README's quickstart and copy-paste snippets stay true to the project."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", README, flags=re.S)


def _yaml_block(marker: str) -> dict[str, Any]:
    [block] = [b for b in _blocks("yaml") if marker in b]
    return yaml.safe_load(block)


def test_quickstart_is_exactly_install_and_scan_then_install_and_test() -> None:
    quick = README.split("## Quickstart", 1)[1].split("##", 1)[0]
    [block] = re.findall(r"```sh\n(.*?)```", quick, flags=re.S)
    assert block.strip().splitlines() == ["pip install . && tokenreach scan .",
                                          "pip install -e '.[test]' && pytest -n auto"]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = [line for line in ci.splitlines() if line and not line.startswith(("#", " ", "if", "fi", "set", "cd"))]
    assert commands[0] == "python3 -m pip install -q -e '.[test]'"
    assert commands[-1] == "python3 -m pytest -n auto"  # the README's command, and the run's last line


def test_pre_commit_snippet_names_hooks_this_repository_offers() -> None:
    config = _yaml_block(".pre-commit-config.yaml")
    offered = {h["id"] for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    [repo] = config["repos"]
    assert {h["id"] for h in repo["hooks"]} <= offered
    assert repo["rev"] and repo["repo"].startswith("https://")


def test_workflow_snippet_uses_only_inputs_the_action_declares() -> None:
    workflow = _yaml_block(".github/workflows/")
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    assert workflow["permissions"]["security-events"] == "write"  # SARIF upload needs it
    steps = workflow["jobs"]["scan"]["steps"]
    [ours] = [s for s in steps if s.get("uses", "").split("@")[0].endswith("/tokenreach")]
    assert set(ours.get("with", {})) <= set(action["inputs"])
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0  # diff mode and history need the whole history
    listed = README.split("## GitHub Action", 1)[1].split("Inputs:", 1)[1].split("\n\n", 1)[0]
    inputs, outputs = listed.split("outputs:")
    assert set(re.findall(r"`([a-z-]+)`", inputs)) - {"full", "diff"} == set(action["inputs"])
    assert set(re.findall(r"`([a-z-]+)`", outputs)) == set(action["outputs"])
