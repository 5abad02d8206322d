"""A self-managed GitLab's token is never sent to gitlab.com (issue 17, item 3), end to end."""

from __future__ import annotations

import pytest

from tests.helpers import Repo
from tokenreach.detectors import http
from tokenreach.scanner.run import RunOptions, run

PAT = "glpat-x7Kq2Lm9Np4Rs6Tv8Wy0"


@pytest.fixture
def sent(monkeypatch) -> list[str]:
    urls: list[str] = []

    def record(self, method, path, *, host=None, **kwargs):
        urls.append(self.url(path, host))
        raise http.LookupUnavailable("recorded; no network in tests")

    monkeypatch.setattr(http.ProviderHTTP, "_send", record)
    return urls


@pytest.mark.parametrize("context", [
    "CI_SERVER_URL=https://code.acme.io\n",
    'variables:\n  GITLAB_HOST: "git.corp.example:8443"\n',
    "# clone: git clone https://oauth2:token@gitlab.acme.io/group/project.git\n",
    "[acme]\ngitlab_url = https://scm.acme.io/\n",
])
def test_context_naming_another_host_keeps_the_token_from_gitlab_com(repo: Repo, sent, context):
    repo.write(".env", f"{context}GITLAB_TOKEN={PAT}\n")
    repo.commit("ci")
    result = run(RunOptions(path=repo.root, history=False)).scan
    (finding,) = [f for f in result.findings if f.provider == "gitlab"]
    assert sent == []
    assert finding.access is not None and finding.access.live is None
    assert any("not looked up: self-managed instance" in n for n in finding.access.notes)


def test_the_same_token_alone_is_looked_up_on_gitlab_com(repo: Repo, sent):
    repo.write(".env", f"GITLAB_TOKEN={PAT}\nDOCS=https://gitlab.com/help\n")
    repo.commit("ci")
    run(RunOptions(path=repo.root, history=False))
    assert sent and all(u.startswith("https://gitlab.com/") for u in sent)


def test_the_operator_can_point_lookups_at_the_instance(repo: Repo, sent, monkeypatch):
    monkeypatch.setenv("TOKENREACH_GITLAB_API_URL", "https://code.acme.io")
    repo.write(".env", f"CI_SERVER_URL=https://code.acme.io\nGITLAB_TOKEN={PAT}\n")
    repo.commit("ci")
    run(RunOptions(path=repo.root, history=False))
    assert sent and all(u.startswith("https://code.acme.io/") for u in sent)
