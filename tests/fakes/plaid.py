"""Fake Plaid API (``production.plaid.com`` and ``sandbox.plaid.com``, told apart by
``X-Tokenreach-Target-Host``) answering ``POST /institutions/get`` as Plaid documents it: the
institution list for keys it knows, 400 ``INVALID_API_KEYS`` for keys it does not."""

from __future__ import annotations

from tests.fakes.server import FakeServer, Reply, Request

PRODUCTION, SANDBOX = "production.plaid.com", "sandbox.plaid.com"
CLIENT_ID = "ae2a307f5fc5619f5fbb3edc"
PROD_SECRET = "96d58b1252bd290f301d255972dfeb"
SANDBOX_SECRET = "1f0e2d3c4b5a69788a9b0c1d2e3f4a"
REVOKED = "0a1b2c3d4e5f60718293a4b5c6d7e8"
RATE_LIMITED = "f9e8d7c6b5a4938271605f4e3d2c1b"
BROKEN = "5a4b3c2d1e0f9e8d7c6b5a4f3e2d1c"
MALFORMED = "7e6d5c4b3a2918f7e6d5c4b3a2918f"

_VALID = {(PRODUCTION, PROD_SECRET), (SANDBOX, SANDBOX_SECRET)}


def _error(status: int, error_type: str, code: str, message: str) -> Reply:
    return Reply(status, {"error_type": error_type, "error_code": code, "error_message": message,
                          "display_message": None, "request_id": "HNTDNrA8F1shFEW"})


def make() -> FakeServer:
    fake = FakeServer()

    @fake.route("POST", "/institutions/get")
    def institutions(req: Request) -> Reply:
        host = req.header("x-tokenreach-target-host") or PRODUCTION
        secret = req.header("plaid-secret")
        if secret == RATE_LIMITED:
            return _error(429, "RATE_LIMIT_EXCEEDED", "INSTITUTIONS_GET_LIMIT", "rate limit exceeded")
        if secret == MALFORMED:
            return Reply(200, "<html>maintenance</html>")
        if secret == BROKEN:
            return _error(500, "API_ERROR", "INTERNAL_SERVER_ERROR", "an unexpected error occurred")
        if req.header("plaid-client-id") != CLIENT_ID or (host, secret) not in _VALID:
            return _error(400, "INVALID_INPUT", "INVALID_API_KEYS", "invalid client_id or secret provided")
        if req.json().get("count") is None:
            return _error(400, "INVALID_REQUEST", "MISSING_FIELDS", "the following required fields are missing: count")
        return Reply(200, {"institutions": [{"institution_id": "ins_109508", "name": "First Platypus Bank",
                                             "country_codes": ["US"], "products": ["auth", "transactions"]}],
                           "total": 11000, "request_id": "m8MDnv9okwxFNBV"})

    return fake
