"""Fake https://api.doppler.com: ``GET /v3/me``, the token's own type, name and workplace, with
Doppler's ``{"messages": […], "success": false}`` errors."""

from __future__ import annotations

from tests.fakes.server import FakeServer, Reply, Request

PERSONAL = "dp.pt.B1QxIBnhh2ILQJNlwjzvQeTlauzfJXUNgprGxLSPmbo"
CLI = "dp.ct.SYjgnvTAPvvLqZDdwdzutkUW6sRVCK54YVPj7L6QkRP"
SERVICE = "dp.st.prd.4orQcUByWxViQROmbJ64fHZUDuzhH4OeF8OlH65Rqp3"
SERVICE_ACCOUNT = "dp.sa.yjBCaPGO2oft0bjNJOEgELlJo37zcTA9WrMwcw6bpSJ"
REVOKED = "dp.pt.Rv0kEdRv0kEdRv0kEdRv0kEdRv0kEdRv0kEdRv0k9"
RATE_LIMITED = "dp.pt.Sl0wSl0wSl0wSl0wSl0wSl0wSl0wSl0wSl0wSl0w7"
BROKEN = "dp.st.Br0kEnBr0kEnBr0kEnBr0kEnBr0kEnBr0kEnBr0k5"
SCIM = "dp.scim.iBfORUpqiCU77t831PAzs4s8VBBOT7XOMNFgOIMgo0o"

_TOKENS = {
    PERSONAL: ("personal", "laptop"),
    CLI: ("cli", "ada@macbook"),
    SERVICE: ("service", "prd-deploy"),
    SERVICE_ACCOUNT: ("service_account", "terraform"),
}


def make() -> FakeServer:
    fake = FakeServer()

    @fake.route("GET", "/v3/me")
    def me(req: Request) -> Reply:
        token = req.bearer()
        if token == RATE_LIMITED:
            return Reply(429, {"messages": ["You have exceeded the rate limit"], "success": False},
                         headers={"Retry-After": "60", "X-RateLimit-Remaining": "0"})
        if token == BROKEN:
            return Reply(500, {"messages": ["Internal server error"], "success": False})
        if token not in _TOKENS:
            return Reply(401, {"messages": ["Invalid Auth token"], "success": False})
        kind, name = _TOKENS[token]
        return Reply(200, {"slug": "3f6c0a2e-1f1b-4b7a-9d51-5a1f0d2c9e11", "name": name,
                           "created_at": "2025-03-02T10:00:00.000Z", "last_seen_at": "2026-11-30T08:12:00.000Z",
                           "type": kind, "token_preview": token[:7] + "…" + token[-4:],
                           "workplace": {"slug": "acme", "name": "Acme"}})

    return fake
