"""Fake Gitea/Forgejo API v1: ``/api/v1/user``, ``/api/v1/user/repos`` and ``/api/v1/admin/users``,
enforcing token scopes the way Gitea does (403 "token does not have at least one of required
scope(s)", naming the token's scopes in the newer wording) and answering an unknown token 401."""

from __future__ import annotations

from tests.fakes.server import FakeServer, Reply, Request

READER = "2a60d33c630e56e6f03ee00c5187aa089e4e225f"  # read:repository, read:user
ADMIN_ALL = "9b1e7c3d5f2a4b6c8d0e1f3a5b7c9d2e4f6a8b0c"  # a site admin's "all" token
ISSUES_ONLY = "4c8e2a6b0d9f1e3a5c7b9d2f4e6a8c0b1d3f5e7a"  # write:issue: no read:user
REVOKED = "7d3f9b1e5a2c4e6f8a0b2d4f6e8a1c3e5b7d9f0a"
RATE_LIMITED = "5e1a9c3b7d2f4a6c8e0b1d3f5a7c9e2b4d6f8a0c"
BROKEN = "8f2b6d0a4c9e1f3b5d7a9c2e4f6b8d0a1c3e5f7b"

_SCOPES = {READER: {"read:repository", "read:user"}, ADMIN_ALL: {"all"}, ISSUES_ONLY: {"write:issue"}}
_USERS = {READER: ("rita", False), ADMIN_ALL: ("root", True), ISSUES_ONLY: ("ivan", False)}
_REPOS = {
    READER: [("rita/notes", {"admin": True, "push": True, "pull": True}),
             ("acme/api", {"admin": False, "push": False, "pull": True})],
    ADMIN_ALL: [("acme/api", {"admin": True, "push": True, "pull": True}),
                ("acme/web", {"admin": True, "push": True, "pull": True})],
}


def _has(token: str, level: str, category: str) -> bool:
    held = _SCOPES[token]
    return "all" in held or f"{level}:{category}" in held or (level == "read" and f"write:{category}" in held)


def make() -> FakeServer:
    fake = FakeServer()

    def gate(req: Request, level: str, category: str) -> tuple[str | None, Reply | None]:
        auth = req.header("authorization") or ""
        token = auth[len("token "):] if auth.startswith("token ") else None
        if token == RATE_LIMITED:
            return None, Reply(429, {"message": "rate limit exceeded"}, headers={"Retry-After": "30"})
        if token == BROKEN:
            return None, Reply(500, {"message": "internal error", "url": "https://git.example.com/api/swagger"})
        if token not in _SCOPES:
            # Forgejo names the token it does not know: tokenreach must never echo this.
            return None, Reply(401, {"message": f"access token does not exist [sha: {token}]",
                                     "url": "https://git.example.com/api/swagger"})
        if not _has(token, level, category):
            held = ",".join(sorted(_SCOPES[token]))
            return None, Reply(403, {"message": "token does not have at least one of required scope(s), "
                                                f"required=[{level}:{category}], token scope={held}",
                                     "url": "https://git.example.com/api/swagger"})
        return token, None

    @fake.route("GET", "/api/v1/user")
    def user(req: Request) -> Reply:
        token, refusal = gate(req, "read", "user")
        if refusal:
            return refusal
        login, admin = _USERS[token]
        return Reply(200, {"id": 7, "login": login, "full_name": login.title(), "email": f"{login}@acme.test",
                           "is_admin": admin, "active": True, "restricted": False})

    @fake.route("GET", "/api/v1/user/repos")
    def repos(req: Request) -> Reply:
        token, refusal = gate(req, "read", "repository")
        if refusal:
            return refusal
        items = [{"id": i, "full_name": name, "private": True, "permissions": perms}
                 for i, (name, perms) in enumerate(_REPOS.get(token, []))]
        return Reply(200, items, headers={"X-Total-Count": str(len(items))})

    @fake.route("GET", "/api/v1/admin/users")
    def admin_users(req: Request) -> Reply:
        token, refusal = gate(req, "read", "admin")
        if refusal:
            return refusal
        if not _USERS[token][1]:
            return Reply(403, {"message": "reqSiteAdmin: user should be the site admin"})
        return Reply(200, [{"id": 1, "login": "root"}], headers={"X-Total-Count": "3"})

    return fake
