"""Fake Zendesk account (``https://<subdomain>.zendesk.com``) answering the Users API's "Show self"
as Zendesk documents it: HTTP Basic ``{email}/token:{api_token}``, ``{"user": {...}}``, 401
``{"error": "Couldn't authenticate you"}``, and the anonymous user when no credentials arrive."""

from __future__ import annotations

from tests.fakes.server import FakeServer, Reply, Request

ACCOUNT = "acme.zendesk.com"
EMAIL = "ops@acme.test"
ADMIN = "ErQHQwjyaxErPZDS3MoJaQNjCxkv5ndK0meGR0vR"
LIGHT = "zZ1fb6d06QGofB8ChQBiIu4NJkS4dJkG0fzMAQME"
AGENT = "EMyIbPUf9mYQqw8x3SyRthqpvxxGKZWGlby02BcH"
REVOKED = "boRBcynXMgWJoleSrcBrFwMOUdGDxnvsDES92Ep9"
RATE_LIMITED = "kD7JxlmXVo6Ma8r6XZvlpYaGcpNhxIGjb7u4YQ1r"
BROKEN = "OhoYHGEFOwqR8C5VkCsN3crv83GOSCTYnUsHqbRa"
ANONYMOUS = "SbiJ4rAipmBEdJKNU679qWcABLf5zYmLJwxOVyKk"  # the fake answers as if no credentials came

_USERS = {
    ADMIN: {"id": 35436, "name": "Ops Bot", "email": EMAIL, "role": "admin", "role_type": 4,
            "custom_role_id": None, "restricted_agent": False, "suspended": False, "active": True},
    AGENT: {"id": 35437, "name": "Ops Bot", "email": EMAIL, "role": "agent", "role_type": None,
            "custom_role_id": None, "restricted_agent": True, "suspended": False, "active": True},
    LIGHT: {"id": 35438, "name": "Ops Bot", "email": EMAIL, "role": "agent", "role_type": 1,
            "custom_role_id": 360002, "restricted_agent": True, "suspended": False, "active": True},
}
_ANONYMOUS_USER = {"id": None, "name": "Anonymous user", "email": "invalid@example.com", "role": "end-user",
                   "role_type": None, "active": True}


def make() -> FakeServer:
    fake = FakeServer()

    @fake.route("GET", "/api/v2/users/me.json")
    def me(req: Request) -> Reply:
        creds = req.basic()
        if creds is None or creds[1] == ANONYMOUS:
            return Reply(200, {"user": _ANONYMOUS_USER})
        user, tok = creds
        if tok == RATE_LIMITED:
            return Reply(429, "Number of allowed API requests per minute exceeded", headers={"Retry-After": "60"})
        if tok == BROKEN:
            return Reply(503, {"error": "ServiceUnavailable", "description": "Service unavailable"})
        if user != f"{EMAIL}/token" or tok not in _USERS:
            return Reply(401, {"error": "Couldn't authenticate you"})
        return Reply(200, {"user": _USERS[tok]})

    return fake
