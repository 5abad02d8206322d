"""Docker Hub personal and organization access tokens.

Formats (providers.md C.7; the authentication table of Docker's "AI Governance API" reference,
docs.docker.com/reference/api/ai-governance/, gives the prefixes ``dckr_pat_*`` and ``dckr_oat_*``; the
body lengths are not documented, they are the shape tokens have in public code): ``dckr_pat_`` + 27
and ``dckr_oat_`` + 32 characters of ``[A-Za-z0-9_-]``. A token works only with its username (or, for
an organization access token, the organization name). Next to the token (named group ``username``):
``docker login -u NAME``, ``DOCKER_USERNAME=NAME``, ``username: NAME``. Further away in the same file
(``Token.context["username"]``): a Docker-named setting or a ``docker login`` line; a login refused
for such a name is not proof the token is revoked, since the name may belong to someone else.

Docker Hub has one way to ask about a token: ``POST https://hub.docker.com/v2/users/login``, a login
that issues a short-lived session JWT and changes nothing (providers.md C.7). The JWT is decoded
offline: ``scope`` is the token's access (``repo:admin`` read/write/delete, ``repo:write``,
``repo:read``, ``repo:public_read``) and the ``https://hub.docker.com`` claim names the account.
With that JWT, ``GET /v2/repositories/<namespace>/`` lists what the account holds.
"""

from __future__ import annotations

import re
from typing import Any

from tokenreach.detectors import jwt
from tokenreach.detectors.base import Detector, LookupUnavailable
from tokenreach.detectors.http import ProviderHTTP, json_object
from tokenreach.detectors.rule_files import rules_for
from tokenreach.scanner.model import Access, Capability, Token

PATTERNS = rules_for("dockerhub")

# JWT scope → capabilities (docs.docker.com/security/access-tokens: "Read, Write, Delete" is
# repo:admin, "Read & Write" repo:write, "Read-only" repo:read, "Public Repo Read-only").
_SCOPES: dict[str, tuple[Capability, ...]] = {
    "repo:admin": ("read", "write", "delete"),
    "repo:write": ("read", "write"),
    "repo:read": ("read",),
    "repo:public_read": ("read",),
}
_NAMESPACE = re.compile(r"[a-z0-9][a-z0-9_.-]{0,254}")
_HUB_CLAIM = "https://hub.docker.com"


class DockerHubDetector(Detector):
    provider = "dockerhub"
    title = "Docker Hub"
    patterns = PATTERNS
    api_url = "https://hub.docker.com"
    hosts = ("hub.docker.com",)
    request_budget = 60  # Docker Hub rate-limits logins per IP
    revoke_url = "https://app.docker.com/settings/personal-access-tokens"
    context_patterns = {
        "username": r"(?i:docker(?:hub)?[_.-]?(?:user(?:_?name)?|login|id|org)[\"']?\s*[:=]\s*"
                    r"|docker\s+login\b[^\n]{0,80}?\s(?:-u|--username)(?:\s+|=))"
                    r"[\"']?([A-Za-z0-9][A-Za-z0-9_.-]{1,38})\b",
    }

    def classify(self, token: Token) -> Access:
        access = super().classify(token)
        user, adjacent = _username(token)
        if user:
            access.facts["username"] = user
            access.note(f"paired with Docker Hub name {user} found {'next to it' if adjacent else 'in the file'}")
        return access

    def lookup(self, token: Token, http: ProviderHTTP, offline: Access) -> Access:
        access = offline
        user, adjacent = _username(token)
        if not user:
            return access.unknown("Docker Hub checks a token only together with its username (or "
                                  "organization name), and none was found near it")
        resp = http.post_readonly(
            "/v2/users/login",
            why="Docker Hub's login issues a short-lived session JWT and changes no state (providers.md C.7)",
            json_body={"username": user, "password": token.secret},
        )
        if resp.status_code == 401 and _maybe_json(resp).get("login_2fa_token"):
            # Asked for a second factor: the token itself was accepted.
            access.identity = user
            http.settle(access, resp, f"login as {user}", forbidden={401},
                        why={401: "asking for a second factor: the token is valid, its scope was not read"})
            return access
        # A refusal is dead only for the username written next to the token: one found further
        # away may not be its owner.
        why = {401: f"the token is invalid or revoked (or {user} is not its owner)" if adjacent
               else f"the token is revoked, or {user} (found away from the token) is not its owner"}
        if not http.settle(access, resp, f"login as {user}", dead={401} if adjacent else (), why=why):
            return access
        session = json_object(resp).get("token")
        if not isinstance(session, str) or not session:
            return access.unknown("login answered 200 without a session token")
        namespace = read_session(access, session, user, token.kind)
        _repositories(access, http, session, namespace)
        return access


def _username(token: Token) -> tuple[str | None, bool]:
    """The Docker Hub name to log in with, and whether it sat right next to the token."""
    for source, adjacent in ((token.extras, True), (token.context, False)):
        name = (source.get("username") or "").strip().lower()
        if _NAMESPACE.fullmatch(name):
            return name, adjacent
    return None, False


def _maybe_json(resp: Any) -> dict[str, Any]:
    try:
        return json_object(resp)
    except LookupUnavailable:
        return {}


def read_session(access: Access, session: str, user: str, kind: str | None) -> str:
    """Fill identity, grants, capabilities and reach from the session JWT; return the namespace."""
    claims = jwt.claims(session) or {}
    hub = claims.get(_HUB_CLAIM)
    hub = hub if isinstance(hub, dict) else {}
    namespace = str(hub.get("username") or user).lower()
    if not _NAMESPACE.fullmatch(namespace):
        namespace = user
    email = hub.get("email")
    access.identity = f"{namespace} <{email}>" if isinstance(email, str) and email else namespace
    if hub.get("uuid"):
        access.facts["account_id"] = str(hub["uuid"])
    raw = claims.get("scope")
    scopes = raw.split() if isinstance(raw, str) else [str(s) for s in raw] if isinstance(raw, list) else []
    access.grants = scopes
    for scope in scopes:
        access.capabilities.update(_SCOPES.get(scope, ()))
    access.reach = "organization" if kind == "organization_access_token" else "account"
    if not claims:
        access.note("the session token could not be decoded: scope unknown")
    elif not scopes:
        access.note("the session token carries no scope claim: scope unknown")
    else:
        access.note(f"session token scope {' '.join(scopes)}, decoded offline")
    if scopes == ["repo:public_read"]:
        access.facts["public_only"] = True
        access.note("public-repository read only: it reaches nothing private")
    if {"write", "delete"} & access.capabilities:
        access.note("can push images: a supply-chain risk for everyone who pulls them")
    return namespace


def _repositories(access: Access, http: ProviderHTTP, session: str, namespace: str) -> None:
    """What the namespace holds; a failure here leaves liveness as it is."""
    try:
        resp = http.get(f"/v2/repositories/{namespace}/", params={"page_size": 100},
                        headers={"Authorization": f"Bearer {session}"})
        body = json_object(resp) if resp.status_code == 200 else {}
    except LookupUnavailable as exc:
        access.note(f"repositories not listed: {exc}")
        return
    results = body.get("results")
    if not isinstance(results, list):
        access.note(f"repositories not listed (HTTP {resp.status_code})")
        return
    repos = [r for r in results if isinstance(r, dict) and r.get("name")]
    names = [f"{r.get('namespace') or namespace}/{r['name']}" + (" (private)" if r.get("is_private") else "")
             for r in repos]
    count = body.get("count")
    access.add_resources(names, count if isinstance(count, int) else None)
    private = sum(1 for r in repos if r.get("is_private"))
    access.facts["private_repositories"] = private
    access.note(f"{namespace} holds {access.resources_total} repositor{'y' if access.resources_total == 1 else 'ies'}"
                f", {private} private on the first page")


detector = DockerHubDetector()
