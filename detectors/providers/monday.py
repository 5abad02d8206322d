"""monday.com API tokens.

Format: ``detectors/rules/monday.toml`` (a JWT assigned to a monday name, with monday's ``tid``,
``uid`` / ``aai`` claims). Facts from monday.com's API documentation:

- Authentication (developer.monday.com/api-reference/docs/authentication): a personal API token
  carries its user's permissions and goes in ``Authorization`` with no ``Bearer`` prefix; admins and
  members can create one.
- The API is GraphQL at ``https://api.monday.com/v2`` (developer.monday.com/api-reference/docs/
  getting-started); without an ``API-Version`` header the current stable version answers. Two
  queries, never a mutation: ``me`` (developer.monday.com/api-reference/reference/me: ``is_admin``,
  ``is_guest``, ``is_view_only``, ``enabled``, ``account``) and ``boards`` / ``workspaces`` (what
  the user reaches).
- Errors (developer.monday.com/api-reference/docs/error-handling): application errors come as HTTP
  200 with an ``errors`` array whose ``extensions`` carry ``code`` and ``status_code`` (e.g.
  ``UserUnauthorizedException``, 403); transport errors as 401 (not authenticated), 429 (with
  ``Retry-After``) and 5xx.
"""

from __future__ import annotations

from typing import Any

from tokenreach.detectors import jwt
from tokenreach.detectors.base import Detector, LookupUnavailable
from tokenreach.detectors.http import ProviderHTTP, json_object
from tokenreach.detectors.rule_files import rules_for
from tokenreach.scanner.model import Access, Capability, Reach, Token

PATTERNS = rules_for("monday")

def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


ME_QUERY = ("query Me { me { id name email is_admin is_guest is_view_only enabled "
            "account { id name slug tier } } }")
REACH_QUERY = ("query Reach { boards(limit: 50) { id name board_kind } "
               "workspaces(limit: 50) { id name kind } }")
# A personal token has its user's rights: what each user kind can do, and how far.
_ROLES: dict[str, tuple[frozenset[Capability], Reach]] = {
    "admin": (frozenset({"read", "write", "delete", "admin", "billing"}), "organization"),
    "member": (frozenset({"read", "write", "delete"}), "account"),
    "guest": (frozenset({"read", "write"}), "resource"),
    "viewer": (frozenset({"read"}), "resource"),
}
_DEAD_CODES = frozenset({"Unauthorized", "UNAUTHENTICATED", "NotAuthenticated"})


class MondayDetector(Detector):
    provider = "monday"
    title = "monday.com"
    patterns = PATTERNS
    api_url = "https://api.monday.com"
    hosts = ("api.monday.com",)
    request_budget = 60
    revoke_url = "https://auth.monday.com/users/sign_in"
    least_privilege = ("a personal token has all of its user's permissions; use an app with only the OAuth "
                       "scopes it calls (boards:read) installed on the workspaces it needs")

    def classify(self, token: Token) -> Access:
        access = super().classify(token)
        claims = jwt.claims(token.secret) or {}
        per = claims.get("per")
        if isinstance(per, str) and per:
            access.grants = [per]
            access.note(f"token claims per={per}" + (": it acts as its user" if per.startswith("me:") else ""))
        for claim, fact in (("actid", "account_id"), ("uid", "user_id"), ("rgn", "region")):
            if isinstance(claims.get(claim), (int, str)):
                access.facts[fact] = claims[claim]
        return access

    def lookup(self, token: Token, http: ProviderHTTP, offline: Access) -> Access:
        access = offline
        headers = {"Authorization": token.secret}  # no "Bearer" prefix (monday's documented form)
        resp = http.graphql("/v2", ME_QUERY, headers=headers)
        body = _maybe_json(resp)
        if resp.status_code == 200 and _error_status(body) == 401:
            access.live, access.evidence = False, "api"
            return access.note("me query answered not authenticated: invalid or revoked")
        if not http.settle(access, resp, "me query", detail=_code(body)):
            return access
        if not body:
            return access.unknown("me query answered 200 with a body that is not JSON")
        data = body.get("data")
        me = data.get("me") if isinstance(data, dict) else None
        if not isinstance(me, dict):
            if _error_status(body) == 403:  # authenticated, refused this field (UserUnauthorizedException)
                return access.note(f"me query refused {_code(body) or '(403)'}: live, its user unknown")
            return access.unknown("me query returned errors or no data")
        _me(access, me)
        _reach(access, http, headers)
        return access


def _maybe_json(resp: Any) -> dict[str, Any]:
    try:
        return json_object(resp)
    except LookupUnavailable:
        return {}


def _errors(body: dict[str, Any]) -> list[dict[str, Any]]:
    errors = body.get("errors")
    return [e for e in errors if isinstance(e, dict)] if isinstance(errors, list) else []


def _error_status(body: dict[str, Any]) -> int | None:
    for err in _errors(body):
        ext = _dict(err.get("extensions"))
        if ext.get("code") in _DEAD_CODES or ext.get("status_code") == 401:
            return 401
        if isinstance(ext.get("status_code"), int):
            return int(ext["status_code"])
    return None


def _code(body: dict[str, Any]) -> str | None:
    for err in _errors(body):
        ext = _dict(err.get("extensions"))
        code = ext.get("code") or body.get("error_code")
        if isinstance(code, str) and code.isidentifier():
            return f"({code})"
    code = body.get("error_code")
    return f"({code})" if isinstance(code, str) and code.isidentifier() else None


def _me(access: Access, me: dict[str, Any]) -> None:
    name = str(me.get("name") or me.get("id") or "unknown user")
    email = me.get("email")
    access.identity = f"{name} <{email}>" if isinstance(email, str) and email else name
    account = _dict(me.get("account"))
    if account.get("name"):
        access.identity += f" in account {account['name']}"
        access.facts["account"] = str(account.get("slug") or account["name"])
    if account.get("tier"):
        access.facts["tier"] = str(account["tier"])
    if me.get("enabled") is False:
        access.note("the user is deactivated")
    if me.get("is_admin") is True:
        role = "admin"
        access.note("the token's user is an account admin: users, permissions, security and billing")
    elif me.get("is_view_only") is True:
        role = "viewer"
    elif me.get("is_guest") is True:
        role = "guest"
        access.note("a guest: only the shareable boards it was invited to")
    else:
        role = "member"
    caps, reach = _ROLES[role]
    access.grants = sorted({*access.grants, role})
    access.capabilities = set(caps)
    access.reach = reach
    access.facts["user_role"] = role
    access.note(f"a personal token has its user's permissions: {role}")


def _reach(access: Access, http: ProviderHTTP, headers: dict[str, str]) -> None:
    """Workspaces and boards the user reaches. A failure here leaves liveness as it is."""
    try:
        resp = http.graphql("/v2", REACH_QUERY, headers=headers)
        body = json_object(resp) if resp.status_code == 200 else {}
    except LookupUnavailable as exc:
        access.note(f"boards not listed: {exc}")
        return
    data = _dict(body.get("data"))
    names = []
    for key, label in (("workspaces", "workspace"), ("boards", "board")):
        rows = data.get(key)
        if isinstance(rows, list):
            names += [f"{label} {r.get('name') or r.get('id')}" for r in rows if isinstance(r, dict)]
    if not names and (_errors(body) or not data):
        access.note(f"boards not listed: HTTP {resp.status_code} {_code(body) or ''}".rstrip())
        return
    boards = len(data.get("boards") or []) if isinstance(data.get("boards"), list) else 0
    access.add_resources(names, len(names))
    access.note(f"sees {boards} board(s)" + (" (first 50)" if boards >= 50 else ""))


detector = MondayDetector()
