"""Vercel access tokens, app tokens and AI Gateway keys.

Formats (providers.md B.13; the prefixes from Vercel's changelog, "Introducing new token formats and
secret scanning", vercel.com/changelog/new-token-formats-and-secret-scanning): a prefix, a
50-character body ``[A-Za-z0-9_-]`` and a 6-character checksum, Base62(CRC32(body)) with the
alphabet ``0-9A-Za-z``, padded to 6 (Vercel does not document the body or the checksum; they are
public research on its tokens). ``vcp_`` personal access token, ``vci_`` integration token, ``vca_``
"Sign in with Vercel" access token, ``vcr_`` its refresh token, ``vck_`` AI Gateway key. Older
tokens are 24 alphanumerics next to a ``vercel`` name.

Lookup, read-only: ``GET /v5/user/tokens/current`` (the calling token's own metadata: type,
expiry and ``scopes[]``, each the whole personal account or one team), ``GET /v2/user`` (who),
``GET /v2/teams`` (team names and the owner's role). ``vca_`` tokens ask the OpenID Connect
userinfo endpoint. Never ``DELETE /v3/user/tokens/current`` (revokes the token), never redeem a
``vcr_`` refresh token, and never send ``vck_`` a completion (that spends money).
"""

from __future__ import annotations

import string
import zlib
from datetime import datetime, timezone
from typing import Any

from tokenreach.detectors.base import Detector, LookupUnavailable
from tokenreach.detectors.http import ProviderHTTP, json_object
from tokenreach.detectors.rule_files import rules_for
from tokenreach.scanner.model import Access, Capability, Reach, Token

_BASE62 = string.digits + string.ascii_uppercase + string.ascii_lowercase


def checksum(body: str) -> str:
    """Vercel's checksum of a token body: Base62(CRC32(body)), left-padded to 6 characters."""
    n = zlib.crc32(body.encode())
    out = ""
    while n:
        n, r = divmod(n, 62)
        out = _BASE62[r] + out
    return out.rjust(6, "0")


def valid_checksum(secret: str) -> bool:
    body, check = secret[4:54], secret[54:]
    return len(body) == 50 and checksum(body) == check


PATTERNS = rules_for("vercel")

_SCOPE_CAPS: set[Capability] = {"read", "write", "delete", "secrets"}  # env vars are readable
_OWNER_ROLES = ("OWNER",)


class VercelDetector(Detector):
    provider = "vercel"
    title = "Vercel"
    patterns = PATTERNS
    api_url = "https://api.vercel.com"
    hosts = ("api.vercel.com",)
    request_budget = 80
    revoke_url = "https://vercel.com/account/settings/tokens"
    least_privilege = "create a token scoped to the one team that needs it, with an expiry"

    def classify(self, token: Token) -> Access:
        access = Access(evidence="prefix")
        kind = token.kind or "access_token"
        if kind != "access_token":
            access.evidence = "offline"  # the checksum was verified by the pattern
            access.note(f"{token.secret[:4]} prefix with a valid checksum: {kind.replace('_', ' ')}")
        if kind == "app_refresh_token":
            access.facts["refresh_token"] = True
            access.note("refresh tokens mint access tokens; never redeemed here")
        elif kind == "ai_gateway_key":
            access.capabilities = {"billing"}
            access.reach = "account"
            access.note("AI Gateway key: spends the team's AI credits; not checked (a call costs money)")
        return access

    def lookup(self, token: Token, http: ProviderHTTP, offline: Access) -> Access:
        auth = {"Authorization": f"Bearer {token.secret}"}
        if token.kind == "app_access_token":
            return _userinfo(http, auth, offline)
        access = offline
        resp = http.get("/v5/user/tokens/current", headers=auth)
        dead = _dead(resp)
        if not http.settle(access, resp, "tokens/current", dead=dead, why=dict.fromkeys(dead, _EXPIRED)):
            return access
        meta = json_object(resp).get("token")
        if not isinstance(meta, dict):
            return access.unknown("tokens/current answered 200 without token metadata")
        scopes = [s for s in meta.get("scopes") or [] if isinstance(s, dict)]
        if meta.get("expiresAt"):
            access.expires_at = _iso(meta["expiresAt"])
        else:
            access.facts["no_expiry"] = True
        if meta.get("type"):
            access.facts["token_type"] = str(meta["type"])
        if meta.get("name"):
            access.facts["token_name"] = str(meta["name"])

        teams: dict[str, dict[str, Any]] = {}
        try:
            user = http.get("/v2/user", headers=auth)
            if user.status_code == 200:
                info = json_object(user).get("user")
                if isinstance(info, dict):
                    access.identity = str(info.get("email") or info.get("username") or info.get("id"))
            else:
                access.note(f"/v2/user answered HTTP {user.status_code}")
            teams = _teams(http, auth, access)
        except LookupUnavailable as exc:  # the scopes are known; only names and roles stay open
            access.note(f"user or teams unknown: {exc}")
        _apply_scopes(access, scopes, teams)
        return access


_EXPIRED = "invalid, revoked or expired"


def _dead(resp: Any) -> frozenset[int]:
    """The statuses that mean dead in this answer: Vercel refuses an unknown token with 401, or
    with 403 ``{"error": {"invalidToken": true}}``; any other 403 says nothing about the token."""
    if resp.status_code != 403:
        return frozenset({401})
    try:
        err = json_object(resp).get("error")
    except LookupUnavailable:  # not JSON: not Vercel's verdict
        return frozenset({401})
    invalid = isinstance(err, dict) and err.get("invalidToken") is True
    return frozenset({401, 403}) if invalid else frozenset({401})


def _iso(ms: Any) -> str | None:
    if isinstance(ms, bool) or not isinstance(ms, (int, float)):
        return None
    try:
        return datetime.fromtimestamp(ms / 1000, tz=timezone.utc).isoformat().replace("+00:00", "Z")
    except (OverflowError, OSError, ValueError):
        return None


def _teams(http: ProviderHTTP, auth: dict[str, str], access: Access) -> dict[str, dict[str, Any]]:
    """Teams the user belongs to, by id: their names and the user's role in each."""
    resp = http.get("/v2/teams", headers=auth, params={"limit": 100})
    if resp.status_code != 200:
        access.note(f"/v2/teams answered HTTP {resp.status_code}: team names and roles unknown")
        return {}
    rows = json_object(resp).get("teams")
    return {str(t["id"]): t for t in rows or [] if isinstance(t, dict) and t.get("id")}


def _apply_scopes(access: Access, scopes: list[dict[str, Any]], teams: dict[str, dict[str, Any]]) -> None:
    grants: list[str] = []
    names: list[str] = []
    owner_of: list[str] = []
    whole_account = False
    team_ids: list[str] = []
    for scope in scopes:
        if scope.get("type") == "user":
            whole_account = True
            grants.append("user")
            names.append("personal account")
        elif scope.get("type") == "team" and scope.get("teamId"):
            tid = str(scope["teamId"])
            team_ids.append(tid)
            grants.append(f"team:{tid}")
            if scope.get("sudo"):
                access.facts["sudo"] = True
    if whole_account:
        # A full-account token also acts in every team its user belongs to.
        team_ids += [t for t in teams if t not in team_ids]
    for tid in team_ids:
        team = teams.get(tid, {})
        label = str(team.get("slug") or team.get("name") or tid)
        names.append(f"team {label}")
        role = (team.get("membership") or {}).get("role") if isinstance(team.get("membership"), dict) else None
        if role in _OWNER_ROLES:
            owner_of.append(label)
    access.grants = grants
    access.add_resources(names)
    if not grants:
        access.note("tokens/current listed no scopes")
        return
    access.capabilities = set(_SCOPE_CAPS)
    if owner_of:
        access.capabilities |= {"admin", "billing"}
        access.facts["owner_of"] = owner_of
    reach: Reach = "organization" if len(team_ids) > 1 or (whole_account and team_ids) else "account"
    access.reach = reach
    what = "the whole personal account" if whole_account else f"{len(team_ids)} team(s)"
    access.note(f"can read environment variables (secrets) and deploy, in {what}"
                + (f" and {len(team_ids)} team(s)" if whole_account and team_ids else ""))
    access.note(f"scopes cover {what}" + (f" and {len(team_ids)} team(s)" if whole_account and team_ids else "")
                + ": deployments, domains and environment variables (secrets)")
    if owner_of:
        access.note(f"its user is OWNER of {', '.join(owner_of)}")


def _userinfo(http: ProviderHTTP, auth: dict[str, str], access: Access) -> Access:
    """OpenID Connect userinfo: read-only by definition (OIDC Core 5.3); GET is the standard form."""
    resp = http.get("/login/oauth/userinfo", headers=auth)
    if resp.status_code == 405:
        resp = http.post_readonly("/login/oauth/userinfo", headers=auth,
                                  why="OpenID Connect userinfo (OIDC Core 5.3.1) only reads claims")
    if not http.settle(access, resp, "userinfo", why={401: _EXPIRED}):
        return access
    claims = json_object(resp)
    if not claims.get("sub"):
        return access.unknown("userinfo answered 200 without a subject")
    access.identity = str(claims.get("email") or claims.get("preferred_username") or claims["sub"])
    access.reach = "account"
    access.note("app access token: acts for this user within the scopes the app was granted "
                "(userinfo does not list them)")
    return access


detector = VercelDetector()
