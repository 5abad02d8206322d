"""Atlassian API tokens (Jira, Confluence), looked up on the site they are bound to.

Format: ``detectors/rules/atlassian.toml`` (``ATATT3…``). A token authenticates as HTTP Basic with
its account's e-mail address (support.atlassian.com/atlassian-account/docs/
manage-api-tokens-for-your-atlassian-account/), on the account's own site
``https://<site>.atlassian.net`` for a classic token, and only through the API gateway
``https://api.atlassian.com/ex/jira/<cloudId>`` for a token with scopes (same page; a scoped token
sent to the site answers 401, KB "Scoped API Tokens in Confluence Cloud"). So a token is looked up
only when the text binds both an e-mail and a ``<site>.atlassian.net`` (or a gateway URL naming the
cloud ID) to it: the same URL or line, or the one assigned in its configuration block.

Lookup, all GETs:
1. ``/rest/api/3/myself`` on the site (Jira "Get current user": ``accountId``, ``emailAddress``,
   ``displayName``, ``active``; 401 "authentication credentials are incorrect or missing").
   A 200 is a classic token, which acts as its user with every right the user has, in every
   Atlassian app of every site the user belongs to. A site without Jira answers 404: then
   Confluence's ``/wiki/rest/api/user/current?expand=operations`` (``type`` ``known``, and the
   ``operations`` the user may perform: ``administer``, ``create`` …).
2. A 401 may be a revoked token or a scoped one: the site's cloud ID (``/_edge/tenant_info``,
   unauthenticated, KB "How to find your Atlassian Cloud site's Cloud ID"), then
   ``/ex/jira/<cloudId>/rest/api/3/myself`` on the gateway. 401 there too is invalid, expired or
   revoked, unless the gateway says ``scope does not match`` (a live token without the
   ``read:jira-user`` scope).
3. ``/rest/api/3/mypermissions?permissions=…`` (Jira "Get my permissions"): whether the user holds
   each global permission, and each project permission "in any project" (developer.atlassian.com/
   cloud/jira/platform/rest/v3/api-group-permissions/). No API lists a scoped token's scopes: its
   rights are the user's, bounded by scopes that stay unknown.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from tokenreach.detectors.base import Detector, LookupUnavailable
from tokenreach.detectors.http import ProviderHTTP, json_object
from tokenreach.detectors.rule_files import builtin, rules_for
from tokenreach.scanner.model import Access, Capability, Token

if TYPE_CHECKING:
    import httpx

PATTERNS = rules_for("atlassian")
_SPEC = builtin("atlassian")

_SITE = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")
_CLOUD_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,24}")

MYSELF = "/rest/api/3/myself"
MYPERMISSIONS = "/rest/api/3/mypermissions"
CONFLUENCE_USER = "/wiki/rest/api/user/current"

# Jira permission keys asked for, and what holding each one means.
_PERMISSIONS: dict[str, tuple[Capability, ...]] = {
    "BROWSE_PROJECTS": ("read",),
    "CREATE_ISSUES": ("write",),
    "EDIT_ISSUES": ("write",),
    "DELETE_ISSUES": ("delete",),
    "ADMINISTER_PROJECTS": ("admin",),
    "ADMINISTER": ("admin",),
    "SYSTEM_ADMIN": ("admin",),
}
_SITE_ADMIN = ("ADMINISTER", "SYSTEM_ADMIN")
_CONFLUENCE_OPERATIONS: dict[str, tuple[Capability, ...]] = {
    "use": ("read",), "read": ("read",), "create": ("write",), "update": ("write",),
    "delete": ("delete",), "administer": ("admin",),
}


class AtlassianDetector(Detector):
    provider = "atlassian"
    title = _SPEC.name
    patterns = PATTERNS
    api_url = "https://api.atlassian.com"  # the gateway scoped tokens must use
    hosts = ("api.atlassian.com",)
    host_suffixes = (".atlassian.net",)  # <site>.atlassian.net, bound to the token
    request_budget = 60
    revoke_url = _SPEC.revoke_url
    least_privilege = _SPEC.least_privilege
    context_patterns = {
        "site": r"(?i)\b([a-z0-9][a-z0-9-]{0,62})\.atlassian\.net\b",
        "cloud_id": r"(?i)api\.atlassian\.com/ex/(?:jira|confluence)/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-"
                    r"[0-9a-f]{4}-[0-9a-f]{12})",
        "email": r"\b([A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,24})\b",
    }
    bound_context = frozenset({"site", "cloud_id", "email"})

    def classify(self, token: Token) -> Access:
        access = Access(evidence="prefix")
        access.note("an Atlassian account API token (ATATT3 prefix): authenticates as its user, with the "
                    "account's e-mail, on Jira, Confluence and Bitbucket")
        return access

    def lookup(self, token: Token, http: ProviderHTTP, offline: Access) -> Access:
        access = offline
        email = token.context.get("email", "")
        site = token.context.get("site", "").lower()
        cloud_id = token.context.get("cloud_id", "").lower()
        if not _EMAIL.fullmatch(email):
            return access.unknown("not looked up: no e-mail address bound to the token (the same URL or "
                                  "line, or assigned in its configuration block)")
        if not _SITE.fullmatch(site) and not _CLOUD_ID.fullmatch(cloud_id):
            return access.unknown("not looked up: no <site>.atlassian.net bound to the token (the same URL "
                                  "or line, or assigned in its configuration block)")
        auth = (email, token.secret)
        if _SITE.fullmatch(site):
            host = f"{site}.atlassian.net"
            resp = http.get(MYSELF, host=host, auth=auth)
            if resp.status_code == 404:  # no Jira on this site
                return self._confluence(http, host, auth, access)
            if resp.status_code != 401:
                if not http.settle(access, resp, f"{MYSELF} on {host}"):
                    return access
                access.facts["token_type"] = "classic"
                access.note(f"{host} accepts it: a classic token, with every right its user has in every "
                            "Atlassian app and site the user belongs to")
                self._user(json_object(resp), access)
                self._permissions(http, MYPERMISSIONS, auth, access, host=host)
                return access
            # 401: revoked, or a token with scopes, which only the gateway accepts.
            access.note(f"{MYSELF} on {host} answered 401: revoked, or a token with scopes; asking the API "
                        "gateway")
            if not _CLOUD_ID.fullmatch(cloud_id):
                found = self._cloud_id(http, host, access)
                if found is None:
                    return access.unknown("the site's cloud ID is unknown: a token with scopes cannot be told "
                                          "from a revoked one")
                cloud_id = found
        return self._scoped(http, cloud_id, auth, access)

    def _cloud_id(self, http: ProviderHTTP, host: str, access: Access) -> str | None:
        """The site's cloud ID, for a token the site refused (revoked, or scoped)."""
        try:
            resp = http.get("/_edge/tenant_info", host=host)
            found = json_object(resp).get("cloudId") if resp.status_code == 200 else None
        except LookupUnavailable as exc:
            access.note(f"{host}/_edge/tenant_info unavailable: {exc}")
            return None
        if not isinstance(found, str) or not _CLOUD_ID.fullmatch(found.lower()):
            access.note(f"{host}/_edge/tenant_info answered HTTP {resp.status_code} without a cloud ID")
            return None
        return found.lower()

    def _scoped(self, http: ProviderHTTP, cloud_id: str, auth: tuple[str, str], access: Access) -> Access:
        base = f"/ex/jira/{cloud_id}"
        resp = http.get(base + MYSELF, auth=auth)
        said = _message(resp) if resp.status_code == 401 else ""
        scope_mismatch = "scope does not match" in said.lower()
        why = {401: "the gateway accepts the token, which lacks the read:jira-user scope"} if scope_mismatch else {
            401: "invalid, expired or revoked"}
        ok = http.settle(access, resp, f"{MYSELF} through api.atlassian.com",
                         forbidden={401} if scope_mismatch else None, why=why)
        if access.live:
            access.facts["token_type"] = "scoped"
            access.facts["cloud_id"] = cloud_id
            access.reach = "account"
            access.note("a token with scopes (only the API gateway accepts it): its rights are its user's, "
                        "bounded by scopes no API lists")
        if ok:
            self._user(json_object(resp), access)
            self._permissions(http, base + MYPERMISSIONS, auth, access)
        return access

    def _confluence(self, http: ProviderHTTP, host: str, auth: tuple[str, str], access: Access) -> Access:
        """A site without Jira: Confluence's current user, with the operations it may perform."""
        resp = http.get(CONFLUENCE_USER, host=host, auth=auth, params={"expand": "operations"})
        if not http.settle(access, resp, f"{CONFLUENCE_USER} on {host}"):
            return access
        body = json_object(resp)
        if body.get("type") != "known":
            return access.unknown(f"{CONFLUENCE_USER} answered as an anonymous user: the credentials were "
                                  "not applied, liveness unknown")
        access.facts["token_type"] = "classic"
        access.reach = "account"
        name = body.get("displayName") or body.get("publicName")
        access.identity = f"{name} <{body.get('email') or auth[0]}>" if isinstance(name, str) else auth[0]
        ops = [o for o in body.get("operations") or [] if isinstance(o, dict)]
        grants = sorted({f"{o.get('operation')}:{o.get('targetType')}" for o in ops
                         if isinstance(o.get("operation"), str) and isinstance(o.get("targetType"), str)})
        access.grants = grants
        for op in ops:
            access.capabilities.update(_CONFLUENCE_OPERATIONS.get(str(op.get("operation")), ()))
        if any(o.get("operation") == "administer" for o in ops):
            access.reach = "organization"
            access.note(f"its user administers Confluence on {host}")
        access.note(f"{host} (Confluence) accepts it: a classic token, with every right its user has")
        return access

    def _user(self, body: dict[str, Any], access: Access) -> None:
        name, mail = body.get("displayName"), body.get("emailAddress")
        if isinstance(name, str) and name:
            access.identity = f"{name} <{mail}>" if isinstance(mail, str) and mail else name
        if body.get("active") is False:
            access.note("the user account is deactivated")
        if isinstance(body.get("accountType"), str):
            access.facts["account_type"] = body["accountType"]

    def _permissions(self, http: ProviderHTTP, path: str, auth: tuple[str, str], access: Access,
                     host: str | None = None) -> None:
        access.reach = access.reach or "account"
        try:
            resp = http.get(path, host=host, auth=auth, params={"permissions": ",".join(_PERMISSIONS)})
            body = json_object(resp) if resp.status_code == 200 else None
        except LookupUnavailable as exc:  # liveness is settled: only the permissions are missing
            access.note(f"permissions unavailable: {exc}")
            return
        perms = (body or {}).get("permissions")
        if not isinstance(perms, dict):
            access.note(f"{MYPERMISSIONS} answered HTTP {resp.status_code}: permissions unknown")
            return
        held = sorted(k for k, v in perms.items() if isinstance(v, dict) and v.get("havePermission") is True)
        access.grants = held
        for key in held:
            access.capabilities.update(_PERMISSIONS.get(key, ()))
        access.note(f"{MYPERMISSIONS}: holds {', '.join(held) or 'none'} of the permissions asked "
                    "(a project permission counts when held in any project)")
        if site_admin := [k for k in _SITE_ADMIN if k in held]:
            access.reach = "organization"
            access.note(f"{', '.join(site_admin)}: its user administers Jira on this site")


def _message(resp: httpx.Response) -> str:
    """The error text of a refusal (the gateway's ``message``, or a plain text body)."""
    try:
        body = json_object(resp)
    except LookupUnavailable:
        return resp.text[:200]
    message = body.get("message")
    return message if isinstance(message, str) else ""


detector = AtlassianDetector()
