"""Fake https://api.render.com/v1 answering as Render's API reference documents.

``GET /v1/owners`` and ``GET /v1/services`` return lists of ``{"owner"|"service": {...},
"cursor": "..."}``; a bad key gets 401. Rate limiting is 429 with Ratelimit-* headers.
"""

from __future__ import annotations

from typing import Any

from tests.fakes.server import FakeServer, Reply, Request

CLASSIC = "rnd_ez7770H2DCpYgojjHRg80USP2W5D"  # a user in two workspaces
SINGLE = "rnd_8LmyqoYMaaItDr9uP14pEHpJpb9A"  # one workspace: classic or scoped
AUDIT = "rnd_TPtdbmF4RPAfqoQB7xoFcSvTAxRz"  # may not list owners
REVOKED = "rnd_maZsV2GenFmtX0moDoqW4sg8NFNl"
RATE_LIMITED = "rnd_5oFA6Qd8Mj7zdnbMjAdTdlzC5T4u"
SERVER_ERROR = "rnd_Uhf7kvmlP7HVDctQUy1xvCkgafrf"
MALFORMED = "rnd_wA94hJ9WnywX0t0ZBfdTEmxI6Cmu"

USER = {"id": "usr-d1a2b3c4e5f6g7h8i9j0", "name": "Ada", "email": "ada@example.com",
        "twoFactorAuthEnabled": True, "type": "user"}
TEAM = {"id": "tea-c1b2a3d4e5f6g7h8i9j0", "name": "acme", "email": "ops@acme.example",
        "twoFactorAuthEnabled": False, "type": "team"}
OWNERS = {CLASSIC: [USER, TEAM], SINGLE: [TEAM]}
SERVICES = {
    CLASSIC: [("srv-a1", "web", TEAM["id"]), ("srv-a2", "worker", TEAM["id"]), ("srv-a3", "blog", USER["id"])],
    SINGLE: [("srv-a1", "web", TEAM["id"]), ("srv-a2", "worker", TEAM["id"])],
}
_RATE = {"Ratelimit-Limit": "400", "Ratelimit-Remaining": "399", "Ratelimit-Reset": "60"}


def _service(sid: str, name: str, owner: str) -> dict[str, Any]:
    return {"service": {"id": sid, "name": name, "ownerId": owner, "type": "web_service",
                        "suspended": "not_suspended", "autoDeploy": "yes"}, "cursor": sid}


def make() -> FakeServer:
    fake = FakeServer()

    def trouble(key: str | None) -> Reply | None:
        if key == RATE_LIMITED:
            return Reply(429, {"message": "rate limit exceeded"},
                         headers={**_RATE, "Ratelimit-Remaining": "0", "Retry-After": "120"})
        if key == SERVER_ERROR:
            return Reply(502, "Bad Gateway")
        if key == MALFORMED:
            return Reply(200, {"owners": "not the documented list"})
        if key not in OWNERS and key != AUDIT:
            return Reply(401, {"id": "unauthorized", "message": "unauthorized"})
        return None

    @fake.route("GET", "/v1/owners")
    def owners(req: Request) -> Reply:
        key = req.bearer()
        if (bad := trouble(key)) is not None:
            return bad
        if key == AUDIT:
            return Reply(403, {"id": "forbidden", "message": "forbidden"})
        return Reply(200, [{"owner": o, "cursor": o["id"]} for o in OWNERS[key or ""]], headers=_RATE)

    @fake.route("GET", "/v1/services")
    def services(req: Request) -> Reply:
        key = req.bearer()
        if (bad := trouble(key)) is not None:
            return bad
        if key == AUDIT:
            return Reply(403, {"id": "forbidden", "message": "forbidden"})
        return Reply(200, [_service(*s) for s in SERVICES[key or ""]], headers=_RATE)

    return fake
