"""Fake https://api.github.com answering as the REST API documents (docs.github.com, 2022-11-28).

Classic tokens carry ``X-OAuth-Scopes``; ``/user`` answers 403 to installation tokens; a
fine-grained or installation token's per-repository read probe that it lacks the permission for
answers 403 with ``X-Accepted-GitHub-Permissions``; 401 ``Bad credentials`` means invalid.
"""

from __future__ import annotations

from typing import Any

from tests.fakes.server import FakeServer, Reply, Request
from tokenreach.detectors.providers.github import with_checksum


def _token(prefix: str, seed: str) -> str:
    return with_checksum(prefix, (seed * 30)[:30])


CLASSIC_BROAD = _token("ghp", "BroadClassic7")
CLASSIC_NARROW = _token("ghp", "NarrowClassic3")
CLASSIC_FLAKY = _token("ghp", "FlakyOrgs5")  # /user fine, /user/orgs fails
OAUTH = _token("gho", "OauthNoScope2")
APP_USER = _token("ghu", "AppUserTok4")
INSTALLATION = _token("ghs", "InstallSel8")
INSTALLATION_ALL = _token("ghs", "InstallAll9")
INSTALLATION_GONE = _token("ghs", "InstallGone1")
REFRESH = _token("ghr", "RefreshMe6")
REVOKED = _token("ghp", "RevokedTok0")
RATE_LIMITED = _token("ghp", "PrimaryLimit1")  # 403 + X-RateLimit-Remaining: 0
SECONDARY_LIMITED = _token("ghp", "SecondLimit2")  # 429 + Retry-After
SERVER_ERROR = _token("ghp", "BadGateway5")
MALFORMED = _token("ghp", "HtmlBody7")
LEGACY = "5ba93c9db0cff93f52b521d7420e43f6eda2784f"
FINE = "github_pat_11AAAAAAA0FineGrainedA_" + ("FineGrainedAcmeRepos" * 3)[:59]
FINE_ONE = "github_pat_11AAAAAAA0FineGrainedB_" + ("OnlyOneReadOnlyRepo0" * 3)[:59]

BAD_CREDENTIALS = {"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest",
                   "status": "401"}
_CLASSIC_SCOPES = {
    CLASSIC_BROAD: "repo, admin:org, delete_repo, workflow",
    CLASSIC_NARROW: "read:user",
    CLASSIC_FLAKY: "repo",
    OAUTH: "",
    LEGACY: "repo",
}
_USERS = {**{t: "alice" for t in _CLASSIC_SCOPES}, APP_USER: "alice", FINE: "alice", FINE_ONE: "bob"}
_EXPIRY = {
    CLASSIC_NARROW: "2026-11-02 12:00:00 UTC",
    FINE: "2026-12-01 09:30:00 -0800",
    APP_USER: "2026-11-25 19:00:00 +0000",
}


def _owner(login: str) -> dict[str, Any]:
    return {"login": login, "id": hash(login) % 10_000, "type": "User" if login in ("alice", "bob") else
            "Organization"}


def _repo(full: str, admin: bool = False, push: bool = False, private: bool = True) -> dict[str, Any]:
    owner = full.split("/")[0]
    return {"id": abs(hash(full)) % 100_000, "name": full.split("/")[1], "full_name": full,
            "private": private, "owner": _owner(owner),
            "permissions": {"admin": admin, "maintain": admin, "push": push or admin, "triage": True,
                            "pull": True}}


_REPOS = {
    CLASSIC_BROAD: [_repo("acme/api", admin=True), _repo("alice/dotfiles", admin=True),
                    _repo("labs/site", push=True)],
    CLASSIC_NARROW: [_repo("alice/dotfiles", admin=True, private=False)],
    CLASSIC_FLAKY: [_repo("alice/dotfiles", admin=True)],
    OAUTH: [_repo("alice/dotfiles", admin=True, private=False)],
    LEGACY: [_repo("alice/dotfiles", admin=True)],
    FINE: [_repo("acme/web", push=True), _repo("acme/api", admin=True)],
    FINE_ONE: [_repo("carol/notes")],
}
_ORGS = {
    CLASSIC_BROAD: ["acme", "labs"],
    OAUTH: ["acme"],
    LEGACY: [],
    CLASSIC_NARROW: [],
}
# (token, "owner/repo", probe path) → permission the token lacks there.
_DENIED = {
    (FINE, "acme/api", "actions/permissions"): "administration=read",
    (FINE, "acme/api", "actions/secrets"): "secrets=read",
    (FINE_ONE, "carol/notes", "actions/permissions"): "administration=read",
    (FINE_ONE, "carol/notes", "actions/secrets"): "secrets=read",
    (FINE_ONE, "carol/notes", "hooks"): "repository_hooks=read",
    (INSTALLATION, "acme/api", "actions/permissions"): "administration=read",
    (INSTALLATION, "acme/api", "hooks"): "repository_hooks=read",
}
_INSTALLATION_REPOS = {
    INSTALLATION: ("selected", [_repo("acme/api"), _repo("acme/web"), _repo("acme/docs")]),
    INSTALLATION_ALL: ("all", [_repo("acme/api"), _repo("acme/web")]),
}
_RATE_HEADERS = {"X-RateLimit-Limit": "5000", "X-RateLimit-Remaining": "4990", "X-RateLimit-Used": "10"}


def _auth(req: Request) -> Reply | str:
    """The token, or the reply a bad token gets on any endpoint."""
    tok = req.bearer()
    if tok == RATE_LIMITED:
        return Reply(403, {"message": "API rate limit exceeded for user ID 1."},
                     headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1900000000"})
    if tok == SECONDARY_LIMITED:
        return Reply(429, {"message": "You have exceeded a secondary rate limit."},
                     headers={"Retry-After": "120"})
    if tok == SERVER_ERROR:
        return Reply(502, "<html><body>Bad gateway</body></html>")
    if tok == MALFORMED:
        return Reply(200, "<!DOCTYPE html><html>Unicorn!</html>")
    known = set(_USERS) | set(_INSTALLATION_REPOS)
    if tok is None or tok not in known:
        return Reply(401, BAD_CREDENTIALS)
    return tok


def _headers(tok: str) -> dict[str, str]:
    headers = dict(_RATE_HEADERS)
    if tok in _CLASSIC_SCOPES:
        headers["X-OAuth-Scopes"] = _CLASSIC_SCOPES[tok]
        headers["X-Accepted-OAuth-Scopes"] = ""
    if tok in _EXPIRY:
        headers["github-authentication-token-expiration"] = _EXPIRY[tok]
    return headers


def make() -> FakeServer:
    fake = FakeServer()

    @fake.route("GET", "/user")
    def user(req: Request) -> Reply:
        tok = _auth(req)
        if isinstance(tok, Reply):
            return tok
        if tok in _INSTALLATION_REPOS:
            return Reply(403, {"message": "Resource not accessible by integration", "status": "403"})
        login = _USERS[tok]
        body = {"login": login, "id": 1 if login == "alice" else 2, "type": "User", "name": login.title(),
                "public_repos": 12, "total_private_repos": 40}
        return Reply(200, body, headers=_headers(tok))

    @fake.route("GET", "/user/orgs")
    def orgs(req: Request) -> Reply:
        tok = _auth(req)
        if isinstance(tok, Reply):
            return tok
        if tok == CLASSIC_FLAKY:
            return Reply(500, {"message": "Server Error"})
        body = [{"login": o, "id": i, "url": f"https://api.github.com/orgs/{o}"}
                for i, o in enumerate(_ORGS.get(tok, []))]
        headers = _headers(tok)
        if tok == CLASSIC_BROAD:
            headers["X-GitHub-SSO"] = "partial-results; organizations=21955855,20582480"
        return Reply(200, body, headers=headers)

    @fake.route("GET", "/user/repos")
    def repos(req: Request) -> Reply:
        tok = _auth(req)
        if isinstance(tok, Reply):
            return tok
        headers = _headers(tok)
        if tok == CLASSIC_BROAD:
            base = "https://api.github.com/user/repos?per_page=100&sort=pushed"
            headers["Link"] = f'<{base}&page=2>; rel="next", <{base}&page=3>; rel="last"'
        return Reply(200, _REPOS.get(tok, []), headers=headers)

    @fake.route("GET", "/user/installations")
    def installations(req: Request) -> Reply:
        tok = _auth(req)
        if isinstance(tok, Reply):
            return tok
        if tok != APP_USER:
            return Reply(403, {"message": "You must authenticate with an access token authorized to a "
                                          "GitHub App in order to list installations"})
        return Reply(200, {"total_count": 2, "installations": [
            {"id": 1, "account": _owner("acme"), "repository_selection": "all", "app_slug": "ci-helper",
             "permissions": {"contents": "write", "metadata": "read", "administration": "write"}},
            {"id": 2, "account": _owner("alice"), "repository_selection": "selected",
             "app_slug": "ci-helper", "permissions": {"issues": "write", "metadata": "read"}},
        ]}, headers=_headers(tok))

    @fake.route("GET", "/installation/repositories")
    def installation_repos(req: Request) -> Reply:
        tok = _auth(req)
        if isinstance(tok, Reply):
            return tok
        if tok not in _INSTALLATION_REPOS:
            return Reply(403, {"message": "Resource not accessible by personal access token"})
        selection, repos = _INSTALLATION_REPOS[tok]
        return Reply(200, {"total_count": len(repos), "repository_selection": selection,
                           "repositories": repos}, headers=_headers(tok))

    @fake.route("GET", r"/repos/(?P<o>[^/]+)/(?P<r>[^/]+)/(?P<sub>.+)")
    def probe(req: Request) -> Reply:
        tok = _auth(req)
        if isinstance(tok, Reply):
            return tok
        parts = req.path.split("/", 4)
        full, sub = f"{parts[2]}/{parts[3]}", parts[4]
        needed = _DENIED.get((tok, full, sub))
        if needed:
            return Reply(403, {"message": "Resource not accessible by personal access token",
                               "status": "403"},
                         headers={**_headers(tok), "X-Accepted-GitHub-Permissions": needed})
        bodies: dict[str, Any] = {
            "commits": [{"sha": "0" * 40}],
            "actions/permissions": {"enabled": True, "allowed_actions": "all"},
            "actions/secrets": {"total_count": 1, "secrets": [{"name": "DEPLOY_KEY"}]},
            "hooks": [],
        }
        if sub not in bodies:
            return Reply(404, {"message": "Not Found"})
        return Reply(200, bodies[sub], headers=_headers(tok))

    return fake
