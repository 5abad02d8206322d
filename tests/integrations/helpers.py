"""Helpers for the integration tests: run the CLI with a clean CI environment."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from pathlib import Path

from tests.helpers import GIT_ENV, run_cli

# Hugging Face format (hf_ + 34 alphanumerics): found offline, never looked up in these tests.
HF = "hf_AbCdEfGhIjKlMnOpQrStUvWxYz01234567"
HF2 = "hf_ZyXwVuTsRqPoNmLkJiHgFeDcBa76543210"
HF3 = "hf_Q1w2E3r4T5y6U7i8O9p0AaSsDdFfGgHhJj"
SECRETS = (HF, HF2, HF3)

_CI_PREFIXES = ("GITHUB_", "RUNNER_", "TOKENREACH_CI_", "PRE_COMMIT")


def clean_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The test process's environment without any CI variables (the suite may itself run in Actions)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(_CI_PREFIXES)}
    env.update(GIT_ENV)
    env["TOKENREACH_NO_PROGRESS"] = "1"
    env.update(extra or {})
    return env


def run_tokenreach(args: list[str], *, env: Mapping[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """The CLI in this process, with exactly ``env`` as its environment."""
    exact: dict[str, str | None] = {k: None for k in os.environ if k not in env}
    exact.update(env)
    return run_cli(args, env=exact, cwd=cwd)


def assert_no_secret(*texts: str) -> None:
    for text in texts:
        for secret in SECRETS:
            assert secret not in text
            assert secret[3:] not in text  # nor its body without the prefix


def stderr_lines(stderr: str) -> list[str]:
    """stderr without log warnings (e.g. the engine falling back from Hyperscan): what the command says."""
    return [line for line in stderr.strip().splitlines() if not line.startswith("tokenreach: WARNING: ")]
