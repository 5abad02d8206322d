"""Netlify personal access tokens.

Formats (providers.md B.14; not documented by Netlify, the shapes its tokens have in public code):
``nfp_`` + 36 ``[A-Za-z0-9_]``. Older tokens are 43-45 characters ``[A-Za-z0-9_-]`` next to a
``netlify`` name.

Netlify tokens have no scopes: a token can do whatever its user can, in every team the user
belongs to. Lookup, read-only: ``GET /api/v1/user`` (liveness, who), ``GET /api/v1/accounts``
(teams, and whether the user owns them) and ``GET /api/v1/sites`` (reach). Site environment
variables, deploys and functions are reachable through the same token, so it counts as reading
secrets, but they are never fetched.
"""

from __future__ import annotations

from typing import Any

from tokenreach.detectors.base import Detector, LookupUnavailable
from tokenreach.detectors.http import ProviderHTTP, json_object, json_of
from tokenreach.detectors.rule_files import rules_for
from tokenreach.scanner.model import Access, Capability, Token

PATTERNS = rules_for("netlify")

_USER_CAPS: set[Capability] = {"read", "write", "delete", "secrets"}


class NetlifyDetector(Detector):
    provider = "netlify"
    title = "Netlify"
    patterns = PATTERNS
    api_url = "https://api.netlify.com"
    hosts = ("api.netlify.com",)
    request_budget = 60  # Netlify allows about 500 requests a minute
    revoke_url = "https://app.netlify.com/user/applications#personal-access-tokens"
    # Netlify tokens have no scopes: narrowing means a narrower user, or no user token at all.
    least_privilege = ("use a build hook or a CI deploy integration instead, or a token of a user who is a "
                       "member of only the one team it needs, with an expiry")

    def classify(self, token: Token) -> Access:
        access = Access(evidence="prefix")
        return access.note("Netlify token: no scopes, it acts as its user in every team they belong to")

    def lookup(self, token: Token, http: ProviderHTTP, offline: Access) -> Access:
        auth = {"Authorization": f"Bearer {token.secret}"}
        access = offline
        resp = http.get("/api/v1/user", headers=auth)
        if not http.settle(access, resp, "/api/v1/user"):
            return access
        user = json_object(resp)
        if not user.get("id"):
            return access.unknown("/api/v1/user answered 200 without a user")
        access.identity = str(user.get("email") or user.get("full_name") or user["id"])
        access.capabilities = set(_USER_CAPS)
        teams: list[str] = []
        owned: list[str] = []
        sites: list[str] = []
        try:
            teams, owned = _teams(http, auth, access, str(user["id"]))
            sites = _sites(http, auth, access)
        except LookupUnavailable as exc:  # liveness is settled; only reach stays open
            access.note(f"teams or sites unknown: {exc}")
        access.add_resources([f"team {t}" for t in teams] + [f"site {s}" for s in sites])
        access.reach = "organization" if len(teams) > 1 else "account"
        access.note(f"can read the environment variables of, and deploy to, all {len(sites)} site(s)")
        if owned:
            access.capabilities |= {"admin", "billing"}
            access.facts["owner_of"] = owned
            access.note(f"its user owns {', '.join(owned)}: members, billing and every site")
        access.facts["sites"] = len(sites)
        access.note(f"no scopes: acts on {len(sites)} site(s) in {len(teams)} team(s), including their "
                    "environment variables")
        return access


def _rows(resp: Any) -> list[dict[str, Any]]:
    body = json_of(resp)
    return [r for r in body if isinstance(r, dict)] if isinstance(body, list) else []


def _teams(http: ProviderHTTP, auth: dict[str, str], access: Access, user_id: str) -> tuple[list[str], list[str]]:
    resp = http.get("/api/v1/accounts", headers=auth)
    if resp.status_code != 200:
        access.note(f"/api/v1/accounts answered HTTP {resp.status_code}")
        return [], []
    teams: list[str] = []
    owned: list[str] = []
    for row in _rows(resp):
        name = str(row.get("name") or row.get("slug") or row.get("id"))
        teams.append(name)
        owners = row.get("owner_ids")
        if isinstance(owners, list) and user_id in [str(o) for o in owners]:
            owned.append(name)
    return teams, owned


def _sites(http: ProviderHTTP, auth: dict[str, str], access: Access) -> list[str]:
    resp = http.get("/api/v1/sites", headers=auth, params={"filter": "all", "per_page": 100})
    if resp.status_code != 200:
        access.note(f"/api/v1/sites answered HTTP {resp.status_code}")
        return []
    return [str(s.get("name") or s.get("url") or s.get("id")) for s in _rows(resp)]


detector = NetlifyDetector()
