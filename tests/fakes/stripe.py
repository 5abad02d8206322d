"""Fake https://api.stripe.com answering as docs.stripe.com documents it.

Errors are ``{"error": {"message", "type"}}``; a restricted key's 403 names the missing ``rak_*``
permission and the account, in the wording quoted in providers.md B.6.
"""

from __future__ import annotations

from tests.fakes.server import FakeServer, Reply, Request

LIVE_SECRET = "sk_live_51FakeLiveSecretKeyAbCdEfGhIjKlMnOp"
TEST_SECRET = "sk_test_51FakeTestSecretKeyQrStUvWxYzAbCdEf"
# Restricted key that may read charges and customers, nothing else.
RAK_CHARGES = "rk_live_51FakeRestrictedChargesKeyGhIjKlMnO"
# Restricted key with balance read only.
RAK_BALANCE = "rk_live_51FakeRestrictedBalanceKeyPqRsTuVwX"
ORG_KEY = "sk_org_live_FakeOrganizationKeyYzAbCdEfGh"
REVOKED = "sk_live_51FakeRevokedSecretKeyIjKlMnOpQrStU"
RATE_LIMITED = "sk_live_51FakeRateLimitedKeyVwXyZaBcDeFgHi"
SERVER_ERROR = "sk_live_51FakeServerErrorKeyJkLmNoPqRsTuVw"
MALFORMED = "rk_live_51FakeMalformedBodyKeyXyZaBcDeFgHiJ"

# A key used from outside its IP allowlist (status and wording assumed, not documented).
IP_RESTRICTED = "rk_live_51FakeIpAllowlistedKeyAbCdEfGhIjKlMn"

ACCOUNT = "acct_1FakeAcmeAccount"

_GRANTS: dict[str, set[str]] = {
    RAK_CHARGES: {"/v1/charges", "/v1/customers"},
    RAK_BALANCE: {"/v1/balance"},
}
_PERMISSION = {
    "/v1/balance": "rak_balance_read",
    "/v1/charges": "rak_charge_read",
    "/v1/customers": "rak_customer_read",
    "/v1/payment_intents": "rak_payment_intent_read",
    "/v1/payouts": "rak_payout_read",
    "/v1/transfers": "rak_transfer_read",
    "/v1/subscriptions": "rak_subscription_read",
    "/v1/invoices": "rak_invoice_read",
    "/v1/webhook_endpoints": "rak_webhook_read",
}


def _key(req: Request) -> str | None:
    return req.bearer()


def _tail(key: str) -> str:
    return f"{key[:8]}{'*' * 12}{key[-4:]}"


def _invalid(key: str) -> Reply:
    return Reply(401, {"error": {"message": f"Invalid API Key provided: {_tail(key)}",
                                 "type": "invalid_request_error"}})


def _denied(key: str, path: str) -> Reply:
    return Reply(403, {"error": {
        "message": (f"The provided key '{_tail(key)}' does not have the required permissions for this "
                    f"endpoint on account '{ACCOUNT}'. Having the '{_PERMISSION[path]}' permission would "
                    "allow this request to continue."),
        "type": "invalid_request_error",
    }})


def _balance(livemode: bool) -> dict:
    return {"object": "balance", "livemode": livemode,
            "available": [{"amount": 120050, "currency": "usd", "source_types": {"card": 120050}}],
            "pending": [{"amount": 0, "currency": "usd", "source_types": {"card": 0}}]}


def _list(path: str) -> dict:
    return {"object": "list", "url": path, "has_more": False, "data": []}


_ACCOUNT_BODY = {
    "id": ACCOUNT, "object": "account", "type": "standard", "country": "US",
    "email": "billing@acme.example", "charges_enabled": True, "payouts_enabled": True,
    "business_profile": {"name": "Acme Incorporated", "url": "https://acme.example"},
    "settings": {"dashboard": {"display_name": "Acme", "timezone": "Etc/UTC"}},
}


def make() -> FakeServer:
    fake = FakeServer()

    def answer(req: Request) -> Reply:
        key = _key(req) or ""
        path = req.path
        if key == RATE_LIMITED:
            return Reply(429, {"error": {"message": "Too many requests", "type": "invalid_request_error"}},
                         headers={"Retry-After": "60"})
        if key == SERVER_ERROR:
            return Reply(500, {"error": {"message": "An unknown error occurred", "type": "api_error"}})
        if key == IP_RESTRICTED:
            return Reply(401, {"error": {
                "message": "The API key provided does not allow requests from your IP address.",
                "type": "invalid_request_error"}})
        if key == MALFORMED:
            return Reply(200, "<html>maintenance</html>")
        org_in_context = key == ORG_KEY and req.header("stripe-context") == ACCOUNT
        if key in (LIVE_SECRET, TEST_SECRET) or org_in_context:
            if path == "/v1/balance":
                return Reply(200, _balance(key == LIVE_SECRET))
            if path == "/v1/account":
                return Reply(200, _ACCOUNT_BODY)
            return Reply(200, _list(path))
        if key in _GRANTS:
            if path == "/v1/account":
                return Reply(403, {"error": {
                    "message": (f"The provided key '{_tail(key)}' does not have the required permissions "
                                f"for this endpoint on account '{ACCOUNT}'. This is a restricted API key, "
                                "but the required permissions are not available for use by restricted "
                                "keys."),
                    "type": "invalid_request_error"}})
            if path in _GRANTS[key]:
                return Reply(200, _balance(True) if path == "/v1/balance" else _list(path))
            return _denied(key, path)
        if key == ORG_KEY:  # wording assumed: Stripe documents the rule, not the error
            if not req.header("stripe-context"):
                return Reply(400, {"error": {
                    "message": "Requests made with an organization API key must include the "
                               "Stripe-Context header.",
                    "type": "invalid_request_error"}})
            return Reply(401, {"error": {"message": "The provided key does not have access to account "
                                                    f"'{req.header('stripe-context')}' (or that account does "
                                                    "not exist).", "type": "invalid_request_error"}})
        return _invalid(key)

    for path in ("/v1/balance", "/v1/account", *(p for p in _PERMISSION if p != "/v1/balance")):
        fake.add("GET", path, answer)
    return fake
