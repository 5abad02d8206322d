"""Linear personal API keys.

Format (providers.md C.6): ``lin_api_`` + 40 alphanumerics (not documented by Linear; the shape is
the one its keys have in public code). The only API is GraphQL at
``https://api.linear.app/graphql``; a personal key goes in ``Authorization`` with no ``Bearer``
prefix. Two queries, never a mutation: ``viewer`` (who the key acts as, and whether they are a
workspace admin) and ``teams`` (what it reaches).

Linear lets an owner limit a key to read / write / admin / create-only and to some teams, but
exposes no field that tells a key its own limits. So the capabilities here are the owner's: an
upper bound, said so in the notes.
"""

from __future__ import annotations

from typing import Any

from tokenreach.detectors.base import Detector, LookupUnavailable
from tokenreach.detectors.http import ProviderHTTP, json_object
from tokenreach.detectors.rule_files import rules_for
from tokenreach.scanner.model import Access, Token

PATTERNS = rules_for("linear")

VIEWER_QUERY = "query Viewer { viewer { id name email admin organization { name urlKey } } }"
TEAMS_QUERY = "query Teams { teams(first: 100) { nodes { id key name } pageInfo { hasNextPage } } }"


class LinearDetector(Detector):
    provider = "linear"
    title = "Linear"
    patterns = PATTERNS
    api_url = "https://api.linear.app"
    hosts = ("api.linear.app",)
    request_budget = 60
    revoke_url = "https://linear.app/settings/account/security"

    def lookup(self, token: Token, http: ProviderHTTP, offline: Access) -> Access:
        access = offline
        headers = {"Authorization": token.secret}  # personal keys: no "Bearer" prefix
        resp = http.graphql("/graphql", VIEWER_QUERY, headers=headers)
        # Linear answers a bad key with 401, or with 400 and an AUTHENTICATION_ERROR.
        dead = {400, 401} if _auth_error(_maybe_json(resp)) else {401}
        why = dict.fromkeys(dead, "invalid or revoked (authentication error)")
        if not http.settle(access, resp, "viewer query", dead=dead, why=why):
            return access
        body = json_object(resp)
        if _auth_error(body):  # GraphQL: HTTP 200 even on error (providers.md A.1)
            access.live = False
            return access.note("viewer query returned an authentication error: invalid or revoked")
        data = body.get("data")
        viewer = data.get("viewer") if isinstance(data, dict) else None
        if body.get("errors") or not isinstance(viewer, dict):
            return access.unknown("viewer query returned errors or no data")

        name = str(viewer.get("name") or viewer.get("id") or "unknown user")
        email = viewer.get("email")
        access.identity = f"{name} <{email}>" if email else name
        org = viewer.get("organization")
        if isinstance(org, dict) and org.get("name"):
            access.identity += f" in workspace {org['name']}"
            access.facts["workspace"] = str(org.get("urlKey") or org["name"])
        # A key reaches the whole workspace unless its owner limited it to teams (not readable).
        access.reach = "organization"
        access.capabilities = {"read", "write", "delete"}
        if viewer.get("admin") is True:
            access.capabilities.add("admin")
            access.facts["workspace_admin"] = True
            access.note("viewer.admin is true: the key's owner is a workspace admin")
        access.facts["capabilities_upper_bound"] = True
        access.note("Linear exposes no field for a key's own permission limits: capabilities are "
                    "the owner's (a full-access key has all of them)")
        _teams(access, http, headers)
        return access


def _maybe_json(resp: Any) -> dict[str, Any]:
    try:
        return json_object(resp)
    except LookupUnavailable:
        return {}


def _auth_error(body: dict[str, Any]) -> bool:
    """Linear marks a bad key with extensions.code AUTHENTICATION_ERROR (type 'authentication error')."""
    for err in body.get("errors") or []:
        if not isinstance(err, dict):
            continue
        ext = err.get("extensions")
        ext = ext if isinstance(ext, dict) else {}
        if ext.get("code") == "AUTHENTICATION_ERROR" or ext.get("type") == "authentication error":
            return True
    return False


def _teams(access: Access, http: ProviderHTTP, headers: dict[str, str]) -> None:
    """Teams the key can see: its reach. A failure here leaves liveness as it is."""
    try:
        resp = http.graphql("/graphql", TEAMS_QUERY, headers=headers)
        body = json_object(resp) if resp.status_code == 200 else {}
    except LookupUnavailable as exc:
        access.note(f"teams not listed: {exc}")
        return
    data = body.get("data")
    teams = data.get("teams") if isinstance(data, dict) else None
    if not isinstance(teams, dict) or body.get("errors"):
        access.note(f"teams not listed (HTTP {resp.status_code})")
        return
    nodes = [n for n in teams.get("nodes") or [] if isinstance(n, dict)]
    names = [f"team {n.get('key') or n.get('name')}" for n in nodes]
    more = bool((teams.get("pageInfo") or {}).get("hasNextPage"))
    access.add_resources(names)
    access.note(f"sees {len(names)} team(s)" + (" on the first page; there are more" if more else ""))


detector = LinearDetector()
