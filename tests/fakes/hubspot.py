"""Fake https://api.hubapi.com answering the Account information API and the private apps'
access-token-info as HubSpot documents them; errors as ``{"status": "error", "message",
"correlationId", "category"}``."""

from __future__ import annotations

from typing import Any

from tests.fakes.server import FakeServer, Reply, Request

BROAD = "pat-na1-21636369-8b52-4b4a-97b7-50923ceb3ffd"
NARROW = "pat-eu1-795b929e-9a9a-40fd-aa7b-5bf55eb561a4"
NO_DETAILS = "pat-na1-9b08923d-10c6-4fd9-94b2-b8fda02f34a6"  # 403 MISSING_SCOPES on account details
REVOKED = "pat-na1-781f9c58-d664-4fa9-a8a8-529f035efa25"
RATE_LIMITED = "pat-na1-31162427-3bfd-4d33-8d00-38ec42650644"
BROKEN = "pat-na1-8a7d43b5-7863-4074-b797-0386fee29476"
NO_INFO = "pat-na1-65aa9c82-79f2-48b0-8cb4-a0d7d6225675"  # access-token-info fails: scopes unknown

BROAD_SCOPES = ["automation", "crm.objects.contacts.read", "crm.objects.contacts.write", "crm.schemas.contacts.write",
                "oauth", "settings.users.write"]
NARROW_SCOPES = ["crm.objects.contacts.read", "oauth"]
_INFO: dict[str, dict[str, Any]] = {
    BROAD: {"userId": 1234567, "hubId": 7654321, "appId": 111111, "scopes": BROAD_SCOPES},
    NARROW: {"userId": 1234568, "hubId": 7654322, "appId": 222222, "scopes": NARROW_SCOPES},
    NO_DETAILS: {"userId": 1234569, "hubId": 7654323, "appId": 333333, "scopes": ["crm.objects.deals.read"]},
}
_DETAILS = {
    BROAD: {"portalId": 7654321, "accountType": "STANDARD", "timeZone": "US/Eastern", "companyCurrency": "USD",
            "additionalCurrencies": [], "utcOffset": "-05:00", "utcOffsetMilliseconds": -18000000,
            "uiDomain": "app.hubspot.com", "dataHostingLocation": "na1"},
    NARROW: {"portalId": 7654322, "accountType": "SANDBOX", "timeZone": "Europe/Berlin", "companyCurrency": "EUR",
             "additionalCurrencies": [], "utcOffset": "+01:00", "utcOffsetMilliseconds": 3600000,
             "uiDomain": "app-eu1.hubspot.com", "dataHostingLocation": "eu1"},
    NO_INFO: {"portalId": 7654324, "accountType": "STANDARD", "uiDomain": "app.hubspot.com",
              "dataHostingLocation": "na1"},
}


def _error(status: int, category: str, message: str, headers: dict[str, str] | None = None) -> Reply:
    return Reply(status, {"status": "error", "message": message,
                          "correlationId": "3f0c2a8e-0000-4000-8000-000000000001", "category": category},
                 headers=headers or {})


def _refuse(tok: str | None) -> Reply | None:
    if tok == RATE_LIMITED:
        return _error(429, "RATE_LIMITS", "You have reached your secondly limit.",
                      {"X-HubSpot-RateLimit-Interval-Milliseconds": "10000", "X-HubSpot-RateLimit-Remaining": "0"})
    if tok == BROKEN:
        return _error(502, "INTERNAL_ERROR", "Bad gateway")
    if tok not in _INFO and tok not in _DETAILS:
        return _error(401, "INVALID_AUTHENTICATION", "Authentication credentials not found. This API supports "
                      "OAuth 2.0 authentication.")
    return None


def make() -> FakeServer:
    fake = FakeServer()

    @fake.route("GET", "/account-info/v3/details")
    def details(req: Request) -> Reply:
        tok = req.bearer()
        if (refused := _refuse(tok)) is not None:
            return refused
        if tok == NO_DETAILS:
            return _error(403, "MISSING_SCOPES", "This app hasn't been granted all required scopes to make this "
                          "call.")
        return Reply(200, _DETAILS[tok])

    @fake.route("POST", "/oauth/v2/private-apps/get/access-token-info")
    def token_info(req: Request) -> Reply:
        body = req.json()
        tok = body.get("tokenKey") if isinstance(body, dict) else None
        if (refused := _refuse(tok)) is not None:
            return refused
        if tok == NO_INFO:
            return _error(500, "INTERNAL_ERROR", "internal error")
        return Reply(200, _INFO[tok])

    return fake
