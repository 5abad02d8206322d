"""A repository's own git config must not change what the scan sees (issue 17, item 4).

Each case sets one key in the scanned repository's .git/config that, read by git, used to hide
tokens without a word: the scan must find exactly what it finds without that key.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from tests.helpers import Repo
from tokenreach.scanner.model import Location
from tokenreach.scanner.run import RunOptions, run


def hf(word: str, n: int) -> str:
    """A Hugging Face-shaped fake token (hf_ and 34 letters and digits)."""
    return "hf_" + (word * 34)[:32] + f"{n:02d}"


T_ROOT = hf("RootCommit", 41)  # only in the root commit, deleted since
T_LATER = hf("LaterCommit", 42)  # only in a later commit, deleted since
T_TREE = hf("WorkingTree", 43)  # in an untracked working-tree file
T_OTHER = hf("OtherRepo", 44)  # in another repository entirely


def found(path: Path) -> dict[str, list[Location]]:
    """secret → its locations, from an offline in-process run."""
    result = run(RunOptions(path=path, offline=True, use_baseline=False, use_config=False))
    return {f.token.secret: f.locations for f in result.findings}


def history_repo(repo: Repo) -> Repo:
    repo.write("root.env", f"HF_TOKEN={T_ROOT}\n")
    repo.commit("root")
    repo.git("rm", "-q", "root.env")
    repo.write("later.env", f"HF_TOKEN={T_LATER}\n")
    repo.commit("later")
    repo.git("rm", "-q", "later.env")
    repo.write("README.md", "nothing here\n")
    repo.commit("clean")
    repo.write("local.env", f"HF_TOKEN={T_TREE}\n")
    return repo


def set_config(repo: Repo, *pairs: tuple[str, str]) -> None:
    for key, value in pairs:
        repo.git("config", key, value)


def assert_everything_found(secrets: dict[str, list[Location]]) -> None:
    assert {s: sorted({loc.exposure for loc in locs}) for s, locs in secrets.items()} == {
        T_ROOT: ["history"], T_LATER: ["history"], T_TREE: ["untracked"]}
    assert [loc.path for loc in secrets[T_ROOT]] == ["root.env"]


def test_baseline_without_hostile_config(repo):
    assert_everything_found(found(history_repo(repo).root))


@pytest.mark.parametrize("pairs", [
    pytest.param([("log.showRoot", "false")], id="log.showRoot=false"),
    pytest.param([("i18n.logOutputEncoding", "UTF-16")], id="i18n.logOutputEncoding=UTF-16"),
    pytest.param([("i18n.commitEncoding", "UTF-16")], id="i18n.commitEncoding=UTF-16"),
    pytest.param([("core.bare", "true")], id="core.bare=true"),
    pytest.param([("log.follow", "true"), ("diff.relative", "true"), ("diff.noprefix", "true"),
                  ("diff.renames", "copies"), ("color.diff", "always"), ("color.ui", "always"),
                  ("core.quotePath", "true"), ("log.decorate", "full"), ("log.abbrevCommit", "true"),
                  ("core.abbrev", "7"), ("log.date", "relative"), ("diff.mnemonicPrefix", "true"),
                  ("log.diffMerges", "separate")], id="log-and-diff-display-keys"),
])
def test_config_keys_hide_nothing(repo, pairs):
    history_repo(repo)
    set_config(repo, *pairs)
    assert_everything_found(found(repo.root))


def test_a_repository_git_refuses_to_read_is_said_not_skipped(repo):
    """An unknown extension makes git refuse the repository: the history goes unscanned, and the
    scan must say so (it used to call it "not a git repository")."""
    history_repo(repo)
    set_config(repo, ("core.repositoryFormatVersion", "1"), ("extensions.tokenreachUnknown", "true"))
    result = run(RunOptions(path=repo.root, offline=True, use_baseline=False, use_config=False))
    assert {f.token.secret for f in result.findings} == {T_TREE}
    assert any("git cannot read the repository" in w and "tokenreachunknown" in w
               for w in result.scan.stats.warnings), result.scan.stats.warnings


def test_core_worktree_pointing_at_another_repository(repo, tmp_path):
    other = Repo(tmp_path / "other")
    other.write("other.env", f"HF_TOKEN={T_OTHER}\n")
    other.commit("other")
    history_repo(repo)
    set_config(repo, ("core.worktree", str(other.root)))
    secrets = found(repo.root)
    assert T_OTHER not in secrets, "the scan must stay in the repository it was given"
    assert_everything_found(secrets)


def test_core_worktree_and_bare_in_a_worktree_config(repo, tmp_path):
    """extensions.worktreeConfig lets .git/config.worktree set the same keys."""
    other = Repo(tmp_path / "other")
    other.write("other.env", f"HF_TOKEN={T_OTHER}\n")
    other.commit("other")
    history_repo(repo)
    set_config(repo, ("extensions.worktreeConfig", "true"))
    (repo.root / ".git" / "config.worktree").write_text(f"[core]\n\tbare = true\n\tworktree = {other.root}\n")
    secrets = found(repo.root)
    assert T_OTHER not in secrets
    assert_everything_found(secrets)


def test_mailmap_and_order_file_are_not_read(repo, tmp_path):
    """log.mailmap and diff.orderFile make git open files the repository names; neither changes
    what is found, so git is told not to read them (a FIFO there would hang it)."""
    history_repo(repo)
    fifo = tmp_path / "order.fifo"
    os.mkfifo(fifo)
    repo.write(".mailmap", "Someone Else <x@example.com> Ada Author <ada@example.com>\n")
    set_config(repo, ("diff.orderFile", str(fifo)), ("mailmap.file", str(fifo)))
    box: dict[str, dict[str, list[Location]]] = {}
    worker = threading.Thread(target=lambda: box.update(secrets=found(repo.root)), daemon=True)
    worker.start()
    worker.join(60)
    hung = worker.is_alive()
    while worker.is_alive():  # an unfixed scanner's git waits on the FIFO: let it see end of file
        release(fifo)
        worker.join(0.2)
    assert not hung, "git opened a FIFO the repository's config names"
    assert_everything_found(box["secrets"])
    assert {loc.author for loc in box["secrets"][T_ROOT]} == {"Ada Author <ada@example.com>"}


def release(fifo: Path) -> None:
    """A reader blocked on opening ``fifo`` gets end of file."""
    try:
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
    except OSError:
        pass
