"""Turso platform API tokens and database tokens.

Format: ``detectors/rules/turso.toml`` (JWTs named Turso or libSQL in their assignment). Both kinds
are JWTs; a database token carries the access it grants in its claims (``a``: ``ro`` read-only or
``rw``, or fine-grained ``p`` permissions; docs.turso.tech/sdk/authorization), so it is classified
offline and never sent: only its own database checks it, and the token does not name that host.

A platform API token "belongs to you, and grants access to any organization you own or are a member
of" (turso.tech/blog/authorization-api-platform-saga-part-2). Lookup, ``Authorization: Bearer``
(Turso's Platform API reference, docs.turso.tech/api-reference):

- ``GET https://api.turso.tech/v1/auth/validate`` ("Validate API Token"): 200 ``{"exp": …}``, the
  expiry in Unix seconds or ``-1`` for none; 401 for a token it does not accept.
- ``GET https://api.turso.tech/v1/organizations``: the organizations the token reaches.

A database token without ``a``/``p`` claims cannot be told from a platform token by its bytes, so a
401 is taken as revoked only when the token's variable names the platform API; otherwise unknown.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone

from tokenreach.detectors import jwt
from tokenreach.detectors.base import Detector
from tokenreach.detectors.http import ProviderHTTP, json_object
from tokenreach.detectors.rule_files import builtin, rules_for
from tokenreach.scanner.model import Access, Token

PATTERNS = rules_for("turso")
_SPEC = builtin("turso")

VALIDATE = "/v1/auth/validate"
ORGS = "/v1/organizations"
# Names the Turso CLI and Platform API docs give a platform token.
_PLATFORM_NAME = re.compile(r"(?i)turso_?(?:platform_?|api_?)(?:token|key)")


def database_access(claims: dict[str, object]) -> str | None:
    """``"ro"``/``"rw"``/``"fine-grained"`` for a database token's claims; None when they say nothing."""
    if isinstance(claims.get("p"), dict):
        return "fine-grained"
    a = claims.get("a")
    return a if a in ("ro", "rw") else None


class TursoDetector(Detector):
    provider = "turso"
    title = _SPEC.name
    patterns = PATTERNS
    api_url = "https://api.turso.tech"
    hosts = ("api.turso.tech",)
    request_budget = 40
    revoke_url = _SPEC.revoke_url
    least_privilege = _SPEC.least_privilege

    def classify(self, token: Token) -> Access:
        access = Access(evidence="prefix")
        claims = jwt.claims(token.secret) or {}
        expires = jwt.expiry(claims)
        if expires:
            access.expires_at = expires
        mode = database_access(claims)
        if mode is None:
            return access
        access.facts["skip_lookup"] = True
        access.facts["database_token"] = True
        access.reach = "resource"
        access.capabilities = {"read"} if mode == "ro" else {"read", "write", "delete"}
        access.grants = [f"a:{mode}"] if mode in ("ro", "rw") else ["p"]
        what = {"ro": "read-only", "rw": "read-write", "fine-grained": "fine-grained (p claim)"}[mode]
        access.note(f"a {what} database token (its JWT claims): checked only by its own database, "
                    "which the token does not name, so it is not looked up")
        if mode == "fine-grained":
            access.note("fine-grained permissions: capabilities are the upper bound")
        return access

    def lookup(self, token: Token, http: ProviderHTTP, offline: Access) -> Access:
        access = offline
        headers = {"Authorization": f"Bearer {token.secret}"}
        resp = http.get(VALIDATE, headers=headers)
        named = bool(token.variable and _PLATFORM_NAME.search(token.variable))
        why = {401: "invalid, expired or revoked" if named else
               "not a platform API token it accepts: revoked, or a database token (only its database checks it)"}
        if not http.settle(access, resp, VALIDATE, dead={401} if named else set(), why=why):
            return access
        exp = json_object(resp).get("exp")
        if isinstance(exp, int) and exp > 0:
            access.expires_at = datetime.fromtimestamp(exp, tz=timezone.utc).isoformat().replace("+00:00", "Z")
        elif exp == -1:
            access.facts["never_expires"] = True
            access.note("never expires")
        access.facts["platform_token"] = True
        access.capabilities = {"read", "write", "delete", "admin", "secrets"}
        access.reach = "organization"
        access.note("a platform API token: creates and destroys databases, mints their tokens and manages "
                    "members in every organization its user belongs to")
        http.list_resources(access, ORGS, headers=headers, key="slug")
        return access


detector = TursoDetector()
