"""HCP Terraform (Terraform Cloud) user, team and organization API tokens.

Format: ``detectors/rules/terraform_cloud.toml`` (``<14>.atlasv1.<60-70>``, the same for every token
kind and for Terraform Enterprise). A Terraform Enterprise token answers 401 on app.terraform.io as
if it were revoked, so the host the text names decides: ``TF_TOKEN_<host>`` (the CLI's variable,
dots as ``_``, hyphens as ``__``), a ``credentials "<host>"`` block, a ``credentials.tfrc.json`` key
or ``TFE_HOSTNAME``/``TFE_ADDRESS``. ``app.terraform.io`` and ``app.eu.terraform.io`` (HCP Terraform
Europe) are asked; any other host is self-hosted and not looked up; with no host named, a 401
stays unknown.

Lookup, ``Authorization: Bearer``, all GETs of API v2 (developer.hashicorp.com/terraform/cloud-docs/
api-docs):
- ``/api/v2/account/details`` ("Account API"): the user, or for a team or organization token the
  synthetic "service user", whose ``authenticated-resource`` relationship names the team
  (``teams``) or organization (``organizations``) behind the token. 401 is an invalid, expired or
  revoked token (JSON:API error object).
- ``/api/v2/organizations`` ("Organizations API"): every organization the token reaches, each with
  the ``permissions`` its holder has there (``can-update``, ``can-destroy``, ``can-manage-users``,
  ``can-manage-subscription``, ``can-create-workspace`` …).
- ``/api/v2/teams/<id>`` for a team token ("Teams API"): the team's name (``owners`` is the
  organization's owners) and ``organization-access`` (``manage-workspaces``, ``manage-membership`` …).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from tokenreach.detectors.base import Detector, LookupUnavailable
from tokenreach.detectors.http import ProviderHTTP, json_object
from tokenreach.detectors.rule_files import builtin, rules_for
from tokenreach.scanner.model import Access, Capability, Token

PATTERNS = rules_for("terraform_cloud")
_SPEC = builtin("terraform_cloud")

HCP_HOSTS = ("app.terraform.io", "app.eu.terraform.io")
ACCOUNT = "/api/v2/account/details"
ORGANIZATIONS = "/api/v2/organizations"
_TEAM_ID = re.compile(r"team-[A-Za-z0-9]{8,32}")

# Organization permissions (the token holder's, per organization) and what they mean.
_ORG_PERMISSIONS: dict[str, tuple[Capability, ...]] = {
    "can-update": ("write", "admin"),
    "can-destroy": ("delete", "admin"),
    "can-manage-users": ("admin",),
    "can-create-team": ("admin",),
    "can-update-api-token": ("admin",),
    "can-manage-sso": ("admin",),
    "can-manage-subscription": ("billing",),
    "can-create-workspace": ("write",),
    "can-manage-varsets": ("write",),
    "can-update-oauth": ("write",),
    "can-update-ssh-keys": ("write",),
    "can-create-module": ("write",),
    "can-create-provider": ("write",),
    "can-update-agent-pools": ("write",),
}
_TEAM_ACCESS: dict[str, tuple[Capability, ...]] = {
    "read-workspaces": ("read",),
    "read-projects": ("read",),
    "manage-workspaces": ("read", "write", "delete"),
    "manage-projects": ("read", "write", "delete"),
    "manage-vcs-settings": ("write",),
    "manage-policies": ("write",),
    "manage-policy-overrides": ("write",),
    "manage-run-tasks": ("write",),
    "manage-agent-pools": ("write",),
    "manage-providers": ("write",),
    "manage-modules": ("write",),
    "manage-membership": ("admin",),
    "manage-teams": ("admin",),
    "manage-organization-access": ("admin",),
}


def host_named(context: Mapping[str, str]) -> str | None:
    """The Terraform host the text names for this token, lower-cased; None when it names none."""
    var = context.get("tf_token_var")
    if var:  # TF_TOKEN_app_terraform_io: "__" stands for "-", "_" for "."
        return var.replace("__", "\0").replace("_", ".").replace("\0", "-").lower()
    for key in ("credentials_host", "tfe_host"):
        if context.get(key):
            return context[key].lower()
    return None


class TerraformCloudDetector(Detector):
    provider = "terraform_cloud"
    title = _SPEC.name
    patterns = PATTERNS
    api_url = "https://app.terraform.io"
    hosts = HCP_HOSTS
    request_budget = 60
    revoke_url = _SPEC.revoke_url
    least_privilege = _SPEC.least_privilege
    context_patterns = {
        "tf_token_var": r"\bTF_TOKEN_([A-Za-z0-9_]{3,120})\s*[=:]",
        "credentials_host": r"(?:credentials\s+\"|\"credentials\"\s*:\s*\{\s*\")([A-Za-z0-9.-]{3,120})\"",
        "tfe_host": r"\bTFE_(?:HOSTNAME|ADDRESS)\s*[=:]\s*[\"']?(?:https://)?([A-Za-z0-9.-]{3,120})",
    }

    def classify(self, token: Token) -> Access:
        access = Access(evidence="prefix")
        host = host_named(token.context)
        if host and host not in HCP_HOSTS:
            access.note(f"named for {host}: a Terraform Enterprise instance, not looked up unless "
                        "TOKENREACH_TERRAFORM_CLOUD_API_URL points there")
        return access

    def lookup(self, token: Token, http: ProviderHTTP, offline: Access) -> Access:
        access = offline
        host = host_named(token.context)
        if host and host not in HCP_HOSTS and not http.overridden:
            return access.unknown("not looked up: self-hosted instance (Terraform Enterprise)")
        target = host if host in HCP_HOSTS else None
        headers = {"Authorization": f"Bearer {token.secret}", "Accept": "application/vnd.api+json"}
        resp = http.get(ACCOUNT, host=target, headers=headers)
        why = {401: "invalid, expired or revoked"}
        dead = None
        if host is None:
            dead = ()  # it may be a Terraform Enterprise token that this host does not know
            why = {401: "revoked, or a Terraform Enterprise token (no host is named near it)"}
        if not http.settle(access, resp, ACCOUNT, dead=dead, why=why):
            return access
        data = json_object(resp).get("data")
        if not isinstance(data, dict):
            return access.unknown(f"{ACCOUNT} answered 200 without data")
        attrs = data.get("attributes")
        attrs = attrs if isinstance(attrs, dict) else {}
        kind, resource_id = _authenticated_resource(data, attrs)
        access.facts["token_type"] = kind
        username, email = attrs.get("username"), attrs.get("email")
        if kind == "user":
            access.identity = f"{username} <{email}>" if email else str(username)
            if attrs.get("is-site-admin") is True:
                access.facts["site_admin"] = True
                access.note("is-site-admin: the user administers the whole installation")
        elif kind == "team":
            access.identity = f"team token ({resource_id or username})"
        elif kind == "organization":
            access.identity = f"organization token of {resource_id}" if resource_id else "organization token"
        access.note(f"{ACCOUNT}: a {kind} token")
        orgs = self._organizations(http, target, headers, access)
        if kind == "team" and resource_id and _TEAM_ID.fullmatch(resource_id):
            self._team(http, target, headers, resource_id, access)
        elif kind == "organization":
            access.reach = "organization"
            access.capabilities.update(("read", "write", "delete", "admin"))
            access.note("an organization token acts as the organization's owners on most endpoints "
                        "(teams, workspaces, variables); it cannot start runs")
        elif "admin" in access.capabilities:
            access.reach = "organization"
        else:  # a member reaches the workspaces its teams were granted
            access.reach = "project" if orgs else "account"
        if "admin" in access.capabilities:
            access.capabilities.add("secrets")
            access.note("can read every workspace's state and variables, the infrastructure's secrets among them")
        access.capabilities.add("read")
        return access

    def _organizations(self, http: ProviderHTTP, host: str | None, headers: dict[str, str],
                       access: Access) -> list[str]:
        """The organizations the token reaches, and what its holder may do in each."""
        try:
            resp = http.get(ORGANIZATIONS, host=host, headers=headers, params={"page[size]": 100})
            body = json_object(resp) if resp.status_code == 200 else None
        except LookupUnavailable as exc:
            access.note(f"organizations not listed: {exc}")
            return []
        data = (body or {}).get("data")
        if not isinstance(data, list):
            access.note(f"{ORGANIZATIONS} answered HTTP {resp.status_code}: organizations unknown")
            return []
        names: list[str] = []
        granted: set[str] = set()
        for org in data:
            if not isinstance(org, dict) or not isinstance(org.get("id"), str):
                continue
            names.append(org["id"])
            perms = (org.get("attributes") or {}).get("permissions")
            if isinstance(perms, dict):
                granted.update(k for k, v in perms.items() if v is True and k in _ORG_PERMISSIONS)
        for perm in granted:
            access.capabilities.update(_ORG_PERMISSIONS[perm])
        access.grants = sorted(set(access.grants) | granted)
        total = ((body or {}).get("meta") or {}).get("pagination", {}).get("total-count")
        access.add_resources(names, total if isinstance(total, int) else len(names))
        access.note(f"{ORGANIZATIONS} lists {len(names)} organization(s)"
                    + (f"; it may {', '.join(sorted(granted))} there" if granted else ""))
        if {"can-update", "can-destroy", "can-manage-users"} & granted:
            access.note("owner-level permissions on an organization (can-update, can-destroy or can-manage-users)")
        return names

    def _team(self, http: ProviderHTTP, host: str | None, headers: dict[str, str], team_id: str,
              access: Access) -> None:
        access.reach = "project"
        try:
            resp = http.get(f"/api/v2/teams/{team_id}", host=host, headers=headers)
            data = json_object(resp).get("data") if resp.status_code == 200 else None
        except LookupUnavailable as exc:
            access.note(f"team not read: {exc}")
            return
        attrs = data.get("attributes") if isinstance(data, dict) else None
        if not isinstance(attrs, dict):
            access.note(f"/api/v2/teams/{team_id} answered HTTP {resp.status_code}: team access unknown")
            return
        name = attrs.get("name")
        if isinstance(name, str):
            access.identity = f"team token of {name} ({team_id})"
        org_access = attrs.get("organization-access")
        org_access = org_access if isinstance(org_access, dict) else {}
        held = sorted(k for k, v in org_access.items() if v is True and k in _TEAM_ACCESS)
        for key in held:
            access.capabilities.update(_TEAM_ACCESS[key])
        access.grants = sorted(set(access.grants) | set(held))
        if name == "owners":
            access.reach = "organization"
            access.capabilities.update(("read", "write", "delete", "admin"))
            access.note("the owners team: full control of the organization")
        elif {"manage-workspaces", "manage-projects", "manage-membership", "manage-teams",
              "manage-organization-access"} & set(held):
            access.reach = "organization"
        access.note(f"team organization-access: {', '.join(held) or 'none'}; workspaces granted to the team "
                    "add to this")


def _authenticated_resource(data: dict[str, Any], attrs: dict[str, Any]) -> tuple[str, str | None]:
    """("user" | "team" | "organization" | the type named, the team or organization id)."""
    rel = ((data.get("relationships") or {}).get("authenticated-resource") or {}).get("data")
    if isinstance(rel, dict) and isinstance(rel.get("type"), str):
        named: str = rel["type"]
        kind = {"users": "user", "teams": "team", "organizations": "organization"}.get(named, named)
        rid = rel.get("id")
        return kind, rid if isinstance(rid, str) else None
    username = str(attrs.get("username") or "")
    if attrs.get("is-service-account") is True and username.startswith("api-org-"):
        return "organization", None
    if attrs.get("is-service-account") is True and username.startswith("api-team"):
        return "team", None
    return "user", None


detector = TerraformCloudDetector()
