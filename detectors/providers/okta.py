"""Okta API tokens (SSWS), looked up on the Okta org they are bound to.

Format: ``detectors/rules/okta.toml``. An API token acts as the administrator who created it, with
that administrator's roles, on one org only (developer.okta.com/docs/guides/create-an-api-token/:
"API tokens have the same permissions as the user who creates them"), and is sent as
``Authorization: SSWS <token>`` to ``https://<org>.okta.com`` (also ``.oktapreview.com`` for
preview orgs and ``.okta-emea.com``). Another org answers 401 as if it were revoked, so the org is
asked only when the text binds it to the token (the same URL or line, or the one org assigned in
its configuration block: scanner/binding.py); ``<org>-admin.okta.com``, the Admin Console's host,
is asked as ``<org>.okta.com``, the API's.

Lookup, both GETs (developer.okta.com/docs/api/openapi/okta-management/):
1. ``/api/v1/users/me`` (Users API, "Retrieve a user": the token's user: ``id``, ``status``,
   ``profile.login``). 401 with ``errorCode`` E0000011 "Invalid token provided" is a revoked or
   expired token (an API token expires after 30 days unused, and dies with its user's
   deactivation: Okta support, "HTTP 401 Okta E0000011 Invalid Token provided"). 403 with
   E0000006 "You do not have permission to perform the requested action", Okta's error for an
   authenticated caller refused an action, is a live token refused there (for instance by the
   token's network-zone restriction: Okta support, "Restrict which IP address/device is allowed to
   use an API token"). 429 is E0000047.
2. ``/api/v1/users/{id}/roles`` (User Role Assignments, "List all user role assignments"): the
   administrator roles behind the token (``type``: SUPER_ADMIN, ORG_ADMIN, APP_ADMIN, USER_ADMIN,
   HELP_DESK_ADMIN, READ_ONLY_ADMIN, REPORT_ADMIN, GROUP_MEMBERSHIP_ADMIN, MOBILE_ADMIN,
   API_ACCESS_MANAGEMENT_ADMIN, CUSTOM …; ``status`` ACTIVE or INACTIVE). A role whose holder may
   not read role assignments gets 403 E0000006: the token is live, its roles unknown.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from tokenreach.detectors.base import Detector, LookupUnavailable
from tokenreach.detectors.http import ProviderHTTP, json_object, json_of, refusal_detail
from tokenreach.detectors.rule_files import builtin, rules_for
from tokenreach.detectors.tenant import refuse_private
from tokenreach.scanner.model import Access, Capability, Reach, Token

if TYPE_CHECKING:
    import httpx

PATTERNS = rules_for("okta")
_SPEC = builtin("okta")

DOMAINS = (".okta.com", ".oktapreview.com", ".okta-emea.com")
_ORG = re.compile(r"([a-z0-9][a-z0-9-]{0,62})\.(okta|oktapreview|okta-emea)\.com")
# Okta's own sites under its domain: never an org a token belongs to.
_NOT_ORGS = frozenset({"www", "developer", "help", "support", "login", "status", "trust", "api", "dev"})
_USER_ID = re.compile(r"[A-Za-z0-9]{1,40}")

USERS_ME = "/api/v1/users/me"

# Each standard administrator role (Okta "Standard administrator roles and permissions"): what it
# may do, and how far over the org it reaches.
_ROLES: dict[str, tuple[tuple[Capability, ...], Reach]] = {
    "SUPER_ADMIN": (("read", "write", "delete", "admin", "secrets"), "organization"),
    "ORG_ADMIN": (("read", "write", "delete", "admin"), "organization"),
    "APP_ADMIN": (("read", "write", "delete", "admin"), "organization"),
    "API_ACCESS_MANAGEMENT_ADMIN": (("read", "write", "delete", "admin"), "organization"),
    "USER_ADMIN": (("read", "write", "delete"), "organization"),
    "MOBILE_ADMIN": (("read", "write", "delete"), "organization"),
    "API_ADMIN": (("read", "write", "delete"), "organization"),
    "HELP_DESK_ADMIN": (("read", "write"), "organization"),
    "GROUP_MEMBERSHIP_ADMIN": (("read", "write"), "organization"),
    "ACCESS_CERTIFICATIONS_ADMIN": (("read", "write"), "organization"),
    "ACCESS_REQUESTS_ADMIN": (("read", "write"), "organization"),
    "READ_ONLY_ADMIN": (("read",), "organization"),
    "REPORT_ADMIN": (("read",), "organization"),
}
_ORDER: dict[Reach, int] = {"resource": 0, "project": 1, "account": 2, "organization": 3}


def _error_code(resp: httpx.Response) -> str:
    try:
        body = json_of(resp)
    except LookupUnavailable:
        return ""
    code = body.get("errorCode") if isinstance(body, dict) else None
    return code if isinstance(code, str) else ""


class OktaDetector(Detector):
    provider = "okta"
    title = _SPEC.name
    patterns = PATTERNS
    api_url = None  # every org has its own host
    host_suffixes = DOMAINS
    context_patterns = {"org": r"(?i)\b([a-z0-9][a-z0-9-]{0,62}\.(?:okta|oktapreview|okta-emea)\.com)\b"}
    bound_context = frozenset({"org"})
    request_budget = 60
    revoke_url = _SPEC.revoke_url
    least_privilege = _SPEC.least_privilege

    def classify(self, token: Token) -> Access:
        access = Access(evidence="prefix")
        access.note("an Okta API token: acts as the administrator who created it, with every admin role "
                    "that administrator holds in the org")
        if not token.context.get("org"):
            access.note("no <org>.okta.com bound to the token (the same URL, line or configuration block): "
                        "not looked up, org unknown")
        return access

    def lookup(self, token: Token, http: ProviderHTTP, offline: Access) -> Access:
        access = offline
        m = _ORG.fullmatch(token.context.get("org", "").lower())
        if m is None:
            return access.unknown("not looked up: org unknown (no <org>.okta.com bound to the token)")
        name = m.group(1).removesuffix("-admin")  # the Admin Console's host; the API is the org's own
        if name in _NOT_ORGS or not name:
            return access.unknown(f"not looked up: {m.group(0)} is Okta's own site, not an org")
        host = f"{name}.{m.group(2)}.com"
        access.facts["org"] = host
        if refuse_private(http, host, access):
            return access
        headers = {"Authorization": f"SSWS {token.secret}"}
        resp = http.get(USERS_ME, host=host, headers=headers)
        code = _error_code(resp)
        forbidden = {403} if code == "E0000006" else set()
        why = {401: "invalid, expired or revoked (E0000011)" if code == "E0000011" else "invalid or revoked",
               403: "live, but refused here (E0000006), e.g. by the token's network restriction"}
        if not http.settle(access, resp, f"{USERS_ME} on {host}", forbidden=forbidden, why=why,
                           detail=refusal_detail(resp, "errorSummary")):
            return access
        user = json_object(resp)
        found_profile = user.get("profile")
        profile: dict[str, Any] = found_profile if isinstance(found_profile, dict) else {}
        login = profile.get("login") or profile.get("email")
        access.identity = f"{login} on {host}" if isinstance(login, str) and login else host
        access.reach = "account"
        access.add_resources([host])
        if isinstance(user.get("status"), str) and user["status"] != "ACTIVE":
            access.note(f"its user's status is {user['status']}")
        user_id = user.get("id")
        if isinstance(user_id, str) and _USER_ID.fullmatch(user_id):
            self._roles(http, host, headers, user_id, access)
        else:
            access.note(f"{USERS_ME} answered without a user id: admin roles unknown")
        return access

    def _roles(self, http: ProviderHTTP, host: str, headers: dict[str, str], user_id: str, access: Access) -> None:
        path = f"/api/v1/users/{user_id}/roles"
        try:
            resp = http.get(path, host=host, headers=headers)
            body = json_of(resp) if resp.status_code == 200 else None
        except LookupUnavailable as exc:  # liveness is settled: only the roles are missing
            access.note(f"admin roles unavailable: {exc}")
            return
        if body is None:
            said = refusal_detail(resp, "errorSummary")
            meaning = "its user may not read role assignments" if resp.status_code == 403 else "no role list"
            access.note(f"/api/v1/users/<id>/roles answered HTTP {resp.status_code}{' ' + said if said else ''}: "
                        f"{meaning}, admin roles unknown")
            return
        if not isinstance(body, list):
            access.note("/api/v1/users/<id>/roles answered an unexpected shape: admin roles unknown")
            return
        roles = [r for r in body if isinstance(r, dict) and r.get("status", "ACTIVE") == "ACTIVE"
                 and isinstance(r.get("type"), str)]
        grants: list[str] = []
        for role in roles:
            kind = role["type"]
            if kind == "CUSTOM":
                label = role.get("label") if isinstance(role.get("label"), str) else "custom role"
                grants.append(f"CUSTOM:{label}")
                access.capabilities.update(("read", "write"))
                access.note(f"custom admin role {label!r}: its permissions are not listed here; counted "
                            "as read and write")
                continue
            grants.append(kind)
            caps, reach = _ROLES.get(kind, (("read", "write"), "organization"))
            access.capabilities.update(caps)
            if access.reach is None or _ORDER[reach] > _ORDER[access.reach]:
                access.reach = reach
        access.grants = sorted(set(grants))
        if not roles:
            access.capabilities.add("read")
            access.note("its user holds no active admin role: it reads what that user may see")
            return
        access.note(f"its user's admin roles: {', '.join(access.grants)}")
        if "SUPER_ADMIN" in grants:
            access.note("SUPER_ADMIN: can create administrators, change every policy and read every "
                        "application's credentials in the org")


detector = OktaDetector()
