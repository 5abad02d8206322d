"""Fake Braintree GraphQL API (``payments.braintree-api.com`` and its sandbox, told apart by
``X-Tokenreach-Target-Host``) answering the ``viewer`` query as Braintree documents it: ``data.viewer``
with ``user``, ``merchant`` and ``rights``; HTTP 401 for a token it does not accept; GraphQL errors
carry ``extensions.errorClass`` (``AUTHENTICATION``, ``AUTHORIZATION``)."""

from __future__ import annotations

from tests.fakes.server import FakeServer, Reply, Request

PRODUCTION, SANDBOX = "payments.braintree-api.com", "payments.sandbox.braintree-api.com"
MERCHANT = "1oi0q4cxx12gs2bz"


def _token(env: str, hex32: str) -> str:
    return f"access_token${env}${MERCHANT}${hex32}"


ADMIN = _token("production", "75b8e160cbeb9133cabfa34f2f457fbc")
REPORTER = _token("production", "0a1b2c3d4e5f60718293a4b5c6d7e8f9")
SANDBOX_TOKEN = _token("sandbox", "f9e8d7c6b5a4938271605f4e3d2c1b0a")
NOT_ALLOWED = _token("production", "1f2e3d4c5b6a79880f1e2d3c4b5a6978")
REVOKED = _token("production", "9a8b7c6d5e4f30211f2e3d4c5b6a7988")
AUTH_IN_200 = _token("production", "5e4f30219a8b7c6d5b6a79881f2e3d4c")
RATE_LIMITED = _token("production", "3c4b5a69780f1e2d1e2d3c4b5a6f7081")
BROKEN = _token("production", "7c6d5e4f30211f2e9a8b5b6a79883d4c")


PUBLIC_KEY = "v4ndq314c2s5c28r"
PRIVATE_KEY = "ec595c98b0fc13a2f9d3cc51e05a82b4"
SANDBOX_PUBLIC_KEY = "s9mkx2p7q4r8t1wz"
SANDBOX_PRIVATE_KEY = "a3b2c1d0e9f87654321fedcba9876543"


def _viewer(email: str, admin: bool, rights: list[str]) -> dict[str, object]:
    return {"data": {"viewer": {
        "user": {"id": "VXNlcl8x", "email": email, "name": "Ops",
                 "roles": [{"name": "Admin" if admin else "Reporting", "isAccountAdmin": admin}]},
        "merchant": {"id": MERCHANT, "companyName": "Acme Coffee", "status": "ACTIVE"},
        "rights": [{"name": r} for r in rights]}}, "extensions": {"requestId": "r-1"}}


_ANSWERS = {
    (PRODUCTION, ADMIN): _viewer("ops@acme.test", True, ["Create Transactions", "Refund Transactions", "Manage Users"]),
    (PRODUCTION, REPORTER): _viewer("reports@acme.test", False, ["Download Transactions", "View Reports"]),
    (SANDBOX, SANDBOX_TOKEN): _viewer("dev@acme.test", False, ["Create Transactions"]),
    (PRODUCTION, f"{PUBLIC_KEY}:{PRIVATE_KEY}"): _viewer("api@acme.test", True, ["Create Transactions"]),
    (SANDBOX, f"{SANDBOX_PUBLIC_KEY}:{SANDBOX_PRIVATE_KEY}"): _viewer("dev@acme.test", False, ["View Reports"]),
}


def make() -> FakeServer:
    fake = FakeServer()

    @fake.route("POST", "/graphql")
    def graphql(req: Request) -> Reply:
        host = req.header("x-tokenreach-target-host") or PRODUCTION
        basic = req.basic()
        token = f"{basic[0]}:{basic[1]}" if basic else req.bearer()
        if req.header("braintree-version") is None:
            return Reply(400, {"errors": [{"message": "Braintree-Version header required"}]})
        if token == RATE_LIMITED:
            return Reply(429, {"errors": [{"message": "Too many requests"}]}, headers={"Retry-After": "60"})
        if token == BROKEN:
            return Reply(503, "service unavailable")
        if token == NOT_ALLOWED:
            return Reply(200, {"data": {"viewer": None}, "errors": [
                {"message": "Authorization failed", "extensions": {"errorClass": "AUTHORIZATION"}}]})
        if token == AUTH_IN_200:
            return Reply(200, {"data": None, "errors": [
                {"message": "Authentication credentials are invalid", "extensions": {"errorClass": "AUTHENTICATION"}}]})
        answer = _ANSWERS.get((host, token or ""))
        if answer is None:
            return Reply(401, {"errors": [{"message": "Authentication credentials are invalid",
                                           "extensions": {"errorClass": "AUTHENTICATION"}}]})
        return Reply(200, answer)

    return fake
