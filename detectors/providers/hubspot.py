"""HubSpot private app access tokens: the account they open, and their scopes.

Formats: ``detectors/rules/hubspot.toml``. A private app token (``pat-<region>-<uuid>``) is sent as
``Authorization: Bearer`` to ``https://api.hubapi.com`` and reaches one HubSpot account with the
scopes its private app was given (developers.hubspot.com/docs/api/private-apps). Legacy API keys
(``hapikey``) stopped authenticating on 30 November 2022 (HubSpot changelog, "Upcoming sunset of
API keys"): reported dead from their format, never sent.

Lookup:
1. ``GET /account-info/v3/details`` (Account information API): ``portalId``, ``accountType``
   (``STANDARD``, ``SANDBOX``, ``DEVELOPER_TEST`` …), ``uiDomain``, ``dataHostingLocation``. HubSpot
   errors are ``{"status": "error", "message", "correlationId", "category"}``: 401
   ``INVALID_AUTHENTICATION`` (or ``EXPIRED_AUTHENTICATION``) is a dead token, 403 ``MISSING_SCOPES``
   a live one this call needs another scope for.
2. ``POST /oauth/v2/private-apps/get/access-token-info`` with ``{"tokenKey": <token>}`` (private apps
   guide, "View access token information"): documented as returning the token's ``userId``,
   ``hubId``, ``appId`` and ``scopes``; it reads, never changes, anything. The token travels in the
   body, never in a URL.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tokenreach.detectors.base import Detector, LookupUnavailable
from tokenreach.detectors.http import ProviderHTTP, json_object, json_of, refusal_detail
from tokenreach.detectors.rule_files import builtin, rules_for
from tokenreach.scanner.model import Access, Capability, Token

if TYPE_CHECKING:
    import httpx

PATTERNS = rules_for("hubspot")
_SPEC = builtin("hubspot")

DETAILS = "/account-info/v3/details"
TOKEN_INFO = "/oauth/v2/private-apps/get/access-token-info"

# Scopes that administer the account (users and teams, object schemas, workflows, apps) or its
# billing, beyond reading and writing records.
_ADMIN_PREFIXES = ("settings.users", "crm.schemas", "automation", "developer.", "settings.security")
_LEGACY_READ_WRITE = frozenset({"contacts", "content", "reports", "social", "forms", "files", "hubdb",
                                "tickets", "e-commerce", "timeline", "transactional-email", "automation",
                                "integration-sync", "sales-email-read", "forms-uploaded-files"})


def capabilities_of(scopes: list[str]) -> set[Capability]:
    caps: set[Capability] = set()
    for scope in scopes:
        if scope.endswith(".read") or ".read." in scope or scope == "sales-email-read":
            caps.add("read")
        elif scope.endswith(".write") or ".write." in scope:
            caps.update(("read", "write", "delete"))  # CRM write scopes also archive records
        elif scope in _LEGACY_READ_WRITE:
            caps.update(("read", "write"))
        if scope.startswith(_ADMIN_PREFIXES) and not scope.endswith(".read"):
            caps.add("admin")
        if "billing" in scope or scope.startswith("e-commerce"):
            caps.add("billing")
        if scope == "crm.export":
            caps.add("read")
    return caps


def _category(resp: httpx.Response) -> str:
    try:
        body = json_of(resp)
    except LookupUnavailable:
        return ""
    cat = body.get("category") if isinstance(body, dict) else None
    return cat if isinstance(cat, str) else ""


class HubSpotDetector(Detector):
    provider = "hubspot"
    title = _SPEC.name
    patterns = PATTERNS
    api_url = "https://api.hubapi.com"
    hosts = ("api.hubapi.com",)
    request_budget = 60
    revoke_url = _SPEC.revoke_url
    least_privilege = _SPEC.least_privilege

    def classify(self, token: Token) -> Access:
        access = Access(evidence="prefix")
        if token.kind == "legacy_api_key":
            access.live, access.evidence = False, "offline"
            return access.note("a legacy HubSpot API key: HubSpot stopped accepting API keys on 30 November "
                               "2022, so it no longer authenticates; remove it")
        region = token.secret.split("-")[1] if token.secret.count("-") > 1 else ""
        if region:
            access.facts["region"] = region
        return access.note(f"a private app access token (data centre {region or 'unknown'}): one account, "
                           "its app's scopes")

    def lookup(self, token: Token, http: ProviderHTTP, offline: Access) -> Access:
        access = offline
        headers = {"Authorization": f"Bearer {token.secret}"}
        resp = http.get(DETAILS, headers=headers)
        missing_scopes = resp.status_code == 403 and _category(resp) == "MISSING_SCOPES"
        why = {401: "invalid, expired or revoked", 403: "live, but this call needs a scope it lacks"}
        ok = http.settle(access, resp, DETAILS, forbidden={403} if missing_scopes else set(), why=why,
                         detail=refusal_detail(resp))
        if not access.live:
            return access
        access.reach = "account"
        if ok:
            body = json_object(resp)
            portal = body.get("portalId")
            if isinstance(portal, int):
                access.identity = f"HubSpot account {portal}"
                access.add_resources([str(body.get("uiDomain") or "app.hubspot.com") + f" ({portal})"])
            if isinstance(body.get("accountType"), str):
                access.facts["account_type"] = body["accountType"]
                if body["accountType"] in ("SANDBOX", "DEVELOPER_TEST", "APP_DEVELOPER"):
                    access.facts["environment"] = "development"
        self._scopes(http, token, headers, access)
        return access

    def _scopes(self, http: ProviderHTTP, token: Token, headers: dict[str, str], access: Access) -> None:
        try:
            resp = http.post_readonly(TOKEN_INFO, why="HubSpot documents it as returning a private app "
                                      "token's scopes", headers=headers, json_body={"tokenKey": token.secret})
            body = json_object(resp) if resp.status_code == 200 else None
        except LookupUnavailable as exc:
            access.note(f"scopes unavailable: {exc}")
            return
        scopes = body.get("scopes") if body else None
        if body is None or not isinstance(scopes, list):
            access.note(f"{TOKEN_INFO} answered HTTP {resp.status_code}: scopes unknown")
            return
        access.grants = sorted({s for s in scopes if isinstance(s, str)})
        access.capabilities = capabilities_of(access.grants)
        for key in ("hubId", "appId", "userId"):
            if isinstance(body.get(key), int):
                access.facts[key] = body[key]
        if access.identity is None and isinstance(body.get("hubId"), int):
            access.identity = f"HubSpot account {body['hubId']}"
        if isinstance(body.get("appId"), int):
            access.identity = f"{access.identity or 'HubSpot'}, private app {body['appId']}"
        access.note(f"{len(access.grants)} scope(s) on its private app")


detector = HubSpotDetector()
