"""Auth0 Management API tokens, looked up on the tenant their own claims name; client secrets are
reported, not looked up.

Formats: ``detectors/rules/auth0.toml``. A Management API access token is a JWT the tenant signs
(auth0.com/docs/secure/tokens/access-tokens/management-api-access-tokens): ``aud`` is the tenant's
Management API, ``https://<tenant>[.<region>].auth0.com/api/v2/``, ``scope`` lists its Management
API scopes (``read:users``, ``create:clients`` …: auth0.com/docs/api/management/v2 names the scope
each endpoint requires), ``azp`` is the machine-to-machine application it was issued to, ``exp``
its expiry. The tenant to ask is taken from the token's own ``aud``, which is bound to the token by
construction, and only when it is a ``*.auth0.com`` host; a token for another API, or a custom
domain, is not looked up.

Lookup: ``GET /api/v2/tenants/settings?fields=friendly_name&include_fields=true`` ("Get tenant
settings", scope ``read:tenant_settings``). Auth0 checks the signature and expiry before the scope:
401 ``{"statusCode": 401, "error": "Unauthorized", "message": "Invalid token"}`` (or "Expired token
received for JSON Web Token validation") is a dead token; 403 ``{"errorCode":
"insufficient_scope", "message": "Insufficient scope, expected any of: read:tenant_settings"}`` is
a live token without that scope (Auth0 support, "Management API Token … does not contain expected
scopes"). Its rights are then its signed ``scope`` claim, verbatim.

A client secret is usable only through ``POST /oauth/token``, which issues a new token (a write,
and it counts against the tenant's machine-to-machine token quota): never sent.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timezone
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from tokenreach.detectors import jwt
from tokenreach.detectors.base import Detector, LookupUnavailable
from tokenreach.detectors.http import ProviderHTTP, json_object, json_of, refusal_detail
from tokenreach.detectors.rule_files import builtin, rules_for
from tokenreach.detectors.tenant import refuse_private
from tokenreach.scanner.model import Access, Capability, Token

if TYPE_CHECKING:
    import httpx

PATTERNS = tuple(replace(p, lookup=False) if p.kind == "client_secret" else p for p in rules_for("auth0"))
_SPEC = builtin("auth0")

_TENANT = re.compile(r"[a-z0-9][a-z0-9-]{0,62}(?:\.[a-z]{2}(?:-[0-9])?)?\.auth0\.com")
# Auth0's own sites under auth0.com, never a tenant.
_NOT_TENANTS = frozenset({"www", "manage", "community", "support", "marketplace", "cdn", "status", "login"})
SETTINGS = "/api/v2/tenants/settings"

# Resources whose creation, change or deletion administers the tenant: applications and their
# credentials, APIs, connections, code that runs at login, signing keys, roles, tenant settings.
_ADMIN_RESOURCES = frozenset({
    "clients", "client_grants", "client_keys", "client_credentials", "resource_servers", "connections",
    "rules", "rules_configs", "actions", "hooks", "tenant_settings", "custom_domains", "signing_keys",
    "roles", "role_members", "email_provider", "email_templates", "guardian_factors", "log_streams",
    "attack_protection", "branding", "prompts", "organizations", "organization_members",
    "organization_member_roles",
})
# Reads that return secrets: applications' client secrets and keys, rule configuration values, and
# connections' options (the identity providers' client secrets).
_SECRET_READS = frozenset({"read:client_keys", "read:client_credentials", "read:rules_configs",
                           "read:connections"})
_VERBS: dict[str, tuple[Capability, ...]] = {
    "read": ("read",), "create": ("write",), "update": ("write",), "delete": ("delete",),
    "blacklist": ("write",),
}


def capabilities_of(scopes: list[str]) -> set[Capability]:
    caps: set[Capability] = set()
    for scope in scopes:
        verb, _, resource = scope.partition(":")
        caps.update(_VERBS.get(verb, ()))
        if verb in ("create", "update", "delete") and resource in _ADMIN_RESOURCES:
            caps.add("admin")
        if scope in _SECRET_READS:
            caps.add("secrets")
    return caps


def management_tenant(payload: dict[str, object]) -> str | None:
    """The ``<tenant>.auth0.com`` host whose Management API the token's ``aud`` names, or None."""
    aud = payload.get("aud")
    for value in aud if isinstance(aud, list) else [aud]:
        if not isinstance(value, str):
            continue
        parts = urlsplit(value)
        host = (parts.hostname or "").lower()
        if (parts.scheme == "https" and parts.path.rstrip("/") == "/api/v2" and _TENANT.fullmatch(host)
                and host.split(".")[0] not in _NOT_TENANTS):
            return host
    return None


class Auth0Detector(Detector):
    provider = "auth0"
    title = _SPEC.name
    patterns = PATTERNS
    api_url = None  # every tenant has its own host, named by the token's own aud claim
    host_suffixes = (".auth0.com",)
    request_budget = 40  # the Management API's rate limit is per tenant and small on free plans
    revoke_url = _SPEC.revoke_url
    least_privilege = _SPEC.least_privilege

    def classify(self, token: Token) -> Access:
        access = Access(evidence="prefix")
        if token.kind == "client_secret":
            return access.note("an application's client secret: with its client ID it obtains tokens for "
                               "every API the application is authorised for; not looked up (only the "
                               "token endpoint accepts it, and that issues a token)")
        payload = jwt.claims(token.secret)
        if payload is None:
            return access.note("looks like a JWT but does not decode")
        access.evidence = "offline"
        scope = payload.get("scope")
        scopes = sorted(set(scope.split())) if isinstance(scope, str) else []
        access.grants = scopes
        access.capabilities = capabilities_of(scopes)
        access.expires_at = jwt.expiry(payload)
        tenant = management_tenant(payload)
        if tenant:
            access.facts["tenant"] = tenant
            access.reach = "account"
            access.add_resources([tenant])
        else:
            access.note("its aud claim names no <tenant>.auth0.com Management API: not looked up")
        if isinstance(payload.get("azp"), str):
            access.facts["client_id"] = payload["azp"]
        if isinstance(payload.get("gty"), str):
            access.facts["grant_type"] = payload["gty"]
        access.note(f"scope claim: {len(scopes)} Management API scope(s)")
        exp = payload.get("exp")
        if isinstance(exp, (int, float)) and not isinstance(exp, bool) and exp < datetime.now(timezone.utc).timestamp():
            access.live = False
            access.note(f"expired at {access.expires_at} (exp claim)")
        return access

    def lookup(self, token: Token, http: ProviderHTTP, offline: Access) -> Access:
        access = offline
        tenant = access.facts.get("tenant")
        if token.kind != "management_token" or not isinstance(tenant, str):
            return access.unknown("not looked up: no <tenant>.auth0.com Management API audience in the token")
        if refuse_private(http, tenant, access):
            return access
        headers = {"Authorization": f"Bearer {token.secret}"}
        resp = http.get(SETTINGS, host=tenant, headers=headers,
                        params={"fields": "friendly_name", "include_fields": "true"})
        insufficient = resp.status_code == 403 and _error_code(resp) == "insufficient_scope"
        why = {401: "invalid, expired or revoked", 403: "live, without the read:tenant_settings scope"}
        ok = http.settle(access, resp, f"{SETTINGS} on {tenant}", forbidden={403} if insufficient else set(),
                         why=why, detail=refusal_detail(resp))
        if not access.live:
            return access
        name = json_object(resp).get("friendly_name") if ok else None
        client = access.facts.get("client_id")
        who = f"application {client}" if isinstance(client, str) else "a Management API token"
        access.identity = f"{who} on {name} ({tenant})" if isinstance(name, str) and name else f"{who} on {tenant}"
        access.note("the tenant accepts it: its rights are its signed scope claim")
        return access


def _error_code(resp: httpx.Response) -> str:
    try:
        body = json_of(resp)
    except LookupUnavailable:
        return ""
    code = body.get("errorCode") if isinstance(body, dict) else None
    return code if isinstance(code, str) else ""


detector = Auth0Detector()
