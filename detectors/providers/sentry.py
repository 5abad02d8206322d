"""Sentry auth tokens: organization tokens (``sntrys_``) and user tokens (``sntryu_``, 64 hex).

Formats: ``detectors/rules/sentry.toml``. An organization token carries, base64 JSON between
``sntrys_`` and its last ``_``, the ``org`` it belongs to, the Sentry ``url`` and its ``region_url``
(docs.sentry.io/account/auth-tokens/): decoded offline.

Lookup, ``Authorization: Bearer``: ``GET /api/0/``, the API root, which answers any token with its
``auth.scopes`` and, for a user token, the ``user`` (getsentry/sentry
``src/sentry/api/endpoints/index.py``; what ``sentry-cli info`` prints to "verify authentication").
401 ``{"detail": …}`` is an invalid, expired or revoked token. With ``org:read``, a user token's
organizations come from ``GET /api/0/organizations/`` ("List your Organizations").

Hosts: sentry.io and its regions (us.sentry.io, de.sentry.io: "Choosing the Right API Base
Domain"). A token whose payload, ``SENTRY_URL`` or ``.sentryclirc`` ``url`` names another host belongs
to a self-hosted Sentry and is not looked up unless ``TOKENREACH_SENTRY_API_URL`` is set.

Scopes (docs.sentry.io/api/permissions/): ``<resource>:read|write|admin`` for ``org``, ``project``,
``team``, ``member``, ``event``, ``alerts``; ``project:releases``; ``org:ci`` (organization tokens:
releases and source maps only); ``org:integrations``; ``member:invite``.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any
from urllib.parse import urlsplit

from tokenreach.detectors.base import Detector
from tokenreach.detectors.http import ProviderHTTP, json_object, refusal_detail
from tokenreach.detectors.rule_files import builtin, rules_for
from tokenreach.scanner.model import Access, Capability, Token

PATTERNS = rules_for("sentry")
_SPEC = builtin("sentry")

SAAS_HOSTS = ("sentry.io", "us.sentry.io", "de.sentry.io")
ROOT = "/api/0/"
ORGANIZATIONS = "/api/0/organizations/"

_ACTIONS: dict[str, tuple[Capability, ...]] = {
    "read": ("read",),
    "write": ("read", "write"),
    "admin": ("read", "write", "delete", "admin"),
    "releases": ("write",),
    "ci": ("write",),
    "invite": ("write",),
    "integrations": ("write", "admin"),
}
_ORG_WIDE = {"org:admin", "org:write", "member:admin", "member:write", "team:admin", "org:integrations"}


def capabilities_of(scopes: list[str]) -> set[Capability]:
    caps: set[Capability] = set()
    for scope in scopes:
        resource, _, action = scope.partition(":")
        caps.update(_ACTIONS.get(action, ()))
        if resource == "event" and action == "admin":
            caps.add("delete")
        if "billing" in scope:
            caps.add("billing")
    return caps


def org_token_payload(secret: str) -> dict[str, Any]:
    """The JSON an organization token carries (``org``, ``url``, ``region_url``, ``iat``); {} if none."""
    if not secret.startswith("sntrys_"):
        return {}
    encoded = secret[len("sntrys_"):].rsplit("_", 1)[0]
    try:
        data = json.loads(base64.b64decode(encoded + "=" * (-len(encoded) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def _host(url: object) -> str | None:
    if not isinstance(url, str) or not url:
        return None
    host = urlsplit(url if "://" in url else f"https://{url}").hostname
    return host.lower() if host else None


class SentryDetector(Detector):
    provider = "sentry"
    title = _SPEC.name
    patterns = PATTERNS
    api_url = "https://sentry.io"
    hosts = SAAS_HOSTS
    request_budget = 60
    revoke_url = _SPEC.revoke_url
    least_privilege = _SPEC.least_privilege
    # Where a user token is used: SENTRY_URL, or url = in a .sentryclirc [defaults] section.
    context_patterns = {"sentry_url": r"(?im)(?:\bSENTRY_URL\s*[=:]\s*[\"']?|^[ \t]*url[ \t]*=[ \t]*)"
                                      r"(https?://[A-Za-z0-9.:-]{3,200})"}

    def classify(self, token: Token) -> Access:
        access = Access(evidence="prefix")
        payload = org_token_payload(token.secret)
        if payload:
            access.evidence = "offline"
            org = payload.get("org")
            if isinstance(org, str) and org:
                access.identity = f"organization {org}"
                access.facts["organization"] = org
                access.add_resources([org])
            access.reach = "organization"
            access.note("an organization auth token: its payload names the organization; such tokens carry "
                        "the org:ci scope (releases and source maps)")
        elif token.kind == "user_auth_token":
            access.note("a user auth token: acts as its user, with the scopes chosen at creation")
        host = self._host_of(token)
        if host and host not in SAAS_HOSTS:
            access.note(f"issued by {host}: a self-hosted Sentry")
        return access

    def _host_of(self, token: Token) -> str | None:
        """The Sentry host this token belongs to, as its payload or the text around it names it."""
        payload = org_token_payload(token.secret)
        for url in (payload.get("region_url"), payload.get("url"), token.context.get("sentry_url")):
            if (host := _host(url)) is not None:
                return host
        return None

    def lookup(self, token: Token, http: ProviderHTTP, offline: Access) -> Access:
        access = offline
        host = self._host_of(token)
        if host and host not in SAAS_HOSTS and not http.overridden:
            return access.unknown("not looked up: self-hosted instance (Sentry)")
        target = host if host in SAAS_HOSTS else None
        headers = {"Authorization": f"Bearer {token.secret}"}
        resp = http.get(ROOT, host=target, headers=headers)
        if not http.settle(access, resp, ROOT, detail=refusal_detail(resp, "detail")):
            return access
        body = json_object(resp)
        auth = body.get("auth")
        scopes = auth.get("scopes") if isinstance(auth, dict) else None
        if not isinstance(scopes, list) or not all(isinstance(s, str) for s in scopes):
            # The root answers an unauthenticated request too, with "auth": null.
            return access.unknown(f"{ROOT} answered without the token's scopes: it was not taken as authenticated")
        access.grants = sorted(scopes)
        access.capabilities = capabilities_of(scopes)
        access.note(f"{ROOT} lists {len(scopes)} scope(s): {', '.join(sorted(scopes)) or 'none'}")
        user = body.get("user")
        if isinstance(user, dict):
            name, email = user.get("name") or user.get("username"), user.get("email")
            if name or email:
                access.identity = f"{name} <{email}>" if name and email else str(name or email)
            if user.get("isSuperuser") is True:
                access.facts["superuser"] = True
                access.capabilities.add("admin")
                access.note("isSuperuser: the user administers the whole Sentry installation")
        if token.kind == "org_auth_token":
            access.reach = "organization"
        else:
            access.reach = "organization" if _ORG_WIDE & set(scopes) else "account"
            if "org:read" in scopes:
                http.list_resources(access, ORGANIZATIONS, host=target, headers=headers)
        if {"project:admin", "org:admin"} & set(scopes):
            access.note("can delete projects" + (" and the organization" if "org:admin" in scopes else ""))
        return access


detector = SentryDetector()
