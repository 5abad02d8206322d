"""Issue 17, item 10: the size limit is a limit, not an allocation.

``max_file_size = "64G"`` in a repository's configuration failed every scan (each read reserved
64 GiB up front), and ``"1G"`` made a tiny repository cost seconds and hundreds of MB. Reads go in
bounded pieces whatever the limit; a configuration file may raise the limit to 100 MiB at most
(with a notice); the command line may go higher.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import tracemalloc
from pathlib import Path

import pytest

from tests.helpers import GIT_ENV, TOKENREACH, Repo
from tokenreach.scanner.findings import ScanOptions, scan
from tokenreach.scanner.model import SourceStats
from tokenreach.scanner.sources import home

TOK = "hf_SizeLimitSizeLimitSizeLimitSizeLi1"
CONFIG_CAP = 100 << 20  # as documented in docs/configuration.md
LIMIT = 1 << 30


def _bounded() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT, LIMIT))


def scan_json(root: Path, *extra: str) -> dict:
    env = {**os.environ, **GIT_ENV, "TOKENREACH_NO_PROGRESS": "1"}
    proc = subprocess.run([*TOKENREACH, "scan", str(root), "--offline", "--format", "json", *extra], env=env,
                          capture_output=True, text=True, timeout=120, preexec_fn=_bounded)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)


@pytest.fixture
def target(repo: Repo) -> Repo:
    repo.write("app.py", f"HF_TOKEN = '{TOK}'\n")
    repo.commit("app")
    repo.write("app.py", "HF_TOKEN = os.environ['HF_TOKEN']\n")
    repo.commit("moved to the environment")
    repo.write(".env", f"HF_TOKEN={TOK}\n")
    return repo


def test_a_huge_configured_limit_is_capped_with_a_notice(target):
    target.write(".tokenreach.toml", 'max_file_size = "64G"\n')
    with open(target.root / "huge.log", "wb") as fh:  # sparse: as large as it says, nothing on disk
        fh.truncate(CONFIG_CAP + 1)
    report = scan_json(target.root)
    assert [f["provider"] for f in report["findings"]] == ["huggingface"]
    assert report["stats"]["skipped"].get("larger than the size limit") == 1
    (notice,) = [n for n in report["notices"] if "max_file_size" in n]
    assert "64 GiB" in notice and "100 MiB" in notice and "--max-file-size" in notice


def test_the_command_line_may_set_a_huge_limit(target):
    report = scan_json(target.root, "--max-file-size", "4096G")
    (finding,) = report["findings"]
    assert {loc["exposure"] for loc in finding["locations"]} == {"untracked", "history"}
    assert not [n for n in report["notices"] if "max_file_size" in n]


@pytest.mark.parametrize("mode", ["worktree-and-history", "staged"])
def test_memory_follows_the_bytes_not_the_limit(target, mode):
    if mode == "staged":
        target.write("new.py", f"T = '{TOK}'\n")
        target.git("add", "new.py")
    tracemalloc.start()
    try:
        result = scan(ScanOptions(path=target.root, max_file_size=1 << 30, staged=mode == "staged"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [f.provider for f in result.findings] == ["huggingface"]
    assert peak < 64 << 20, f"peak {peak >> 20} MiB while reading a few small files"


def test_home_credential_files_are_read_in_pieces_too(tmp_path):
    (tmp_path / ".config/gh").mkdir(parents=True)
    (tmp_path / ".config/gh/hosts.yml").write_text(f"oauth_token: {TOK}\n")
    os.mkfifo(tmp_path / ".netrc")  # a special file where a credential file should be
    stats = SourceStats()
    tracemalloc.start()
    try:
        chunks = list(home.chunks(tmp_path, stats, max_size=1 << 34))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [c.origin.path for c in chunks] == ["~/.config/gh/hosts.yml"]
    assert peak < 64 << 20
    assert stats.skipped.get("not a regular file") == 1
