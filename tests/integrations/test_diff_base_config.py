"""Diff mode reads configuration and baselines from the base commit (issue 17, item 19): a pull
request cannot switch its own check off by adding a config, a baseline, a detect-secrets baseline
or a lower `fail_on`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import Repo
from tests.integrations.helpers import HF, HF2, clean_env, run_tokenreach
from tests.integrations.test_ci_github import Actions, annotations
from tokenreach.scanner.baseline import sha1_hex


@pytest.fixture
def gh(tmp_path: Path, repo: Repo) -> Actions:
    return Actions(tmp_path, repo.root)


def _pull_request(base: str, head: str) -> dict[str, Any]:
    return {"number": 9, "pull_request": {"number": 9, "base": {"ref": "main", "sha": base},
                                          "head": {"ref": "feature", "sha": head}}}


def _fingerprint(repo: Repo) -> str:
    proc = run_tokenreach(["scan", ".", "--offline", "--format", "json", "--no-baseline", "--no-config"],
                          env=clean_env(), cwd=repo.root)
    [finding] = json.loads(proc.stdout)["findings"]
    return str(finding["fingerprint"])


def _switch_everything_off(repo: Repo, secret: str) -> None:
    """What a pull request adds to silence its own token: every suppression tokenreach honours."""
    fingerprint = _fingerprint(repo)
    made = run_tokenreach(["baseline", ".", "--offline"], env=clean_env(), cwd=repo.root)
    assert made.returncode == 0, made.stderr
    assert (repo.root / ".tokenreach-baseline.json").is_file()
    repo.write(".tokenreach.toml", f'fail_on = "critical"\nfail_on_over_privileged = false\n'
                                   f'allow = ["{fingerprint}"]\n')
    repo.write(".secrets.baseline", json.dumps({"version": "1.5.0", "results": {"src/client.py": [
        {"type": "Secret Keyword", "filename": "src/client.py", "line_number": 1,
         "hashed_secret": sha1_hex(secret), "is_verified": False, "is_secret": False}]}}))


def test_a_pull_request_cannot_switch_its_own_check_off(repo: Repo, gh: Actions) -> None:
    repo.write("README.md", "base\n")
    base = repo.commit("base")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("src/client.py", f'API = "{HF2}"\n')
    _switch_everything_off(repo, HF2)
    head = repo.commit("feature work, and every way to keep it quiet")

    # Scanned as the pull request's own files say, the token would pass unreported.
    assert run_tokenreach(["scan", ".", "--offline"], env=clean_env(), cwd=repo.root).returncode == 0

    proc = gh.run(gh.env("pull_request", _pull_request(base, head), mode="diff", offline="true"))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert [(lvl, p["file"]) for lvl, p, _ in annotations(proc.stdout)] == [("error", "src/client.py")]
    assert gh.outputs()["findings"] == "1"
    assert "not reported" not in proc.stdout  # nothing was suppressed


def test_the_base_commits_configuration_still_applies(repo: Repo, gh: Actions) -> None:
    repo.write("pyproject.toml", '[project]\nname = "x"\n\n[tool.tokenreach]\nfail_on = "critical"\n')
    base = repo.commit("the maintainers' configuration")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("pyproject.toml", '[project]\nname = "x"\n\n[tool.tokenreach]\nfail_on = "low"\n')
    repo.write("settings.env", f"HF_TOKEN={HF}\n")
    head = repo.commit("a token, and a stricter threshold the base does not have")
    proc = gh.run(gh.env("pull_request", _pull_request(base, head), mode="diff", offline="true"))
    # The base's fail_on = "critical" decides: the high finding is a warning, the job passes.
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert [lvl for lvl, _, _ in annotations(proc.stdout)] == ["warning"]


def test_the_base_commits_baseline_and_its_configured_path_apply(repo: Repo, gh: Actions) -> None:
    repo.write("legacy.env", f"HF_TOKEN={HF}\n")
    repo.write(".tokenreach.toml", 'baseline = "ci/accepted.json"\n')
    repo.commit("legacy token")
    (repo.root / "ci").mkdir()
    made = run_tokenreach(["baseline", ".", "--offline", "--output", "ci/accepted.json"], env=clean_env(),
                          cwd=repo.root)
    assert made.returncode == 0, made.stderr
    repo.git("rm", "-q", "legacy.env")
    base = repo.commit("accepted, and moved out of the tree")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("again.env", f"HF_TOKEN={HF}\n")  # the accepted token comes back
    head = repo.commit("the accepted token again")
    proc = gh.run(gh.env("pull_request", _pull_request(base, head), mode="diff", offline="true"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "1 token(s) not reported: 1 in the baseline" in proc.stdout


def test_a_baseline_input_inside_the_repository_is_read_from_the_base(repo: Repo, gh: Actions) -> None:
    repo.write("README.md", "base\n")
    base = repo.commit("base")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("leak.env", f"HF_TOKEN={HF}\n")
    made = run_tokenreach(["baseline", ".", "--offline", "--output", "accepted.json"], env=clean_env(),
                          cwd=repo.root)
    assert made.returncode == 0, made.stderr
    head = repo.commit("a token and a baseline accepting it")
    proc = gh.run(gh.env("pull_request", _pull_request(base, head), mode="diff", offline="true",
                         baseline="accepted.json"))
    assert proc.returncode == 2
    assert "accepted.json is not in the base commit" in proc.stderr
    assert "reads configuration and baselines from the base commit" in proc.stderr


def test_a_symbolic_link_at_the_base_is_refused(repo: Repo, gh: Actions) -> None:
    (repo.root / ".tokenreach.toml").symlink_to("/etc/hostname")
    base = repo.commit("a linked configuration")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("leak.env", f"HF_TOKEN={HF}\n")
    head = repo.commit("leak")
    proc = gh.run(gh.env("pull_request", _pull_request(base, head), mode="diff", offline="true"))
    assert proc.returncode == 2
    assert ".tokenreach.toml in the base commit" in proc.stderr and "not a regular file" in proc.stderr
