"""Fake Auth0 tenant (``https://<tenant>.us.auth0.com``) answering the Management API's "Get tenant
settings" as Auth0 documents it: errors as ``{"statusCode", "error", "message"[, "errorCode"]}``.

The tokens are unsigned look-alikes of Management API access tokens (JWTs whose claims say what
Auth0's do); the fake knows them by value, as the tenant knows its own signatures."""

from __future__ import annotations

import base64
import json

from tests.fakes.server import FakeServer, Reply, Request

TENANT = "acme.us.auth0.com"
FAR = 4102444800  # 2100-01-01
BROAD_SCOPES = ["create:clients", "create:users", "delete:users", "read:client_keys", "read:clients",
                "read:tenant_settings", "read:users", "update:clients", "update:tenant_settings"]


def _b64(obj: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(obj, separators=(",", ":")).encode()).decode().rstrip("=")


def mint(scope: str, azp: str, *, exp: int = FAR, aud: object = f"https://{TENANT}/api/v2/") -> str:
    header = {"alg": "RS256", "typ": "JWT", "kid": "fakeKid0001"}
    claims = {"iss": f"https://{TENANT}/", "sub": f"{azp}@clients", "aud": aud, "iat": 1700000000,
              "exp": exp, "scope": scope, "gty": "client-credentials", "azp": azp}
    signature = base64.urlsafe_b64encode(azp.encode() * 4).decode().rstrip("=")
    return f"{_b64(header)}.{_b64(claims)}.{signature}"


BROAD = mint(" ".join(BROAD_SCOPES), "BroadM2MClientId0000000000000001")
NARROW = mint("read:users read:tenant_settings", "NarrowM2MClientId000000000000002")
NO_SETTINGS = mint("read:users", "UsersOnlyClientId000000000000003")
REVOKED = mint("read:users read:tenant_settings", "RevokedClientId00000000000000004")
EXPIRED = mint("read:users", "ExpiredClientId00000000000000005", exp=1700003600)
RATE_LIMITED = mint("read:users", "RateLimitedClientId000000000006")
BROKEN = mint("read:users", "BrokenClientId000000000000000007")
OTHER_API = mint("read:orders", "OtherApiClientId0000000000000008", aud="https://api.acme.test/")

_LIVE = {BROAD, NARROW, NO_SETTINGS}


def make() -> FakeServer:
    fake = FakeServer()

    @fake.route("GET", "/api/v2/tenants/settings")
    def settings(req: Request) -> Reply:
        tok = req.bearer()
        if tok == RATE_LIMITED:
            return Reply(429, {"statusCode": 429, "error": "Too Many Requests",
                               "message": "Global limit has been reached", "errorCode": "too_many_requests"},
                         headers={"x-ratelimit-limit": "2", "x-ratelimit-remaining": "0",
                                  "x-ratelimit-reset": "1893456000"})
        if tok == BROKEN:
            return Reply(503, {"statusCode": 503, "error": "Service Unavailable", "message": "Service Unavailable"})
        if tok not in _LIVE:
            return Reply(401, {"statusCode": 401, "error": "Unauthorized", "message": "Invalid token",
                               "attributes": {"error": "Invalid token"}})
        if tok == NO_SETTINGS:
            return Reply(403, {"statusCode": 403, "error": "Forbidden",
                               "message": "Insufficient scope, expected any of: read:tenant_settings",
                               "errorCode": "insufficient_scope"})
        if req.query.get("include_fields") == ["true"] and req.query.get("fields") == ["friendly_name"]:
            return Reply(200, {"friendly_name": "Acme Corp"})
        return Reply(200, {"friendly_name": "Acme Corp", "support_email": "support@acme.test"})

    return fake
