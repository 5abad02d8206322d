"""Azure DevOps personal access tokens (PATs).

Formats: detectors/rules/azure_devops.toml (84 characters with the ``AZDO`` signature, or the
legacy 52 lower-case base32 characters named as an Azure DevOps token).

Lookup (learn.microsoft.com/azure/devops/integrate/how-to/call-rest-api, /rest/api/azure/devops/
profile/profiles/get, /rest/api/azure/devops/core/projects/list): a PAT goes in HTTP Basic with an
empty user name and the PAT as password. Three GETs, never anything else:

- ``GET https://dev.azure.com/<org>/_apis/connectionData``: the user the PAT acts as in that
  organization (any valid PAT may call it). Asked only when the text binds the organization to the
  token (``dev.azure.com/<org>`` in the same URL, line or configuration block: ``bound_context``);
  the organization is a path segment, so only the fixed host dev.azure.com is contacted.
- ``GET https://dev.azure.com/<org>/_apis/projects?api-version=7.1``: the projects it reads
  (scope ``vso.project``).
- ``GET https://app.vssps.visualstudio.com/_apis/profile/profiles/me?api-version=7.1``: the PAT's
  user and e-mail (scope ``vso.profile``).

Azure DevOps answers a bad PAT with 401 (``TF400813``), or with 203 and its HTML sign-in page
instead of JSON. The 203 is not in the REST reference; it is Azure DevOps' observed answer (Microsoft
Q&A, "Azure DevOps PAT Authentication Issue - 403/203 Errors"), also given when the PAT's user has
been inactive too long in an Entra-backed organization. Both mean the PAT does not work at the
organization asked: dead. A 403 there is not documented for a bad PAT: unknown. ``connectionData``
itself is a preview API the official client libraries call to learn the signed-in user; it is
not in the versioned REST reference. Without a bound organization the
profile call is the only one, and its 401/203 is not conclusive (an organization-scoped PAT may be
refused there while valid in its organization), so it stays unknown. A PAT cannot read its own
scopes (the PAT lifecycle API needs a Microsoft Entra token), so ``grants`` lists only the scopes a
successful call proves, and the capabilities are an upper bound: said so in the notes.
"""

from __future__ import annotations

import re
from typing import Any

from tokenreach.detectors.base import Detector, LookupUnavailable
from tokenreach.detectors.http import ProviderHTTP, json_object
from tokenreach.detectors.rule_files import rules_for
from tokenreach.scanner.model import Access, Token

PATTERNS = rules_for("azure_devops")

API_VERSION = "7.1"
ORG_HOST = "dev.azure.com"
PROFILE_HOST = "app.vssps.visualstudio.com"
_ORG_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,49}")
_SIGN_IN = ("203 with a sign-in page instead of JSON: invalid, expired or revoked, or its user "
            "inactive in the organization")


class AzureDevOpsDetector(Detector):
    provider = "azure_devops"
    title = "Azure DevOps"
    patterns = PATTERNS
    api_url = f"https://{PROFILE_HOST}"
    hosts = (PROFILE_HOST, ORG_HOST)
    # The organization a PAT is used with: only one the text binds to the token.
    context_patterns = {"organization": rf"\bdev\.azure\.com/({_ORG_NAME.pattern})\b"}
    bound_context = frozenset({"organization"})
    request_budget = 60
    revoke_url = "https://dev.azure.com/_usersSettings/tokens"
    least_privilege = ("create an organization-scoped PAT with only the scopes it uses (Code: Read, "
                       "Packaging: Read) and the shortest expiry, or use a managed identity")

    def classify(self, token: Token) -> Access:
        access = Access(evidence="prefix")
        org = token.context.get("organization")
        if org:
            access.identity = f"{ORG_HOST}/{org}"
        else:
            access.note("no dev.azure.com/<organization> bound to the token: only its profile is asked")
        return access

    def lookup(self, token: Token, http: ProviderHTTP, offline: Access) -> Access:
        access = offline
        auth = ("", token.secret)
        org = token.context.get("organization", "")
        proven: list[str] = []
        if org and _ORG_NAME.fullmatch(org):
            if not self._organization(access, http, auth, org, proven):
                return access
        elif org:
            access.note("the bound organization name is not one Azure DevOps allows: not asked")
        self._profile(access, http, auth, decisive=access.live is None, proven=proven)
        if access.live is not True:
            return access
        access.grants = proven
        access.capabilities = {"read"}
        access.facts["capabilities_upper_bound"] = True
        access.note("a PAT cannot read its own scopes (the PAT lifecycle API needs a Microsoft Entra "
                    "token): grants are the scopes the calls prove; it may hold up to all of its "
                    "user's rights (a full-access PAT)")
        return access

    def _organization(self, access: Access, http: ProviderHTTP, auth: tuple[str, str], org: str,
                      proven: list[str]) -> bool:
        """connectionData (liveness, user) then projects (reach). False when the PAT is dead or unknown."""
        where = f"connectionData on {ORG_HOST}/{org}"
        resp = http.get(f"/{org}/_apis/connectionData", host=ORG_HOST, auth=auth)
        if resp.status_code == 203:
            access.live, access.evidence = False, "api"
            access.note(f"{where} answered {_SIGN_IN}")
            return False
        if not http.settle(access, resp, where, dead={401},
                           why={401: "invalid, expired or revoked, or not valid in this organization",
                                404: "no such organization, so the pairing may be wrong"}):
            return False
        user = _dict(json_object(resp).get("authenticatedUser"))  # not JSON: unknown, never live
        name = user.get("providerDisplayName")
        access.identity = f"{name} in {ORG_HOST}/{org}" if isinstance(name, str) else f"{ORG_HOST}/{org}"
        access.reach = "organization"
        access.facts["organization"] = org
        self._projects(access, http, auth, org, proven)
        return True

    def _projects(self, access: Access, http: ProviderHTTP, auth: tuple[str, str], org: str,
                  proven: list[str]) -> None:
        try:
            resp = http.get(f"/{org}/_apis/projects", host=ORG_HOST, auth=auth,
                            params={"api-version": API_VERSION})
        except LookupUnavailable as exc:
            access.note(f"projects not listed: {exc}")
            return
        body = _json(resp) if resp.status_code == 200 else {}
        projects = body.get("value")
        if not isinstance(projects, list):
            access.note(f"projects answered HTTP {resp.status_code}: the PAT may lack vso.project")
            return
        names = [f"{org}/{p['name']}" for p in projects if isinstance(p, dict) and isinstance(p.get("name"), str)]
        proven.append("vso.project")
        access.add_resources(names)
        access.note(f"reads {len(names)} project(s) in {org}")

    def _profile(self, access: Access, http: ProviderHTTP, auth: tuple[str, str], *, decisive: bool,
                 proven: list[str]) -> None:
        """The PAT's user. Decides liveness only when no organization call did, and then never dead."""
        try:
            resp = http.get("/_apis/profile/profiles/me", host=PROFILE_HOST, auth=auth,
                            params={"api-version": API_VERSION})
        except LookupUnavailable as exc:
            if decisive:
                raise
            access.note(f"profile unavailable: {exc}")
            return
        if resp.status_code != 200:
            why = _SIGN_IN if resp.status_code == 203 else "invalid, revoked, or lacking vso.profile"
            note = f"profiles/me answered HTTP {resp.status_code} ({why})"
            if decisive:
                access.live = None
                note += "; not conclusive without a bound organization (an organization-scoped PAT is refused here)"
            access.note(note)
            return
        try:
            body = json_object(resp)  # a proxy's HTML page or a null is no answer from Azure DevOps
        except LookupUnavailable as exc:
            if decisive:
                raise
            access.note(f"profile unreadable: {exc}")
            return
        access.live, access.evidence = True, "api"
        proven.append("vso.profile")
        name, email = body.get("displayName"), body.get("emailAddress")
        if isinstance(email, str):
            access.facts["email"] = email
        if decisive and isinstance(name, str):
            access.identity = f"{name} <{email}>" if isinstance(email, str) else name
            access.reach = "account"


def _json(resp: Any) -> dict[str, Any]:
    try:
        return json_object(resp)
    except LookupUnavailable:
        return {}


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


detector = AzureDevOpsDetector()
