"""Fake https://api.turso.tech answering GET /v1/auth/validate and GET /v1/organizations as Turso's
Platform API reference documents them (``{"exp": …}``; a list of organizations; 401
``{"error": …}`` for a token it does not accept)."""

from __future__ import annotations

import base64
import json

from tests.fakes.server import FakeServer, Reply, Request


def jwt(payload: dict[str, object], sig: str) -> str:
    def part(obj: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj, separators=(",", ":")).encode()).decode().rstrip("=")
    return f"{part({'alg': 'EdDSA', 'typ': 'JWT'})}.{part(payload)}.{(sig * 4)[:86]}"


PLATFORM = jwt({"iat": 1767225600, "id": "1f0e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"}, "Qw3rTy9Zx7Vb1Nm2Kj4Hg8Fd2Sa6")
EXPIRING = jwt({"iat": 1767225600, "id": "2f0e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"}, "Uy5Tr1Ew3Qa7Zc8Xv2NPo9Iu7Yt5")
REVOKED = jwt({"iat": 1767225600, "id": "3f0e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"}, "Re3Wq1As2Df3GZx7Vb1Nm2Kj4Hg8")
RATE_LIMITED = jwt({"iat": 1767225600, "id": "4f0e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"}, "Fd2Sa6Lp0OiUy5Tr1Ew3Qa7Zc8Xv")
BROKEN = jwt({"iat": 1767225600, "id": "5f0e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"}, "Po9Iu7Yt5Re3Wq1As2Df3GZx7Vb1")
READ_ONLY_DB = jwt({"a": "ro", "iat": 1767225600, "id": "6f0e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"},
                   "Nm2Kj4Hg8Fd2Sa6Lp0OiUy5Tr1Ew3")
READ_WRITE_DB = jwt({"a": "rw", "exp": 1798761600, "iat": 1767225600, "id": "7f0e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"},
                    "Qa7Zc8Xv2NPo9Iu7Yt5Re3Wq1As2")

ORGS = [{"name": "personal", "slug": "ada", "type": "personal", "plan_id": "starter", "blocked_reads": False,
         "blocked_writes": False, "overages": False},
        {"name": "Acme", "slug": "acme", "type": "team", "plan_id": "scaler", "blocked_reads": False,
         "blocked_writes": False, "overages": True}]


def make() -> FakeServer:
    fake = FakeServer()

    @fake.route("GET", "/v1/auth/validate")
    def validate(req: Request) -> Reply:
        key = req.bearer()
        if key == PLATFORM:
            return Reply(200, {"exp": -1})
        if key == EXPIRING:
            return Reply(200, {"exp": 1798761600})
        if key == RATE_LIMITED:
            return Reply(429, {"error": "rate limit exceeded"}, headers={"Retry-After": "60"})
        if key == BROKEN:
            return Reply(500, {"error": "internal error"})
        return Reply(401, {"error": "token is invalid"})

    @fake.route("GET", "/v1/organizations")
    def organizations(req: Request) -> Reply:
        if req.bearer() in (PLATFORM, EXPIRING):
            return Reply(200, ORGS)
        return Reply(401, {"error": "token is invalid"})

    return fake
