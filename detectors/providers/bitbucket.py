"""Bitbucket Cloud app passwords and repository, project and workspace access tokens.

Formats: ``detectors/rules/bitbucket.toml`` (app passwords ``ATBB…``, access tokens
``ATCTT3xFfGN0…``). Atlassian API tokens (``ATATT3…``), which Bitbucket also accepts, are the
``atlassian`` provider's.

Lookup, one read-only call, ``GET https://api.bitbucket.org/2.0/repositories?role=member``
("List public repositories": ``role=member`` keeps the repositories the credential may read):

- Access tokens go as ``Authorization: Bearer`` (support.atlassian.com/bitbucket-cloud/docs/
  using-workspace-access-tokens/). Every answer carries ``x-oauth-scopes`` (the token's scopes)
  and ``x-credential-type`` (``repo_access_token`` …), as Atlassian's KB "How to fetch the scope of
  a token via command line?" documents (support.atlassian.com/bitbucket-cloud/kb/
  how-to-fetch-the-scope-of-a-token-via-command-line).
- App passwords go as HTTP Basic with the account's Bitbucket username, never its e-mail
  (KB "Getting 401 HTTP error when using Basic authentication with Bitbucket Cloud REST APIs").
  The username is read from the same URL (``https://alice:ATBB…@bitbucket.org``) or, failing that,
  from a Bitbucket username assigned nearby; 401 proves the password dead only in the first case.
  Atlassian switched every app password off on 9 June 2026 (same KB), so a 401 is the expected
  answer today. With the ``account`` scope, ``GET /2.0/user`` names the user.
- 401 is an invalid, expired or revoked credential; 403 ("Your credentials lack one or more
  required privilege scopes") is a live one without the ``repository`` scope.

Scopes (developer.atlassian.com/cloud/bitbucket/bitbucket-cloud-rest-api-scopes and the
repository/project/workspace access token and app password permission pages on
support.atlassian.com/bitbucket-cloud/docs/): ``repository`` read, ``repository:write``,
``repository:admin`` (deploy keys, permissions, webhooks, deleting the repository),
``repository:delete``, ``pullrequest[:write]``, ``project[:admin]``, ``pipeline[:write]``,
``pipeline:variable`` (the pipelines' variables, secured ones included), ``runner[:write]``,
``webhook``, ``account[:write]``, ``team[:write]``, ``email``, ``issue[:write]``, ``wiki``,
``snippet[:write]``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tokenreach.detectors.base import Detector, LookupUnavailable
from tokenreach.detectors.http import ProviderHTTP, json_object
from tokenreach.detectors.rule_files import builtin, rules_for
from tokenreach.scanner.model import Access, Capability, Reach, Token

if TYPE_CHECKING:
    import httpx

PATTERNS = rules_for("bitbucket")
_SPEC = builtin("bitbucket")

REPOSITORIES = "/2.0/repositories"
PAGE = 100  # the largest page Bitbucket serves

# Scope -> what it allows, in tokenreach's words.
_SCOPES: dict[str, tuple[Capability, ...]] = {
    "repository": ("read",),
    "repository:write": ("read", "write"),
    "repository:admin": ("read", "write", "delete", "admin"),
    "repository:delete": ("delete",),
    "pullrequest": ("read",),
    "pullrequest:write": ("read", "write"),
    "project": ("read",),
    "project:admin": ("read", "write", "delete", "admin"),
    "pipeline": ("read",),
    "pipeline:write": ("read", "write"),
    "pipeline:variable": ("read", "write", "secrets"),
    "runner": ("read",),
    "runner:write": ("read", "write"),
    "webhook": ("read", "write"),
    "account": ("read",),
    "account:write": ("read", "write", "admin"),
    "team": ("read",),
    "team:write": ("read", "write", "admin"),
    "email": ("read",),
    "issue": ("read",),
    "issue:write": ("read", "write"),
    "wiki": ("read", "write"),
    "snippet": ("read",),
    "snippet:write": ("read", "write", "delete"),
}
_ACTIONS: dict[str, tuple[Capability, ...]] = {
    "read": ("read",), "write": ("read", "write"), "admin": ("read", "write", "delete", "admin"),
    "delete": ("delete",),
}

_WHY = {
    401: "invalid, expired or revoked",
    403: "live, but without the repository scope this endpoint needs",
}


def capabilities_of(scopes: list[str]) -> set[Capability]:
    """Classic scopes (``repository:write``) and API-token scopes (``write:repository:bitbucket``)."""
    caps: set[Capability] = set()
    for scope in scopes:
        if scope in _SCOPES:
            caps.update(_SCOPES[scope])
        elif scope.endswith(":bitbucket") and scope.count(":") == 2:
            action, resource, _ = scope.split(":")
            caps.update(_ACTIONS.get(action, ()))
            if resource == "pipeline" and action in ("write", "admin"):
                caps.add("secrets")
    return caps


def scopes_of(resp: httpx.Response) -> list[str] | None:
    raw = resp.headers.get("x-oauth-scopes")
    if raw is None:
        return None
    return sorted({s.strip() for s in raw.replace(",", " ").split() if s.strip()})


def _reach_of(credential: str, token: Token, repos: list[dict[str, Any]]) -> Reach:
    if "repo" in credential:
        return "resource"
    if "project" in credential:
        return "project"
    if "workspace" in credential:
        return "organization"
    if token.kind == "app_password" or credential:  # a user's credential: everything the user reaches
        return "account"
    # An access token whose type Bitbucket did not name: judge by what it reaches.
    projects = {(r.get("workspace") or {}).get("slug", "") + "/" + str((r.get("project") or {}).get("key"))
                for r in repos}
    if len(repos) <= 1:
        return "resource"
    return "project" if len(projects) == 1 else "organization"


class BitbucketDetector(Detector):
    provider = "bitbucket"
    title = _SPEC.name
    patterns = PATTERNS
    api_url = "https://api.bitbucket.org"
    hosts = ("api.bitbucket.org",)
    forbidden_statuses = frozenset({403})  # documented: authenticated, lacks a privilege scope
    request_budget = 60  # Bitbucket allows 1,000 /2.0/repositories calls an hour per user
    revoke_url = _SPEC.revoke_url
    least_privilege = _SPEC.least_privilege
    # An app password needs its account's username: the one in the same URL is bound to it,
    # one assigned to a Bitbucket username variable nearby only probably so.
    context_patterns = {
        "url_username": r"://([A-Za-z0-9_-]{1,60}):",
        "username": (r"(?i:bitbucket)[\w.-]{0,20}?(?i:user(?:_?name)?)[\"']?\s*(?::=|=>|[:=])\s*[\"']?"
                     r"([A-Za-z0-9_-]{1,60})(?:[\"'\s,;]|$)"),
    }
    bound_context = frozenset({"url_username"})

    def classify(self, token: Token) -> Access:
        access = Access(evidence="prefix")
        if token.kind == "app_password":
            access.note("an app password (ATBB prefix): acts as its Bitbucket user with the scopes chosen "
                        "at creation; Atlassian switched app passwords off on 9 June 2026")
        else:
            access.note("a repository, project or workspace access token (ATCTT3xFfGN0 prefix)")
        return access

    def lookup(self, token: Token, http: ProviderHTTP, offline: Access) -> Access:
        access = offline
        params = {"role": "member", "pagelen": PAGE}
        why = dict(_WHY)
        if token.kind == "app_password":
            bound = token.context.get("url_username", "")
            user = bound if bound and bound != "x-token-auth" else token.context.get("username", "")
            if not user:
                return access.unknown("not looked up: an app password needs its Bitbucket username, and "
                                      "none is bound to it (the same URL, or a Bitbucket username nearby)")
            dead = None if user == bound else ()
            if user != bound:
                why[401] = (f"revoked, switched off, or not {user}'s (the username was found near the "
                            "password, not with it)")
            resp = http.get(REPOSITORIES, params=params, auth=(user, token.secret))
            if not http.settle(access, resp, REPOSITORIES, dead=dead, why=why):
                return self._refused(resp, token, access, user)
        else:
            user = ""
            resp = http.get(REPOSITORIES, params=params, headers={"Authorization": f"Bearer {token.secret}"})
            if not http.settle(access, resp, REPOSITORIES, why=why):
                return self._refused(resp, token, access, user)
        body = json_object(resp)
        values = body.get("values")
        if not isinstance(values, list):
            return access.unknown(f"{REPOSITORIES} answered 200 without a list of repositories")
        repos = [r for r in values if isinstance(r, dict)]
        scopes = self._scopes(resp, access)
        credential = resp.headers.get("x-credential-type", "").strip().lower()
        if credential:
            access.facts["credential_type"] = credential
        access.reach = _reach_of(credential, token, repos)
        names = [str(r["full_name"]) for r in repos if isinstance(r.get("full_name"), str)]
        size = body.get("size")
        total = size if isinstance(size, int) else None
        access.add_resources(names, total)
        more = " (more pages follow)" if body.get("next") and total is None else ""
        access.note(f"{REPOSITORIES}?role=member lists {len(names)} repositories it may read{more}")
        workspaces = sorted({n.split("/", 1)[0] for n in names})
        if token.kind != "app_password" and workspaces:
            access.identity = f"{credential or 'access token'} of {', '.join(workspaces)}"
        if token.kind == "app_password":
            access.identity = user
            if scopes is None or "account" in scopes or "account:write" in scopes:
                self._user(http, user, token.secret, access)
        if scopes is not None and not scopes:
            access.note("x-oauth-scopes is empty: no scopes")
        return access

    def _refused(self, resp: httpx.Response, token: Token, access: Access, user: str) -> Access:
        """A live credential the repository list refused (403) still shows its scopes and type."""
        if not access.live:
            return access
        self._scopes(resp, access)
        credential = resp.headers.get("x-credential-type", "").strip().lower()
        if credential:
            access.facts["credential_type"] = credential
        if credential or token.kind == "app_password":
            access.reach = _reach_of(credential, token, [])
        if user:
            access.identity = user
        return access

    def _scopes(self, resp: httpx.Response, access: Access) -> list[str] | None:
        """The x-oauth-scopes header, which Bitbucket sends with refusals too."""
        scopes = scopes_of(resp)
        if scopes is None:
            if access.live:
                access.note("the answer names no scopes (no x-oauth-scopes header): capabilities unknown")
            return None
        access.grants = scopes
        access.capabilities = capabilities_of(scopes)
        if scopes:
            access.note(f"scopes from the x-oauth-scopes header: {', '.join(scopes)}")
        if "pipeline:variable" in scopes:
            access.note("pipeline:variable: can read and change every pipeline variable, and overwrite "
                        "secured ones")
        if {"repository:admin", "repository:delete"} & set(scopes):
            access.note("can delete repositories (repository:admin or repository:delete)")
        return scopes

    def _user(self, http: ProviderHTTP, user: str, secret: str, access: Access) -> None:
        try:
            resp = http.get("/2.0/user", auth=(user, secret))
            body = json_object(resp) if resp.status_code == 200 else None
        except LookupUnavailable as exc:  # liveness is settled: only the name is missing
            access.note(f"account details unavailable: {exc}")
            return
        if body is None:
            access.note(f"/2.0/user answered HTTP {resp.status_code}: account details unknown")
            return
        name, display = body.get("username"), body.get("display_name")
        if isinstance(name, str) and name:
            access.identity = f"{display} ({name})" if isinstance(display, str) and display else name

detector = BitbucketDetector()
