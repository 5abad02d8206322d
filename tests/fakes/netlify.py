"""Fake https://api.netlify.com answering as Netlify's OpenAPI reference documents.

``/api/v1/user`` is the user object, ``/api/v1/accounts`` the account memberships (with
``owner_ids``), ``/api/v1/sites`` a JSON array of sites. An unknown token gets 401
``{"code": 401, "message": "Access Denied: your token is invalid"}``.
"""

from __future__ import annotations

from tests.fakes.server import FakeServer, Reply, Request

OWNER = "nfp_" + "Own3rT0ken" * 3 + "Ab12Cd"
MEMBER = "nfp_" + "M3mb3rT0k_" * 3 + "Ef34Gh"
LEGACY = "2b6c9e1f4a7d0c3b5e8f1a4d7c0b3e6f9a2d5c8b1e4"
REVOKED = "nfp_" + "R3v0k3dT0k" * 3 + "Ij56Kl"
RATE_LIMITED = "nfp_" + "Sl0wD0wnTk" * 3 + "Mn78Op"
SERVER_ERROR = "nfp_" + "Br0k3nT0k3" * 3 + "Qr90St"
MALFORMED = "nfp_" + "Garb4g3T0k" * 3 + "Uv12Wx"

_USERS = {
    OWNER: {"id": "5f3c1a", "full_name": "Ada Owner", "email": "ada@example.com", "account_id": "acc1",
            "last_login": "2026-11-20T10:00:00Z"},
    MEMBER: {"id": "7b9d2e", "full_name": "Max Member", "email": "max@example.com", "account_id": "acc3",
             "last_login": "2026-11-20T10:00:00Z"},
}
_USERS[LEGACY] = _USERS[OWNER]

_ACCOUNTS = {
    "5f3c1a": [{"id": "acc1", "name": "Acme", "slug": "acme", "type_name": "Pro", "owner_ids": ["5f3c1a"]},
               {"id": "acc2", "name": "Acme Labs", "slug": "acme-labs", "type_name": "Starter",
                "owner_ids": ["0000aa"]}],
    "7b9d2e": [{"id": "acc3", "name": "Max's team", "slug": "max", "type_name": "Starter",
                "owner_ids": ["0000bb"]}],
}
_SITES = {
    "5f3c1a": [{"site_id": "s1", "id": "s1", "name": "acme-shop", "url": "https://acme-shop.netlify.app",
                "account_slug": "acme"},
               {"site_id": "s2", "id": "s2", "name": "labs-docs", "url": "https://labs-docs.netlify.app",
                "account_slug": "acme-labs"}],
    "7b9d2e": [],
}

DENIED = {"code": 401, "message": "Access Denied: your token is invalid"}


def make() -> FakeServer:
    fake = FakeServer()

    def who(req: Request) -> tuple[str | None, Reply | None]:
        tok = req.bearer()
        if tok == RATE_LIMITED:
            return None, Reply(429, {"code": 429, "message": "Rate limit exceeded"},
                               headers={"Retry-After": "120", "X-RateLimit-Remaining": "0"})
        if tok == SERVER_ERROR:
            return None, Reply(500, {"code": 500, "message": "Internal Server Error"})
        if tok == MALFORMED:
            return None, Reply(200, "not json {")
        if tok not in _USERS:
            return None, Reply(401, DENIED)
        return str(_USERS[tok]["id"]), None

    @fake.route("GET", "/api/v1/user")
    def user(req: Request) -> Reply:
        _uid, bad = who(req)
        return bad or Reply(200, _USERS[req.bearer() or ""])

    @fake.route("GET", "/api/v1/accounts")
    def accounts(req: Request) -> Reply:
        uid, bad = who(req)
        return bad or Reply(200, _ACCOUNTS[uid or ""])

    @fake.route("GET", "/api/v1/sites")
    def sites(req: Request) -> Reply:
        uid, bad = who(req)
        return bad or Reply(200, _SITES[uid or ""])

    return fake
