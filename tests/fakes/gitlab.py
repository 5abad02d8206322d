"""Fake https://gitlab.com answering the REST API v4 as GitLab documents and implements it.

``GET /api/v4/personal_access_tokens/self`` (entity PersonalAccessToken: id, name, revoked,
created_at, scopes, user_id, active, expires_at as YYYY-MM-DD, last_used_at),
``…/self/associations`` ({"groups": [GroupAssociationDetails], "projects":
[ProjectAssociationDetails]}) and ``/api/v4/user`` (is_admin only for administrators, bot for
project/group token users). Invalid tokens get ``401 {"message": "401 Unauthorized"}``.
"""

from __future__ import annotations

from typing import Any

from tests.fakes.server import FakeServer, Reply, Request
from tokenreach.detectors.providers.gitlab import routable_token

PAT_BROAD = routable_token("glpat-", {"c": 1, "o": 1, "u": 4821}, bytes(range(16)))
PAT_ADMIN = "glpat-Ad7minRootTok3nX9Zx9"
PAT_READ = "glpat-R3adR3poOnly0000Zx9Q"
PROJECT_TOKEN = "glpat-Pr0jectBotTok3n77Zx9"
GROUP_TOKEN = "glpat-Gr0upBotTok3nRe4dZx9"
UNDERSCOPED = "glpat-Und3rScop3dTok3nZx9Q"
BLOCKED = "glpat-Bl0ckedUs3rTok3nZx9Q"
OLD_INSTANCE = "glpat-0ldInstanc3Tok3nZx9Q"
REVOKED = "glpat-R3vok3dTok3nQWRTZx9Q"
RATE_LIMITED = "glpat-Sl0wD0wnTok3nXXXZx9Q"
SERVER_ERROR = "glpat-Serv3rErr0rTok3nZx9Q"
MALFORMED = "glpat-Malf0rm3dTok3nXXZx9Q"
INSTANCE_PREFIXED = "SIE-glpat-Inst4nceTok3nXXXZx9Q"

UNAUTHORIZED = {"message": "401 Unauthorized"}


def _token(tid: int, name: str, scopes: list[str], user_id: int, expires: str | None) -> dict[str, Any]:
    return {"id": tid, "name": name, "revoked": False, "created_at": "2026-01-10T09:00:00.000Z",
            "description": "", "scopes": scopes, "user_id": user_id,
            "last_used_at": "2026-08-01T12:00:00.000Z", "active": True, "expires_at": expires,
            "last_used_ips": ["203.0.113.9"]}


def _group(gid: int, name: str, level: int | None, parent: int | None = None) -> dict[str, Any]:
    return {"id": gid, "web_url": f"https://gitlab.com/groups/{name}", "name": name, "parent_id": parent,
            "organization_id": 1, "access_levels": level, "visibility": "private"}


def _project(pid: int, path: str, project_level: int | None, group_level: int | None) -> dict[str, Any]:
    ns, _, name = path.rpartition("/")
    return {"id": pid, "description": None, "name": name, "name_with_namespace": path.replace("/", " / "),
            "path": name, "path_with_namespace": path, "created_at": "2025-05-01T10:00:00.000Z",
            "access_levels": {"project_access_level": project_level, "group_access_level": group_level},
            "visibility": "private", "web_url": f"https://gitlab.com/{path}",
            "namespace": {"id": pid * 10, "name": ns, "path": ns, "kind": "group", "full_path": ns}}


def _user(uid: int, username: str, **extra: Any) -> dict[str, Any]:
    return {"id": uid, "username": username, "name": username.title(), "state": "active",
            "locked": False, "web_url": f"https://gitlab.com/{username}", **extra}


_SELF = {
    PAT_BROAD: _token(1, "laptop", ["api", "read_repository"], 4821, "2026-12-31"),
    PAT_ADMIN: _token(2, "ops", ["api", "sudo", "admin_mode"], 1, None),
    PAT_READ: _token(3, "clone", ["read_repository"], 77, "2026-06-30"),
    PROJECT_TOKEN: _token(4, "deploy-bot", ["api"], 9001, "2026-09-01"),
    GROUP_TOKEN: _token(5, "reporting", ["read_api"], 9002, "2026-09-01"),
}
_ASSOCIATIONS = {
    PAT_BROAD: {"groups": [_group(10, "acme", 50), _group(11, "infra", 30, parent=10)],
                "projects": [_project(100, "acme/api", None, 50), _project(101, "alice/dotfiles", 50, None)]},
    PAT_ADMIN: {"groups": [], "projects": []},
    PAT_READ: {"groups": [], "projects": [_project(102, "dave/notes", 30, None)]},
    PROJECT_TOKEN: {"groups": [], "projects": [_project(100, "acme/api", 40, None)]},
    GROUP_TOKEN: {"groups": [_group(10, "acme", 20)], "projects": [_project(100, "acme/api", None, 20)]},
}
_USERS = {
    PAT_BROAD: _user(4821, "alice", bot=False),
    PAT_ADMIN: _user(1, "root", bot=False, is_admin=True),
    PAT_READ: _user(77, "dave", bot=False),
    PROJECT_TOKEN: _user(9001, "project_100_bot_5f3c2a", bot=True),
    GROUP_TOKEN: _user(9002, "group_10_bot_77ab01", bot=True),
    OLD_INSTANCE: _user(55, "erin", bot=False),
}
_RATE = {"RateLimit-Limit": "2000", "RateLimit-Remaining": "1990"}


def _failure(tok: str | None) -> Reply | None:
    if tok == RATE_LIMITED:
        return Reply(429, "Retry later\n", headers={"Retry-After": "60", "RateLimit-Remaining": "0"})
    if tok == SERVER_ERROR:
        return Reply(500, {"message": "500 Internal Server Error"})
    if tok == MALFORMED:
        return Reply(200, "<html><body>Sign in · GitLab</body></html>")
    if tok == BLOCKED:
        return Reply(403, {"message": "403 Forbidden - Your account has been blocked."})
    known = set(_SELF) | set(_USERS) | {UNDERSCOPED, INSTANCE_PREFIXED}
    if tok is None or tok not in known:
        return Reply(401, UNAUTHORIZED)
    return None


def make() -> FakeServer:
    fake = FakeServer()

    @fake.route("GET", "/api/v4/personal_access_tokens/self")
    def self_info(req: Request) -> Reply:
        tok = req.header("private-token")
        failure = _failure(tok)
        if failure:
            return failure
        if tok == UNDERSCOPED:
            return Reply(403, {"error": "insufficient_scope",
                               "error_description": "The request requires higher privileges than "
                                                    "provided by the access token.",
                               "scope": "api read_api"})
        if tok == OLD_INSTANCE:
            return Reply(404, {"error": "404 Not Found"})
        if tok == INSTANCE_PREFIXED:
            return Reply(200, _token(6, "self-managed", ["read_api"], 3, "2026-10-10"), headers=_RATE)
        return Reply(200, _SELF[tok], headers=_RATE)

    @fake.route("GET", "/api/v4/personal_access_tokens/self/associations")
    def associations(req: Request) -> Reply:
        tok = req.header("private-token")
        failure = _failure(tok)
        if failure:
            return failure
        if tok not in _ASSOCIATIONS:
            return Reply(200, {"groups": [], "projects": []}, headers=_RATE)
        return Reply(200, _ASSOCIATIONS[tok], headers={**_RATE, "X-Page": "1", "X-Per-Page": "100"})

    @fake.route("GET", "/api/v4/user")
    def user(req: Request) -> Reply:
        tok = req.header("private-token")
        failure = _failure(tok)
        if failure:
            return failure
        if tok in _USERS:
            return Reply(200, _USERS[tok], headers=_RATE)
        return Reply(403, {"error": "insufficient_scope",
                           "error_description": "The request requires higher privileges than provided "
                                                "by the access token.", "scope": "api read_api read_user"})

    return fake
