"""Fake https://api.vercel.com answering as Vercel's REST API reference documents.

``/v5/user/tokens/current`` returns ``{"token": {..., "scopes": [...]}}``. An unknown token gets
401 ("The request is not authorized", per the reference); an expired one the 403 body that
Vercel's clients treat as a dead token, ``{"error": {..., "invalidToken": true}}``; a 403 without
that flag is a permission answer. Times are milliseconds since the epoch.
"""

from __future__ import annotations

from typing import Any

from tests.fakes.server import FakeServer, Reply, Request
from tokenreach.detectors.providers.vercel import checksum


def _tok(prefix: str, stem: str) -> str:
    body = (stem * 50)[:50]
    return f"{prefix}{body}{checksum(body)}"


FULL = _tok("vcp_", "FullAcct1")
TEAM = _tok("vcp_", "OneTeam22")
INTEGRATION = _tok("vci_", "Integr8n-")
LEGACY = "zyMBA1qVEMAf4UNNZtCAbg6u"
REVOKED = _tok("vcp_", "Revoked33")
EXPIRED = _tok("vcp_", "Expired44")
FORBIDDEN_ONLY = _tok("vcp_", "NoAccess5")
RATE_LIMITED = _tok("vcp_", "SlowDown4")
SERVER_ERROR = _tok("vcp_", "Broken555")
MALFORMED = _tok("vcp_", "Garbage66")
APP = _tok("vca_", "AppAccess")
APP_POST_ONLY = _tok("vca_", "PostOnly7")
APP_REVOKED = _tok("vca_", "AppGone88")
REFRESH = _tok("vcr_", "Refresh99")
AI_KEY = _tok("vck_", "Gateway00")

ACME, LABS = "team_a1b2c3d4e5f6g7h8i9j0k1l2", "team_m3n4o5p6q7r8s9t0u1v2w3x4"
UNAUTHORIZED = {"error": {"code": "not_authorized", "message": "The request is not authorized."}}
INVALID = {"error": {"code": "forbidden", "message": "Not authorized", "invalidToken": True}}
FORBIDDEN = {"error": {"code": "forbidden", "message": "You do not have permission to access this resource."}}

_CREATED = 1735689600000  # 2025-01-01
_TOKENS: dict[str, dict[str, Any]] = {
    FULL: {"id": "5d9f2ebd38ddca62e5d51e9c1704c72530bdc8bfdd41e782a6687c48399e8391", "name": "laptop",
           "type": "oauth2-token", "origin": "manual", "activeAt": _CREATED, "createdAt": _CREATED,
           "scopes": [{"type": "user", "origin": "manual", "createdAt": _CREATED}]},
    TEAM: {"id": "8c1f", "name": "ci-labs", "type": "oauth2-token", "origin": "manual", "activeAt": _CREATED,
           "createdAt": _CREATED, "expiresAt": 1798761600000,
           "scopes": [{"type": "team", "teamId": LABS, "origin": "manual", "createdAt": _CREATED}]},
    INTEGRATION: {"id": "9d2e", "name": "github-integration", "type": "oauth2-token", "origin": "github",
                  "activeAt": _CREATED, "createdAt": _CREATED,
                  "scopes": [{"type": "team", "teamId": ACME, "origin": "github", "createdAt": _CREATED,
                              "sudo": {"origin": "totp", "expiresAt": 1798761600000}}]},
}
_TOKENS[LEGACY] = _TOKENS[FULL]

_TEAMS = [
    {"id": ACME, "slug": "acme", "name": "Acme", "membership": {"role": "OWNER", "confirmed": True}},
    {"id": LABS, "slug": "acme-labs", "name": "Acme Labs", "membership": {"role": "MEMBER", "confirmed": True}},
]
_USER = {"id": "AEIIDYVk59zbFF2Sxfyxxmua", "email": "dev@example.com", "name": "Dev", "username": "dev",
         "defaultTeamId": None}


def make() -> FakeServer:
    fake = FakeServer()

    def failure(tok: str | None) -> Reply | None:
        if tok == RATE_LIMITED:
            return Reply(429, {"error": {"code": "rate_limited", "message": "Rate limit exceeded"}},
                         headers={"Retry-After": "120", "X-RateLimit-Remaining": "0"})
        if tok == SERVER_ERROR:
            return Reply(502, "An error occurred with your deployment")
        if tok == MALFORMED:
            return Reply(200, ["not", "an", "object"])
        return None

    @fake.route("GET", "/v5/user/tokens/current")
    def current(req: Request) -> Reply:
        tok = req.bearer()
        if (bad := failure(tok)) is not None:
            return bad
        if tok in _TOKENS:
            return Reply(200, {"token": _TOKENS[tok]})
        if tok == EXPIRED:
            return Reply(403, INVALID)
        if tok == FORBIDDEN_ONLY:
            return Reply(403, FORBIDDEN)
        return Reply(401, UNAUTHORIZED)

    @fake.route("GET", "/v2/user")
    def user(req: Request) -> Reply:
        if req.bearer() in _TOKENS:
            return Reply(200, {"user": _USER})
        return Reply(401, UNAUTHORIZED)

    @fake.route("GET", "/v2/teams")
    def teams(req: Request) -> Reply:
        if req.bearer() in _TOKENS:
            return Reply(200, {"teams": _TEAMS, "pagination": {"count": 2, "next": None, "prev": None}})
        return Reply(401, UNAUTHORIZED)

    def userinfo(req: Request) -> Reply:
        tok = req.bearer()
        if tok == APP_POST_ONLY and req.method == "GET":
            return Reply(405, {"error": "method_not_allowed"})
        if tok in (APP, APP_POST_ONLY):
            return Reply(200, {"sub": "AEIIDYVk59zbFF2Sxfyxxmua", "email": "dev@example.com",
                               "email_verified": True, "name": "Dev", "preferred_username": "dev"})
        return Reply(401, {"error": "invalid_token"})

    fake.add("GET", "/login/oauth/userinfo", userinfo)
    fake.add("POST", "/login/oauth/userinfo", userinfo)
    return fake
