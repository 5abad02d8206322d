"""Fake https://iam.cloud.ibm.com answering as IBM Cloud IAM documents: ``POST /identity/token`` (the
API key grant: an access token whose JWT claims name the identity and account; 400 ``BXNIM0415E``
for an unknown key), ``GET /v1/apikeys/details`` (``IAM-Apikey`` header) and ``GET /v1/policies``
(``{"policies": [...]}``; 403 without access to read them)."""

from __future__ import annotations

import base64
import json

from tests.fakes.server import FakeServer, Reply, Request

ADMIN = "GbpC6ypkLbokdVYKlmgcFmhuFVsc1xv4pf-QBjD9QOjz"
READER = "Qw3rTy9Zx7Vb1Nm2Kj4Hg8Fd2Sa6Lp0OiUy5Tr1Ew3QM"
NO_POLICY_READ = "Zc8Xv2NPo9Iu7Yt5Re3Wq1As2Df3GZx7Vb1Nm2Kj4HMn"
REVOKED = "Hg8Fd2Sa6Lp0OiUy5Tr1Ew3Qa7Zc8Xv2NPo9Iu7Yt5RM"
RATE_LIMITED = "Re3Wq1As2Df3GZx7Vb1Nm2Kj4Hg8Fd2Sa6Lp0OiUy5Mn"
BROKEN = "Tr1Ew3Qa7Zc8Xv2NPo9Iu7Yt5Re3Wq1As2Df3GZx7VbM"
ACCOUNT = "a1b2c3d4e5f60718293a4b5c6d7e8f90"


def _jwt(claims: dict[str, object]) -> str:
    def part(obj: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")
    return f"{part({'alg': 'RS256', 'kid': '20260101'})}.{part(claims)}.c2lnbmF0dXJlc2lnbmF0dXJl"


_IDENTITIES = {
    ADMIN: {"iam_id": "IBMid-2700012345", "sub": "ops@acme.test", "sub_type": "user", "email": "ops@acme.test",
            "account": {"bss": ACCOUNT, "valid": True}, "exp": 1799999999},
    READER: {"iam_id": "iam-ServiceId-0a1b2c3d", "sub": "ServiceId-0a1b2c3d", "sub_type": "ServiceId",
             "name": "ci-reader", "account": {"bss": ACCOUNT, "valid": True}, "exp": 1799999999},
    NO_POLICY_READ: {"iam_id": "iam-ServiceId-9f8e7d6c", "sub": "ServiceId-9f8e7d6c", "sub_type": "ServiceId",
                     "name": "deployer", "account": {"bss": ACCOUNT, "valid": True}, "exp": 1799999999},
}
_TOKENS = {_jwt(c): key for key, c in _IDENTITIES.items()}


def _role(name: str, kind: str = "role") -> dict[str, str]:
    return {"role_id": f"crn:v1:bluemix:public:iam::::{kind}:{name}", "display_name": name}


def _policy(iam_id: str, roles: list[dict[str, str]], **resource: str) -> dict[str, object]:
    attrs = [{"name": "accountId", "value": ACCOUNT}] + [{"name": k, "value": v} for k, v in resource.items()]
    return {"id": f"p-{iam_id}-{len(resource)}", "type": "access",
            "subjects": [{"attributes": [{"name": "iam_id", "value": iam_id}]}],
            "roles": roles, "resources": [{"attributes": attrs}]}


_POLICIES = {
    "IBMid-2700012345": [
        _policy("IBMid-2700012345", [_role("Administrator"), _role("Manager", "serviceRole")], serviceType="service"),
        _policy("IBMid-2700012345", [_role("Administrator")], serviceName="iam-identity"),
    ],
    "iam-ServiceId-0a1b2c3d": [
        _policy("iam-ServiceId-0a1b2c3d", [_role("Reader", "serviceRole")], serviceName="cloud-object-storage"),
    ],
}


def make() -> FakeServer:
    fake = FakeServer()

    @fake.route("POST", "/identity/token")
    def token(req: Request) -> Reply:
        form = req.form()
        key = form.get("apikey")
        if form.get("grant_type") != "urn:ibm:params:oauth:grant-type:apikey":
            return Reply(400, {"errorCode": "BXNIM0109E", "errorMessage": "Property missing or empty."})
        if key == RATE_LIMITED:
            return Reply(429, {"errorCode": "BXNIM0429E", "errorMessage": "Too many requests"},
                         headers={"Retry-After": "60"})
        if key == BROKEN:
            return Reply(503, "service unavailable")
        if key in _IDENTITIES:
            return Reply(200, {"access_token": _jwt(_IDENTITIES[key]), "refresh_token": "not_supported",
                               "token_type": "Bearer", "expires_in": 3600, "expiration": 1799999999,
                               "scope": "ibm openid"})
        return Reply(400, {"errorCode": "BXNIM0415E", "errorMessage": "Provided API key could not be found.",
                           "context": {"requestId": "abc"}})

    @fake.route("GET", "/v1/apikeys/details")
    def details(req: Request) -> Reply:
        key = _TOKENS.get(req.bearer() or "")
        if key is None or req.header("iam-apikey") != key:
            return Reply(401, {"errorCode": "BXNIM0308E", "errorMessage": "No authorization header found"})
        ident = _IDENTITIES[key]
        return Reply(200, {"id": "ApiKey-1", "name": "deploy key", "locked": key == ADMIN,
                           "iam_id": ident["iam_id"], "account_id": ACCOUNT, "created_at": "2026-01-01T00:00+0000"})

    @fake.route("GET", "/v1/policies")
    def policies(req: Request) -> Reply:
        key = _TOKENS.get(req.bearer() or "")
        if key is None:
            return Reply(401, {"errors": [{"code": "invalid_token", "message": "invalid token"}]})
        iam_id = req.query.get("iam_id", [""])[0]
        if key == NO_POLICY_READ or iam_id not in _POLICIES:
            return Reply(403, {"errors": [{"code": "insufficent_permissions", "message": "Forbidden"}]})
        return Reply(200, {"policies": _POLICIES[iam_id]})

    return fake
