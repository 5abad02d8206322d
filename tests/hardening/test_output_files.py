"""A repository's symbolic links never choose what tokenreach overwrites (issue 17, item 2)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.helpers import run_cli
from tokenreach.scanner.output_file import OutputError, write_text

TOKEN = "hf_Zq8Rm3Vx7Np2Kw5Ts9LbQ4Yc6Ud1Hg0Jf3"
PRECIOUS = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOnly+this+key ada@laptop\n"


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    keys = tmp_path / "home" / ".ssh" / "authorized_keys"
    keys.parent.mkdir(parents=True)
    keys.write_text(PRECIOUS)
    return keys


def _hostile(repo, name: str, target: Path) -> None:
    repo.write("a.py", f"T = '{TOKEN}'\n")
    os.symlink(target, repo.root / name)
    repo.commit("ship a link")


def test_baseline_is_never_written_through_a_shipped_link(repo, victim):
    _hostile(repo, ".tokenreach-baseline.json", victim)
    proc = run_cli(["baseline", str(repo.root), "--offline"])
    assert proc.returncode == 2
    assert "symbolic link" in proc.stderr and "Traceback" not in proc.stderr
    assert victim.read_text() == PRECIOUS
    assert (repo.root / ".tokenreach-baseline.json").is_symlink()


def test_report_is_never_written_through_a_shipped_link(repo, victim):
    # The README's own example: scan --report html=tokenreach.html, run from the repository.
    _hostile(repo, "tokenreach.html", victim)
    proc = run_cli(["scan", ".", "--offline", "--report", "html=tokenreach.html"], cwd=repo.root)
    assert proc.returncode == 2 and "symbolic link" in proc.stderr
    assert victim.read_text() == PRECIOUS
    proc = run_cli(["scan", ".", "--offline", "--output", "tokenreach.html"], cwd=repo.root)
    assert proc.returncode == 2 and victim.read_text() == PRECIOUS


def test_default_baseline_stays_inside_the_repository(repo, victim, tmp_path):
    # A folder the repository ships as a link: the default path resolves outside the target.
    assert write_text(tmp_path / "plain.txt", "x") is None
    outside = victim.parent
    os.symlink(outside, repo.root / "linked")
    with pytest.raises(OutputError, match="outside"):
        write_text(repo.root / "linked" / "authorized_keys", "owned", inside=repo.root)
    assert victim.read_text() == PRECIOUS


def test_a_path_named_on_the_command_line_may_be_anywhere(repo, tmp_path):
    repo.write("a.py", f"T = '{TOKEN}'\n")
    repo.commit("a")
    target = tmp_path / "elsewhere" / "baseline.json"
    target.parent.mkdir()
    proc = run_cli(["baseline", str(repo.root), "--offline", "-o", str(target)])
    assert proc.returncode == 0, proc.stderr
    assert json.loads(target.read_text())["version"] == 2


def test_writes_replace_atomically_and_leave_no_temporary_files(tmp_path):
    target = tmp_path / "r.json"
    target.write_text("old")
    os.chmod(target, 0o600)
    write_text(target, "new")
    assert target.read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]


def test_a_fifo_named_on_the_command_line_is_written_in_place(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "stdout-like"
    os.symlink(fifo, link)
    read_fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        write_text(link, "report\n")
        assert os.read(read_fd, 100) == b"report\n"
        with pytest.raises(OutputError):
            write_text(link, "report\n", inside=tmp_path)
    finally:
        os.close(read_fd)
