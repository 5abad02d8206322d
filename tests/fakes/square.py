"""Fake https://connect.squareup.com (and, by ``X-Tokenreach-Target-Host``, its sandbox) answering
POST /oauth2/token/status and GET /v2/merchants/me as Square's API reference documents them:
``{"scopes", "expires_at", "client_id", "merchant_id"}``; 401 ``UNAUTHORIZED`` for an invalid or
expired token; 403 ``INSUFFICIENT_SCOPES`` where a permission is missing."""

from __future__ import annotations

from tests.fakes.server import FakeServer, Reply, Request

PRODUCTION, SANDBOX = "connect.squareup.com", "connect.squareupsandbox.com"

PERSONAL = "EAAAlPersonalAccessTokenForTheWholeAccountQw3rTy9Zx7Vb1Nm2Kj4HZx"
NARROW = "EAAAlOAuthPaymentsReadOnlyTokenForReportingUy5Tr1Ew3Qa7Zc8Xv2NZx"
SANDBOX_TOKEN = "EAAAlSandboxTokenThatProductionRefusesPo9Iu7Yt5Re3Wq1As2Df3GZx7V"
NO_SCOPES = "EAAAlTokenWithNoPermissionsAtAllGf5Dd3Ss1Aa9Qw8Er7Ty6Ui5Op4AsZx7"
LEGACY = "sq0atp-LegacyPersonal4Hg8FZx7"
REVOKED = "EAAAlRevokedOrExpiredTokenMn7Bv5Cx3Zl1Kj9Hg8Fd6Sa4Qw2Er0Ty8UiZx7"
RATE_LIMITED = "EAAAlRateLimitedTokenQa1Ws2Ed3Rf4Tg5Yh6Uj7Ik8Ol9Pz0Xc1Vb2Nm3Zx7V"
BROKEN = "EAAAlServerErrorTokenZa9Xs8Cd7Vf6Bg5Nh4Mj3Ku2Li1Op0Qw9Er8Ty7UZx7"
MALFORMED = "EAAAlNotJsonAtAllTokenHy6Uj7Ik8Ol9Pm0Nb1Vc2Xz3As4Df5Gh6Jk7Lq8Zx7"

ALL_SCOPES = ["BANK_ACCOUNTS_READ", "CUSTOMERS_READ", "CUSTOMERS_WRITE", "DEVICE_CREDENTIAL_MANAGEMENT",
              "EMPLOYEES_READ", "EMPLOYEES_WRITE", "ITEMS_READ", "ITEMS_WRITE", "MERCHANT_PROFILE_READ",
              "MERCHANT_PROFILE_WRITE", "ORDERS_READ", "ORDERS_WRITE", "PAYMENTS_READ", "PAYMENTS_WRITE",
              "PAYOUTS_READ"]

_STATUS = {
    (PRODUCTION, PERSONAL): {"scopes": ALL_SCOPES, "client_id": "sq0idp-AppAppAppAppAppApp00",
                             "merchant_id": "ML7B5VQ1ABCDE"},
    (PRODUCTION, LEGACY): {"scopes": ["PAYMENTS_READ"], "client_id": "sq0idp-AppAppAppAppAppApp00",
                           "merchant_id": "ML7B5VQ1ABCDE"},
    (PRODUCTION, NARROW): {"scopes": ["PAYMENTS_READ"], "expires_at": "2026-12-30T10:00:00Z",
                           "client_id": "sq0idp-ReportingAppRepo01", "merchant_id": "ML7B5VQ1ABCDE"},
    (PRODUCTION, NO_SCOPES): {"scopes": [], "expires_at": "2026-12-30T10:00:00Z",
                              "client_id": "sq0idp-ReportingAppRepo01", "merchant_id": "ML7B5VQ1ABCDE"},
    (SANDBOX, SANDBOX_TOKEN): {"scopes": ["PAYMENTS_READ", "PAYMENTS_WRITE"],
                               "client_id": "sandbox-sq0idb-SandboxApp0", "merchant_id": "MLSANDBOX0001"},
}
_MERCHANT = {"merchant": {"id": "ML7B5VQ1ABCDE", "business_name": "Acme Coffee", "country": "US",
                          "language_code": "en-US", "currency": "USD", "status": "ACTIVE",
                          "main_location_id": "LH2J5XYZ"}}
_UNAUTHORIZED = {"errors": [{"category": "AUTHENTICATION_ERROR", "code": "UNAUTHORIZED",
                             "detail": "This request could not be authorized."}]}
_INSUFFICIENT = {"errors": [{"category": "AUTHENTICATION_ERROR", "code": "INSUFFICIENT_SCOPES",
                             "detail": "The merchant has not given your application sufficient permissions."}]}


def _common(key: str | None) -> Reply | None:
    if key == RATE_LIMITED:
        return Reply(429, {"errors": [{"category": "RATE_LIMIT_ERROR", "code": "RATE_LIMITED"}]},
                     headers={"Retry-After": "60"})
    if key == BROKEN:
        return Reply(503, {"errors": [{"category": "API_ERROR", "code": "SERVICE_UNAVAILABLE"}]})
    if key == MALFORMED:
        return Reply(200, "<html>maintenance</html>")
    return None


def make() -> FakeServer:
    fake = FakeServer()

    @fake.route("POST", "/oauth2/token/status")
    def status(req: Request) -> Reply:
        key = req.bearer()
        if (reply := _common(key)) is not None:
            return reply
        host = req.header("x-tokenreach-target-host") or PRODUCTION
        body = _STATUS.get((host, key or ""))
        return Reply(200, body) if body is not None else Reply(401, _UNAUTHORIZED)

    @fake.route("GET", "/v2/merchants/me")
    def merchant(req: Request) -> Reply:
        host = req.header("x-tokenreach-target-host") or PRODUCTION
        body = _STATUS.get((host, req.bearer() or ""))
        if body is None:
            return Reply(401, _UNAUTHORIZED)
        if "MERCHANT_PROFILE_READ" not in body["scopes"]:  # type: ignore[operator]
            return Reply(403, _INSUFFICIENT)
        return Reply(200, _MERCHANT)

    return fake
