"""Intercom access tokens: the workspace and admin they act for, and which data they can read.

Format: ``detectors/rules/intercom.toml``. An access token is sent as ``Authorization: Bearer`` to
the REST API of its workspace's region: ``api.intercom.io`` (US), ``api.eu.intercom.io`` (Europe)
or ``api.au.intercom.io`` (Australia) (developers.intercom.com, "Authentication" and "Regional
hosting"); another region does not know it.

Lookup, all GETs, with ``Intercom-Version: 2.11``:
1. ``/me`` ("Identify an admin": the admin the token acts as, ``email``, and its workspace,
   ``app.id_code``, ``app.name``, ``app.region``), asked in each region in turn. Errors are
   ``{"type": "error.list", "errors": [{"code", "message"}]}`` (REST API "Error codes"): 401
   ``unauthorized`` ("Access Token Invalid") in every region is an invalid or revoked token.
2. Intercom has no call that lists a token's permissions, so two reads are tried, one record
   each: ``/contacts?per_page=1`` ("Read and list users and companies") and
   ``/conversations?per_page=1`` ("Read conversations"). A refusal (403 ``forbidden`` /
   ``action_forbidden``, or 401 ``token_unauthorized``) means the app lacks that permission. Its
   write permissions cannot be read without writing: they stay unknown, and the notes say so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tokenreach.detectors.base import Detector, LookupUnavailable
from tokenreach.detectors.http import ProviderHTTP, json_object, json_of
from tokenreach.detectors.rule_files import builtin, rules_for
from tokenreach.scanner.model import Access, Token

if TYPE_CHECKING:
    import httpx

PATTERNS = rules_for("intercom")
_SPEC = builtin("intercom")

API_VERSION = "2.11"
REGIONS = (("US", "api.intercom.io"), ("EU", "api.eu.intercom.io"), ("AU", "api.au.intercom.io"))
# Reads tried, one record each, and the permission each one shows (Intercom's own names).
_PROBES = (("/contacts", "Read and list users and companies"), ("/conversations", "Read conversations"))
_REFUSED = frozenset({"forbidden", "action_forbidden", "token_unauthorized", "api_plan_restricted"})


def _code(resp: httpx.Response) -> str:
    try:
        body = json_of(resp)
    except LookupUnavailable:
        return ""
    errors = body.get("errors") if isinstance(body, dict) else None
    first = errors[0] if isinstance(errors, list) and errors and isinstance(errors[0], dict) else {}
    code = first.get("code")
    return code if isinstance(code, str) else ""


class IntercomDetector(Detector):
    provider = "intercom"
    title = _SPEC.name
    patterns = PATTERNS
    api_url = "https://api.intercom.io"
    hosts = tuple(host for _, host in REGIONS)
    request_budget = 60
    revoke_url = _SPEC.revoke_url
    least_privilege = _SPEC.least_privilege

    def lookup(self, token: Token, http: ProviderHTTP, offline: Access) -> Access:
        access = offline
        headers = {"Authorization": f"Bearer {token.secret}", "Intercom-Version": API_VERSION}
        found = self._me(http, headers, access)
        if found is None:
            return access
        region, host, resp = found
        access.facts["region"] = region
        access.reach = "account"
        me = json_object(resp)
        found_app = me.get("app")
        app: dict[str, Any] = found_app if isinstance(found_app, dict) else {}
        workspace = app.get("name") or app.get("id_code") or "unknown workspace"
        who = me.get("email") or me.get("name") or me.get("id")
        access.identity = f"{who} in workspace {workspace} ({region})" if who else f"workspace {workspace} ({region})"
        if isinstance(app.get("id_code"), str):
            access.add_resources([f"workspace {app['id_code']}"])
        self._probe(http, host, headers, access)
        return access

    def _me(self, http: ProviderHTTP, headers: dict[str, str],
            access: Access) -> tuple[str, str, httpx.Response] | None:
        """``/me`` in each region until one knows the token: (region, host, answer), or None once
        liveness is settled otherwise (refused everywhere, or an answer that decides nothing)."""
        for i, (region, host) in enumerate(REGIONS):
            last = i + 1 == len(REGIONS)
            resp = http.get("/me", host=host, headers=headers)
            code = _code(resp)
            if resp.status_code == 401 and code != "token_unauthorized" and not last:
                access.note(f"/me on {host} answered 401 ({code or 'unauthorized'}): asking the next region")
                continue
            why = {401: "invalid or revoked in every region" if last else "invalid or revoked"}
            if http.settle(access, resp, f"/me on {host}", why=why, detail=f"({code})" if code else None):
                return region, host, resp
            return None
        return None

    def _probe(self, http: ProviderHTTP, host: str, headers: dict[str, str], access: Access) -> None:
        for path, permission in _PROBES:
            try:
                resp = http.get(path, host=host, headers=headers, params={"per_page": 1})
            except LookupUnavailable as exc:
                access.note(f"{path} unavailable: {exc}")
                continue
            if resp.status_code == 200:
                access.grants.append(permission)
                access.capabilities.add("read")
            elif resp.status_code in (401, 403) and _code(resp) in _REFUSED:
                access.note(f"{path} refused ({_code(resp)}): no {permission!r} permission")
            else:
                access.note(f"{path} answered HTTP {resp.status_code}: {permission!r} unknown")
        # /me answered: it reads at least its admin and workspace. Its writes cannot be seen.
        access.capabilities.add("read")
        access.note("Intercom shows no token's write permissions without a write: they stay unknown")


detector = IntercomDetector()
