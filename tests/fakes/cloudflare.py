"""Fake https://api.cloudflare.com/client/v4 answering as Cloudflare's API reference documents.

Every answer is the v4 envelope ``{"success", "errors", "messages", "result"}``; an unknown token
is 401 with error code 1000, a missing permission 403 with code 9109, a wrong Global API Key /
email pair 403 with code 9103. Paths are relative to ``/client/v4`` (the override replaces it).
"""

from __future__ import annotations

from typing import Any

from tests.fakes.server import FakeServer, Reply, Request

_CHECK = "0a1b2c3d"  # the unpublished checksum: any 8 lowercase hex pass the pattern


def _user_token(stem: str) -> str:
    return "cfut_" + (stem * 40)[:40] + _CHECK


DNS_ONLY = _user_token("DnsOnly1")
ACCOUNT_WIDE = _user_token("AcctWide")
NO_POLICY_READ = _user_token("NoRead22")
DISABLED = _user_token("Disabled")
REVOKED = _user_token("Revoked3")
RATE_LIMITED = _user_token("Slow4444")
SERVER_ERROR = _user_token("Boom5555")
MALFORMED = _user_token("Garbage6")
ACCOUNT_TOKEN = "cfat_" + ("AcctOwnd" * 5) + _CHECK
ACCOUNT_TOKEN_ALONE = "cfat_" + ("LoneAcct" * 5) + _CHECK
LEGACY = "Sn3lZJTBX6kkg7OdcBUAxOO963GEIyGQqnFTOFYY"
LEGACY_REVOKED = "Zz9yXw8VuT7sRq6PoN5mLk4JiH3gFe2DcB1a0_-Q"
LEGACY_ACCOUNT = "Lg4cyAcct0wnedT0ken_5xQ2mN8vB6cR1tY7uI3o"
GLOBAL_KEY = "cfk_" + ("GlobalKy" * 5) + _CHECK
EMAIL = "ops@example.com"

ACCOUNT_ID = "023e105f4ecef8ad9ca31a8372d0c353"
OTHER_ACCOUNT_ID = "9a7806061c88ada191ed06f989cc3dac"
ZONE_ID = "eb78d65290b24279ba6f44721b3ea3c4"

_TOKEN_IDS = {
    DNS_ONLY: "ed17574386854bf78a67040be0a770b0",
    ACCOUNT_WIDE: "f267e341f3dd4697bd3b9f71dd96247f",
    NO_POLICY_READ: "4e6c0d3a4c3c4b0d9d1e2f3a4b5c6d7e",
    DISABLED: "1b2c3d4e5f60718293a4b5c6d7e8f901",
    LEGACY: "7f8e9d0c1b2a39485766554433221100",
    ACCOUNT_TOKEN: "a1b2c3d4e5f60718293a4b5c6d7e8f90",
    ACCOUNT_TOKEN_ALONE: "0f1e2d3c4b5a69788796a5b4c3d2e1f0",
    LEGACY_ACCOUNT: "c0ffee00c0ffee00c0ffee00c0ffee00",
}


def envelope(result: Any, **extra: Any) -> dict[str, Any]:
    return {"success": True, "errors": [], "messages": [], "result": result, **extra}


def error(code: int, message: str) -> dict[str, Any]:
    return {"success": False, "errors": [{"code": code, "message": message}], "messages": [], "result": None}


INVALID = error(1000, "Invalid API Token")
FORBIDDEN = error(9109, "Unauthorized to access requested resource")


def _group(gid: str, name: str) -> dict[str, Any]:
    return {"id": gid, "name": name, "meta": {}}


_POLICIES: dict[str, list[dict[str, Any]]] = {
    # What the owner meant: DNS edits on one zone.
    DNS_ONLY: [{
        "id": "p1", "effect": "allow",
        "permission_groups": [_group("4755a26eedb94da69e1066d98aa820be", "DNS Write"),
                              _group("82e64a83756745bbbb1c9c2701bf816b", "DNS Read")],
        "resources": {f"com.cloudflare.api.account.zone.{ZONE_ID}": "*"},
    }],
    # Called a DNS token, but it can rewrite the account and deploy Workers.
    ACCOUNT_WIDE: [
        {"id": "p2", "effect": "allow",
         "permission_groups": [_group("4755a26eedb94da69e1066d98aa820be", "DNS Write")],
         "resources": {f"com.cloudflare.api.account.{ACCOUNT_ID}": {
             "com.cloudflare.api.account.zone.*": "*"}}},
        {"id": "p3", "effect": "allow",
         "permission_groups": [_group("1af1fa2adc104452b74a9a3364202f20", "Account Settings Write"),
                               _group("e086da7e2179491d91ee5f35b3ca210a", "Workers Scripts Write")],
         "resources": {f"com.cloudflare.api.account.{ACCOUNT_ID}": "*"}},
        {"id": "p4", "effect": "deny",
         "permission_groups": [_group("c8fed203ed3043cba015a93ad1616f1f", "Zone Read")],
         "resources": {f"com.cloudflare.api.account.zone.{ZONE_ID}": "*"}},
    ],
    # Every account the user belongs to, and the power to mint more tokens.
    LEGACY: [
        {"id": "p5", "effect": "allow",
         "permission_groups": [_group("b89a480218d04ceb98b4fe57ca29dc1f", "Billing Read"),
                               _group("e199d584e69344eba202452019deafe3", "Secrets Store Write")],
         "resources": {"com.cloudflare.api.account.*": "*"}},
        {"id": "p6", "effect": "allow",
         "permission_groups": [_group("686d18d5ac6c441c867cbf6771e58a0a", "API Tokens Write")],
         "resources": {"com.cloudflare.api.user.6d8e1f5b2c3a4d7e9f0a1b2c3d4e5f60": "*"}},
    ],
    ACCOUNT_TOKEN: [{
        "id": "p7", "effect": "allow",
        "permission_groups": [_group("c1fde68c7bcc44588cbb6ddbc16d6480", "Account Analytics Read")],
        "resources": {f"com.cloudflare.api.account.{ACCOUNT_ID}": "*"},
    }],
    LEGACY_ACCOUNT: [{
        "id": "p9", "effect": "allow",
        "permission_groups": [_group("c8fed203ed3043cba015a93ad1616f1f", "Zone Read")],
        "resources": {f"com.cloudflare.api.account.{ACCOUNT_ID}": {"com.cloudflare.api.account.zone.*": "*"}},
    }],
    ACCOUNT_TOKEN_ALONE: [{
        "id": "p8", "effect": "allow",
        "permission_groups": [_group("2efd5506f9c8494dacb1fa10a3e7d5b6", "Workers R2 Storage Write")],
        "resources": {"com.cloudflare.edge.r2.bucket.9a78_default_assets": "*"},
    }],
}

_ACCOUNTS = [{"id": ACCOUNT_ID, "name": "Acme Corp", "type": "standard"},
             {"id": OTHER_ACCOUNT_ID, "name": "Acme Labs", "type": "standard"}]
_ZONES = [{"id": ZONE_ID, "name": "example.com", "status": "active",
           "account": {"id": ACCOUNT_ID, "name": "Acme Corp"}},
          {"id": "22b1de5f1c0e4b3ea97bb1e963b06a43", "name": "example.net", "status": "active",
           "account": {"id": OTHER_ACCOUNT_ID, "name": "Acme Labs"}}]


def _verify_result(tok: str) -> dict[str, Any]:
    return {"id": _TOKEN_IDS[tok], "status": "disabled" if tok == DISABLED else "active",
            "not_before": "2026-01-01T00:00:00Z"}


def _details(tok: str) -> dict[str, Any]:
    details: dict[str, Any] = {
        "id": _TOKEN_IDS[tok], "name": "dns-updater" if tok == DNS_ONLY else "ci", "status": "active",
        "issued_on": "2026-01-01T00:00:00Z", "modified_on": "2026-01-01T00:00:00Z",
        "last_used_on": "2026-11-20T09:00:00Z", "policies": _POLICIES[tok],
    }
    if tok == DNS_ONLY:
        details["expires_on"] = "2027-01-01T00:00:00Z"
        details["condition"] = {"request_ip": {"in": ["192.0.2.0/24"], "not_in": []}}
    return details


def _page(rows: list[dict[str, Any]]) -> dict[str, Any]:
    info = {"page": 1, "per_page": 50, "count": len(rows), "total_count": len(rows)}
    return envelope(rows, result_info=info)


def make() -> FakeServer:
    fake = FakeServer()
    user_tokens = {DNS_ONLY, ACCOUNT_WIDE, NO_POLICY_READ, DISABLED, LEGACY}
    account_tokens = {ACCOUNT_TOKEN: ACCOUNT_ID, ACCOUNT_TOKEN_ALONE: OTHER_ACCOUNT_ID, LEGACY_ACCOUNT: ACCOUNT_ID}

    def failure(tok: str | None) -> Reply | None:
        if tok == RATE_LIMITED:
            return Reply(429, error(10000, "Rate limited"), headers={"Retry-After": "120"})
        if tok == SERVER_ERROR:
            return Reply(500, error(10001, "Internal Server Error"))
        if tok == MALFORMED:
            return Reply(200, "<html>Just a moment...</html>")
        return None

    @fake.route("GET", "/user/tokens/verify")
    def verify(req: Request) -> Reply:
        tok = req.bearer() or ""
        if (bad := failure(tok)) is not None:
            return bad
        if tok in user_tokens:
            return Reply(200, envelope(_verify_result(tok), messages=[
                {"code": 10000, "message": "This API Token is valid and active"}]))
        if tok in account_tokens:  # account-owned tokens are refused by the user endpoint
            return Reply(403, INVALID)
        return Reply(401, INVALID)

    @fake.route("GET", r"/user/tokens/[0-9a-f]{32}")
    def user_token_details(req: Request) -> Reply:
        tok = req.bearer() or ""
        if tok not in user_tokens:
            return Reply(401, INVALID)
        if tok == NO_POLICY_READ or req.path.rsplit("/", 1)[-1] != _TOKEN_IDS[tok]:
            return Reply(403, FORBIDDEN)
        return Reply(200, envelope(_details(tok)))

    @fake.route("GET", r"/accounts/[0-9a-f]{32}/tokens/verify")
    def account_verify(req: Request) -> Reply:
        tok = req.bearer() or ""
        account = req.path.split("/")[2]
        if account_tokens.get(tok) != account:
            return Reply(401, INVALID)
        return Reply(200, envelope(_verify_result(tok)))

    @fake.route("GET", r"/accounts/[0-9a-f]{32}/tokens/[0-9a-f]{32}")
    def account_token_details(req: Request) -> Reply:
        tok = req.bearer() or ""
        account, tid = req.path.split("/")[2], req.path.split("/")[4]
        if account_tokens.get(tok) != account or _TOKEN_IDS[tok] != tid:
            return Reply(401, INVALID)
        return Reply(200, envelope(_details(tok)))

    def global_key_ok(req: Request) -> bool:
        return req.header("X-Auth-Key") == GLOBAL_KEY and req.header("X-Auth-Email") == EMAIL

    @fake.route("GET", "/user")
    def user(req: Request) -> Reply:
        if req.header("X-Auth-Key") is None and req.header("X-Auth-Email") is None:
            return Reply(400, error(6003, "Invalid request headers"))
        if not global_key_ok(req):
            return Reply(403, error(9103, "Unknown X-Auth-Key or X-Auth-Email"))
        return Reply(200, envelope({"id": "6d8e1f5b2c3a4d7e9f0a1b2c3d4e5f60", "email": EMAIL,
                                    "two_factor_authentication_enabled": False, "suspended": False}))

    @fake.route("GET", "/accounts")
    def accounts(req: Request) -> Reply:
        tok = req.bearer()
        if global_key_ok(req) or tok == NO_POLICY_READ:
            return Reply(200, _page(_ACCOUNTS))
        if tok in account_tokens:
            return Reply(200, _page([a for a in _ACCOUNTS if a["id"] == account_tokens[tok]]))
        return Reply(401, INVALID)

    @fake.route("GET", "/zones")
    def zones(req: Request) -> Reply:
        tok = req.bearer()
        if global_key_ok(req):
            return Reply(200, _page(_ZONES))
        if tok == NO_POLICY_READ:
            return Reply(200, _page(_ZONES[:1]))
        return Reply(401, INVALID)

    return fake
