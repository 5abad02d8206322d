"""Fastly API tokens.

Format: ``detectors/rules/fastly.toml`` (32 base64url characters with no prefix, named Fastly in
its assignment). Sent in the ``Fastly-Key`` header.

Lookup (Fastly's API reference, fastly.com/documentation/reference/api/auth-tokens/user/ and
…/auth-tokens/automation/; the TokenResponse and User models of its published API clients):

- ``GET https://api.fastly.com/tokens/self`` ("Get the current token"): the token's own ``id``,
  ``name``, ``user_id``, ``customer_id``, ``scope`` (space-delimited), ``services`` (service IDs; none
  means every service of the account), ``expires_at``; an automation token also has its ``role``.
- ``GET https://api.fastly.com/current_user``: the user a user token acts as, with its ``role``.

An expired or revoked token gets 401 ("After a token expires, using it for any request will return
an HTTP 401 response"); a token whose scope or role does not allow an endpoint gets 403.

Vocabulary: scopes ``global`` (every capability of the user's role), ``global:read`` (read-only
access to account information, configuration and stats), ``purge_select`` (purge by URL and
surrogate key) and ``purge_all`` (purge a whole service); roles ``user`` (read-only), ``billing``,
``engineer`` (configures services) and ``superuser`` (manages users, tokens and billing). A token
limited to services still reaches the account's non-service endpoints with ``global`` or
``global:read``.
"""

from __future__ import annotations

from typing import Any

from tokenreach.detectors.base import Detector, LookupUnavailable
from tokenreach.detectors.http import ProviderHTTP, json_object, refusal_detail
from tokenreach.detectors.rule_files import builtin, rules_for
from tokenreach.scanner.model import Access, Capability, Token

PATTERNS = rules_for("fastly")
_SPEC = builtin("fastly")

SELF = "/tokens/self"
CURRENT_USER = "/current_user"

_ROLE_CAPS: dict[str, frozenset[Capability]] = {
    "user": frozenset({"read"}),
    "billing": frozenset({"read", "billing"}),
    "engineer": frozenset({"read", "write", "delete"}),
    "superuser": frozenset({"read", "write", "delete", "admin", "billing"}),
}
# What a scope allows whatever the role (global is the role's own set).
_SCOPE_CAPS: dict[str, frozenset[Capability]] = {
    "global:read": frozenset({"read"}),
    "purge_select": frozenset({"write"}),
    # Purging a whole service empties its cache at once: every request then hits the origin.
    "purge_all": frozenset({"write", "delete"}),
}


def capabilities_of(scopes: list[str], role: str | None) -> set[Capability]:
    """Capabilities of a token with these scopes, held by a user (or automation token) of ``role``.
    An unknown role leaves ``global`` at what it allows the least privileged role."""
    caps: set[Capability] = set()
    for scope in scopes:
        if scope == "global":
            caps |= _ROLE_CAPS.get(role or "", frozenset({"read"}))
        else:
            caps |= _SCOPE_CAPS.get(scope, frozenset())
    return caps


class FastlyDetector(Detector):
    provider = "fastly"
    title = _SPEC.name
    patterns = PATTERNS
    api_url = "https://api.fastly.com"
    hosts = ("api.fastly.com",)
    request_budget = 60
    revoke_url = _SPEC.revoke_url
    least_privilege = _SPEC.least_privilege
    # 403: authenticated, but the token's scope or its user's role does not allow the endpoint.
    forbidden_statuses = frozenset({403})

    def lookup(self, token: Token, http: ProviderHTTP, offline: Access) -> Access:
        access = offline
        headers = {"Fastly-Key": token.secret}
        resp = http.get(SELF, headers=headers)
        if not http.settle(access, resp, SELF, detail=refusal_detail(resp, "msg"),
                           why={403: "live, but may not read its own token record"}):
            return access
        body = json_object(resp)
        scope = body.get("scope")
        scopes = scope.split() if isinstance(scope, str) else []
        if not scopes:
            return access.unknown(f"{SELF} answered 200 without a scope")
        access.grants = sorted(scopes)
        expires = body.get("expires_at")
        if isinstance(expires, str) and expires:
            access.expires_at = expires
        for key in ("customer_id", "user_id"):
            if isinstance(body.get(key), str):
                access.facts[key] = body[key]
        name = body.get("name") if isinstance(body.get("name"), str) else None

        role = body.get("role") if isinstance(body.get("role"), str) else None
        if role is not None:
            access.facts["automation_token"] = True
            access.identity = f"automation token {name}" if name else "automation token"
        elif {"global", "global:read"} & set(scopes):
            role = _current_user(access, http, headers, name)
        if role is not None:
            access.facts["role"] = role
            access.grants.append(f"role:{role}")
        if "global" in scopes and role is None:
            access.facts["capabilities_lower_bound"] = True
            access.note("global scope: every capability of its user's role, which could not be read")
        access.capabilities = capabilities_of(scopes, role)

        services = [s for s in body.get("services") or [] if isinstance(s, str)]
        if services:
            access.add_resources([f"service {s}" for s in services], len(services))
            account_wide = bool({"global", "global:read"} & set(scopes))
            access.reach = "account" if account_wide else "resource"
            access.note(f"limited to {len(services)} service(s)"
                        + ("; global scopes still reach the account's other endpoints" if account_wide else ""))
        else:
            access.reach = "account"
            access.note("no service limit: reaches every service of the account")
        if "purge_all" in scopes or ("global" in scopes and "delete" in access.capabilities):
            access.note("can purge whole services, sending all their traffic to the origin")
        if role == "superuser" and "global" in scopes:
            access.note("can manage the account's users, tokens and billing (superuser, global scope)")
        return access


def _current_user(access: Access, http: ProviderHTTP, headers: dict[str, str], name: str | None) -> str | None:
    """The role of the user a user token acts as; None when it cannot be read. Liveness stays."""
    try:
        resp = http.get(CURRENT_USER, headers=headers)
        body: dict[str, Any] = json_object(resp) if resp.status_code == 200 else {}
    except LookupUnavailable as exc:
        access.note(f"user's role not read: {exc}")
        return None
    if resp.status_code != 200:
        access.note(f"{CURRENT_USER} answered HTTP {resp.status_code}: user's role unknown")
        return None
    login = body.get("login") if isinstance(body.get("login"), str) else None
    token_name = f" (token {name})" if name else ""
    access.identity = f"{login}{token_name}" if login else access.identity
    role = body.get("role")
    if body.get("limit_services") is True:
        access.note("its user is limited to the services granted to them")
    return role if isinstance(role, str) and role else None


detector = FastlyDetector()
