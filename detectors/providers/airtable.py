"""Airtable personal access tokens (and legacy API keys, retired by Airtable in February 2024).

Formats: ``detectors/rules/airtable.toml``. Facts from Airtable's Web API reference:

- ``GET https://api.airtable.com/v0/meta/whoami`` ("Get user info", airtable.com/developers/web/api/
  get-user-id-scopes): no scope needed; ``{"id": "usr…"}``, plus ``email`` only when the token has
  ``user.email:read``, plus ``scopes`` only for an OAuth access token (a personal access token's
  scopes are not returned).
- ``GET /v0/meta/bases`` ("List bases", airtable.com/developers/web/api/list-bases): needs
  ``schema.bases:read``; ``{"bases": [{"id", "name", "permissionLevel"}], "offset"}`` with
  ``permissionLevel`` one of none, read, comment, edit, create; only the bases the token was given.
- Errors (airtable.com/developers/web/api/errors): ``{"error": {"type", "message"}}``; 401 invalid or
  missing credentials (``AUTHENTICATION_REQUIRED``); 403 credentials without access to the
  resource (``INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND``); 429 after 5 requests per second.
- Scopes (airtable.com/developers/web/api/scopes): ``data.records:read|write``,
  ``data.recordComments:read|write``, ``schema.bases:read|write``, ``webhook:manage``,
  ``block:manage``, ``user.email:read``, ``workspacesAndBases:*`` and ``enterprise.*``.

A personal access token acts with the lesser of its scopes and its owner's permission level on
each base. Its scopes cannot be read, so what the answers imply is said as such: an ``email`` means
``user.email:read``, a listed base means ``schema.bases:read``, and the capabilities are the
owner's permission levels (an upper bound).
"""

from __future__ import annotations

from typing import Any

from tokenreach.detectors.base import Detector, LookupUnavailable
from tokenreach.detectors.http import ProviderHTTP, json_object
from tokenreach.detectors.rule_files import rules_for
from tokenreach.scanner.model import Access, Capability, Token

PATTERNS = rules_for("airtable")

# A collaborator's permission level on a base (airtable.com/developers/web/api/model/permission-levels).
LEVELS: dict[str, frozenset[Capability]] = {
    "none": frozenset(),
    "read": frozenset({"read"}),
    "comment": frozenset({"read"}),
    "edit": frozenset({"read", "write", "delete"}),  # create, update and delete records
    "create": frozenset({"read", "write", "delete", "admin"}),  # the base's creator: sharing, deletion
}


def scope_capabilities(scope: str) -> set[Capability]:
    """An OAuth scope's capabilities: ``…:read`` reads, ``…:write`` writes (records: and deletes),
    ``…:manage`` and every enterprise write administer."""
    family, _, action = scope.rpartition(":")
    caps: set[Capability] = set()
    if action == "read":
        caps.add("read")
    elif action == "write":
        caps.update({"write", "delete"} if family.startswith(("data.", "workspacesAndBases")) else {"write"})
    elif action == "manage":
        caps.update({"write", "delete"})
        if family.startswith(("enterprise", "workspacesAndBases")):
            caps.add("admin")
    if family.startswith("enterprise") and action in ("write", "manage"):
        caps.add("admin")
    return caps


class AirtableDetector(Detector):
    provider = "airtable"
    title = "Airtable"
    patterns = PATTERNS
    api_url = "https://api.airtable.com"
    hosts = ("api.airtable.com",)
    request_budget = 60
    revoke_url = "https://airtable.com/create/tokens"
    least_privilege = ("create a personal access token with only the data.records:read scope on the one "
                       "base it needs")

    def lookup(self, token: Token, http: ProviderHTTP, offline: Access) -> Access:
        access = offline
        headers = {"Authorization": f"Bearer {token.secret}"}
        resp = http.get("/v0/meta/whoami", headers=headers)
        if not http.settle(access, resp, "/v0/meta/whoami", detail=_error_type(resp),
                           why={401: "invalid, revoked or a retired legacy API key"}):
            return access
        me = json_object(resp)
        uid = me.get("id")
        if not isinstance(uid, str):
            return access.unknown("/v0/meta/whoami answered 200 without a user id")
        email = me.get("email")
        access.identity = f"{uid} <{email}>" if isinstance(email, str) else uid
        scopes = me.get("scopes")
        if isinstance(scopes, list) and all(isinstance(s, str) for s in scopes):  # OAuth tokens only
            access.grants = sorted(scopes)
            for scope in scopes:
                access.capabilities.update(scope_capabilities(scope))
            access.note(f"/v0/meta/whoami lists {len(scopes)} OAuth scope(s)")
            enterprise = any(s.startswith("enterprise") for s in scopes)
        else:
            enterprise = False
            access.note("a personal access token's scopes are not readable: grants are what the answers imply")
            if isinstance(email, str):
                access.grants.append("user.email:read")
        _bases(access, http, headers, scoped=isinstance(scopes, list))
        if enterprise:
            access.reach = "organization"
        return access


def _error_type(resp: Any) -> str | None:
    """Airtable's ``{"error": {"type": …}}`` (or ``{"error": "NOT_FOUND"}``), quoted for a note."""
    if 200 <= resp.status_code < 300:
        return None
    try:
        err = json_object(resp).get("error")
    except LookupUnavailable:
        return None
    kind = err.get("type") if isinstance(err, dict) else err
    return f"({kind})" if isinstance(kind, str) and kind.replace("_", "").isalnum() else None


def _bases(access: Access, http: ProviderHTTP, headers: dict[str, str], *, scoped: bool) -> None:
    """The bases the token reaches and its owner's level on each; liveness is already settled."""
    try:
        resp = http.get("/v0/meta/bases", headers=headers)
        body = json_object(resp) if resp.status_code == 200 else None
    except LookupUnavailable as exc:
        access.note(f"bases not listed: {exc}")
        return
    if resp.status_code == 403:
        access.note(f"/v0/meta/bases answered 403 {_error_type(resp) or ''}".rstrip()
                    + ": no schema.bases:read scope, so the bases it reaches are unknown")
        return
    bases = body.get("bases") if body else None
    if not isinstance(bases, list):
        access.note(f"/v0/meta/bases answered HTTP {resp.status_code}: bases unknown")
        return
    if not scoped and "schema.bases:read" not in access.grants:
        access.grants.append("schema.bases:read")
    levels: dict[str, int] = {}
    names = []
    for base in bases:
        if not isinstance(base, dict):
            continue
        level = base.get("permissionLevel")
        if isinstance(level, str) and level in LEVELS:
            levels[level] = levels.get(level, 0) + 1
            if not scoped:  # a PAT: the owner's level bounds what the token can do
                access.capabilities.update(LEVELS[level])
        names.append(f"base {base.get('name') or base.get('id')} ({level})")
    more = isinstance(body.get("offset"), str) if body else False
    access.add_resources(names, len(names))
    access.reach = "account" if len(names) > 1 or more else "project"
    access.facts["permission_levels"] = levels
    if not scoped:
        access.facts["capabilities_upper_bound"] = True
    access.note(f"/v0/meta/bases lists {len(names)} base(s)" + (" on the first page; there are more" if more else "")
                + (f": {', '.join(f'{n} {lv}' for lv, n in sorted(levels.items()))}" if levels else ""))
    if levels.get("create"):
        access.note("can delete or re-share the bases its owner created (permission level create)")


detector = AirtableDetector()
