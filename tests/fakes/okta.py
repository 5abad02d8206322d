"""Fake Okta org (``https://<org>.okta.com``) answering the Users and User Role Assignments APIs
as Okta's management API reference documents them: ``Authorization: SSWS <token>``, errors as
``{"errorCode", "errorSummary", "errorLink", "errorId", "errorCauses"}``."""

from __future__ import annotations

from typing import Any

from tests.fakes.server import FakeServer, Reply, Request

ORG = "acme.okta.com"
SUPER = "00Sup3rAdm1nT0kenQ9vX2wLp7RbN4kJ8hG5fD1sZc"  # SUPER_ADMIN: everything in the org
READER = "00R3ad0nlyAdm1nT0kenM6tY3pW9qK2xV7nB4cHj87"  # READ_ONLY_ADMIN
HELPDESK = "00H3lpD3skT0kenNoR0lesA5sD8fG1hJ4kL7zX0cV7"  # may not read role assignments
RESTRICTED = "00N3tw0rkZ0neT0kenQ1wE4rT7yU0iO3pA6sD9fGh7"  # refused by a network restriction
REVOKED = "00R3v0k3dT0kenGon3Z8xC5vB2nM9qW6eR3tY0uIo7"
RATE_LIMITED = "00Sl0wD0wnT0kenRat3L1m1tP4oI7uY0tR3eW6qAs7"
BROKEN = "00Br0k3nS3rv3rT0ken5xx9mN2bV5cX8zL1kJ4hGfD"

USERS = {
    SUPER: ("00u1super0000000001", "it-automation@acme.test"),
    READER: ("00u1reader000000002", "audit-bot@acme.test"),
    HELPDESK: ("00u1helpdesk0000003", "helpdesk@acme.test"),
}
ROLES: dict[str, list[dict[str, Any]]] = {
    "00u1super0000000001": [
        {"id": "ra1superadmin", "label": "Super Organization Administrator", "type": "SUPER_ADMIN",
         "status": "ACTIVE", "assignmentType": "USER", "created": "2024-01-01T00:00:00.000Z",
         "lastUpdated": "2024-01-01T00:00:00.000Z"},
        {"id": "ra2appadmin", "label": "Application Administrator", "type": "APP_ADMIN",
         "status": "INACTIVE", "assignmentType": "GROUP", "created": "2024-01-01T00:00:00.000Z",
         "lastUpdated": "2024-01-01T00:00:00.000Z"},
    ],
    "00u1reader000000002": [
        {"id": "ra3readonly", "label": "Read-only Administrator", "type": "READ_ONLY_ADMIN",
         "status": "ACTIVE", "assignmentType": "USER", "created": "2024-01-01T00:00:00.000Z",
         "lastUpdated": "2024-01-01T00:00:00.000Z"},
    ],
}


def error(status: int, code: str, summary: str, headers: dict[str, str] | None = None) -> Reply:
    return Reply(status, {"errorCode": code, "errorSummary": summary, "errorLink": code,
                          "errorId": "oaeFakeErrorId0001", "errorCauses": []}, headers=headers or {})


def _token(req: Request) -> str:
    value = req.header("authorization") or ""
    return value[5:] if value.startswith("SSWS ") else ""


def make() -> FakeServer:
    fake = FakeServer()

    @fake.route("GET", "/api/v1/users/me")
    def me(req: Request) -> Reply:
        tok = _token(req)
        if tok == RATE_LIMITED:
            return error(429, "E0000047", "API call exceeded rate limit due to too many requests.",
                         {"X-Rate-Limit-Limit": "600", "X-Rate-Limit-Remaining": "0",
                          "X-Rate-Limit-Reset": "1893456000"})
        if tok == BROKEN:
            return error(500, "E0000009", "Internal Server Error")
        if tok == RESTRICTED:
            return error(403, "E0000006", "You do not have permission to perform the requested action")
        if tok not in USERS:
            return error(401, "E0000011", "Invalid token provided")
        user_id, login = USERS[tok]
        return Reply(200, {"id": user_id, "status": "ACTIVE", "created": "2024-01-01T00:00:00.000Z",
                           "profile": {"login": login, "email": login, "firstName": "Svc", "lastName": "Acct"},
                           "_links": {"self": {"href": f"https://{ORG}/api/v1/users/{user_id}"}}})

    @fake.route("GET", r"/api/v1/users/(?P<id>[^/]+)/roles")
    def roles(req: Request) -> Reply:
        tok = _token(req)
        if tok not in USERS:
            return error(401, "E0000011", "Invalid token provided")
        user_id = req.path.split("/")[4]
        if tok == HELPDESK:
            return error(403, "E0000006", "You do not have permission to perform the requested action")
        return Reply(200, ROLES.get(user_id, []))

    return fake
