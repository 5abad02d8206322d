"""Neon API keys (personal, organization and project-scoped).

Format (providers.md C.12; neon.com/docs/manage/api-keys): the docs say only "a randomly-generated
64-bit token"; keys in the wild read ``napi_`` + 64 lowercase alphanumerics (third-party,
unverified), and older keys are found by a ``NEON_API_KEY``-style name instead.

All three kinds share that one format, so the kind comes from which read-only GETs succeed:

1. ``GET /api/v2/users/me`` answers only for a **personal** key (it acts as a user). Then
   ``/users/me/organizations`` and ``/projects`` show how far the user reaches.
2. Otherwise ``GET /api/v2/projects`` decides liveness (401: revoked). An **organization** key has
   "admin-level access to every project in the organization"; a **project-scoped** key sees one
   project with member-level access and "cannot perform organization-related actions", so when
   a single project is visible, ``GET /organizations/{org_id}/members`` tells the two apart.

GETs only; never ``DELETE /api_keys/{id}``. Neon records ``last_used_at`` and
``last_used_from_addr`` for every call, so the owner sees this lookup's IP address.
"""

from __future__ import annotations

import re
from typing import Any

from tokenreach.detectors.base import Detector, LookupUnavailable
from tokenreach.detectors.http import ProviderHTTP, json_object
from tokenreach.detectors.rule_files import rules_for
from tokenreach.scanner.model import Access, Capability, Token

PATTERNS = rules_for("neon")

PROJECTS_LIMIT = 400  # the API's maximum page: one call counts up to 400 projects

# Personal keys act as the user: everything they can do, including creating and revoking the
# user's API keys ("you can then use that key to generate new keys from the API").
_PERSONAL_CAPS: frozenset[Capability] = frozenset({"read", "write", "delete", "admin", "secrets"})
# Organization keys: "admin-level access to every project in the organization".
_ORG_CAPS: frozenset[Capability] = frozenset({"read", "write", "delete", "admin", "secrets"})
# Project-scoped keys: member-level access to one project, no project deletion, no org actions;
# branches, databases and roles (with their passwords) remain theirs to change and delete.
_PROJECT_CAPS: frozenset[Capability] = frozenset({"read", "write", "delete", "secrets"})
_ORG_ID = re.compile(r"org-[a-z0-9-]{1,80}")
_FOOTPRINT = "Neon records last_used_at and last_used_from_addr for the key: this lookup is visible"


class NeonDetector(Detector):
    provider = "neon"
    title = "Neon"
    patterns = PATTERNS
    api_url = "https://console.neon.tech"
    hosts = ("console.neon.tech",)
    request_budget = 60
    revoke_url = "https://console.neon.tech/app/settings/api-keys"
    least_privilege = (
        "create a project-scoped API key for the one project"
    )

    def classify(self, token: Token) -> Access:
        access = Access(evidence="prefix")
        if token.extras.get("name"):
            access.facts["variable"] = token.extras["name"]
        return access.note("Neon personal, organization and project-scoped keys share one format: "
                           "only the API tells them apart")

    def lookup(self, token: Token, http: ProviderHTTP, offline: Access) -> Access:
        access = offline
        auth = {"Authorization": f"Bearer {token.secret}"}
        me = http.get("/api/v2/users/me", headers=auth)
        if me.status_code == 200:
            return self._personal(access, http, auth, json_object(me))
        if me.status_code not in (401, 403, 404):
            return access.unknown(f"users/me answered HTTP {me.status_code}")
        # Not a personal key, or not a live key at all: /projects decides.
        resp = http.get("/api/v2/projects", headers=auth, params={"limit": PROJECTS_LIMIT})
        why = {401: f"revoked or invalid (users/me answered {me.status_code})"}
        if not http.settle(access, resp, "projects", why=why):
            return access
        projects = _projects(json_object(resp))
        access.note(f"users/me refused it (HTTP {me.status_code}) and projects answered: "
                    "an organization or project-scoped key, not a person")
        _add_projects(access, projects)
        org_ids = sorted({p["org_id"] for p in projects if p.get("org_id")})
        if len(projects) > 1:
            return self._organization(access, org_ids, "it sees more than one project")
        if len(projects) == 1 and org_ids and _ORG_ID.fullmatch(org_ids[0]):
            members = http.get(f"/api/v2/organizations/{org_ids[0]}/members", headers=auth)
            if members.status_code == 200:
                count = len(_list(json_object(members), "members"))
                access.facts["org_members"] = count
                return self._organization(access, org_ids, "it may read the organization's members")
            if members.status_code in (401, 403, 404):
                return self._project_scoped(access, projects[0], members.status_code)
            access.note(f"organization members answered HTTP {members.status_code}")
        # One project and no way to tell: say what both readings mean.
        access.reach = "project"
        access.capabilities = set(_ORG_CAPS)
        access.facts["token_kind"] = "organization_or_project"
        access.note("one project visible: a project-scoped key, or an organization key of an "
                    "organization holding one project (admin-level there)")
        return access.note(_FOOTPRINT)

    # Token kinds -------------------------------------------------------------------------------

    def _personal(self, access: Access, http: ProviderHTTP, auth: dict[str, str],
                  user: dict[str, Any]) -> Access:
        access.live = True
        access.evidence = "api"
        access.identity = str(user.get("email") or user.get("login") or user.get("id") or "Neon user")
        access.capabilities = set(_PERSONAL_CAPS)
        access.facts["token_kind"] = "personal"
        access.note(f"personal key: users/me answered as {access.identity}; it acts as that user")
        orgs = self._optional(access, http, "/api/v2/users/me/organizations", auth, "organizations")
        org_names = [str(o.get("name") or o.get("id")) for o in _list(orgs, "organizations")]
        access.facts["organizations"] = len(org_names)
        access.reach = "organization" if org_names else "account"
        if org_names:
            access.note(f"reaches every project of {len(org_names)} organization(s) the user belongs to "
                        f"({', '.join(org_names)}); admin over those where the user is an org admin")
        body = self._optional(access, http, "/api/v2/projects", auth, "projects",
                              params={"limit": PROJECTS_LIMIT})
        if body is not None:
            _add_projects(access, _projects(body))
        access.add_resources([f"org {n}" for n in org_names])
        access.note("can create and revoke the user's other API keys, and delete their projects")
        return access.note(_FOOTPRINT)

    def _organization(self, access: Access, org_ids: list[str], why: str) -> Access:
        access.reach = "organization"
        access.capabilities = set(_ORG_CAPS)
        access.facts["token_kind"] = "organization"
        if org_ids:
            access.identity = "organization " + ", ".join(org_ids)
            access.facts["org_id"] = org_ids[0]
        access.note(f"organization key ({why}): admin-level access to every project of the "
                    "organization, including deleting projects, branches and databases")
        return access.note(_FOOTPRINT)

    def _project_scoped(self, access: Access, project: dict[str, str], status: int) -> Access:
        access.reach = "project"
        access.capabilities = set(_PROJECT_CAPS)
        access.identity = f"project {project['name']}"
        access.facts["token_kind"] = "project"
        access.facts["project_id"] = project["id"]
        access.note(f"project-scoped key: one project visible and organization members refused "
                    f"(HTTP {status}); member-level: changes and deletes branches, databases and "
                    "roles of that project, but cannot delete the project")
        return access.note(_FOOTPRINT)

    def _optional(self, access: Access, http: ProviderHTTP, path: str, auth: dict[str, str],
                  what: str, params: dict[str, Any] | None = None) -> dict[str, Any] | None:
        """An enrichment GET: a failure costs the detail, never the liveness already learned."""
        try:
            resp = http.get(path, headers=auth, params=params)
            if resp.status_code == 200:
                return json_object(resp)
            access.note(f"{what} not listed: HTTP {resp.status_code}")
        except LookupUnavailable as exc:
            access.note(f"{what} not listed: {exc}")
        return None


def _list(body: Any, key: str) -> list[dict[str, Any]]:
    items = body.get(key) if isinstance(body, dict) else None
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


def _projects(body: Any) -> list[dict[str, str]]:
    """[{id, name, org_id}] from a /projects answer, skipping anything malformed."""
    out: list[dict[str, str]] = []
    for p in _list(body, "projects"):
        if p.get("id"):
            out.append({"id": str(p["id"]), "name": str(p.get("name") or p["id"]),
                        "org_id": str(p.get("org_id") or "")})
    return out


def _add_projects(access: Access, projects: list[dict[str, str]]) -> None:
    access.facts["projects"] = len(projects)
    access.add_resources([p["name"] for p in projects], len(projects))
    if len(projects) >= PROJECTS_LIMIT:
        access.note(f"at least {PROJECTS_LIMIT} projects: the count is a floor")


detector = NeonDetector()
