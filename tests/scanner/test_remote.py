"""Sweeping remote repositories (issue 14): GitHub and GitLab listings paged through fakes on
127.0.0.1, bare mirrors of real local repositories (file://), and a credential that reaches git
only through the environment."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.fakes import forges
from tests.fakes import github as fake_github
from tests.helpers import Repo, run_cli
from tokenreach.scanner import remote
from tokenreach.scanner.errors import ScanError

N = 150
FORKS = {7, 70}
ARCHIVED = {11, 111}
PRIVATE = {3, 33, 133}
PLANTED = fake_github.CLASSIC_NARROW


@pytest.fixture(scope="module")
def origins(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """150 file:// clone URLs: a few real bare repositories, each reached under several names."""
    base = tmp_path_factory.mktemp("origins")
    bares = []
    for i in range(3):
        work = Repo(base / f"work{i}")
        work.write("deploy.env", f"GITHUB_TOKEN={PLANTED}\n" if i == 0 else f"N={i}\n")
        work.commit("init")
        bare = base / f"bare{i}.git"
        work.git("clone", "-q", "--bare", str(work.root), str(bare))
        bares.append(bare)
    urls = []
    for i in range(N):
        link = base / f"r{i:03d}.git"
        link.symlink_to(bares[i % 3])
        urls.append(link.as_uri())
    return urls


def _github_repos(urls: list[str]) -> list[dict[str, Any]]:
    return [{"name": f"r{i:03d}", "clone_url": u, "fork": i in FORKS, "archived": i in ARCHIVED,
             "private": i in PRIVATE} for i, u in enumerate(urls)]


def test_github_org_listing_pages_filters_and_sees_private_ones(origins: list[str]) -> None:
    with forges.github("acme", _github_repos(origins)) as fake:
        env = {"TOKENREACH_GITHUB_API_URL": fake.url, "GITHUB_TOKEN": forges.LISTING_TOKEN}
        listed = remote.github_repositories("acme", environ=env)
        assert fake.sent() == ["GET /orgs/acme/repos", "GET /orgs/acme/repos"]  # 100 + 50
        everything = remote.github_repositories("acme", forks=True, archived=True, environ=env)
        anonymous = remote.github_repositories("acme", forks=True, archived=True,
                                               environ={"TOKENREACH_GITHUB_API_URL": fake.url})
        fake.assert_read_only()
    assert len(listed) == N - len(FORKS) - len(ARCHIVED)
    assert {r.name for r in listed} >= {"acme/r003", "acme/r133"}
    assert not {r.name for r in listed} & {"acme/r007", "acme/r011"}
    assert len(everything) == N and len(anonymous) == N - len(PRIVATE)
    assert all(r.provider == "github" for r in listed)


def test_github_user_listing_uses_the_token_owners_own_endpoint(origins: list[str]) -> None:
    with forges.github("alice", _github_repos(origins[:5]), user="alice") as fake:
        env = {"TOKENREACH_GITHUB_API_URL": fake.url, "GITHUB_TOKEN": forges.LISTING_TOKEN}
        listed = remote.github_repositories("alice", user=True, environ=env)
        assert fake.sent() == ["GET /user", "GET /user/repos"]
    assert [r.name for r in listed] == [f"alice/r{i:03d}" for i in range(5)]  # r003, private, too


def test_gitlab_group_listing_with_subgroups_and_pages(origins: list[str]) -> None:
    projects = [{"path": (f"team{i % 4}/p{i:03d}" if i % 2 else f"p{i:03d}"), "clone_url": u,
                 "fork": i in FORKS, "archived": i in ARCHIVED} for i, u in enumerate(origins)]
    with forges.gitlab("acme", projects) as fake:
        env = {"TOKENREACH_GITLAB_API_URL": fake.url, "GITLAB_TOKEN": forges.GITLAB_LISTING_TOKEN}
        listed = remote.gitlab_repositories("acme", environ=env)
        assert len(fake.requests) == 2
        assert all(r.query["include_subgroups"] == ["true"] for r in fake.requests)
    assert len(listed) == N - len(FORKS) - len(ARCHIVED)
    assert "acme/team1/p001" in {r.name for r in listed}


def test_a_refused_listing_is_one_clear_error(origins: list[str]) -> None:
    with forges.github("acme", _github_repos(origins[:3])) as fake:
        env = {"TOKENREACH_GITHUB_API_URL": fake.url, "GITHUB_TOKEN": "ghp_wrong"}
        with pytest.raises(ScanError, match="answered 401"):
            remote.github_repositories("acme", environ=env)
    with pytest.raises(ScanError, match="not an owner"):
        remote.github_repositories("../etc", environ={})


def test_the_credential_helper_is_scoped_to_the_apis_host() -> None:
    env = {"GITHUB_TOKEN": forges.LISTING_TOKEN}
    ok = remote.git_environment(remote.Remote("acme/x", "https://github.com/acme/x.git", "github"), env)
    assert ok[remote.SECRET_VAR] == forges.LISTING_TOKEN
    assert ok["GIT_CONFIG_KEY_1"] == "credential.https://github.com.helper"
    assert forges.LISTING_TOKEN not in ok["GIT_CONFIG_VALUE_1"] and "$" + remote.SECRET_VAR in ok["GIT_CONFIG_VALUE_1"]
    for url in ("https://evil.example/acme/x.git", "http://github.com/acme/x.git", "file:///tmp/x.git"):
        other = remote.git_environment(remote.Remote("acme/x", url, "github"), env)
        assert remote.SECRET_VAR not in other and "GIT_CONFIG_COUNT" not in other
    # A --repos URL on another host never gets the GitHub credential.
    assert remote.remote_of_url("https://git.example/acme/x.git", env).provider is None
    assert remote.remote_of_url("https://github.com/acme/x.git", env).provider == "github"
    with pytest.raises(ScanError, match="must not carry"):
        remote.remote_of_url("https://user:pw@github.com/acme/x.git", env)


def test_the_helper_really_answers_git(tmp_path: Path) -> None:
    """git itself asks the helper from the environment (git credential fill), no argv involved."""
    env = remote.git_environment(remote.Remote("acme/x", "https://github.com/acme/x.git", "github"),
                                 {"GITHUB_TOKEN": forges.LISTING_TOKEN})
    out = subprocess.run(["git", "credential", "fill"], input="protocol=https\nhost=github.com\n\n",
                         env=env, capture_output=True, text=True, timeout=30, cwd=tmp_path)
    assert f"password={forges.LISTING_TOKEN}" in out.stdout
    assert "username=x-access-token" in out.stdout


@pytest.mark.slow
def test_sweep_of_an_organisation_end_to_end(origins: list[str], tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    argvs: list[list[str]] = []
    real = subprocess.Popen

    class Recording(real):  # type: ignore[misc,valid-type]
        def __init__(self, args: Any, *a: Any, **kw: Any) -> None:
            argvs.append([str(x) for x in (args if isinstance(args, (list, tuple)) else [args])])
            super().__init__(args, *a, **kw)

    monkeypatch.setattr(subprocess, "Popen", Recording)
    clones = tmp_path / "clones"
    with forges.github("acme", _github_repos(origins)) as fake:
        env = {"TOKENREACH_GITHUB_API_URL": fake.url, "GITHUB_TOKEN": forges.LISTING_TOKEN}
        args = ["scan", "--github-org", "acme", "--clone-dir", str(clones), "--offline", "--jobs", "1",
                "--format", "json"]
        first = run_cli(args, env=env)
        assert first.returncode in (0, 1), first.stderr
        second = run_cli(args, env=env)  # the mirrors are fetched, not cloned again
        assert all(r.bearer() == forges.LISTING_TOKEN for r in fake.requests)
    doc = json.loads(first.stdout)
    assert len(doc["repositories"]) == N - len(FORKS) - len(ARCHIVED)
    [planted] = [f for f in doc["findings"] if f["provider"] == "github"]
    assert len({loc["repository"] for loc in planted["locations"]}) == len(
        [i for i in range(N) if i % 3 == 0 and i not in FORKS | ARCHIVED])
    assert json.loads(second.stdout)["findings"] == doc["findings"]
    assert any("clone" in a for a in argvs) and any("fetch" in a for a in argvs)
    for argv in argvs:
        assert not any(forges.LISTING_TOKEN in x for x in argv), argv
    for text in (first.stdout, first.stderr, second.stdout, second.stderr):
        assert forges.LISTING_TOKEN not in text
    for config in clones.glob("*.git/config"):
        assert forges.LISTING_TOKEN not in config.read_text()
    assert os.environ.get(remote.SECRET_VAR) is None
