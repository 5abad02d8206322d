"""Algolia admin and write API keys.

Formats: ``detectors/rules/algolia.toml`` (32 hex characters assigned to an Algolia admin/write/API
key name; the search-only key is public by design and not reported). A key works only with its
application ID, so the lookup needs the ID bound to the key (``ALGOLIA_APP_ID=…`` in the same
configuration block, the same line or URL: ``bound_context``); without one the key is not looked up.

Facts from Algolia's API reference:

- Requests go to ``https://{APPLICATION_ID}.algolia.net`` with ``X-Algolia-Application-Id`` and
  ``X-Algolia-API-Key`` headers (algolia.com/doc/rest-api/search/).
- ``GET /1/keys/{key}`` "Retrieve API key permissions" (algolia.com/doc/libraries/sdk/methods/search/
  get-api-key; required ACL ``search``): "When authenticating with other API keys, you can only
  retrieve information for that key, with the description replaced by <redacted>". It answers
  ``acl``, ``indexes`` (index-name patterns the key is limited to), ``validity`` (seconds, 0 = none),
  ``createdAt``, ``referers``. The key is in this path by Algolia's design, the only way to read a
  key's own rights; it goes to the same host that receives it in the header.
- ``GET /1/keys`` "List API keys" (algolia.com/doc/libraries/sdk/methods/search/list-api-keys):
  "Requires Admin API key". The admin key is not one of the listed keys, so ``/1/keys/{admin key}``
  answers 404 and only the list answers 200.
- Errors are ``{"message", "status"}``: 403 "Invalid Application-ID or API key" for bad credentials,
  403 "Method not allowed with this API key" for a missing ACL, 404 "Key does not exist", 429.
- ACLs (algolia.com/doc/guides/security/api-keys/#access-control-list-acl): search, browse,
  addObject, deleteObject, listIndexes, deleteIndex, settings, editSettings, analytics,
  recommendation, usage, logs, seeUnretrievableAttributes, inference, personalization.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any

from tokenreach.detectors.base import Detector, LookupUnavailable
from tokenreach.detectors.http import ProviderHTTP, json_object
from tokenreach.detectors.rule_files import builtin, rules_for
from tokenreach.scanner.model import Access, Capability, Token

PATTERNS = rules_for("algolia")
_SPEC = builtin("algolia")
_APP_ID = re.compile(r"[A-Z0-9]{10}")

# The application ID as the value of an Algolia application-ID name (ALGOLIA_APP_ID=…,
# NEXT_PUBLIC_ALGOLIA_APPLICATION_ID="…", algoliaAppId: '…', "algolia_app_id": "…"). The whole match
# is the value, so scanner/binding.py can tell that it is assigned in the key's block; Python's
# look-behinds are fixed-width, hence one per spelling.
_NAMES = ("ALGOLIA_APP_ID", "ALGOLIA_APPLICATION_ID", "ALGOLIA_APPID", "ALGOLIAAPPID", "ALGOLIA-APP-ID")
_SEPARATORS = ("=", '="', "='", ": ", ': "', ": '", ' = "', " = '", '": "', "' => '")
APP_ID_CONTEXT = ("(?i)(?:" + "|".join(f"(?<={re.escape(n + sep)})" for n in _NAMES for sep in _SEPARATORS)
                  + r")([A-Z0-9]{10})\b")
_INVALID = "invalid application-id or api key"

_ACL: dict[str, tuple[Capability, ...]] = {
    "search": ("read",), "browse": ("read",), "listIndexes": ("read",), "settings": ("read",),
    "analytics": ("read",), "recommendation": ("read",), "usage": ("read",), "logs": ("read",),
    "seeUnretrievableAttributes": ("read",), "inference": ("read",), "personalization": ("read",),
    "addObject": ("write",), "editSettings": ("write",),
    "deleteObject": ("delete",), "deleteIndex": ("delete",),
}
ADMIN_ACL = tuple(_ACL)


def acl_capabilities(acl: list[str]) -> set[Capability]:
    return {cap for right in acl for cap in _ACL.get(right, ())}


class AlgoliaDetector(Detector):
    provider = "algolia"
    title = "Algolia"
    patterns = PATTERNS
    api_url = None  # the host is the application's own: <APPLICATION_ID>.algolia.net
    host_suffixes = (".algolia.net",)
    request_budget = 60
    revoke_url = _SPEC.revoke_url
    least_privilege = _SPEC.least_privilege
    context_patterns = {"app_id": APP_ID_CONTEXT}
    bound_context = frozenset({"app_id"})
    dead_statuses = frozenset()  # a 403 is dead only when its message says the credentials are invalid

    def lookup(self, token: Token, http: ProviderHTTP, offline: Access) -> Access:
        access = offline
        app_id = (token.context.get("app_id") or "").strip().upper()
        if not _APP_ID.fullmatch(app_id):
            return access.unknown("not looked up: no application id bound to the key (ALGOLIA_APP_ID in "
                                  "the same configuration block, line or URL)")
        access.facts["application_id"] = app_id
        host = f"{app_id.lower()}.algolia.net"
        headers = {"X-Algolia-Application-Id": app_id, "X-Algolia-API-Key": token.secret}
        resp = http.get(f"/1/keys/{token.secret}", host=host, headers=headers, secret_in_url=True)
        message = _message(resp)
        if resp.status_code == 404 and "does not exist" in message.lower():
            return _admin(access, http, host, headers, app_id)
        invalid = resp.status_code == 403 and message.lower().startswith(_INVALID)
        why = {403: f"invalid or revoked for application {app_id}" if invalid
               else "the key may not read its own ACL (no search ACL)"}
        if not http.settle(access, resp, "/1/keys/{key}", dead={403} if invalid else (),
                           forbidden=() if invalid else {403}, why=why,
                           detail=f"({message[:80]})" if message else None):
            return access
        _read_key(access, json_object(resp), app_id)
        return access


def _message(resp: Any) -> str:
    if 200 <= resp.status_code < 300:
        return ""
    try:
        text = json_object(resp).get("message")
    except LookupUnavailable:
        return ""
    return text if isinstance(text, str) else ""


def _read_key(access: Access, key: dict[str, Any], app_id: str) -> None:
    acl = [a for a in key.get("acl") or [] if isinstance(a, str)]
    access.grants = acl
    access.capabilities = acl_capabilities(acl)
    indexes = [i for i in key.get("indexes") or [] if isinstance(i, str)]
    access.identity = f"API key of application {app_id}"
    if indexes:
        access.reach = "resource"
        access.add_resources([f"index {i}" for i in indexes], len(indexes))
        access.note(f"limited to {len(indexes)} index pattern(s)")
    else:
        access.reach = "project"
        access.note(f"every index of application {app_id}")
    validity, created = key.get("validity"), key.get("createdAt")
    if isinstance(validity, int) and validity > 0 and isinstance(created, (int, float)):
        access.expires_at = datetime.fromtimestamp(created + validity, tz=timezone.utc).isoformat()
    referers = [r for r in key.get("referers") or [] if isinstance(r, str)]
    if referers:
        access.facts["referers"] = referers[:10]
    access.note(f"/1/keys/{{key}} lists ACL {', '.join(acl) or '(none)'}")
    if {"deleteIndex", "deleteObject"} & set(acl):
        access.note("can delete records or whole indices")


def _admin(access: Access, http: ProviderHTTP, host: str, headers: dict[str, str], app_id: str) -> Access:
    """Not one of the application's keys: the admin key, if it may list the keys."""
    resp = http.get("/1/keys", host=host, headers=headers)
    message = _message(resp)
    invalid = resp.status_code == 403 and message.lower().startswith(_INVALID)
    if not http.settle(access, resp, "/1/keys", dead={403} if invalid else (), forbidden=() if invalid else {403},
                       why={403: f"invalid or revoked for application {app_id}" if invalid
                            else "not the admin key, and not a key of this application"},
                       detail=f"({message[:80]})" if message else None):
        return access
    keys = json_object(resp).get("keys")
    access.identity = f"admin API key of application {app_id}"
    access.grants = ["admin"]
    access.capabilities = {*acl_capabilities(list(ADMIN_ACL)), "admin", "secrets"}
    access.reach = "project"
    access.facts["admin_key"] = True
    count = len(keys) if isinstance(keys, list) else 0
    access.note(f"the admin API key: /1/keys/{{key}} does not know it and /1/keys lists all {count} API key(s)")
    access.note("can read every API key of the application, create keys and delete every index")
    return access


detector = AlgoliaDetector()
