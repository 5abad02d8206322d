"""Asana personal access tokens (and service account tokens, which have the same form).

Formats: ``detectors/rules/asana.toml``. Facts from Asana's developer documentation:

- Authentication (developers.asana.com/docs/authentication): "PATs provide the same authorization
  (i.e., permissions and level of access to Asana data) through the API as the user who generated
  them has in the Asana web product"; no scopes of their own. View-only licence users have limited
  API access, shown by their workspace membership.
- ``GET https://app.asana.com/api/1.0/users/me`` (developers.asana.com/reference/getuser; the
  token's user, ``"me"``): ``{"data": {"gid", "name", "email", "workspaces": [...]}}``.
- ``GET /api/1.0/users/me/workspace_memberships`` (developers.asana.com/reference/
  getworkspacemembershipsforuser) with ``opt_fields``: per workspace ``is_admin``, ``is_guest``,
  ``is_view_only``, ``is_active`` and the workspace's ``is_organization``.
- Errors (developers.asana.com/docs/errors): ``{"errors": [{"message": …}]}``; 401 "Not Authorized"
  (invalid credentials), 403 Forbidden (no access to that object), 429 with ``Retry-After``.
"""

from __future__ import annotations

from typing import Any

from tokenreach.detectors.base import Detector, LookupUnavailable
from tokenreach.detectors.http import ProviderHTTP, json_object, refusal_detail
from tokenreach.detectors.rule_files import rules_for
from tokenreach.scanner.model import Access, Token

PATTERNS = rules_for("asana")

def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


ME_FIELDS = "name,email,workspaces.name,workspaces.is_organization"
MEMBERSHIP_FIELDS = "is_admin,is_guest,is_view_only,is_active,workspace.name,workspace.is_organization"


class AsanaDetector(Detector):
    provider = "asana"
    title = "Asana"
    patterns = PATTERNS
    api_url = "https://app.asana.com"
    hosts = ("app.asana.com",)
    request_budget = 60
    revoke_url = "https://app.asana.com/0/my-apps"
    least_privilege = ("use an OAuth app with only the scopes it calls (tasks:read), installed in the one "
                       "workspace, instead of a personal access token that carries all of its user's access")

    def lookup(self, token: Token, http: ProviderHTTP, offline: Access) -> Access:
        access = offline
        headers = {"Authorization": f"Bearer {token.secret}"}
        resp = http.get("/api/1.0/users/me", headers=headers, params={"opt_fields": ME_FIELDS})
        if not http.settle(access, resp, "/users/me", detail=_message(resp)):
            return access
        data = json_object(resp).get("data")
        if not isinstance(data, dict) or not isinstance(data.get("gid"), str):
            return access.unknown("/users/me answered 200 without a user")
        name, email = data.get("name"), data.get("email")
        label = str(name or data["gid"])
        access.identity = f"{label} <{email}>" if isinstance(email, str) and email else label
        access.facts["user_gid"] = data["gid"]
        access.note("a personal access token has all of its user's permissions in the Asana web product")
        workspaces = [w for w in data.get("workspaces") or [] if isinstance(w, dict)]
        _memberships(access, http, headers, workspaces)
        return access


def _message(resp: Any) -> str | None:
    """Asana's ``{"errors": [{"message": …}]}``, quoted for a note."""
    if 200 <= resp.status_code < 300:
        return None
    try:
        errors = json_object(resp).get("errors")
    except LookupUnavailable:
        return None
    first = errors[0] if isinstance(errors, list) and errors and isinstance(errors[0], dict) else {}
    text = first.get("message")
    return f"({text[:120]})" if isinstance(text, str) and text else refusal_detail(resp)


def _memberships(access: Access, http: ProviderHTTP, headers: dict[str, str],
                 workspaces: list[dict[str, Any]]) -> None:
    """The user's role in each workspace: admin, member, guest or view-only."""
    rows: list[dict[str, Any]] | None = None
    try:
        resp = http.get("/api/1.0/users/me/workspace_memberships", headers=headers,
                        params={"opt_fields": MEMBERSHIP_FIELDS, "limit": 100})
        body = json_object(resp) if resp.status_code == 200 else None
        if body is not None and isinstance(body.get("data"), list):
            rows = [r for r in body["data"] if isinstance(r, dict)]
        else:
            access.note(f"workspace memberships answered HTTP {resp.status_code}{' ' + (_message(resp) or '')}"
                        .rstrip() + ": roles unknown")
    except LookupUnavailable as exc:
        access.note(f"workspace memberships not read: {exc}")
    if rows is None:
        # The user is a member of these workspaces; what role is unknown: a member's rights.
        rows = [{"workspace": w, "is_active": True} for w in workspaces]
        roles_known = False
    else:
        roles_known = True
    names, grants = [], set()
    admin = organization = full_member = False
    for row in rows:
        if row.get("is_active") is False:
            continue
        ws = _dict(row.get("workspace"))
        role = ("admin" if row.get("is_admin") else "guest" if row.get("is_guest")
                else "view-only" if row.get("is_view_only") else "member")
        if not roles_known:
            role = "member (role unknown)"
        kind = "organization" if ws.get("is_organization") else "workspace"
        names.append(f"{kind} {ws.get('name') or ws.get('gid') or '?'} ({role})")
        grants.add(role.split(" ")[0])
        access.capabilities.add("read")
        if role != "view-only":
            access.capabilities.add("write")
        if role in ("admin", "member", "member (role unknown)"):
            access.capabilities.add("delete")
            full_member = True
            organization = organization or kind == "organization"
        if role == "admin":
            access.capabilities.add("admin")
            admin = True
    access.grants = sorted(grants)
    access.add_resources(names, len(names))
    access.reach = "organization" if organization else "account" if full_member else "resource"
    access.note(f"member of {len(names)} workspace(s)" + (f": {', '.join(names[:5])}" if names else ""))
    if admin:
        access.note("can administer a workspace: its members, its settings and every project in it")
    elif not full_member and names:
        access.note("guest or view-only: only the projects and tasks shared with the user")


detector = AsanaDetector()
