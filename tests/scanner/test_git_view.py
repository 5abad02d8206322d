"""The working tree's git view (scanner/sources/worktree.py GitView): ignored files are listed
only when a file is not tracked, and a listing git cannot give is a warning, not an error."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import Repo
from tokenreach.scanner.findings import ScanOptions, scan
from tokenreach.scanner.sources import git, worktree

TOKEN = "glpat-" + "Xq7Rk2ZtP9wXc4LmV8nB"
OTHER = "glpat-" + "Hd3Wm9QsL2vKt8RnY5cF"


def _listings(monkeypatch: pytest.MonkeyPatch, fail_others: bool = False) -> list[tuple[str, ...]]:
    asked: list[tuple[str, ...]] = []
    real = git.ls_files

    def ls_files(top: Any, *args: str) -> Any:
        asked.append(args)
        if fail_others and "--others" in args:
            raise git.GitError("git ls-files made no progress in 2 s and was stopped")
        return real(top, *args)

    monkeypatch.setattr(worktree.git, "ls_files", ls_files)
    return asked


def test_a_checkout_of_tracked_files_never_lists_the_ignored_ones(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    repo.write("app.py", f"T = '{TOKEN}'\n")
    repo.commit("a")
    asked = _listings(monkeypatch)
    result = scan(ScanOptions(repo.root, history=False))
    assert [loc.exposure for f in result.findings for loc in f.locations] == ["tracked"]
    assert asked == [("--cached",)]


def test_an_untracked_file_asks_for_the_ignored_ones_once(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    repo.write(".gitignore", "*.env\n")
    repo.write("app.py", "x = 1\n")
    repo.commit("a")
    repo.write("local.env", f"T={TOKEN}\n")
    repo.write("new.py", f"T = '{OTHER}'\n")
    asked = _listings(monkeypatch)
    result = scan(ScanOptions(repo.root, history=False))
    exposures = {loc.path: loc.exposure for f in result.findings for loc in f.locations}
    assert exposures == {"local.env": "ignored", "new.py": "untracked"}
    assert len([a for a in asked if "--others" in a]) == 1


def test_a_listing_git_cannot_give_is_a_warning(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    repo.write(".gitignore", "*.env\n")
    repo.write("app.py", f"T = '{TOKEN}'\n")
    repo.commit("a")
    repo.write("local.env", f"T={OTHER}\n")
    _listings(monkeypatch, fail_others=True)
    result = scan(ScanOptions(repo.root, history=False))
    exposures = {loc.path: loc.exposure for f in result.findings for loc in f.locations}
    assert exposures == {"app.py": "tracked", "local.env": "untracked"}
    assert any("git ls-files made no progress" in w and "labelled untracked" in w for w in result.stats.warnings)
