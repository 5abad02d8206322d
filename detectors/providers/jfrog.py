"""JFrog Platform (Artifactory) credentials, looked up only on the instance the operator names.

Formats: ``detectors/rules/jfrog.toml`` (``AKCp`` API keys, ``cmVmdGtuOjAx`` reference tokens, JWT
access tokens, identity tokens). JFrog Cloud and self-hosted platforms alike live on a URL of their
own, which a repository does not name trustworthily: a credential is sent only to
``TOKENREACH_JFROG_API_URL`` (the platform's base URL, e.g. ``https://acme.jfrog.io``); without it,
"not looked up: self-hosted instance".

Offline: an access token is a JWT whose claims (JFrog "Access Tokens": ``sub``
``jfac@<service>/users/<name>``, ``scp`` ``applied-permissions/admin``, ``applied-permissions/user``
or ``applied-permissions/groups:<names>``, ``exp``) say whose it is and how far it reaches.

Lookup: ``GET /artifactory/api/repositories`` ("Get Repositories": the repositories the caller may
see; API keys in ``X-JFrog-Art-Api``, tokens as ``Authorization: Bearer``). 401
``{"errors": [{"status": 401, "message": "Bad credentials"}]}`` is an unknown or revoked credential.
JFrog has no endpoint that tells a non-admin token who it is or what it may deploy (the user-details
APIs need an admin), so capabilities beyond reading come from the token's scope claim only.
"""

from __future__ import annotations

from typing import Any

from tokenreach.detectors.base import Detector, LookupUnavailable
from tokenreach.detectors.http import ProviderHTTP, json_object, json_of
from tokenreach.detectors.jwt import claims, expiry
from tokenreach.detectors.rule_files import builtin, rules_for
from tokenreach.scanner.model import Access, Token

PATTERNS = rules_for("jfrog")
_SPEC = builtin("jfrog")

REPOSITORIES = "/artifactory/api/repositories"


def read_scope(scope: str) -> tuple[str, list[str]]:
    """("admin" | "user" | "groups" | "other", group names) from an access token's ``scp`` claim."""
    kinds: list[str] = []
    groups: list[str] = []
    for part in scope.split():
        if part == "applied-permissions/admin":
            kinds.append("admin")
        elif part == "applied-permissions/user":
            kinds.append("user")
        elif part.startswith("applied-permissions/groups:"):
            kinds.append("groups")
            groups += [g for g in part.split(":", 1)[1].split(",") if g]
        elif part.startswith("member-of-groups:"):  # the older access-token scope
            kinds.append("groups")
            groups += [g for g in part.split(":", 1)[1].split(",") if g and g != "*"]
    for kind in ("admin", "user", "groups"):
        if kind in kinds:
            return kind, groups
    return "other", groups


class JFrogDetector(Detector):
    provider = "jfrog"
    title = _SPEC.name
    patterns = PATTERNS
    api_url = None
    self_hosted = True  # only TOKENREACH_JFROG_API_URL
    request_budget = 40
    revoke_url = _SPEC.revoke_url
    least_privilege = _SPEC.least_privilege

    def classify(self, token: Token) -> Access:
        access = Access(evidence="prefix")
        if token.kind == "api_key":
            access.note("a legacy API key (AKCp prefix): acts as its user with all the user's permissions; "
                        "JFrog deprecated API keys")
        payload = claims(token.secret) if token.kind == "access_token" else None
        if not payload:
            return access
        access.evidence = "offline"
        sub = payload.get("sub")
        if isinstance(sub, str) and "/users/" in sub:
            access.identity = sub.rsplit("/users/", 1)[1]
        access.expires_at = expiry(payload)
        scope = payload.get("scp")
        scope = scope if isinstance(scope, str) else ""
        if scope:
            access.grants = sorted(scope.split())
        kind, groups = read_scope(scope)
        access.facts["scope"] = kind
        if kind == "admin":
            access.reach = "organization"
            access.capabilities = {"read", "write", "delete", "admin"}
            access.note("scope applied-permissions/admin: administers the whole JFrog platform")
        elif kind == "user":
            access.reach = "account"
            access.note("scope applied-permissions/user: every permission its user has")
        elif kind == "groups":
            access.reach = "project"
            access.note(f"scope limited to the permissions of group(s) {', '.join(groups) or '?'}")
        if access.expires_at is None and payload.get("exp") is None:
            access.note("no exp claim: the token never expires")
        return access

    def lookup(self, token: Token, http: ProviderHTTP, offline: Access) -> Access:
        access = offline
        if not http.overridden:
            return access.unknown("not looked up: self-hosted instance (set TOKENREACH_JFROG_API_URL to the "
                                  "JFrog platform this credential belongs to)")
        headers = ({"X-JFrog-Art-Api": token.secret} if token.kind == "api_key"
                   else {"Authorization": f"Bearer {token.secret}"})
        resp = http.get(REPOSITORIES, headers=headers)
        if not http.settle(access, resp, REPOSITORIES, detail=_error(resp),
                           why={401: "unknown, expired or revoked"}):
            return access
        body = json_of(resp)
        if not isinstance(body, list):
            return access.unknown(f"{REPOSITORIES} answered 200 without a list")
        keys = [str(r["key"]) for r in body if isinstance(r, dict) and isinstance(r.get("key"), str)]
        access.add_resources(keys, len(keys))
        access.capabilities.add("read")
        access.reach = access.reach or "account"
        access.note(f"{REPOSITORIES} lists {len(keys)} repositories it may see")
        if access.facts.get("scope") not in ("admin",):
            access.note("what it may deploy or delete is not readable without an admin token")
        return access


def _error(resp: Any) -> str | None:
    """Artifactory's ``{"errors": [{"message": …}]}`` on a refusal, quoted in the note."""
    if 200 <= resp.status_code < 300:
        return None
    try:
        errors = json_object(resp).get("errors")
    except LookupUnavailable:
        return None
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        message = errors[0].get("message")
        return f"({message[:120]})" if isinstance(message, str) else None
    return None


detector = JFrogDetector()
