"""Fake https://api.bitbucket.org: ``GET /2.0/repositories?role=member`` and ``GET /2.0/user``, with
the ``x-oauth-scopes`` and ``x-credential-type`` headers and the error bodies Bitbucket Cloud sends."""

from __future__ import annotations

from tests.fakes.server import FakeServer, Reply, Request

_TAIL = "uVPh3EqFYW3JIHaauJ5IHcqEYeN6-hkStlaBTqEa5oEWyT0pfxiYSvdQCgOoQhqeZK9WXTt-xIfTX5qV1IdRWnA6Ly2ljg67Ay3RWjVr9"


def _access_token(tag: str, check: str) -> str:
    return f"ATCTT3xFfGN0{tag}{_TAIL}={check}"


REPO_READ = _access_token("RepoRead", "1A2B3C4D")  # one repository, read only
WORKSPACE_ADMIN = _access_token("WsAdmin", "5E6F7A8B")  # a whole workspace, admin and pipeline variables
PR_ONLY = _access_token("PrOnly", "9C0D1E2F")  # pull requests only: the repository list is refused
REVOKED = _access_token("Revoked", "0F1E2D3C")
RATE_LIMITED = _access_token("Slow", "4B5A6978")
BROKEN = _access_token("Broken", "8796A5B4")

APP_USER = "alice-dev"
APP_PASSWORD = "ATBBj96PRoBVJZkLhojbmiCkvYQuFAA22376"  # alice-dev's, repository:write and account
APP_PASSWORD_OFF = "ATBB" + "q2WxE8rT5yU1iO4pA7sD3fG6" + "CC890D1A"  # switched off with the rest

_REPOS = {
    REPO_READ: ["acme/api"],
    WORKSPACE_ADMIN: ["acme/api", "acme/web", "acme/infra"],
    APP_PASSWORD: ["alice-dev/dotfiles", "acme/api"],
}
_SCOPES = {
    REPO_READ: ("repository", "repo_access_token"),
    WORKSPACE_ADMIN: ("pipeline:variable project:admin repository repository:admin repository:delete "
                      "repository:write webhook", "workspace_access_token"),
    PR_ONLY: ("pullrequest", "repo_access_token"),
    APP_PASSWORD: ("account repository repository:write", "app_password"),
}


def _error(message: str, **extra: object) -> dict:
    error: dict[str, object] = {"message": message}
    error.update(extra)
    return {"type": "error", "error": error}


def _credential(req: Request) -> str | None:
    bearer = req.bearer()
    if bearer:
        return bearer
    basic = req.basic()
    if basic and basic[0] == APP_USER:
        return basic[1]
    return None


def _repo(full_name: str) -> dict:
    workspace, slug = full_name.split("/")
    return {"type": "repository", "full_name": full_name, "name": slug, "slug": slug, "is_private": True,
            "workspace": {"type": "workspace", "slug": workspace, "name": workspace.title()},
            "project": {"type": "project", "key": "CORE", "name": "Core"},
            "links": {"html": {"href": f"https://bitbucket.org/{full_name}"}}}


def make() -> FakeServer:
    fake = FakeServer()

    def unauthorized() -> Reply:
        return Reply(401, _error("Token is invalid, expired, or not supported for this endpoint."),
                     headers={"WWW-Authenticate": 'Basic realm="Bitbucket.org HTTP"'})

    @fake.route("GET", "/2.0/repositories")
    def repositories(req: Request) -> Reply:
        cred = _credential(req)
        if cred == RATE_LIMITED:
            return Reply(429, "Rate limit for this resource has been exceeded", headers={"Retry-After": "3600"})
        if cred == BROKEN:
            return Reply(502, "<html>Bad Gateway</html>")
        if cred not in _SCOPES:
            return unauthorized()
        scopes, kind = _SCOPES[cred]
        headers = {"x-oauth-scopes": scopes, "x-accepted-oauth-scopes": "repository", "x-credential-type": kind}
        if "repository" not in scopes.split():
            return Reply(403, _error("Your credentials lack one or more required privilege scopes.",
                                     detail={"granted": scopes.split(), "required": ["repository"]}),
                         headers=headers)
        repos = [_repo(name) for name in _REPOS[cred]]
        return Reply(200, {"pagelen": 100, "values": repos, "page": 1}, headers=headers)

    @fake.route("GET", "/2.0/user")
    def user(req: Request) -> Reply:
        cred = _credential(req)
        if cred != APP_PASSWORD:
            return unauthorized()
        return Reply(200, {"type": "user", "username": APP_USER, "display_name": "Alice Dev",
                           "account_id": "557058:0f1e2d3c", "uuid": "{b1c2d3e4-0000-4000-8000-000000000001}"},
                     headers={"x-oauth-scopes": _SCOPES[APP_PASSWORD][0], "x-credential-type": "app_password"})

    return fake
