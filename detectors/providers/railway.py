"""Railway account, workspace and project tokens (and the CLI's stored login).

Format (providers.md B.1; docs.railway.com/reference/public-api): account, workspace and project
tokens are the same bare UUID, so they are found only by context: a variable or key naming
Railway (``RAILWAY_TOKEN``, ``RAILWAY_API_TOKEN``, ``railwayToken``), the ``Project-Access-Token``
header, a ``Bearer`` next to ``backboard.railway.com``, or the CLI's ``~/.railway/config.json``
(``"user": {"token" | "accessToken" | "refreshToken"}``).

The bytes say nothing about the kind, and so nothing about the breadth. Only the API does: one
GraphQL endpoint, three read-only queries tried in order, stopping at the first that succeeds:

1. ``me`` with ``Authorization: Bearer``: an account token (or a CLI/OAuth login): the user;
2. ``apiToken { workspaces }`` with Bearer: a workspace token: admin over one workspace;
3. ``projectToken`` with ``Project-Access-Token``: a project token: one environment of one project.

GraphQL answers HTTP 200 even on failure: a failed probe is ``errors[]`` saying "Not Authorized".
Only when all three say so is the token dead. trufflehog and kingfisher stop after ``me`` and so
report every live workspace or project token as invalid. Queries only, never a mutation, and the
CLI's OAuth refresh token is reported but never redeemed: replaying a rotated Railway refresh
token revokes the whole authorization.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from tokenreach.detectors.base import Detector, LookupUnavailable
from tokenreach.detectors.http import ProviderHTTP, json_object
from tokenreach.detectors.redaction import redact
from tokenreach.detectors.rule_files import rules_for
from tokenreach.scanner.model import Access, Capability, Token

PATTERNS = rules_for("railway")

GRAPHQL_PATH = "/graphql/v2"
Q_ME = "query { me { id email name workspaces { id name } } }"
Q_API_TOKEN = "query { apiToken { workspaces { id name } } }"
Q_PROJECT_TOKEN = (
    "query { projectToken { projectId environmentId project { id name } environment { id name } } }"
)
MAX_WORKSPACES = 10  # enumerated in one aliased query; the count still covers them all
PROJECTS_PAGE = 500  # the CLI's own page size for workspace.projects

# What a role lets its holder do. Roles are ADMIN | MEMBER | VIEWER (TeamRole, ProjectRole). The
# docs say a project Editor (MEMBER) "can not do destructive actions such as deleting services or
# deleting the project" and a Viewer can neither deploy nor see variables; workspace roles are
# read the same way. A workspace token counts as ADMIN ("treat a workspace token as equivalent
# to workspace admin access").
_ROLE_CAPS: dict[str, frozenset[Capability]] = {
    "ADMIN": frozenset({"read", "write", "delete", "admin", "secrets", "billing"}),
    "MEMBER": frozenset({"read", "write", "secrets"}),
    "VIEWER": frozenset({"read"}),
}
# A project token deploys and reads/sets the variables of its one environment.
_PROJECT_CAPS: frozenset[Capability] = frozenset({"read", "write", "secrets"})
_PRODUCTION = re.compile(r"^(?:prod|production|main|live)(?:[-_ ].*)?$", re.IGNORECASE)
_NOT_AUTHORIZED = re.compile(r"not authori[sz]ed|unauthori[sz]ed|unauthenticated", re.IGNORECASE)
_SAFE_ID = re.compile(r"[A-Za-z0-9-]{1,64}")
_2FA_NOTE = ("token access bypasses the workspace's two-factor enforcement "
             "(docs: two-factor-enforcement.md)")


class RailwayDetector(Detector):
    provider = "railway"
    title = "Railway"
    patterns = PATTERNS
    api_url = "https://backboard.railway.com"
    hosts = ("backboard.railway.com",)
    # Free plan: 100 API requests an hour for the whole account, and a token costs up to 3.
    request_budget = 30
    revoke_url = "https://railway.com/account/tokens"
    least_privilege = (
        "create a Railway project token (Project settings → Tokens) for the one environment that needs "
        "it; an account or workspace token can delete every project it reaches"
    )
    # Code near the match that sends a token in Railway's project-token header (a kind hint).
    context_patterns = {"sent_as": r"(?i)\b(project-access-token)\b"}

    def classify(self, token: Token) -> Access:
        access = Access(evidence="prefix")
        variable = token.extras.get("name") or token.variable
        if variable:
            access.facts["variable"] = variable
        if token.kind == "oauth_refresh":
            access.facts["token_kind"] = "oauth_refresh"
            access.facts["skip_lookup"] = True
            return access.note(
                "Railway CLI OAuth refresh token: lives a year and mints access tokens as the user; "
                "never redeemed here (redeeming rotates it, and replaying a rotated one revokes the "
                "whole authorization)"
            )
        hint = kind_hint(variable, token.pattern_id)
        if token.context.get("sent_as"):
            access.facts["sent_as"] = "Project-Access-Token"
            hint = hint or "project"
        if hint:
            access.facts["kind_hint"] = hint
        if token.kind == "cli_login":
            access.note("Railway CLI login from ~/.railway/config.json: acts as the user (account-level)")
        else:
            access.note("bare UUID: only the Railway API can tell an account, workspace or project token")
        if hint and variable:
            access.note(f"the name {variable} suggests a {hint.replace('_', ' ')} token (a hint only)")
        # Railway's CLI documents RAILWAY_API_TOKEN (and its own login) as an account or workspace
        # token and RAILWAY_TOKEN as a project token: enough to rank it before anyone asks the API,
        # which replaces these facts when it answers.
        if hint in ("account", "account_or_workspace", "workspace"):
            access.evidence = "offline"
            access.reach = "account"
            access.capabilities = {"read", "write", "delete"}
        elif hint == "project":
            access.evidence = "offline"
            access.reach = "project"
            access.capabilities = {"read", "write"}
        return access

    def lookup(self, token: Token, http: ProviderHTTP, offline: Access) -> Access:
        access = offline
        rail = _Railway(http, token.secret)
        bearer = rail.bearer
        undecided: list[str] = []  # probes that answered something other than "Not Authorized"

        me = rail.probe(Q_ME, bearer, "me", undecided)
        if me is not None:
            return self._account(access, rail, me)
        api_token = rail.probe(Q_API_TOKEN, bearer, "apiToken", undecided)
        if api_token is not None:
            workspaces = _named(api_token.value.get("workspaces"))
            if workspaces:
                return self._workspace(access, rail, workspaces)
            undecided.append("apiToken listed no workspace")
        project = rail.probe(Q_PROJECT_TOKEN, {"Project-Access-Token": token.secret}, "projectToken",
                             undecided)
        if project is not None:
            return self._project(access, project.value)
        if undecided:
            return access.unknown("Railway did not decide: " + "; ".join(undecided))
        access.live = False
        access.evidence = "api"
        return access.note("Railway answered Not Authorized to me, apiToken (Bearer) and projectToken "
                           "(Project-Access-Token): revoked, expired, or not a Railway token")

    # Token kinds -------------------------------------------------------------------------------

    def _account(self, access: Access, rail: _Railway, me: _Answer) -> Access:
        user = me.value
        access.live = True
        access.evidence = "api"
        access.reach = "account"
        access.identity = str(user.get("email") or user.get("name") or user.get("id") or "Railway user")
        access.facts.update(token_kind="account", bypasses_2fa=True, can_mint_tokens=True)
        workspaces = _named(user.get("workspaces"))
        access.facts["workspaces"] = len(workspaces)
        access.note(f"account token: `me` answered as {access.identity}; it acts as the user in all "
                    f"{len(workspaces)} of their workspace(s) and on their personal resources")
        _hint_mismatch(access, "account")
        if me.errors:
            access.note("me answered in part: " + "; ".join(me.errors[:3]))

        counts = rail.project_counts(access, workspaces)
        roles = rail.roles(access, workspaces, str(user.get("email") or ""))
        access.capabilities = {"admin"}  # apiTokenCreate: it can mint more tokens like itself
        unknown_roles = [w["name"] for w in workspaces if w["id"] not in roles]
        for w in workspaces:
            role = roles.get(w["id"])
            if role:
                access.grants.append(f"{w['name']}:{role}")
            access.capabilities |= _ROLE_CAPS.get(role or "ADMIN", _ROLE_CAPS["ADMIN"])
        if roles:
            access.facts["roles"] = {w["name"]: roles[w["id"]] for w in workspaces if w["id"] in roles}
        if unknown_roles:
            access.note("role not learned in " + ", ".join(unknown_roles)
                        + ": assumed the user's full rights there")
        if not workspaces:
            access.capabilities |= _ROLE_CAPS["ADMIN"]
            access.note("no workspace listed: assumed the user's full rights over their own resources")
        deletable = [w for w in workspaces if roles.get(w["id"], "ADMIN") == "ADMIN"]
        if deletable or not workspaces:
            total = sum(counts.get(w["id"], 0) for w in deletable)
            access.facts["can_delete_projects"] = True
            where = ("the account" if len(deletable) == len(workspaces)
                     else "workspace(s) " + ", ".join(w["name"] for w in deletable))
            access.facts["delete_scope"] = where
            counted = f"{total} project(s); " if counts else ""
            access.note(f"can delete every volume, service and project of {where} ({counted}"
                        "volumeDelete, projectDelete, workspaceDelete), read every variable, and mint "
                        "new tokens (apiTokenCreate)")
        else:
            access.note("can mint new tokens (apiTokenCreate); its workspace roles allow no deletion")
        access.note(_2FA_NOTE)
        return access

    def _workspace(self, access: Access, rail: _Railway, workspaces: list[dict[str, str]]) -> Access:
        access.live = True
        access.evidence = "api"
        access.reach = "organization"
        names = [w["name"] for w in workspaces]
        access.identity = "workspace " + ", ".join(names)
        access.facts.update(token_kind="workspace", workspaces=len(workspaces), bypasses_2fa=True)
        access.capabilities = set(_ROLE_CAPS["ADMIN"])
        access.note(f"workspace token: `me` refused it, `apiToken` lists workspace {', '.join(names)}; "
                    "Railway's docs say to treat it as workspace admin access (access groups do not "
                    "restrict it)")
        _hint_mismatch(access, "workspace")
        counts = rail.project_counts(access, workspaces)
        if counts:
            access.note(f"can delete every volume, service and project ({sum(counts.values())} "
                        "project(s)) of the workspace and read every variable")
            access.facts["can_delete_projects"] = True
        access.note(_2FA_NOTE)
        return access

    def _project(self, access: Access, info: dict[str, Any]) -> Access:
        project = info.get("project")
        project = project if isinstance(project, dict) else {}
        environment = info.get("environment")
        environment = environment if isinstance(environment, dict) else {}
        project_name = str(project.get("name") or info.get("projectId") or "unknown project")
        env_name = str(environment.get("name") or info.get("environmentId") or "unknown environment")
        access.live = True
        access.evidence = "api"
        access.reach = "project"
        access.identity = f"project {project_name} ({env_name})"
        access.capabilities = set(_PROJECT_CAPS)
        access.add_resources([f"{project_name}/{env_name}"], 1)
        production = bool(_PRODUCTION.match(env_name))
        access.facts.update(token_kind="project", project=project_name, environment=env_name,
                            projects=1, production=production, bypasses_2fa=True)
        access.note(f"project token: `me` and `apiToken` refused it, `projectToken` names project "
                    f"{project_name}, environment {env_name}; it deploys to and reads and sets the "
                    "variables of that one environment")
        if production:
            access.note(f"environment {env_name!r} looks like production")
        _hint_mismatch(access, "project")
        access.note(_2FA_NOTE)
        return access


# GraphQL plumbing ----------------------------------------------------------------------------


@dataclass
class _Answer:
    value: dict[str, Any]
    errors: list[str] = field(default_factory=list)


class _Railway:
    """The Railway GraphQL endpoint for one token: queries only, and a watch on the quota."""

    def __init__(self, http: ProviderHTTP, secret: str) -> None:
        self.http = http
        self.secret = secret
        self.bearer = {"Authorization": f"Bearer {secret}"}
        self.quota_left: int | None = None

    def ask(self, query: str, headers: dict[str, str]) -> tuple[int, dict[str, Any] | None]:
        resp = self.http.graphql(GRAPHQL_PATH, query, headers=headers)
        remaining = resp.headers.get("X-RateLimit-Remaining", "")
        if remaining.strip().isdigit():
            self.quota_left = int(remaining)
        if resp.status_code != 200:
            return resp.status_code, None
        return 200, json_object(resp)

    def probe(self, query: str, headers: dict[str, str], name: str, undecided: list[str]) -> _Answer | None:
        """The ``data.<name>`` object, or None when Railway refused the token for this query.

        Raises LookupUnavailable for transport trouble; records any other refusal in
        ``undecided`` so that only three clean "Not Authorized" answers read as dead.
        """
        status, body = self.ask(query, headers)
        if status == 401:
            return None
        if body is None:
            raise LookupUnavailable(f"Railway answered HTTP {status} to {name}")
        data = body.get("data")
        value = data.get(name) if isinstance(data, dict) else None
        errors = self._messages(body)
        if isinstance(value, dict):
            return _Answer(value, errors)
        if errors and all(_NOT_AUTHORIZED.search(e) for e in errors):
            return None
        undecided.append(f"{name} answered " + (errors[0] if errors else "no data and no error"))
        return None

    def project_counts(self, access: Access, workspaces: list[dict[str, str]]) -> dict[str, int]:
        """Projects of each workspace, in one aliased query; resources get "workspace/project"."""
        listed = [w for w in workspaces if _SAFE_ID.fullmatch(w["id"])][:MAX_WORKSPACES]
        if not listed or not self._quota_allows(access, "projects"):
            return {}
        parts = [
            f'w{i}: workspace(workspaceId: "{w["id"]}") {{ id name projects(first: {PROJECTS_PAGE}) '
            "{ edges { node { id name } } } }"
            for i, w in enumerate(listed)
        ]
        body = self._enrich("query { " + " ".join(parts) + " }", access, "projects")
        if body is None:
            return {}
        data = body.get("data")
        data = data if isinstance(data, dict) else {}
        counts: dict[str, int] = {}
        names: list[str] = []
        for i, w in enumerate(listed):
            node = data.get(f"w{i}")
            if not isinstance(node, dict):
                continue
            projects = _edges(node.get("projects"))
            counts[w["id"]] = len(projects)
            names += [f"{w['name']}/{p['name']}" for p in projects]
        if not counts:
            access.note("projects not listed: " + ("; ".join(self._messages(body)) or "empty answer"))
            return {}
        access.facts["projects"] = sum(counts.values())
        access.add_resources(names, sum(counts.values()))
        if len(workspaces) > len(listed):
            access.note(f"projects counted in the first {len(listed)} of {len(workspaces)} workspaces")
        if any(n >= PROJECTS_PAGE for n in counts.values()):
            access.note(f"a workspace holds at least {PROJECTS_PAGE} projects: counts are a floor")
        return counts

    def roles(self, access: Access, workspaces: list[dict[str, str]], email: str) -> dict[str, str]:
        """The user's TeamRole in each workspace, from workspace.members matched on me.email."""
        listed = [w for w in workspaces if _SAFE_ID.fullmatch(w["id"])][:MAX_WORKSPACES]
        if not listed or not email or not self._quota_allows(access, "roles"):
            return {}
        parts = [f'w{i}: workspace(workspaceId: "{w["id"]}") {{ members {{ email role }} }}'
                 for i, w in enumerate(listed)]
        body = self._enrich("query { " + " ".join(parts) + " }", access, "roles")
        if body is None:
            return {}
        data = body.get("data")
        data = data if isinstance(data, dict) else {}
        roles: dict[str, str] = {}
        for i, w in enumerate(listed):
            node = data.get(f"w{i}")
            members = node.get("members") if isinstance(node, dict) else None
            for m in members if isinstance(members, list) else []:
                if isinstance(m, dict) and str(m.get("email", "")).lower() == email.lower():
                    role = str(m.get("role") or "").upper()
                    if role:
                        roles[w["id"]] = role
        return roles

    def _enrich(self, query: str, access: Access, what: str) -> dict[str, Any] | None:
        """An enrichment query: its failure costs the detail, never the liveness already learned."""
        try:
            status, body = self.ask(query, self.bearer)
        except LookupUnavailable as exc:
            access.note(f"{what} not learned: {exc}")
            return None
        if body is None:
            access.note(f"{what} not learned: HTTP {status}")
        return body

    def _quota_allows(self, access: Access, what: str) -> bool:
        if self.quota_left is not None and self.quota_left <= 0:
            access.note(f"{what} not learned: the account's Railway API quota is used up "
                        "(X-RateLimit-Remaining: 0)")
            return False
        return True

    def _messages(self, body: dict[str, Any]) -> list[str]:
        errors = body.get("errors")
        out: list[str] = []
        for e in errors if isinstance(errors, list) else []:
            msg = str(e.get("message") if isinstance(e, dict) else e)[:120]
            out.append(msg.replace(self.secret, redact(self.secret)))
        return out


# Helpers -------------------------------------------------------------------------------------


def kind_hint(variable: str | None, pattern_id: str = "") -> str | None:
    """The kind a variable name or location suggests (the CLI reads RAILWAY_TOKEN as a project
    token and RAILWAY_API_TOKEN as an account or workspace token). A hint only."""
    if pattern_id == "railway.project_access_token_header":
        return "project"
    if pattern_id in ("railway.cli_token", "railway.cli_access_token"):
        return "account"
    name = re.sub(r"[^A-Z0-9]", "_", (variable or "").upper())
    if name.endswith("RAILWAY_API_TOKEN"):
        return "account_or_workspace"
    if name.endswith("RAILWAY_TOKEN") or name.endswith("RAILWAY_PROJECT_TOKEN"):
        return "project"
    if "WORKSPACE" in name or "TEAM" in name:
        return "workspace"
    return None


def _hint_mismatch(access: Access, kind: str) -> None:
    hint = access.facts.get("kind_hint")
    if not hint or kind in str(hint).split("_or_"):
        return
    access.facts["kind_mismatch"] = True
    access.note(f"stored as {access.facts.get('variable') or 'a ' + str(hint) + ' token'}, which "
                f"suggests a {str(hint).replace('_', ' ')} token, but Railway says it is a {kind} token")


def _named(items: Any) -> list[dict[str, str]]:
    """[{id, name}] from a GraphQL list, skipping anything malformed."""
    out: list[dict[str, str]] = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and item.get("id"):
            out.append({"id": str(item["id"]), "name": str(item.get("name") or item["id"])})
    return out


def _edges(connection: Any) -> list[dict[str, str]]:
    edges = connection.get("edges") if isinstance(connection, dict) else None
    return _named([e.get("node") for e in edges if isinstance(e, dict)] if isinstance(edges, list) else [])


detector = RailwayDetector()
