"""The opt-in check of the pre-commit hook and `ci github`: fail when a live or over-privileged
token is in a file a configured coding agent's file tools can read (scanner/fences.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fakes import huggingface as hf_fake
from tests.helpers import Repo, fake_env, run_cli
from tests.integrations.helpers import clean_env, run_tokenreach


@pytest.fixture
def fake():  # type: ignore[no-untyped-def]
    with hf_fake.make() as server:
        yield server


def _repo(repo: Repo) -> Repo:
    repo.write(".cursor/rules/style.mdc", "be brief\n")
    repo.write("README.md", "hi\n")
    repo.commit("init")
    repo.write("deploy.sh", f"export HF_TOKEN={hf_fake.READ}\n")
    repo.git("add", "deploy.sh")
    return repo


def test_precommit_refuses_a_live_token_an_agent_can_read_only_when_asked(repo: Repo, fake) -> None:  # type: ignore[no-untyped-def]
    _repo(repo)
    env = fake_env({"huggingface": fake.url})
    plain = run_cli(["ci", "precommit", "--fail-on", "critical"], env=env, cwd=repo.root)
    assert plain.returncode == 0, plain.stdout + plain.stderr
    checked = run_cli(["ci", "precommit", "--fail-on", "critical", "--fail-if-agent-readable"], env=env, cwd=repo.root)
    assert checked.returncode == 1, checked.stdout + checked.stderr
    assert ("  agent-readable: deploy.sh: Hugging Face access token **** (live, over-privileged), readable by "
            "Cursor's file tools: fence it (tokenreach guard) and rotate it") in checked.stdout
    repo.write(".cursorignore", "deploy.sh\n")  # fenced: the check passes (the terminal is still open)
    fenced = run_cli(["ci", "precommit", "--fail-on", "critical", "--fail-if-agent-readable"], env=env,
                     cwd=repo.root)
    assert fenced.returncode == 0, fenced.stdout
    assert hf_fake.READ not in checked.stdout + checked.stderr


def test_ci_github_fails_with_an_error_annotation_when_asked(repo: Repo, tmp_path: Path, fake) -> None:  # type: ignore[no-untyped-def]
    _repo(repo)
    repo.commit("add deploy")
    env = clean_env({"GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": str(repo.root), "RUNNER_TEMP": str(tmp_path),
                     "TOKENREACH_CI_FAIL_ON": "critical", **fake_env({"huggingface": fake.url})})
    plain = run_tokenreach(["ci", "github", "--no-html"], env=env, cwd=repo.root)
    assert plain.returncode == 0, plain.stdout + plain.stderr
    checked = run_tokenreach(["ci", "github", "--no-html"],
                             env={**env, "TOKENREACH_CI_FAIL_IF_AGENT_READABLE": "true"}, cwd=repo.root)
    assert checked.returncode == 1, checked.stdout + checked.stderr
    assert ("::error title=tokenreach%3A readable by a coding agent::deploy.sh: Hugging Face access token **** "
            "(live, over-privileged), readable by Cursor's file tools") in checked.stdout
