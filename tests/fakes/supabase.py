"""Fake Supabase: the Management API (api.supabase.com/v1) and one project's gateway.

The operator override sends both hosts here: ``/v1/...`` answers as the Management API reference
documents (JSON arrays of projects and organizations, 401 for a bad token) and ``/rest/v1/``
as a project's API gateway (PostgREST's OpenAPI schema, 401 ``Invalid API key``).
"""

from __future__ import annotations

import base64
import json
from typing import Any

from tests.fakes.server import FakeServer, Reply, Request

REF = "abcdefghijklmnopqrst"
OTHER_REF = "zyxwvutsrqponmlkjihg"


def make_jwt(claims: dict[str, Any]) -> str:
    """An unsigned look-alike of a Supabase key: header.payload.signature, base64url."""
    def part(obj: Any) -> str:
        raw = obj if isinstance(obj, bytes) else json.dumps(obj, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")
    return ".".join([part({"alg": "HS256", "typ": "JWT"}), part(claims), part(b"synthetic-signature-0123")])


_TEN_YEARS = 2015576000  # 2033-11-14
SERVICE_ROLE = make_jwt({"iss": "supabase", "ref": REF, "role": "service_role", "iat": 1700000000,
                         "exp": _TEN_YEARS})
ANON = make_jwt({"iss": "supabase", "ref": REF, "role": "anon", "iat": 1700000000, "exp": _TEN_YEARS})
ROTATED = make_jwt({"iss": "supabase", "ref": OTHER_REF, "role": "service_role", "iat": 1600000000,
                    "exp": _TEN_YEARS})
EXPIRED = make_jwt({"iss": "supabase", "ref": REF, "role": "anon", "iat": 1500000000, "exp": 1600000000})
DEMO = make_jwt({"iss": "supabase-demo", "role": "service_role", "exp": 1983812996})
NO_REF = make_jwt({"iss": "supabase", "role": "service_role", "exp": _TEN_YEARS})

SECRET_KEY = "sb_secret_R3dH0tK3yF0rT3sts_x9YqZ2Lm"
PUBLISHABLE_KEY = "sb_publishable_PubL1shAbl3K3yZ_4bC7dE2f"

PAT = "sbp_" + "a1b2c3d4e5" * 4
PAT_REVOKED = "sbp_" + "0000000000" * 4
PAT_RATE_LIMITED = "sbp_" + "1111111111" * 4
PAT_SERVER_ERROR = "sbp_" + "2222222222" * 4
PAT_MALFORMED = "sbp_" + "3333333333" * 4

_PROJECTS = [
    {"id": REF, "ref": REF, "name": "shop-production", "organization_id": "acme",
     "region": "eu-central-1", "status": "ACTIVE_HEALTHY", "created_at": "2025-03-15T10:30:00Z"},
    {"id": OTHER_REF, "ref": OTHER_REF, "name": "shop-staging", "organization_id": "acme-labs",
     "region": "us-east-1", "status": "INACTIVE", "created_at": "2025-04-01T14:00:00Z"},
]
_ORGS = [{"id": "acme", "slug": "acme", "name": "Acme"}, {"id": "acme-labs", "slug": "acme-labs", "name": "Acme Labs"}]

_SCHEMA = {
    "swagger": "2.0",
    "info": {"title": "standard public schema", "version": "12.2.3"},
    "host": f"{REF}.supabase.co:443",
    "basePath": "/",
    "paths": {"/": {"get": {}}, "/orders": {"get": {}}, "/profiles": {"get": {}},
              "/rpc/refund_order": {"post": {}}},
}


def make() -> FakeServer:
    fake = FakeServer()

    @fake.route("GET", "/v1/projects")
    def projects(req: Request) -> Reply:
        tok = req.bearer()
        if tok == PAT:
            return Reply(200, _PROJECTS)
        if tok == PAT_RATE_LIMITED:
            return Reply(429, {"message": "Too many requests"}, headers={"Retry-After": "120"})
        if tok == PAT_SERVER_ERROR:
            return Reply(503, "upstream connect error")
        if tok == PAT_MALFORMED:
            return Reply(200, {"projects": "not a list"})
        return Reply(401, {"message": "Unauthorized"})

    @fake.route("GET", "/v1/organizations")
    def organizations(req: Request) -> Reply:
        if req.bearer() == PAT:
            return Reply(200, _ORGS)
        return Reply(401, {"message": "Unauthorized"})

    # Which project each key belongs to: a key sent to another project's host is refused.
    key_project = {SERVICE_ROLE: REF, ANON: REF, SECRET_KEY: REF}

    @fake.route("GET", "/rest/v1/")
    def rest_root(req: Request) -> Reply:
        key = req.header("apikey") or ""
        host = req.header("x-tokenreach-target-host")  # set by tokenreach when a base URL is overridden
        if host is None or not host.endswith(".supabase.co"):
            return Reply(404, {"message": "no Route matched with those values"})
        bearer_ok = req.bearer() == key if key.startswith("eyJ") else req.bearer() is None
        if key_project.get(key) == host.removesuffix(".supabase.co") and bearer_ok:
            return Reply(200, _SCHEMA, headers={"Content-Type": "application/openapi+json"})
        return Reply(401, {"message": "Invalid API key",
                           "hint": "Double check your Supabase `anon` or `service_role` API key."})

    return fake
