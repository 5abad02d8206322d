"""Fake https://sentry.io (and its regions): ``GET /api/0/``, the API root that answers a token with
its ``auth.scopes`` and ``user``, and ``GET /api/0/organizations/``, with Sentry's ``{"detail": …}``
errors."""

from __future__ import annotations

import base64
import json

from tests.fakes.server import FakeServer, Reply, Request


def org_token(org: str, url: str, region_url: str, secret: str) -> str:
    payload = json.dumps({"iat": 1732000000.123, "url": url, "region_url": region_url, "org": org})
    return "sntrys_" + base64.b64encode(payload.encode()).decode() + "_" + secret


ORG_CI = org_token("acme-robotics", "https://sentry.io", "https://us.sentry.io",
                   "c92P2+zHd3OC2pYwL82DeaGdyy8Yck0kF4nP47GiCpg")
SELF_HOSTED = org_token("acme", "https://sentry.acme.internal", "", "Q1w2E3r4T5y6U7i8O9p0A1s2D3f4G5h6J7k8L9z0X1c")
USER_READ = "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"
USER_ADMIN = "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"
REVOKED = "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"
RATE_LIMITED = "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"
BROKEN = "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"

_SCOPES = {
    ORG_CI: ["org:ci"],
    USER_READ: ["event:read", "org:read", "project:read", "team:read"],
    USER_ADMIN: ["event:admin", "member:admin", "org:admin", "org:read", "project:admin", "project:releases",
                 "team:admin"],
}
_USERS = {USER_READ: ("Rita Reader", "rita@acme.test"), USER_ADMIN: ("Ada Admin", "ada@acme.test")}


def make() -> FakeServer:
    fake = FakeServer()

    def refusal(token: str | None) -> Reply | None:
        if token == RATE_LIMITED:
            return Reply(429, {"detail": "You are attempting to use this endpoint too frequently. Limit is 40 "
                                         "requests in 1 seconds"}, headers={"Retry-After": "1"})
        if token == BROKEN:
            return Reply(503, "<html>Service Unavailable</html>")
        if token not in _SCOPES:
            return Reply(401, {"detail": "Invalid token"})
        return None

    @fake.route("GET", "/api/0/")
    def root(req: Request) -> Reply:
        token = req.bearer()
        if token is None:
            return Reply(200, {"version": "0", "auth": None, "user": None})
        if (early := refusal(token)) is not None:
            return early
        user = None
        if token in _USERS:
            name, email = _USERS[token]
            user = {"id": "1", "name": name, "username": email, "email": email, "isSuperuser": False,
                    "isStaff": False, "isActive": True}
        return Reply(200, {"version": "0", "auth": {"scopes": _SCOPES[token]}, "user": user})

    @fake.route("GET", "/api/0/organizations/")
    def organizations(req: Request) -> Reply:
        token = req.bearer()
        if (early := refusal(token)) is not None:
            return early
        if "org:read" not in _SCOPES[token]:
            return Reply(403, {"detail": "You do not have permission to perform this action."})
        return Reply(200, [{"id": "1", "slug": "acme-robotics", "name": "Acme Robotics"},
                           {"id": "2", "slug": "acme-labs", "name": "Acme Labs"}])

    return fake
