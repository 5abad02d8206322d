"""The git processes a scan starts: a sweep of hundreds of small repositories pays mostly git
start-ups. The probe of a repository is its ref listing (git.examine); history reads every object
through one ``git cat-file --batch-command`` (sizes, then contents: history.sized_reader), and a
git without it (before 2.36) gets ``--batch-check`` and ``--batch`` instead, with the same findings."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import Repo
from tokenreach.scanner.findings import ScanOptions, scan
from tokenreach.scanner.sources import git, history

BLOB_TOKEN = "glpat-" + "Xq7Rk2ZtP9wXc4LmV8nB"
MESSAGE_TOKEN = "glpat-" + "Hd3Wm9QsL2vKt8RnY5cF"
TAG_TOKEN = "glpat-" + "Pz4Tn8VbK1xQw6RmJ3sD"
BIG_TOKEN = "glpat-" + "Lc5Yh2NfG9dRt7WkE4aB"


@pytest.fixture
def fresh(monkeypatch: pytest.MonkeyPatch) -> None:
    """This process has not yet learnt whether its git has --batch-command."""
    monkeypatch.setattr(history, "_batch_command", None)


def _history_repo(repo: Repo) -> None:
    repo.write("app.py", f"T = '{BLOB_TOKEN}'\n")
    repo.commit("first")
    repo.write("big.txt", f"T = '{BIG_TOKEN}'\n" + "x = 1\n" * 4000)
    repo.write("app.py", "import os\nT = os.environ['T']\n")
    repo.commit(f"second, with {MESSAGE_TOKEN} pasted in")
    repo.git("tag", "-a", "v1", "-m", f"release {TAG_TOKEN}")


def _found(options: ScanOptions) -> set[tuple[str, str, str]]:
    result = scan(options)
    return {(f.token.secret, loc.path, loc.exposure) for f in result.findings for loc in f.locations}


def _spawned(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, ...]]:
    started: list[tuple[str, ...]] = []
    real_run, real_popen = git.run, git.popen

    def run(repo: Any, *args: str, **kw: Any) -> Any:
        started.append(args)
        return real_run(repo, *args, **kw)

    def popen(repo: Any, *args: str, **kw: Any) -> Any:
        started.append(args)
        return real_popen(repo, *args, **kw)

    monkeypatch.setattr(git, "run", run)
    monkeypatch.setattr(git, "popen", popen)
    return started


def _fed(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    lines: list[bytes] = []
    real = history._feed

    def feed(stream: Any, these: list[bytes], **kw: Any) -> Any:
        lines.extend(these)
        return real(stream, these, **kw)

    monkeypatch.setattr(history, "_feed", feed)
    return lines


def test_one_cat_file_sizes_and_reads_the_blobs_and_the_commits(repo: Repo, fresh: None,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    _history_repo(repo)
    started = _spawned(monkeypatch)
    fed = _fed(monkeypatch)
    found = _found(ScanOptions(repo.root, jobs=1, max_file_size=4096))
    assert (BLOB_TOKEN, "app.py", "history") in found
    assert any(secret == MESSAGE_TOKEN for secret, _, _ in found)  # a commit message
    assert any(secret == TAG_TOKEN for secret, _, _ in found)  # an annotated tag's message
    assert not any(secret == BIG_TOKEN for secret, _, _ in found)  # over the size limit
    cat_files = [a for a in started if a[0] == "cat-file"]
    # One for the tag, one for every blob and commit: never a --batch-check beside a --batch.
    assert cat_files == [("cat-file", "--batch-command", "--buffer")] * 2
    assert history._batch_command is True
    # The oversized blob was sized, and never read.
    big = repo.git("rev-parse", "HEAD:big.txt").strip().encode()
    assert b"info " + big + b"\n" in fed and b"contents " + big + b"\n" not in fed


def test_nothing_chosen_ends_the_process(repo: Repo, fresh: None, monkeypatch: pytest.MonkeyPatch) -> None:
    repo.write("big.txt", "x = 1\n" * 4000)
    repo.commit("only a big file")
    blob = repo.git("rev-parse", "HEAD:big.txt").strip()
    streams: list[git.Stream] = []
    real = git.popen
    monkeypatch.setattr(git, "popen", lambda *a, **kw: streams.append(real(*a, **kw)) or streams[-1])
    types, read = history.sized_reader(repo.root, [blob])
    assert types == {blob: (b"blob", 24000)}
    [stream] = streams
    assert stream.poll() is None  # waiting for what to read
    assert list(read([])) == []
    assert stream.poll() is not None


def test_missing_and_present_objects_are_told_apart(repo: Repo, fresh: None) -> None:
    repo.write("a.txt", "hello\n")
    repo.commit("a")
    blob = repo.git("rev-parse", "HEAD:a.txt").strip()
    missing = "0" * 40
    types, read = history.sized_reader(repo.root, [missing, blob])
    assert types == {blob: (b"blob", 6)}
    assert list(read([blob, missing])) == [(blob, b"hello\n"), (missing, None)]


def _wrapped_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, before: str) -> Path:
    """A ``git`` first on PATH that runs the shell lines ``before`` (with ``$LOG``, a file they may
    write to) and then the real git; returns that log file."""
    real = shutil.which("git")
    assert real is not None
    folder = tmp_path / name
    folder.mkdir()
    log = tmp_path / f"{name}.log"
    script = folder / "git"
    script.write_text(f'#!/bin/sh\nLOG="{log}"\n{before}exec "{real}" "$@"\n')
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(history, "_batch_command", None)
    return log


@pytest.fixture
def old_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git that answers ``--batch-command`` as git 2.35 does (usage, exit 129), and is the real
    git otherwise; each of its invocations with that option is logged."""
    return _wrapped_git(tmp_path, monkeypatch, "old-git",
                        'for a in "$@"; do\n'
                        '  if [ "$a" = "--batch-command" ]; then\n'
                        '    echo x >> "$LOG"\n'
                        "    echo \"error: unknown option \\`batch-command'\" >&2\n"
                        '    echo "usage: git cat-file <type> <object>" >&2\n'
                        "    exit 129\n"
                        "  fi\n"
                        "done\n")


def test_a_git_without_batch_command_finds_the_same(repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    old_git: Path) -> None:
    _history_repo(repo)
    with monkeypatch.context() as m:
        m.setattr(history, "_batch_command", None)
        m.setenv("PATH", os.environ["PATH"].split(os.pathsep, 1)[1])  # the real git first
        want = _found(ScanOptions(repo.root, jobs=1, max_file_size=4096))
    started = _spawned(monkeypatch)
    got = _found(ScanOptions(repo.root, jobs=1, max_file_size=4096))
    assert got == want and len(got) == 3
    assert history._batch_command is False
    assert old_git.read_text().count("x") == 1  # asked once a process, then never again
    cat_files = [a[:2] for a in started if a[0] == "cat-file"]
    assert ("cat-file", "--batch") in cat_files
    assert any(a[1].startswith("--batch-check") for a in cat_files)


def test_a_full_scan_starts_four_git_processes(repo: Repo, fresh: None, monkeypatch: pytest.MonkeyPatch) -> None:
    _history_repo(repo)
    repo.write("new.py", f"T = '{BLOB_TOKEN}'\n")  # untracked: asks for the ignored files too
    started = _spawned(monkeypatch)
    scan(ScanOptions(repo.root, jobs=1))
    # git log starts beside the working tree's ls-files (findings._started): the order varies.
    assert sorted(a[0] for a in started) == ["cat-file", "cat-file", "for-each-ref", "log", "ls-files", "ls-files"]
    started.clear()
    repo.git("add", "new.py")
    scan(ScanOptions(repo.root, jobs=1))
    assert sorted(a[0] for a in started) == ["cat-file", "cat-file", "for-each-ref", "log", "ls-files"]


def test_a_staged_scan_lists_no_refs(repo: Repo, fresh: None, monkeypatch: pytest.MonkeyPatch) -> None:
    _history_repo(repo)
    repo.write("new.py", f"T = '{BLOB_TOKEN}'\n")
    repo.git("add", "new.py")
    started = _spawned(monkeypatch)
    result = scan(ScanOptions(repo.root, staged=True))
    assert [loc.path for f in result.findings for loc in f.locations] == ["new.py"]
    assert [a[0] for a in started] == ["rev-parse", "rev-parse", "diff-index", "cat-file"]


@pytest.mark.parametrize("fmt", ["sha1", "sha256"])
def test_the_ref_listing_is_the_probe_and_gives_the_object_format(tmp_path: Path, fmt: str) -> None:
    repo = Repo(tmp_path / "r", init=False)
    repo.git("init", "-q", "-b", "main", f"--object-format={fmt}")
    empty = git.examine(repo.root, with_refs=True)
    assert (empty.problem, empty.refs, empty.object_format) == (None, b"", fmt)  # no ref: rev-parse says
    head = repo.commit("first")
    examined = git.examine(repo.root, with_refs=True)
    assert (examined.problem, examined.object_format) == (None, fmt)
    assert examined.refs == f"{head} commit refs/heads/main\n".encode()
    assert git.examine(repo.root).refs is None  # not asked for


def test_refs_git_cannot_list_are_not_an_unreadable_repository(repo: Repo, fresh: None,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    repo.write("app.py", f"T = '{BLOB_TOKEN}'\n")
    repo.commit("first")
    (repo.root / ".git" / "packed-refs").write_text("this is not a packed-refs line\n")
    examined = git.examine(repo.root, with_refs=True)
    assert examined.problem is None and examined.refs is None and examined.info is not None
    assert (examined.refs_error or "").startswith("unexpected line in ")
    started = _spawned(monkeypatch)
    result = scan(ScanOptions(repo.root, jobs=1))
    # Listed once: a listing that hangs (an object store behind a FIFO) is waited for once.
    assert [a[0] for a in started].count("for-each-ref") == 1
    # The working tree is still told apart by git; the history that could not be read is said.
    assert [loc.exposure for f in result.findings for loc in f.locations] == ["tracked"]
    [warning] = result.stats.warnings
    assert warning.startswith(f"git cannot list the refs of {repo.root} (unexpected line in ")
    assert warning.endswith("packed-refs: this is not a packed-refs line): its history is not scanned")


def test_git_argv_finds_a_repository_once_and_again_when_its_git_folder_changes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = Repo(tmp_path / "work")
    other = Repo(tmp_path / "other")
    calls: list[Path] = []
    real = git.locate
    monkeypatch.setattr(git, "locate", lambda p: calls.append(p) or real(p))

    def git_dir() -> str:
        argv = git.git_argv(first.root, "status")
        return argv[argv.index("--git-dir") + 1]

    assert git_dir() == str(first.root / ".git") and git_dir() == str(first.root / ".git")
    assert len(calls) == 1  # the second call was the same .git, unchanged
    shutil.rmtree(first.root / ".git")
    (first.root / ".git").write_text(f"gitdir: {other.root / '.git'}\n")  # now a linked checkout
    assert git_dir() == str((other.root / ".git").resolve())
    assert len(calls) == 2


def test_a_cat_file_that_never_answers_is_stopped_once(repo: Repo, tmp_path: Path, fresh: None,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A stalled ``info`` is this repository's error, as a stalled ``--batch`` is: not a reason to
    start the two-process reading and wait as long again."""
    _history_repo(repo)
    log = _wrapped_git(tmp_path, monkeypatch, "stalling-git",
                       'echo "$*" >> "$LOG"\n'
                       'for a in "$@"; do [ "$a" = "--batch-command" ] && exec sleep 30; done\n')
    monkeypatch.setattr(git, "IDLE_TIMEOUT", 0.5)
    with pytest.raises(git.GitError, match=r"cat-file made no progress in 0\.5 s"):
        scan(ScanOptions(repo.root, jobs=1))
    started = log.read_text().splitlines()
    assert sum("--batch-command" in line for line in started) == 1
    assert not any("--batch-check" in line for line in started)
