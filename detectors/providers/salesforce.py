"""Salesforce access tokens (session IDs): who they act as, and whether that user administers the org.

Formats: ``detectors/rules/salesforce.toml``. An access token or session ID starts with its org's
15-character ID (``00D…``) and acts as one user with every permission that user has, bounded by the
connected app's OAuth scopes, which no endpoint tells a token. Refresh tokens and consumer secrets
are usable only at the token endpoint, which issues tokens: never sent.

Hosts: the token's own instance, ``https://<MyDomain>.my.salesforce.com`` (sandboxes
``<MyDomain>--<sandbox>.sandbox.my.salesforce.com``), only when the text binds it to the token (the
same URL or line, or the one assigned in its configuration block: scanner/binding.py), then the
fixed identity hosts ``login.salesforce.com`` and ``test.salesforce.com`` (a sandbox's) ("Query for
User Information", help.salesforce.com remoteaccess_using_userinfo_endpoint). A token is called
dead only when every one of them refuses it: another org's My Domain in the same block refuses a
live token too. The org's own instance for the REST query is the one UserInfo names (``urls.rest``).

Lookup, all GETs:
1. ``/services/oauth2/userinfo`` (OpenID Connect UserInfo: ``user_id``, ``organization_id``,
   ``preferred_username``, ``user_type``, ``urls.rest``, the org's REST base). A refusal whose body
   says ``Bad_OAuth_Token`` (or a 401) is an invalid or expired token; ``Deactivated_User`` and
   ``Inactive_Org`` leave it unusable too (the Identity URL's documented errors, "Identity URLs").
2. ``/services/data/v60.0/query?q=…`` on the instance (REST API "Query", a GET): the permission sets
   assigned to that user, the profile's own included, with their system permissions
   (``PermissionsModifyAllData``, ``PermissionsViewAllData``, ``PermissionsManageUsers``,
   ``PermissionsAuthorApex``, ``PermissionsCustomizeApplication``: the PermissionSet object's
   fields). 401 ``[{"errorCode": "INVALID_SESSION_ID"}]`` is a dead session; a user who may not read
   PermissionSetAssignment gets 400 ``INVALID_TYPE`` or 403 ``INSUFFICIENT_ACCESS``: live,
   permissions unknown.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from tokenreach.detectors.base import Detector, LookupUnavailable
from tokenreach.detectors.http import ProviderHTTP, json_object, json_of
from tokenreach.detectors.rule_files import builtin, rules_for
from tokenreach.detectors.tenant import refuse_private
from tokenreach.scanner.model import Access, Capability, Token

if TYPE_CHECKING:
    import httpx

PATTERNS = tuple(p if p.kind == "access_token" else replace(p, lookup=False) for p in rules_for("salesforce"))
_SPEC = builtin("salesforce")

API_VERSION = "v60.0"
LOGIN, TEST = "login.salesforce.com", "test.salesforce.com"
USERINFO = "/services/oauth2/userinfo"
# A My Domain instance (production, sandbox, developer, scratch …) or a classic pod (na12, cs42 …).
_INSTANCE = re.compile(r"[a-z0-9][a-z0-9-]{0,80}(?:\.(?:sandbox|develop|scratch|demo|patch|trailblaze))?"
                       r"\.my\.salesforce\.com|(?:na|eu|ap|cs|um|usa)[0-9]{1,3}\.salesforce\.com")
_USER_ID = re.compile(r"005[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?")
_DEAD_WORDS = ("Bad_OAuth_Token", "INVALID_SESSION_ID", "Deactivated_User", "Inactive_Org")

# System permissions asked for, and what holding each one means.
_PERMISSIONS: dict[str, tuple[Capability, ...]] = {
    "PermissionsModifyAllData": ("read", "write", "delete", "admin"),
    "PermissionsViewAllData": ("read",),
    "PermissionsManageUsers": ("admin",),
    "PermissionsAuthorApex": ("write", "admin"),
    "PermissionsCustomizeApplication": ("write", "admin"),
}
_ORG_WIDE = ("PermissionsModifyAllData", "PermissionsViewAllData")


def permission_query(user_id: str) -> str:
    fields = ", ".join(["Name", "Label", "IsOwnedByProfile", "Profile.Name", *_PERMISSIONS])
    return (f"SELECT {fields} FROM PermissionSet WHERE Id IN "
            f"(SELECT PermissionSetId FROM PermissionSetAssignment WHERE AssigneeId = '{user_id}')")


def _said(resp: httpx.Response) -> str:
    """The refusal's error code or text (Salesforce answers JSON lists, JSON objects or plain text)."""
    try:
        body = json_of(resp)
    except LookupUnavailable:
        return resp.text[:200]
    first = body[0] if isinstance(body, list) and body else body
    if isinstance(first, dict):
        for key in ("errorCode", "error", "message"):
            if isinstance(first.get(key), str):
                return str(first[key])
    return ""


class SalesforceDetector(Detector):
    provider = "salesforce"
    title = _SPEC.name
    patterns = PATTERNS
    api_url = f"https://{LOGIN}"
    hosts = (LOGIN, TEST)
    host_suffixes = (".my.salesforce.com", ".salesforce.com")  # instances, shape-checked by _INSTANCE
    context_patterns = {"instance": r"(?i)\b([a-z0-9][a-z0-9.-]{0,120}\.salesforce\.com)\b"}
    bound_context = frozenset({"instance"})
    request_budget = 60
    revoke_url = _SPEC.revoke_url
    least_privilege = _SPEC.least_privilege

    def classify(self, token: Token) -> Access:
        access = Access(evidence="prefix")
        if token.kind == "refresh_token":
            return access.note("a refresh token: with its connected app's consumer key (and secret) it issues "
                               "new access tokens until revoked; not looked up (only the token endpoint takes it)")
        if token.kind == "consumer_secret":
            return access.note("a connected app's consumer secret: not looked up (only the token endpoint "
                               "takes it)")
        org = token.secret.split("!", 1)[0]
        access.facts["org_id"] = org
        access.note(f"an access token or session ID of org {org} (its prefix): acts as one user, with every "
                    "permission the user has, bounded by scopes no endpoint lists")
        return access

    def lookup(self, token: Token, http: ProviderHTTP, offline: Access) -> Access:
        access = offline
        headers = {"Authorization": f"Bearer {token.secret}"}
        bound = token.context.get("instance", "").lower()
        instance = bound if _INSTANCE.fullmatch(bound) else None
        if bound and instance is None and bound not in (LOGIN, TEST):
            access.note(f"{bound} is not a Salesforce instance host: asking {LOGIN}")
        if instance and refuse_private(http, instance, access):
            return access
        # A bound instance first; a refusal there may mean the binding is wrong (another org's My
        # Domain in the same block), so the identity hosts are asked before calling it dead.
        identity_hosts = [TEST] if bound == TEST or ".sandbox." in (instance or "") else [LOGIN, TEST]
        hosts = ([instance] if instance else []) + identity_hosts
        user, answered = self._userinfo(http, hosts, headers, access)
        if access.live is False:
            return access
        if user is not None:
            access.reach = "account"
            name = user.get("preferred_username") or user.get("email") or user.get("name")
            if isinstance(name, str) and name:
                access.identity = f"{name} in org {user.get('organization_id') or access.facts.get('org_id')}"
            if isinstance(user.get("user_type"), str):
                access.facts["user_type"] = user["user_type"]
            rest = user.get("urls", {}).get("rest") if isinstance(user.get("urls"), dict) else None
            from_userinfo = (urlsplit(rest).hostname or "").lower() if isinstance(rest, str) else ""
            if _INSTANCE.fullmatch(from_userinfo) and from_userinfo != instance:
                if instance and answered != instance:
                    access.note(f"{instance} refused it, but {from_userinfo} is its org's instance")
                instance = from_userinfo
        user_id = user.get("user_id") if user else None
        if not instance:
            return access.note("no instance host known: permissions not asked") if access.live else \
                access.unknown("not looked up further: no instance host bound to the token")
        access.add_resources([instance])
        self._permissions(http, instance, headers, user_id if isinstance(user_id, str) else None, access)
        return access

    def _userinfo(self, http: ProviderHTTP, hosts: list[str], headers: dict[str, str],
                  access: Access) -> tuple[dict[str, Any] | None, str | None]:
        """The UserInfo answer and the host that gave it, or None; sets liveness when the answer
        decides it."""
        for host in hosts:
            try:
                resp = http.get(USERINFO, host=host, headers=headers)
            except LookupUnavailable as exc:
                access.note(f"{USERINFO} on {host} unavailable: {exc}")
                return None, None
            said = _said(resp) if resp.status_code >= 400 else ""
            dead = resp.status_code == 401 or any(w.lower() in said.lower() for w in _DEAD_WORDS)
            if dead and host != hosts[-1]:
                access.note(f"{USERINFO} on {host} refused it ({said or resp.status_code}): asking "
                            f"{hosts[hosts.index(host) + 1]}")
                continue
            why = {resp.status_code: f"invalid, expired or unusable ({said})" if said else "invalid or expired"}
            if http.settle(access, resp, f"{USERINFO} on {host}", dead={resp.status_code} if dead else set(),
                           forbidden=set(), why=why if dead else None, detail=None if dead else said or None):
                body = json_object(resp)
                if host == TEST or ".sandbox." in host:
                    access.facts["environment"] = "sandbox"
                return body, host
            return None, None
        return None, None

    def _permissions(self, http: ProviderHTTP, instance: str, headers: dict[str, str], user_id: str | None,
                     access: Access) -> None:
        if user_id is None or not _USER_ID.fullmatch(user_id):
            access.note("the token's user ID is unknown: permissions not asked")
            return
        path = f"/services/data/{API_VERSION}/query"
        try:
            resp = http.get(path, host=instance, headers=headers, params={"q": permission_query(user_id)})
        except LookupUnavailable as exc:
            access.note(f"permissions unavailable: {exc}")
            return
        said = _said(resp) if resp.status_code >= 400 else ""
        if resp.status_code == 401 or "INVALID_SESSION_ID" in said:
            if access.live is None:
                http.settle(access, resp, f"query on {instance}", dead={resp.status_code},
                            why={resp.status_code: f"invalid or expired session ({said or 'INVALID_SESSION_ID'})"})
            else:
                access.note(f"query on {instance} answered {resp.status_code} {said}: permissions unknown")
            return
        if resp.status_code != 200:
            refused = said in ("INVALID_TYPE", "INSUFFICIENT_ACCESS", "API_DISABLED_FOR_ORG")
            if refused and access.live is None:
                access.live, access.evidence = True, "api"
            access.note(f"query on {instance} answered {resp.status_code}{' ' + said if said else ''}: "
                        "permissions unknown")
            if said in ("INVALID_TYPE", "INSUFFICIENT_ACCESS"):
                # Permission set assignments are hidden from users without View Setup and
                # Configuration, which every org administrator holds: an API user, then, that reads
                # and writes the records its profile allows.
                access.capabilities = {"read", "write"}
                access.reach = access.reach or "account"
                access.note("its user may not read permission set assignments (no View Setup and "
                            "Configuration): counted as an API user that reads and writes its records")
            return
        records = json_object(resp).get("records")
        if not isinstance(records, list):
            access.note(f"query on {instance} answered without records: permissions unknown")
            return
        access.live, access.evidence = True, "api"
        held: set[str] = set()
        sets: list[str] = []
        for rec in records:
            if not isinstance(rec, dict):
                continue
            held.update(k for k in _PERMISSIONS if rec.get(k) is True)
            profile = rec.get("Profile")
            profile_name = profile.get("Name") if isinstance(profile, dict) else None
            if rec.get("IsOwnedByProfile") is True and isinstance(profile_name, str):
                sets.append(f"profile:{profile_name}")
            elif isinstance(rec.get("Name"), str):
                sets.append(f"permission_set:{rec['Name']}")
        access.grants = sorted(held) + sorted(sets)
        access.capabilities = {"read", "write"}  # an API user creates and edits what its objects allow
        for perm in held:
            access.capabilities.update(_PERMISSIONS[perm])
        access.reach = "organization" if held.intersection(_ORG_WIDE) else "account"
        access.note(f"its user holds {', '.join(sorted(held)) or 'none'} of the system permissions asked, "
                    f"through {len(sets)} profile or permission set(s)")
        if "PermissionsModifyAllData" in held:
            access.note("Modify All Data: reads, changes and deletes every record in the org")


detector = SalesforceDetector()
