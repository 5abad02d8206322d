"""Postman API keys.

Format (providers.md C.10): ``PMAK-`` + 24 hex + ``-`` + 34 hex. Not documented by Postman (its
"Generate and use Postman API keys", learning.postman.com/docs/reference/postman-api/authentication,
gives no format); the shape is the one its keys have in public code.
Read-only calls on ``https://api.getpostman.com`` with the key in ``X-API-Key``: ``GET /me`` (who,
which team, the user's roles) and ``GET /workspaces`` (what it reaches).

A Postman key has no scopes: it acts with its user's full access, which includes every private
collection and environment the user can open. Environments routinely hold other services' secrets,
so every live key counts as able to read secrets.
"""

from __future__ import annotations

from typing import Any

from tokenreach.detectors.base import Detector, LookupUnavailable
from tokenreach.detectors.http import ProviderHTTP, json_object
from tokenreach.detectors.rule_files import rules_for
from tokenreach.scanner.model import Access, Capability, Token

PATTERNS = rules_for("postman")

# Postman team roles (learning.postman.com "roles and permissions") → capabilities beyond the
# read/write/delete every user has on what they can open.
_ROLE_CAPABILITIES: dict[str, tuple[Capability, ...]] = {
    "admin": ("admin",),
    "super-admin": ("admin", "billing"),
    "billing": ("billing",),
    "community-manager": ("admin",),
}


class PostmanDetector(Detector):
    provider = "postman"
    title = "Postman"
    patterns = PATTERNS
    api_url = "https://api.getpostman.com"
    hosts = ("api.getpostman.com",)
    request_budget = 60
    revoke_url = "https://go.postman.co/settings/me/api-keys"

    def lookup(self, token: Token, http: ProviderHTTP, offline: Access) -> Access:
        access = offline
        headers = {"X-API-Key": token.secret}
        resp = http.get("/me", headers=headers)
        if not http.settle(access, resp, "/me"):
            return access
        user = json_object(resp).get("user")
        if not isinstance(user, dict):
            return access.unknown("/me answered 200 without a user object")

        name = str(user.get("username") or user.get("id") or "unknown user")
        access.identity = f"{name} <{user['email']}>" if user.get("email") else name
        team = user.get("teamName") or user.get("teamDomain")
        if user.get("teamId") and team:
            access.identity += f" on team {team}"
            access.reach = "organization"
            access.facts["team"] = str(user.get("teamDomain") or team)
        else:
            access.reach = "account"
        roles = [str(r) for r in user.get("roles") or [] if isinstance(r, str)]
        access.grants = roles
        access.capabilities = {"read", "write", "delete", "secrets"}
        for role in roles:
            access.capabilities.update(_ROLE_CAPABILITIES.get(role, ()))
        access.note("Postman keys have no scopes: the key acts with its user's full access"
                    + (f" (roles {', '.join(roles)})" if roles else ""))
        access.note("every key can read the user's environments, where other secrets are often kept")
        _workspaces(access, http, headers)
        return access


def _workspaces(access: Access, http: ProviderHTTP, headers: dict[str, str]) -> None:
    """Workspaces the key opens; a failure here leaves liveness as it is."""
    try:
        resp = http.get("/workspaces", headers=headers)
        body: dict[str, Any] = json_object(resp) if resp.status_code == 200 else {}
    except LookupUnavailable as exc:
        access.note(f"workspaces not listed: {exc}")
        return
    spaces = body.get("workspaces")
    if not isinstance(spaces, list):
        access.note(f"workspaces not listed (HTTP {resp.status_code})")
        return
    spaces = [w for w in spaces if isinstance(w, dict)]
    names = [f"workspace {w.get('name') or w.get('id')}" for w in spaces]
    access.add_resources(names)
    kinds = [str(w.get("visibility") or w.get("type") or "") for w in spaces]
    shared = [k for k in kinds if k in ("team", "public", "partner")]
    kinds = sorted({k for k in kinds if k})
    access.note(f"opens {len(spaces)} workspace(s)" + (f" ({', '.join(kinds)})" if kinds else ""))
    if shared:
        access.facts["shared_workspaces"] = len(shared)


detector = PostmanDetector()
