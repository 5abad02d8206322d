"""The pre-commit hook: `tokenreach ci precommit` directly, then through the real pre-commit framework."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.fakes import huggingface as hf_fake
from tests.helpers import TOKENREACH, Repo, fake_env
from tests.integrations.helpers import HF, HF2, assert_no_secret, clean_env, run_tokenreach, stderr_lines

ROOT = Path(__file__).resolve().parents[2]


# The two doors to the hook: the CLI sub-command, and the module the hook entries run.
DOORS = {"cli": [*TOKENREACH, "ci", "precommit"], "module": [sys.executable, "-m", "tokenreach.scanner.cli.precommit"]}


@pytest.fixture(params=sorted(DOORS))
def door(request: pytest.FixtureRequest) -> list[str]:
    return DOORS[request.param]


def precommit(repo: Repo, *args: str, env: dict[str, str] | None = None,
              door: list[str] = DOORS["module"]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*door, *args], cwd=repo.root, env=clean_env(env), capture_output=True, text=True,
                          timeout=300)


@pytest.fixture
def fake() -> Iterator[object]:
    with hf_fake.make() as server:
        yield server


# ── the command the hooks run ─────────────────────────────────────────────────────────────────

def test_staged_token_refuses_the_commit_in_one_line(repo: Repo, door: list[str]) -> None:
    repo.write("README.md", "hi\n")
    repo.commit("init")
    repo.write("app/config.py", f'DEBUG = False\nHF_TOKEN = "{HF}"\n')
    repo.git("add", "app/config.py")
    proc = precommit(repo, "--offline", door=door)
    assert proc.returncode == 1, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == "tokenreach: commit refused: 1 token(s) in the staged changes"
    assert lines[1] == ("  HIGH     app/config.py:2 [staged]  Hugging Face access token (user token) hf_…4567"
                        " · not looked up (offline), reach and capabilities unknown")
    assert "rotate" in proc.stdout
    assert_no_secret(proc.stdout, proc.stderr)


def test_lookups_put_the_reach_on_the_line(repo: Repo, fake) -> None:  # type: ignore[no-untyped-def]
    repo.write("deploy.sh", f"export HF_TOKEN={hf_fake.WRITE}\n")
    repo.git("add", "deploy.sh")
    proc = precommit(repo, env=fake_env({"huggingface": fake.url}))
    assert proc.returncode == 1, proc.stderr
    [line] = [s for s in proc.stdout.splitlines() if "deploy.sh" in s]
    assert "deploy.sh:1 [staged]" in line
    assert "live as alice, organization-wide" in line and "can read, write, delete" in line
    assert line.endswith("OVER-PRIVILEGED")
    assert hf_fake.WRITE not in proc.stdout + proc.stderr


def test_a_revoked_token_still_refuses_the_commit_by_default(repo: Repo, fake) -> None:  # type: ignore[no-untyped-def]
    repo.write("a.txt", f"{hf_fake.REVOKED}\n")
    repo.git("add", "a.txt")
    proc = precommit(repo, env=fake_env({"huggingface": fake.url}))
    assert proc.returncode == 1
    assert "INFO" in proc.stdout and "revoked (the provider rejected it)" in proc.stdout
    # With a threshold, it is reported and the commit goes through.
    proc = precommit(repo, "--fail-on", "low", env=fake_env({"huggingface": fake.url}))
    assert proc.returncode == 0
    assert proc.stdout.startswith("tokenreach: 1 token(s) in the staged changes, below --fail-on low")


def test_only_the_index_counts(repo: Repo) -> None:
    repo.write("tracked.txt", f"{HF}\n")
    repo.commit("already committed")  # in HEAD: not this commit's business
    repo.write("notes.txt", f"{HF2}\n")  # in the working tree, not staged
    repo.write("clean.py", "print(1)\n")
    repo.git("add", "clean.py")
    proc = precommit(repo, "--offline")
    assert (proc.returncode, proc.stdout, stderr_lines(proc.stderr)) == (0, "", [])


def test_first_commit_of_a_repository(repo: Repo) -> None:
    repo.write("x.env", f"K={HF}\n")
    repo.git("add", "x.env")
    proc = precommit(repo, "--offline")
    assert proc.returncode == 1 and "x.env:1 [staged]" in proc.stdout


def test_repository_configuration_and_baseline_are_respected(repo: Repo, door: list[str]) -> None:
    repo.write("x.env", f"K={HF}\n")
    repo.git("add", "x.env")
    repo.write(".tokenreach.toml", 'fail_on = "critical"\n')
    proc = precommit(repo, "--offline", door=door)
    assert proc.returncode == 0
    assert "below --fail-on critical" in proc.stdout
    (repo.root / ".tokenreach.toml").unlink()
    made = run_tokenreach(["baseline", ".", "--offline"], env=clean_env(), cwd=repo.root)
    assert made.returncode == 0, made.stderr
    proc = precommit(repo, "--offline", door=door)
    assert (proc.returncode, proc.stdout) == (0, "")
    repo.write("y.env", f"K={HF2}\n")
    repo.git("add", "y.env")
    proc = precommit(repo, "--offline", door=door)
    assert proc.returncode == 1
    assert "y.env:1" in proc.stdout and "x.env" not in proc.stdout
    assert "(1 token(s) not reported: 1 in the baseline)" in proc.stdout


def test_inline_ignore_marker(repo: Repo) -> None:
    repo.write("fixture.py", f'EXAMPLE = "{HF}"  # tokenreach:ignore\n')
    repo.git("add", "fixture.py")
    assert precommit(repo, "--offline").returncode == 0


def test_errors_are_one_line(tmp_path: Path, door: list[str]) -> None:
    outside = tmp_path / "plain"
    outside.mkdir()
    proc = subprocess.run([*door, "--offline"], cwd=outside, env=clean_env(), capture_output=True, text=True)
    assert proc.returncode == 2
    [line] = stderr_lines(proc.stderr)
    assert line.startswith("tokenreach: error: ") and "not inside a git repository" in line
    repo = Repo(tmp_path / "r")
    proc = precommit(repo, "--offline", "--fail-on", "loud", door=door)
    assert proc.returncode == 2 and stderr_lines(proc.stderr) == \
        ["tokenreach: error: --fail-on must be one of info, low, medium, high, critical"]
    proc = precommit(repo, "--lookup-timeout", "0", door=door)
    assert proc.returncode == 2
    assert stderr_lines(proc.stderr) == ["tokenreach: error: --lookup-timeout must be positive"]


def test_hook_manifest() -> None:
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"tokenreach", "tokenreach-offline"}
    for hook in hooks.values():
        # pre-commit names the files: the staged ones on a commit, every file with --all-files
        assert hook["language"] == "python" and hook["pass_filenames"] is True
        assert hook["entry"].startswith("python -m tokenreach.scanner.cli.precommit")
    assert "--offline" in hooks["tokenreach-offline"]["entry"].split()
    assert "--offline" not in hooks["tokenreach"]["entry"].split()


def test_named_files_are_read_from_the_index_even_when_committed(repo: Repo, door: list[str]) -> None:
    # `pre-commit run --all-files` (and CI) names every file; nothing is staged.
    repo.write("app/config.py", f'HF_TOKEN = "{HF}"\n')
    repo.write("app/other.py", "x = 1\n")
    repo.commit("init")
    assert precommit(repo, "--offline", door=door).returncode == 0  # nothing staged, no names
    proc = precommit(repo, "--offline", "app/config.py", "app/other.py", door=door)
    assert proc.returncode == 1, proc.stderr
    assert "app/config.py:1 [staged]" in proc.stdout
    assert precommit(repo, "--offline", "app/other.py", door=door).returncode == 0
    assert precommit(repo, "--offline", "missing.py", door=door).returncode == 0


# ── the real pre-commit framework ─────────────────────────────────────────────────────────────

def _project_rev() -> str:
    if not (ROOT / ".git").exists():
        pytest.skip("the project is not a git checkout: pre-commit installs hooks from a git repository")
    rev = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True,
                         check=True).stdout.strip()
    listed = subprocess.run(["git", "-C", str(ROOT), "ls-tree", "--name-only", rev, ".pre-commit-hooks.yaml"],
                            capture_output=True, text=True, check=True).stdout.strip()
    assert listed == ".pre-commit-hooks.yaml", "commit .pre-commit-hooks.yaml: pre-commit installs from HEAD"
    return rev


class Committer:
    """A repository with the hooks installed by the real pre-commit, and `git commit` as a user runs it."""

    def __init__(self, root: Path, home: Path, hook_ids: list[str], env: dict[str, str]) -> None:
        self.repo = Repo(root)
        self.env = clean_env({"PRE_COMMIT_HOME": str(home), **env})
        config = {"repos": [{"repo": str(ROOT), "rev": _project_rev(), "hooks": [{"id": i} for i in hook_ids]}]}
        self.repo.write(".pre-commit-config.yaml", yaml.safe_dump(config, sort_keys=False))
        self.pre_commit("install")
        self.pre_commit("install-hooks")  # builds the hook's virtualenv: pip install of this project

    def pre_commit(self, *args: str) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=self.repo.root, env=self.env,
                              capture_output=True, text=True, timeout=900)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        return proc

    def commit(self, message: str, *extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["git", "commit", "-m", message, *extra], cwd=self.repo.root, env=self.env,
                              capture_output=True, text=True, timeout=300)

    def head_count(self) -> int:
        out = subprocess.run(["git", "rev-list", "--count", "--all"], cwd=self.repo.root, env=self.env,
                             capture_output=True, text=True)
        return int(out.stdout.strip() or 0)


@pytest.mark.slow
def test_real_pre_commit_refuses_a_token_and_passes_a_clean_commit(tmp_path: Path, fake) -> None:  # type: ignore[no-untyped-def]
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    pc = Committer(tmp_path / "proj", tmp_path / "pre-commit-home", ["tokenreach", "tokenreach-offline"],
                   fake_env({"huggingface": fake.url}))
    repo = pc.repo
    for i in range(40):  # a small project
        repo.write(f"src/mod{i}.py", "".join(f"def f{j}(x):\n    return x + {j}\n" for j in range(50)))
    repo.git("add", "-A")
    clean = pc.commit("a clean first commit")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    passed = [s for s in (clean.stdout + clean.stderr).splitlines() if s.startswith("tokenreach (staged tokens")]
    assert len(passed) == 2 and all(s.endswith("Passed") for s in passed), clean.stderr
    assert pc.head_count() == 1

    # A planted token: both hooks refuse, each with its one line.
    repo.write("src/settings.py", f'HF_TOKEN = "{hf_fake.WRITE}"\n')
    repo.write(".env.example", f"HF_TOKEN={HF}\n")
    repo.git("add", "src/settings.py", ".env.example")
    refused = pc.commit("add settings")
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0, output
    assert pc.head_count() == 1  # nothing was committed
    assert output.count("tokenreach: commit refused: 2 token(s) in the staged changes") == 2
    assert "- hook id: tokenreach-offline" in output and "- hook id: tokenreach\n" in output
    assert "src/settings.py:1 [staged]  Hugging Face access token" in output
    assert "live as alice, organization-wide" in output and "OVER-PRIVILEGED" in output  # online hook (fake)
    assert ".env.example:1 [staged]" in output and "not looked up (offline)" in output  # offline hook
    assert hf_fake.WRITE not in output and hf_fake.WRITE[3:] not in output
    assert_no_secret(output)

    # Take the tokens out again: the commit passes.
    repo.write("src/settings.py", 'import os\nHF_TOKEN = os.environ["HF_TOKEN"]\n')
    repo.write(".env.example", "HF_TOKEN=\n")
    repo.git("add", "src/settings.py", ".env.example")
    ok = pc.commit("settings from the environment")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert pc.head_count() == 2

    # A token committed past the hook: `pre-commit run --all-files` must not say "Passed".
    repo.write("src/legacy.py", f'HF_TOKEN = "{HF2}"\n')
    repo.git("add", "src/legacy.py")
    assert pc.commit("legacy", "--no-verify").returncode == 0
    every = subprocess.run([sys.executable, "-m", "pre_commit", "run", "--all-files"], cwd=repo.root, env=pc.env,
                           capture_output=True, text=True, timeout=300)
    assert every.returncode != 0, every.stdout + every.stderr
    assert "src/legacy.py:1 [staged]" in every.stdout and "Passed" not in every.stdout

    # The hook's entry runs in the environment pre-commit built, without pre-commit (what the
    # hook's added time is measured on: benchmarks/precommit.py).
    [env_python] = sorted((tmp_path / "pre-commit-home").glob("repo*/py_env-*/bin/python"))[:1]
    repo.write("src/mod0.py", "# staged, not committed\n" + "VALUE = 1\n" * 80)
    repo.git("add", "src/mod0.py")
    alone = subprocess.run([str(env_python), "-m", "tokenreach.scanner.cli.precommit", "--offline"],
                           cwd=repo.root, env=pc.env, capture_output=True, text=True)
    assert alone.returncode == 0, alone.stdout + alone.stderr
