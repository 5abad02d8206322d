"""Issue 17, item 9: configuration and baseline files are read only when they are regular files,
and only up to a cap. ``baseline = "/dev/zero"`` in a repository's configuration exhausted memory;
a FIFO at a baseline's path would hang the scan.

Each scan runs in a subprocess under a 1 GiB address-space limit and a timeout, so that the
unfixed behaviour fails the test instead of taking the machine down.
"""

from __future__ import annotations

import os
import resource
import subprocess
from pathlib import Path

import pytest

from tests.helpers import GIT_ENV, TOKENREACH, Repo

TOK = "hf_ConfigFilesConfigFilesConfigFiles1"
LIMIT = 1 << 30
BASELINE_CAP, CONFIG_CAP = 16 << 20, 1 << 20  # as documented in docs/configuration.md


def _bounded() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT, LIMIT))


def scan(root: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **GIT_ENV, "TOKENREACH_NO_PROGRESS": "1"}
    try:
        return subprocess.run([*TOKENREACH, "scan", str(root), "--offline", *extra], env=env, capture_output=True,
                              text=True, timeout=60, preexec_fn=_bounded)
    except subprocess.TimeoutExpired:
        pytest.fail("the scan hung")


def refused(proc: subprocess.CompletedProcess[str], path: str, why: str) -> None:
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert path in lines[0] and why in lines[0], lines[0]


@pytest.fixture
def target(repo: Repo) -> Repo:
    repo.write("app.py", f"HF_TOKEN = '{TOK}'\n")
    repo.commit("app")
    return repo


@pytest.mark.parametrize("config", [".tokenreach.toml", "pyproject.toml"])
def test_a_configured_baseline_at_dev_zero_is_refused(target, config):
    table = "[tool.tokenreach]\n" if config == "pyproject.toml" else ""
    target.write(config, f'{table}baseline = "/dev/zero"\n')
    refused(scan(target.root), "/dev/zero", "not a regular file")


def test_a_baseline_that_is_a_fifo_is_refused_not_waited_on(target):
    os.mkfifo(target.root / ".tokenreach-baseline.json")
    refused(scan(target.root), ".tokenreach-baseline.json", "not a regular file")
    refused(scan(target.root, "--baseline", str(target.root / ".tokenreach-baseline.json")),
            ".tokenreach-baseline.json", "not a regular file")


def test_a_configuration_that_is_a_fifo_is_refused(target):
    os.mkfifo(target.root / ".tokenreach.toml")
    refused(scan(target.root), ".tokenreach.toml", "not a regular file")


def test_a_detect_secrets_baseline_linked_to_a_device_is_refused(target):
    (target.root / ".secrets.baseline").symlink_to("/dev/zero")
    refused(scan(target.root), ".secrets.baseline", "not a regular file")


def test_files_over_the_caps_are_refused_without_being_read(target):
    # Sparse: as large as it says, nothing on disk.
    baseline = target.root / ".tokenreach-baseline.json"
    with open(baseline, "wb") as fh:
        fh.truncate(BASELINE_CAP + 1)
    refused(scan(target.root), ".tokenreach-baseline.json", "larger than 16 MiB")
    baseline.unlink()
    target.write(".tokenreach.toml", "# padding\n" * (CONFIG_CAP // 10 + 1) + 'fail_on = "low"\n')
    refused(scan(target.root), ".tokenreach.toml", "larger than 1 MiB")


def test_regular_files_within_the_caps_still_work(target):
    subprocess.run([*TOKENREACH, "baseline", str(target.root), "--offline", "--output",
                    str(target.root / "accepted.json")], env={**os.environ, **GIT_ENV}, check=True,
                   capture_output=True, timeout=60)
    assert scan(target.root, "--fail-on", "info").returncode == 1  # reported: no baseline yet
    target.write(".tokenreach.toml", 'baseline = "accepted.json"\n')
    proc = scan(target.root, "--fail-on", "info")
    assert proc.returncode == 0, proc.stderr  # accepted
