"""Pinecone API keys (``pcsk_…`` and the older UUID keys).

Formats: ``detectors/rules/pinecone.toml``. Facts from Pinecone's documentation:

- A key belongs to one project (docs.pinecone.io/guides/projects/manage-api-keys) and holds roles:
  ``ProjectEditor`` ("read and write all project data"; the console's "All", the only choice on the
  Starter plan), ``ProjectViewer``, or control-plane / data-plane editor and viewer roles
  (docs.pinecone.io/guides/production/security-overview#api-keys). A key cannot read its own roles:
  that takes the Admin API and a service account.
- ``GET https://api.pinecone.io/indexes`` "List indexes" (docs.pinecone.io/reference/api/
  control-plane/list_indexes) with ``Api-Key`` and ``X-Pinecone-API-Version``: ``{"indexes":
  [{"name", "host", "dimension", "deletion_protection", "status", …}]}``.
- Errors (docs.pinecone.io/reference/api/errors): 401 "missing or invalid API key"; 403 is
  documented for an exceeded quota or deletion protection (not as a refused key, so it stays
  unknown); 429 rate limit; 5xx.

Listing indexes proves control-plane read. Whether the key may also write is not readable without
writing, so write and delete are an upper bound, said so in a note.
"""

from __future__ import annotations

from typing import Any

from tokenreach.detectors.base import Detector, LookupUnavailable
from tokenreach.detectors.http import ProviderHTTP, json_object
from tokenreach.detectors.rule_files import rules_for
from tokenreach.scanner.model import Access, Token

PATTERNS = rules_for("pinecone")

API_VERSION = "2025-04"


class PineconeDetector(Detector):
    provider = "pinecone"
    title = "Pinecone"
    patterns = PATTERNS
    api_url = "https://api.pinecone.io"
    hosts = ("api.pinecone.io",)
    request_budget = 60
    revoke_url = "https://app.pinecone.io/organizations/-/projects/-/keys"
    least_privilege = "create a key with the data-plane read-only role in the one project this service queries"

    def lookup(self, token: Token, http: ProviderHTTP, offline: Access) -> Access:
        access = offline
        resp = http.get("/indexes", headers={"Api-Key": token.secret, "X-Pinecone-API-Version": API_VERSION})
        if not http.settle(access, resp, "/indexes", detail=_detail(resp),
                           why={403: "a quota or deletion-protection refusal (not a verdict on the key)"}):
            return access
        indexes = json_object(resp).get("indexes")
        if not isinstance(indexes, list):
            return access.unknown("/indexes answered 200 without an indexes list")
        rows = [i for i in indexes if isinstance(i, dict) and isinstance(i.get("name"), str)]
        access.identity = "API key of a Pinecone project"
        access.reach = "project"
        access.capabilities = {"read", "write", "delete"}
        access.grants = ["control plane: read"]
        access.facts["capabilities_upper_bound"] = True
        access.add_resources([f"index {i['name']}" for i in rows], len(rows))
        unprotected = [i["name"] for i in rows if i.get("deletion_protection") != "enabled"]
        access.facts["indexes_without_deletion_protection"] = len(unprotected)
        access.note(f"/indexes lists {len(rows)} index(es) of the key's project")
        access.note("a key's roles are not readable with the key: write and delete are assumed (ProjectEditor, "
                    "\"All\" in the console, is the default and the Starter plan's only choice)")
        if unprotected:
            access.note(f"{len(unprotected)} index(es) without deletion protection: an editor key can delete them")
        return access


def _detail(resp: Any) -> str | None:
    """Pinecone's ``{"error": {"code", "message"}}``, quoted for a note."""
    if 200 <= resp.status_code < 300:
        return None
    try:
        err = json_object(resp).get("error")
    except LookupUnavailable:
        return None
    code = err.get("code") if isinstance(err, dict) else None
    return f"({code})" if isinstance(code, str) and code.replace("_", "").isalnum() else None


detector = PineconeDetector()
