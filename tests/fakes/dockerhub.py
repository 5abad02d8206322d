"""Fake https://hub.docker.com answering the login and repository listing as Docker Hub documents.

``POST /v2/users/login`` takes ``{"username", "password"}`` and answers 200 ``{"token": <JWT>}``;
a wrong pair gets 401 ``{"detail": …}``, and an account that needs a second factor gets 401 with
``login_2fa_token``. The JWT carries ``scope`` and the ``https://hub.docker.com`` namespace claim.
"""

from __future__ import annotations

import base64
import json

from tests.fakes.server import FakeServer, Reply, Request

ADMIN = "dckr_pat_Adm1nAdm1nAdm1nAdm1nAdm1n-_"
READ = "dckr_pat_Read0Read0Read0Read0Read0Re"
PUBLIC = "dckr_pat_Pub1cPub1cPub1cPub1cPub1cPu"
TWO_FACTOR = "dckr_pat_2FA2FA2FA2FA2FA2FA2FA2FA2FA"
REVOKED = "dckr_pat_GoneGoneGoneGoneGoneGoneGon"
RATE_LIMITED = "dckr_pat_SlowSlowSlowSlowSlowSlowSlo"
BROKEN = "dckr_pat_BrokeBrokeBrokeBrokeBrokeBr"
MALFORMED = "dckr_pat_WeirdWeirdWeirdWeirdWeirdWe"
BAD_JWT = "dckr_pat_NoJwtNoJwtNoJwtNoJwtNoJwtNo"
ORG = "dckr_oat_0rg0rg0rg0rg0rg0rg0rg0rg0rg0rg0r"


def session_jwt(username: str, scope: str | None, email: str = "") -> str:
    def part(obj: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")

    claims: dict = {"sub": f"uuid-{username}", "exp": 1893456000, "iat": 1893455400,
                    "https://hub.docker.com": {"uuid": f"uuid-{username}", "username": username,
                                               "email": email, "session_id": "s-1", "source": "pat"}}
    if scope is not None:
        claims["scope"] = scope
    return f"{part({'alg': 'RS256', 'typ': 'JWT'})}.{part(claims)}.c2lnbmF0dXJl"


# (username, token) → session JWT
_SESSIONS = {
    ("alice", ADMIN): session_jwt("alice", "repo:admin", "alice@acme.test"),
    ("alice", READ): session_jwt("alice", "repo:read", "alice@acme.test"),
    ("alice", PUBLIC): session_jwt("alice", "repo:public_read"),
    ("acme", ORG): session_jwt("acme", "repo:write"),
    ("alice", BAD_JWT): "not-a-jwt",
}
_REPOS = {
    "alice": [{"name": "api", "namespace": "alice", "is_private": True, "repository_type": "image"},
              {"name": "site", "namespace": "alice", "is_private": False, "repository_type": "image"}],
    "acme": [{"name": "payments", "namespace": "acme", "is_private": True, "repository_type": "image"}],
}


def make() -> FakeServer:
    fake = FakeServer()

    @fake.route("POST", "/v2/users/login")
    def login(req: Request) -> Reply:
        body = req.json() or {}
        user, password = body.get("username"), body.get("password")
        if password == RATE_LIMITED:
            return Reply(429, {"detail": "Too Many Requests"}, headers={"Retry-After": "60"})
        if password == BROKEN:
            return Reply(500, {"detail": "Internal Server Error"})
        if password == MALFORMED:
            return Reply(200, "<html>maintenance</html>")
        if password == TWO_FACTOR and user == "bob":
            return Reply(401, {"detail": "Require secondary authentication on MFA enabled account",
                               "login_2fa_token": "opaque-2fa-token"})
        session = _SESSIONS.get((user, password))
        if session is None:
            return Reply(401, {"detail": "Incorrect authentication credentials"})
        return Reply(200, {"token": session})

    @fake.route("GET", r"/v2/repositories/[a-z0-9_.-]+/")
    def repositories(req: Request) -> Reply:
        namespace = req.path.split("/")[3]
        if req.bearer() not in _SESSIONS.values():
            return Reply(401, {"detail": "Authentication credentials were not provided."})
        repos = _REPOS.get(namespace, [])
        return Reply(200, {"count": len(repos), "next": None, "previous": None, "results": repos})

    return fake
