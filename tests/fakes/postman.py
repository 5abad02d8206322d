"""Fake https://api.getpostman.com answering /me and /workspaces as the Postman API documents."""

from __future__ import annotations

from tests.fakes.server import FakeServer, Reply, Request

TEAM_ADMIN = "PMAK-0a1b2c3d4e5f60718293a4b5-c6d7e8f90a1b2c3d4e5f60718293a4b5c6"
SOLO = "PMAK-1111aaaa2222bbbb3333cccc-4444dddd5555eeee6666ffff7777aaaa88"
REVOKED = "PMAK-deadbeefdeadbeefdeadbeef-deadbeefdeadbeefdeadbeefdeadbeefde"
RATE_LIMITED = "PMAK-5105105105105105105105ab-5105105105105105105105105105105105"
BROKEN = "PMAK-500500500500500500500500-500500500500500500500500500500500a"
MALFORMED = "PMAK-abcabcabcabcabcabcabcabc-abcabcabcabcabcabcabcabcabcabcabca"
NO_WORKSPACES = "PMAK-0000111122223333444455aa-5566667777888899990000aaaabbbbccdd"

_UNAUTHORIZED = {"error": {"name": "AuthenticationError",
                           "message": "Invalid API Key. Every request requires a valid API Key to be sent."}}

_USERS = {
    TEAM_ADMIN: {"id": 12345678, "username": "alice", "email": "alice@acme.test", "fullName": "Alice",
                 "avatar": None, "isPublic": False, "teamId": 123, "teamName": "Acme",
                 "teamDomain": "acme", "roles": ["user", "admin"]},
    SOLO: {"id": 87654321, "username": "bob", "email": "bob@home.test", "fullName": "Bob",
           "avatar": None, "isPublic": False, "teamId": 0, "teamName": "", "teamDomain": "",
           "roles": ["user"]},
    NO_WORKSPACES: {"id": 5, "username": "carol", "teamId": 0, "roles": ["user"]},
}

_WORKSPACES = {
    TEAM_ADMIN: [
        {"id": "w-1", "name": "Payments", "type": "team", "visibility": "team", "createdBy": "12345678"},
        {"id": "w-2", "name": "My Workspace", "type": "personal", "visibility": "personal",
         "createdBy": "12345678"},
    ],
    SOLO: [{"id": "w-9", "name": "My Workspace", "type": "personal", "visibility": "personal",
            "createdBy": "87654321"}],
}


def make() -> FakeServer:
    fake = FakeServer()

    def failure(key: str | None) -> Reply | None:
        if key == RATE_LIMITED:
            return Reply(429, {"error": "rateLimited", "message": "Rate limit exceeded."},
                         headers={"Retry-After": "60", "X-RateLimit-RetryAfter": "60"})
        if key == BROKEN:
            return Reply(500, {"error": {"name": "serverError", "message": "Internal Server Error"}})
        if key == MALFORMED:
            return Reply(200, "<html>Postman is down for maintenance</html>")
        return None

    @fake.route("GET", "/me")
    def me(req: Request) -> Reply:
        key = req.header("x-api-key")
        if (fail := failure(key)) is not None:
            return fail
        user = _USERS.get(key or "")
        if user is None:
            return Reply(401, _UNAUTHORIZED)
        return Reply(200, {"user": user, "operations": [
            {"name": "api_usage", "limit": 1000, "usage": 10, "overage": 0}]})

    @fake.route("GET", "/workspaces")
    def workspaces(req: Request) -> Reply:
        key = req.header("x-api-key")
        if key not in _USERS:
            return Reply(401, _UNAUTHORIZED)
        if key == NO_WORKSPACES:
            return Reply(503, {"error": {"name": "serviceUnavailable"}})
        return Reply(200, {"workspaces": _WORKSPACES[key]})

    return fake
