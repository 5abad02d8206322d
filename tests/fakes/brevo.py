"""Fake https://api.brevo.com answering GET /v3/account as Brevo's API reference documents it: the
account object; 401 ``{"code": "unauthorized", "message": …}`` for a key it does not know, and for
a valid key sent from an IP address the account has not authorized."""

from __future__ import annotations

from tests.fakes.server import FakeServer, Reply, Request


def _key(hex_stem: str, tail: str) -> str:
    return f"xkeysib-{(hex_stem * 8)[:64]}-{tail}"


LIVE = _key("5286d4f7ef0ce1cb", "QCTwOPj1NLsPxo4t")
ENTERPRISE = _key("a1b2c3d4e5f60789", "EntErPrIsE0a1B2c")
IP_BLOCKED = _key("0f1e2d3c4b5a6978", "IpBlockedKey0a1B")
NOT_VERIFIED = _key("9a8b7c6d5e4f3021", "NotVerifiedKey0a")
REVOKED = _key("d929b4619a02ad5d", "RevokedKey0a1B2c")
RATE_LIMITED = _key("1234abcd5678ef90", "RateLimited0a1B2")
BROKEN = _key("fedcba9876543210", "ServerError0a1B2")
MALFORMED = _key("0a1b2c3d4e5f6a7b", "NotJsonAtAll0a1B")
SMTP = "xsmtpsib-d929b4619a02ad5d2df5f4bbd457c10f1c4378996d16123d86aa8e568a5409ec-EWVzA98sBd1R1MSH"


def _account(**extra: object) -> dict[str, object]:
    return {"organization_id": "5f3b0c0e8d1c2a0012345678", "user_id": 4242, "enterprise": False,
            "email": "owner@acme.test", "firstName": "Ada", "lastName": "Owner", "companyName": "Acme",
            "address": {"city": "Paris", "street": "1 rue X", "zipCode": "75001", "country": "France"},
            "plan": [{"type": "free", "credits": 300, "creditsType": "sendLimit"}],
            "relay": {"enabled": True, "data": {"userName": "owner@acme.test", "relay": "smtp-relay.brevo.com",
                                                "port": 587}}, **extra}


def make() -> FakeServer:
    fake = FakeServer()

    @fake.route("GET", "/v3/account")
    def account(req: Request) -> Reply:
        key = req.header("api-key")
        if key == LIVE:
            return Reply(200, _account())
        if key == ENTERPRISE:
            return Reply(200, _account(enterprise=True, plan=[{"type": "enterprise", "credits": 100000,
                                                               "creditsType": "sendLimit"}]))
        if key == IP_BLOCKED:
            return Reply(401, {"code": "unauthorized", "message": "unauthorized: IP not authorized"})
        if key == NOT_VERIFIED:
            return Reply(401, {"code": "unauthorized", "message": "unauthorized: not verified"})
        if key == RATE_LIMITED:
            return Reply(429, {"code": "too_many_requests", "message": "Too many requests"},
                         headers={"Retry-After": "60"})
        if key == BROKEN:
            return Reply(502, "bad gateway")
        if key == MALFORMED:
            return Reply(200, "<html>maintenance</html>")
        return Reply(401, {"code": "unauthorized", "message": "Key not found"})

    return fake
