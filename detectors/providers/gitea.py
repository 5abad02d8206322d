"""Gitea and Forgejo access tokens, looked up only on the instance the operator names.

Format: ``detectors/rules/gitea.toml`` (40 hex digits next to a Gitea name). Every instance is the
customer's own, and a repository names no address a token may be trusted to: a token is sent only to
``TOKENREACH_GITEA_API_URL`` (the instance's root, e.g. ``https://git.example.com``); without it,
"not looked up: self-hosted instance".

Lookup, ``Authorization: token <token>`` (docs.gitea.com/development/api-usage), all GETs:
- ``/api/v1/user`` ("Get the authenticated user": ``login``, ``email``, ``is_admin``). 401 is an
  unknown or revoked token. A token without the ``read:user`` scope gets 403 "token does not have at
  least one of required scope(s)"; newer releases add ``required=[…], token scope=…``, the token's
  own scopes, which are then read from it.
- ``/api/v1/user/repos`` (``read:repository``): the repositories it reaches, with the user's
  ``permissions`` (``admin``, ``push``, ``pull``) on each.
- ``/api/v1/admin/users?limit=1`` for a site administrator (``read:admin``): 200 means the token
  carries the instance's administration.

Scopes (docs.gitea.com/development/oauth2-provider#scopes): ``all``, and ``read:``/``write:`` on
``activitypub``, ``admin``, ``issue``, ``misc``, ``notification``, ``organization``, ``package``,
``repository``, ``user``. No endpoint lists a token's scopes when they are not named in a refusal, so
capabilities are then the user's own on what the token could read (an upper bound).
"""

from __future__ import annotations

import re
from typing import Any

from tokenreach.detectors.base import Detector, LookupUnavailable
from tokenreach.detectors.http import ProviderHTTP, json_object, json_of
from tokenreach.detectors.rule_files import builtin, rules_for
from tokenreach.scanner.model import Access, Capability, Token

PATTERNS = rules_for("gitea")
_SPEC = builtin("gitea")

USER = "/api/v1/user"
REPOS = "/api/v1/user/repos"
ADMIN_USERS = "/api/v1/admin/users"
_SCOPE_REFUSAL = "does not have at least one of required scope"
_TOKEN_SCOPE = re.compile(r"token scope=([a-z:,_ -]+)")


def scopes_named(message: str) -> list[str] | None:
    """The token's own scopes, when a refusal names them (``token scope=write:issue,read:user``)."""
    m = _TOKEN_SCOPE.search(message)
    if not m:
        return None
    return sorted({s.strip() for s in m.group(1).split(",") if s.strip()})


def capabilities_of(scopes: list[str]) -> set[Capability]:
    caps: set[Capability] = set()
    for scope in scopes:
        if scope == "all":
            return {"read", "write", "delete", "admin"}
        level, _, category = scope.partition(":")
        caps.add("read")
        if level == "write":
            caps.update(("write", "delete"))
            if category == "admin":
                caps.add("admin")
    return caps


class GiteaDetector(Detector):
    provider = "gitea"
    title = _SPEC.name
    patterns = PATTERNS
    api_url = None
    self_hosted = True  # only TOKENREACH_GITEA_API_URL
    forbidden_statuses = frozenset({403})  # documented: authenticated, lacks a scope for this endpoint
    request_budget = 40
    revoke_url = _SPEC.revoke_url
    least_privilege = _SPEC.least_privilege

    def lookup(self, token: Token, http: ProviderHTTP, offline: Access) -> Access:
        access = offline
        if not http.overridden:
            return access.unknown("not looked up: self-hosted instance (set TOKENREACH_GITEA_API_URL to the "
                                  "Gitea or Forgejo this token belongs to)")
        headers = {"Authorization": f"token {token.secret}"}
        resp = http.get(USER, headers=headers)
        refusal = _message(resp)
        scope_refused = resp.status_code == 403 and _SCOPE_REFUSAL in refusal
        why = {403: "live, but without the read:user scope" if scope_refused
               else "forbidden (not a scope refusal: a proxy or a disabled account?)"}
        if not http.settle(access, resp, USER, forbidden={403} if scope_refused else (), why=why):
            if access.live:
                self._scopes(refusal, access)
            return access
        user = json_object(resp)
        login, email = user.get("login"), user.get("email")
        access.identity = f"{login} <{email}>" if login and email else (str(login) if login else None)
        is_admin = user.get("is_admin") is True
        if is_admin:
            access.facts["site_admin"] = True
        access.reach = "account"
        self._repositories(http, headers, access)
        if is_admin:
            self._administration(http, headers, access)
        if not access.grants:
            access.facts["capabilities_upper_bound"] = True
            access.note("no endpoint lists the token's scopes: capabilities are its user's on what it could read")
        access.capabilities.add("read")
        return access

    def _scopes(self, message: str, access: Access) -> bool:
        """Scopes named in a refusal (newer releases): the token's exact rights."""
        named = scopes_named(message)
        if named is None:
            return False
        access.grants = named
        access.capabilities = capabilities_of(named)
        access.note(f"the refusal names the token's scopes: {', '.join(named)}")
        return True

    def _repositories(self, http: ProviderHTTP, headers: dict[str, str], access: Access) -> None:
        try:
            resp = http.get(REPOS, headers=headers, params={"limit": 50})
            body = json_of(resp)
        except LookupUnavailable as exc:
            access.note(f"repositories not listed: {exc}")
            return
        if resp.status_code == 403:
            if not self._scopes(_message(resp), access):
                access.note(f"{REPOS} refused (403): no read:repository scope")
            return
        if resp.status_code != 200 or not isinstance(body, list):
            access.note(f"{REPOS} answered HTTP {resp.status_code}: repositories unknown")
            return
        repos = [r for r in body if isinstance(r, dict) and isinstance(r.get("full_name"), str)]
        total = resp.headers.get("x-total-count")
        access.add_resources([r["full_name"] for r in repos], int(total) if total and total.isdigit() else None)
        owners = {r["full_name"].split("/", 1)[0] for r in repos}
        if len(owners) > 1:
            access.reach = "organization"
        perms = [r.get("permissions") or {} for r in repos]
        if not access.grants:  # the user's permissions, the token's scopes unknown
            if any(p.get("push") for p in perms):
                access.capabilities.update(("write", "delete"))
            if any(p.get("admin") for p in perms):
                access.capabilities.add("admin")
        access.note(f"{REPOS} lists {len(repos)} repositories in {len(owners)} owner(s)")

    def _administration(self, http: ProviderHTTP, headers: dict[str, str], access: Access) -> None:
        try:
            resp = http.get(ADMIN_USERS, headers=headers, params={"limit": 1})
        except LookupUnavailable as exc:
            access.note(f"administration not checked: {exc}")
            return
        if resp.status_code == 200:
            access.reach = "organization"
            access.capabilities.update(("read", "write", "delete", "admin"))
            access.note("a site administrator's token with the admin scope: administers the whole instance")
        else:
            self._scopes(_message(resp), access)
            access.note(f"{ADMIN_USERS} answered HTTP {resp.status_code}: its user is a site administrator, "
                        "the token lacks the admin scope")


def _message(resp: Any) -> str:
    try:
        message = json_object(resp).get("message")
    except LookupUnavailable:
        return ""
    return message if isinstance(message, str) else ""


detector = GiteaDetector()
