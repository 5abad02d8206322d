"""Credentials in .git/config are found, with their own exposure (issue 17, item 14): a token in a
remote URL, and the one actions/checkout leaves in an http.extraheader entry."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from tests.helpers import Repo
from tokenreach import reports
from tokenreach.detectors.providers.github import with_checksum
from tokenreach.reports._view import EXPOSURE_PHRASE
from tokenreach.scanner.model import EXPOSURE_ORDER
from tokenreach.scanner.run import RunOptions, run

# Well-formed (checksummed) fake GitHub tokens: the format an actions/checkout run leaves behind.
T_HEADER = with_checksum("ghs", "CheckoutHeaderCheckoutHeader01")
T_REMOTE = with_checksum("ghp", "RemoteUrlRemoteUrlRemoteUrl002")
T_TREE = "hf_" + ("GitConfigTree" * 3)[:32] + "81"


def scan(path: Path):
    return run(RunOptions(path=path, offline=True, use_baseline=False, use_config=False)).scan


def checkout_repo(repo: Repo) -> Repo:
    repo.write("README.md", "hello\n")
    repo.commit("start")
    basic = base64.b64encode(f"x-access-token:{T_HEADER}".encode()).decode()
    repo.git("config", "http.https://github.com/.extraheader", f"AUTHORIZATION: basic {basic}")
    repo.git("remote", "add", "origin", f"https://x-access-token:{T_REMOTE}@github.com/acme/shop.git")
    return repo


def test_tokens_in_git_config_are_found_as_git_config(repo):
    result = scan(checkout_repo(repo).root)
    where = {f.token.secret: [(loc.path, loc.exposure) for loc in f.locations] for f in result.findings}
    assert where[T_HEADER] == [(".git/config", "git-config")]
    assert where[T_REMOTE] == [(".git/config", "git-config")]
    header = next(f for f in result.findings if f.token.secret == T_HEADER)
    assert header.locations[0].encoding == "base64"  # the header holds base64 of user:token


def test_exposure_order_puts_git_config_right_after_ignored():
    assert EXPOSURE_ORDER.index("git-config") == EXPOSURE_ORDER.index("ignored") + 1


def test_linked_worktree_and_bare_repository(repo, tmp_path):
    checkout_repo(repo)
    wt = tmp_path / "wt"
    repo.git("worktree", "add", "-q", "-b", "side", str(wt))
    result = scan(wt)
    assert {f.token.secret: f.locations[0].exposure for f in result.findings} == {
        T_HEADER: "git-config", T_REMOTE: "git-config"}
    bare = Repo(tmp_path / "bare.git", init=False)
    bare.git("init", "-q", "--bare")
    bare.git("config", "remote.origin.url", f"https://x-access-token:{T_REMOTE}@github.com/acme/shop.git")
    repo.git("push", "-q", str(bare.root), "main")
    result = scan(bare.root)
    assert [(loc.path, loc.exposure) for f in result.findings for loc in f.locations] == [("config", "git-config")]


def test_config_is_read_safely(repo, tmp_path):
    """Never through a symbolic link, never a special file, never past the size limit."""
    checkout_repo(repo)
    config = repo.root / ".git" / "config"
    outside = tmp_path / "outside-config"
    outside.write_text(config.read_text())
    config.unlink()
    config.symlink_to(outside)  # git follows it; the scan must not read through it
    repo.write("local.env", f"HF_TOKEN={T_TREE}\n")
    result = scan(repo.root)
    assert {f.token.secret for f in result.findings} == {T_TREE}
    assert any(".git/config" in w and "symbolic link" in w for w in result.stats.warnings)

    config.unlink()
    outside.rename(config)
    with open(config, "a") as fh:
        fh.write("# " + "x" * 2048 + "\n")
    result = run(RunOptions(path=repo.root, offline=True, use_baseline=False, use_config=False,
                            max_file_size=1024)).scan
    assert {f.token.secret for f in result.findings} == {T_TREE}
    assert result.stats.skipped["larger than the size limit"] >= 1


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "markdown", "html"])
def test_every_report_names_the_exposure(repo, fmt):
    result = scan(checkout_repo(repo).root)
    out = reports.render(fmt, result)
    assert T_HEADER not in out and T_REMOTE not in out
    if fmt == "json":
        doc = json.loads(out)
        assert {loc["exposure"] for f in doc["findings"] for loc in f["locations"]} == {"git-config"}
    elif fmt == "sarif":
        doc = json.loads(out)
        props = [loc["physicalLocation"] for r in doc["runs"][0]["results"] for loc in r["locations"]]
        assert {p["artifactLocation"]["uri"] for p in props} == {".git/config"}
        assert "git-config" in out
    elif fmt == "text":
        assert ".git/config:" in out and "[git-config]" in out
    else:
        assert ".git/config" in out and EXPOSURE_PHRASE["git-config"] in out


def test_not_in_staged_or_diff_mode(repo):
    """Pre-commit and pull-request scans look at the change, not at the local clone's settings."""
    checkout_repo(repo)
    repo.write("a.txt", "x\n")
    repo.git("add", "a.txt")
    staged = run(RunOptions(path=repo.root, offline=True, staged=True, use_baseline=False, use_config=False))
    assert staged.findings == []
