"""Anthropic (Claude API) keys.

Formats (providers.md B.9; "Get your Claude API key", platform.claude.com/docs/en/get-api-key, and
the Admin API overview, docs.anthropic.com/en/docs/administration/administration-api, give the prefixes
``sk-ant-api03-…`` and ``sk-ant-admin…``; the 93 + ``AA`` body is not documented, it is the shape
keys have in public code): ``sk-ant-api03-`` + 93 + ``AA`` is a standard key, scoped to one workspace
with no finer permissions; ``sk-ant-admin01-`` + 93 + ``AA`` is an Admin API key that manages the
whole organization. ``sk-ant-oat01-``/``sk-ant-ort01-`` OAuth access and refresh tokens are
detected from their format only (their body is not documented, and a refresh token must never be
redeemed).

Standard keys are checked with ``GET /v1/models`` (free; ``x-api-key`` + ``anthropic-version``),
admin keys with the Admin API's read endpoints (platform.claude.com, "Admin API"):
``/v1/organizations/api_keys``, ``/users`` and ``/workspaces``. A Messages request would spend
money and is never sent.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from tokenreach.detectors.base import Detector, LookupUnavailable
from tokenreach.detectors.http import ProviderHTTP, json_object
from tokenreach.detectors.rule_files import rules_for
from tokenreach.scanner.model import Access, Token

PATTERNS = rules_for("anthropic")

ANTHROPIC_VERSION = "2023-06-01"


def _headers(token: Token) -> dict[str, str]:
    return {"x-api-key": token.secret, "anthropic-version": ANTHROPIC_VERSION}


def _error_type(resp: Any) -> str | None:
    """The ``error.type`` of an error answer in parentheses, for its note; None for a success."""
    if resp.is_success:
        return None
    try:
        body = json_object(resp)
    except LookupUnavailable:
        return None
    error = body.get("error")
    kind = str(error.get("type") or "") if isinstance(error, dict) else ""
    return f"({kind})" if kind else None


def _list(resp: Any, what: str) -> tuple[list[dict[str, Any]], bool]:
    """``data`` of an Anthropic list page (dict items only) and its ``has_more``."""
    body = json_object(resp)
    data = body.get("data")
    if not isinstance(data, list):
        raise LookupUnavailable(f"{what} answered 200 without a data list")
    return [d for d in data if isinstance(d, dict)], body.get("has_more") is True


class AnthropicDetector(Detector):
    provider = "anthropic"
    title = "Anthropic"
    patterns = PATTERNS
    api_url = "https://api.anthropic.com"
    hosts = ("api.anthropic.com",)
    request_budget = 60
    revoke_url = "https://console.anthropic.com/settings/keys"
    least_privilege = (
        "create a workspace API key in a workspace with a spend limit; never keep an admin key where code"
        " runs"
    )

    def classify(self, token: Token) -> Access:
        access = Access(evidence="prefix")
        kind = token.kind or "api_key"
        access.facts["key_type"] = kind
        if kind == "api_key":
            access.reach = "project"
            access.note("sk-ant-api03- key: one workspace's inference, files and batches; Anthropic "
                        "keys have no finer permissions")
        elif kind == "admin_key":
            access.reach = "organization"
            access.capabilities = {"read", "write", "delete", "admin"}
            access.note("sk-ant-admin01- Admin API key: manages users, workspaces and API keys org-wide")
        elif kind == "oauth_token":
            refresh = token.extras.get("oauth") == "ort"
            access.facts["refresh_token"] = refresh
            access.reach = "account"
            access.note("OAuth refresh token of a Claude account: never redeemed, since that rotates it"
                        if refresh else
                        "OAuth access token of a Claude account (e.g. Claude Code): acts as that person")
        return access

    def lookup(self, token: Token, http: ProviderHTTP, offline: Access) -> Access:
        if token.kind == "admin_key":
            return self._admin(token, http, offline)
        access = offline
        resp = http.get("/v1/models", headers=_headers(token))
        if not http.settle(access, resp, "GET /v1/models", detail=_error_type(resp)):
            return access
        models, _ = _list(resp, "GET /v1/models")
        access.reach = "project"
        access.capabilities = {"read", "write", "delete", "billing"}
        access.facts["models_visible"] = len(models)
        _organization(access, resp)
        access.note("a live workspace key: can send model requests billed to the organization and "
                    "read, create and delete the workspace's files and message batches")
        self._batches(token, http, access)
        return access

    def _batches(self, token: Token, http: ProviderHTTP, access: Access) -> None:
        """Whether the workspace holds message batches, whose results the key can read."""
        try:
            resp = http.get("/v1/messages/batches", headers=_headers(token), params={"limit": 1})
            if resp.status_code != 200:
                access.note(f"GET /v1/messages/batches answered HTTP {resp.status_code}")
                return
            batches, _ = _list(resp, "GET /v1/messages/batches")
        except LookupUnavailable as exc:
            access.note(f"message batches unknown: {exc}")
            return
        access.facts["has_batches"] = bool(batches)
        if batches:
            access.note("the workspace holds message batches: their prompts' results are readable")

    def _admin(self, token: Token, http: ProviderHTTP, offline: Access) -> Access:
        access = offline
        headers = _headers(token)
        resp = http.get("/v1/organizations/api_keys", headers=headers, params={"limit": 100})
        if not http.settle(access, resp, "GET /v1/organizations/api_keys", detail=_error_type(resp)):
            return access
        keys, more_keys = _list(resp, "GET /v1/organizations/api_keys")
        access.reach = "organization"
        access.capabilities = {"read", "write", "delete", "admin", "billing"}
        _organization(access, resp)
        status = Counter(str(k.get("status") or "unknown") for k in keys)
        access.facts["api_keys"] = dict(status) | ({"more": True} if more_keys else {})
        access.note(f"a live Admin API key: sees {len(keys)}{'+' if more_keys else ''} API keys "
                    f"({status.get('active', 0)} active), can disable them, manage users and "
                    "workspaces, and read usage and cost reports")

        try:
            users_resp = http.get("/v1/organizations/users", headers=headers, params={"limit": 100})
            if users_resp.status_code == 200:
                users, more_users = _list(users_resp, "GET /v1/organizations/users")
                roles = Counter(str(u.get("role") or "unknown") for u in users)
                access.facts["user_roles"] = dict(roles)
                admins = [str(u.get("email") or u.get("id")) for u in users if u.get("role") == "admin"]
                if admins:
                    access.facts["admins"] = admins
                access.note(f"organization has {len(users)}{'+' if more_users else ''} users")
            else:
                access.note(f"GET /v1/organizations/users answered HTTP {users_resp.status_code}")
            ws_resp = http.get("/v1/organizations/workspaces", headers=headers, params={"limit": 100})
            if ws_resp.status_code == 200:
                workspaces, more_ws = _list(ws_resp, "GET /v1/organizations/workspaces")
                names = [f"workspace {w.get('name') or w.get('id')}" for w in workspaces
                         if not w.get("archived_at")]
                access.add_resources(names, None if more_ws else len(names))
            else:
                access.note(f"GET /v1/organizations/workspaces answered HTTP {ws_resp.status_code}")
        except LookupUnavailable as exc:  # liveness is settled; only the details are missing
            access.note(f"organization details incomplete: {exc}")
        return access


def _organization(access: Access, resp: Any) -> None:
    """Anthropic responses name the organization in the ``anthropic-organization-id`` header."""
    org = resp.headers.get("anthropic-organization-id")
    if org:
        access.facts["organization_id"] = org
        access.identity = f"organization {org}"


detector = AnthropicDetector()
