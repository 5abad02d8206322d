"""Fake https://api.planetscale.com answering GET /v1/organizations and
GET /v1/organizations/{org}/databases as PlanetScale's API reference documents them:
``Authorization: <SERVICE_TOKEN_ID>:<SERVICE_TOKEN>``, ``{"data": [...]}`` lists, 401 for a token it
does not know and 403 where the token lacks the permission."""

from __future__ import annotations

from tests.fakes.server import FakeServer, Reply, Request

TOKEN_ID = "luq1jk0pjccp"
BROAD = "pscale_tkn_LYjIKvjFyaIicuVX4k1qovQYaKMTTpU8yUidrAWQkcK"
NARROW = "pscale_tkn_YUxLQ_lMxjEMYhrSET15UTBhk1vCMy8byymiFezuW7U"
REVOKED = "pscale_tkn_Re3Wq1As2Df3GZx7Vb1Nm2Kj4Hg8Fd2Sa6Lp0OiUy5T"
RATE_LIMITED = "pscale_tkn_Qa7Zc8Xv2NPo9Iu7Yt5Re3Wq1As2Df3GZx7Vb1Nm2K"
BROKEN = "pscale_tkn_Ew3Qa7Zc8Xv2NPo9Iu7Yt5Re3Wq1As2Df3GZx7Vb1N"

_ORGS = {
    BROAD: ["acme", "acme-staging"],
    NARROW: ["acme"],
}
_DATABASES = {
    (BROAD, "acme"): ["app", "analytics"],
    (BROAD, "acme-staging"): ["app"],
}


def _org(name: str) -> dict[str, object]:
    return {"id": f"id-{name}", "type": "Organization", "name": name, "billing_email": "ops@acme.test",
            "plan": "scaler_pro", "created_at": "2025-01-01T00:00:00.000Z"}


def _token(req: Request) -> str | None:
    value = req.header("authorization") or ""
    token_id, _, token = value.partition(":")
    return token if token_id == TOKEN_ID else None


def make() -> FakeServer:
    fake = FakeServer()

    @fake.route("GET", "/v1/organizations")
    def organizations(req: Request) -> Reply:
        token = _token(req)
        if token == RATE_LIMITED:
            return Reply(429, {"code": "rate_limited", "message": "Too many requests"}, headers={"Retry-After": "60"})
        if token == BROKEN:
            return Reply(503, {"code": "unavailable", "message": "Service unavailable"})
        if token in _ORGS:
            return Reply(200, {"type": "list", "current_page": 1, "data": [_org(n) for n in _ORGS[token]]})
        return Reply(401, {"code": "unauthorized", "message": "Unauthorized"})

    @fake.route("GET", r"/v1/organizations/([^/]+)/databases")
    def databases(req: Request) -> Reply:
        token = _token(req)
        org = req.path.split("/")[3]
        if token not in _ORGS:
            return Reply(401, {"code": "unauthorized", "message": "Unauthorized"})
        names = _DATABASES.get((token, org))
        if names is None:
            return Reply(403, {"code": "forbidden", "message": "Forbidden"})
        return Reply(200, {"type": "list", "current_page": 1,
                           "data": [{"id": f"db-{n}", "type": "database", "name": n, "kind": "mysql"} for n in names]})

    return fake
