"""Fake https://api.digitalocean.com answering as the DigitalOcean API reference documents.

Errors are ``{"id": "...", "message": "..."}``: 401 ``unauthorized`` for an unknown token, 403
``forbidden`` for a token without the endpoint's scope. Lists carry ``meta.total``; every answer
carries the ``ratelimit-*`` headers.
"""

from __future__ import annotations

from typing import Any

from tests.fakes.server import FakeServer, Reply, Request

FULL = "dop_v1_" + "a0" * 32
SCOPED = "dop_v1_" + "b1" * 32
NO_ACCOUNT_READ = "dop_v1_" + "c2" * 32
OAUTH = "doo_v1_" + "d3" * 32
LEGACY = "e4" * 32
LOW_LIMIT = "dop_v1_" + "f5" * 32
REVOKED = "dop_v1_" + "06" * 32
RATE_LIMITED = "dop_v1_" + "17" * 32
SERVER_ERROR = "dop_v1_" + "28" * 32
MALFORMED = "dop_v1_" + "39" * 32
REFRESH = "dor_v1_" + "4a" * 32

UNAUTHORIZED = {"id": "unauthorized", "message": "Unable to authenticate you",
                "request_id": "4d9d8375-3c56-4925-a3e7-eb137fed17e9"}
FORBIDDEN = {"id": "forbidden", "message": "You are not authorized to perform this operation",
             "request_id": "5e0e9486-4d67-5036-b4f8-fc248ae028fa"}

_ACCOUNT = {"droplet_limit": 25, "floating_ip_limit": 5, "email": "sammy@example.com", "name": "Sammy",
            "uuid": "b6fr89dbf6d9156cace5f3c78dc9851d957381ef", "email_verified": True, "status": "active",
            "team": {"uuid": "5df3e3004a17e242b7c20ca6c9fc25b701a47ece", "name": "My Team"}}

# Which read scopes each token holds; the full and OAuth tokens hold all of them.
_ALL = {"account", "droplet", "database", "app", "kubernetes", "block_storage", "domain", "firewall", "billing"}
_SCOPES = {FULL: _ALL, OAUTH: _ALL, LEGACY: _ALL, LOW_LIMIT: _ALL,
           SCOPED: {"account", "droplet", "domain"}, NO_ACCOUNT_READ: {"droplet"}}

_LISTS: dict[str, tuple[str, str, list[dict[str, Any]]]] = {
    "/v2/droplets": ("droplet", "droplets", [{"id": 3164444, "name": "web-1"}, {"id": 3164445, "name": "web-2"}]),
    "/v2/databases": ("database", "databases", [{"id": "9cc10173", "name": "pg-main", "connection": {
        "user": "doadmin", "password": "synthetic-not-a-password", "host": "pg-main.db.example"}}]),
    "/v2/apps": ("app", "apps", []),
    "/v2/kubernetes/clusters": ("kubernetes", "kubernetes_clusters", [{"id": "bd5f5959", "name": "prod"}]),
    "/v2/volumes": ("block_storage", "volumes", []),
    "/v2/domains": ("domain", "domains", [{"name": "example.com"}, {"name": "example.org"}, {"name": "ex.io"}]),
    "/v2/firewalls": ("firewall", "firewalls", []),
}


def _limits(remaining: int = 4999) -> dict[str, str]:
    return {"ratelimit-limit": "5000", "ratelimit-remaining": str(remaining), "ratelimit-reset": "1795862400"}


def make() -> FakeServer:
    fake = FakeServer()

    def auth(req: Request, scope: str) -> Reply | None:
        tok = req.bearer() or ""
        if tok == RATE_LIMITED:
            return Reply(429, {"id": "too_many_requests", "message": "API Rate limit exceeded."},
                         headers={**_limits(0), "Retry-After": "120"})
        if tok == SERVER_ERROR:
            return Reply(500, {"id": "server_error", "message": "Unexpected server-side error"})
        if tok == MALFORMED:
            return Reply(200, "<html>maintenance</html>")
        if tok not in _SCOPES:
            return Reply(401, UNAUTHORIZED, headers=_limits())
        if scope not in _SCOPES[tok]:
            return Reply(403, FORBIDDEN, headers=_limits())
        return None

    @fake.route("GET", "/v2/account")
    def account(req: Request) -> Reply:
        if (bad := auth(req, "account")) is not None:
            return bad
        remaining = 3 if req.bearer() == LOW_LIMIT else 4999
        return Reply(200, {"account": _ACCOUNT}, headers=_limits(remaining))

    def listing(path: str, scope: str, key: str, rows: list[dict[str, Any]]) -> None:
        def handler(req: Request) -> Reply:
            if (bad := auth(req, scope)) is not None:
                return bad
            per_page = int((req.query.get("per_page") or ["20"])[0])
            return Reply(200, {key: rows[:per_page], "links": {}, "meta": {"total": len(rows)}},
                         headers=_limits())
        fake.add("GET", path, handler)

    for path, (scope, key, rows) in _LISTS.items():
        listing(path, scope, key, rows)

    @fake.route("GET", "/v2/customers/my/balance")
    def balance(req: Request) -> Reply:
        if (bad := auth(req, "billing")) is not None:
            return bad
        return Reply(200, {"month_to_date_balance": "23.44", "account_balance": "12.23",
                           "month_to_date_usage": "11.21", "generated_at": "2026-11-25T11:00:00Z"},
                     headers=_limits())

    return fake
