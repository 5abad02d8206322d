"""Fake https://api.fastly.com answering GET /tokens/self and GET /current_user as Fastly's API
reference documents them (token and user objects; ``{"msg": …}`` errors; 401 for an invalid or
expired token, 403 where the token's scope or role does not allow the endpoint)."""

from __future__ import annotations

from tests.fakes.server import FakeServer, Reply, Request

SUPER = "SuperGlobalTokenQw3rTy9Zx7Vb1Nm2"
PURGE = "PurgeSelectOnlyKj4Hg8Fd2Sa6Lp0Oi"
READER = "GlobalReadEngineerUy5Tr1Ew3Qa7Zc"
AUTOMATION = "AutomationEngineerXc8Vb2Nm4Lk6Jh"
NO_SELF = "CannotReadSelfTokenGf5Dd3Ss1Aa9Q"
ROLE_FAILS = "GlobalNoUserRoleMn7Bv5Cx3Zl1Kj9H"
REVOKED = "RevokedExpiredTokenPo9Iu7Yt5Re3W"
RATE_LIMITED = "RateLimitedTokenQa1Ws2Ed3Rf4Tg5Y"
BROKEN = "ServerErrorTokenZa9Xs8Cd7Vf6Bg5N"
MALFORMED = "NotJsonAtAllTokenHy6Uj7Ik8Ol9Pm0"

SERVICES = ["SU1Z0isxPaozGVKXdv0eY", "7i6HN3TK9wS159v2gPAZ8A"]


def _token(name: str, scope: str, services: list[str] | None = None, **extra: object) -> dict[str, object]:
    return {"id": "5Yo3XXnrQpjc20u0ybrf2g", "name": name, "user_id": "4y5K5trZocEAQYkesWlk7M",
            "customer_id": "x4xCwxxJxGCx123Rx5xTx", "scope": scope, "services": services or [],
            "created_at": "2026-01-01T00:00:00Z", "expires_at": None, "ip": "203.0.113.7",
            "user_agent": "fastly-cli", "last_used_at": "2026-11-30T10:00:00Z", **extra}


_SELF = {
    SUPER: _token("deploy", "global"),
    PURGE: _token("cdn purge", "purge_select", SERVICES[:1], expires_at="2027-06-30T00:00:00Z"),
    READER: _token("stats", "global:read", SERVICES),
    AUTOMATION: _token("ci", "global", SERVICES[:1], role="engineer"),
    ROLE_FAILS: _token("old", "global"),
}
_USERS = {
    SUPER: {"id": "4y5K5trZocEAQYkesWlk7M", "login": "ops@acme.test", "name": "Ops", "role": "superuser",
            "limit_services": False, "customer_id": "x4xCwxxJxGCx123Rx5xTx"},
    READER: {"id": "4y5K5trZocEAQYkesWlk7N", "login": "eng@acme.test", "name": "Eng", "role": "engineer",
             "limit_services": True, "customer_id": "x4xCwxxJxGCx123Rx5xTx"},
}
_INVALID = {"msg": "Provided credentials are missing or invalid"}
_FORBIDDEN = {"msg": "You are not authorized to perform this action"}


def _common(key: str | None) -> Reply | None:
    if key == RATE_LIMITED:
        return Reply(429, {"msg": "Too many requests"}, headers={"Retry-After": "60"})
    if key == BROKEN:
        return Reply(503, "upstream unavailable")
    if key == MALFORMED:
        return Reply(200, "<html>maintenance</html>")
    return None


def make() -> FakeServer:
    fake = FakeServer()

    @fake.route("GET", "/tokens/self")
    def token_self(req: Request) -> Reply:
        key = req.header("fastly-key")
        if (reply := _common(key)) is not None:
            return reply
        if key == NO_SELF:
            return Reply(403, _FORBIDDEN)
        if key in _SELF:
            return Reply(200, _SELF[key])
        return Reply(401, _INVALID)

    @fake.route("GET", "/current_user")
    def current_user(req: Request) -> Reply:
        key = req.header("fastly-key")
        if key == ROLE_FAILS:
            return Reply(503, "upstream unavailable")
        if key in _USERS:
            return Reply(200, _USERS[key])
        if key in _SELF:
            return Reply(403, _FORBIDDEN)
        return Reply(401, _INVALID)

    return fake
