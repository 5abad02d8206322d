"""OpenAI API keys.

Formats (providers.md B.8): ``sk-proj-`` project keys, ``sk-svcacct-`` service-account keys,
``sk-admin-`` Admin API keys, and legacy user keys ``sk-`` + 20 + ``T3BlbkFJ`` + 20. Every format
carries the marker ``T3BlbkFJ`` (base64 of "OpenAI"). OpenAI's API reference shows only the
``sk-admin-`` prefix (example key of "Create admin API key", developers.openai.com/api/reference);
the other prefixes, the lengths and the marker are not documented by OpenAI: they are the shape
its keys have in public code.

Liveness is ``GET /v1/models`` (free). A 401 is ambiguous: "Incorrect API key provided" means
dead, but a restricted key that lacks a permission also gets **401**, with "Missing scopes: …"
naming what it lacks, so that 401 means live and restricted. A few more list reads map the
restricted permissions and ``GET /v1/me`` names the person and their organization roles. Admin
keys are checked with ``GET /v1/organization/admin_api_keys``. Nothing here ever asks for a
completion or a generation: those spend the owner's money.
"""

from __future__ import annotations

import re
from typing import Any

from tokenreach.detectors.base import Detector, LookupUnavailable
from tokenreach.detectors.http import ProviderHTTP, json_object
from tokenreach.detectors.rule_files import rules_for
from tokenreach.scanner.model import Access, Capability, Reach, Token

PATTERNS = rules_for("openai")

# Read-only list calls and the scope a 200 proves (names as OpenAI's own "Missing scopes" errors
# and key permissions spell them). Write scopes imply these reads, so a 200 may also mean write.
_READ_PROBES: tuple[tuple[str, str, dict[str, str]], ...] = (
    ("/v1/files", "api.files.read", {}),
    ("/v1/fine_tuning/jobs", "api.fine_tuning.jobs.read", {}),
    ("/v1/assistants", "api.assistants.read", {"OpenAI-Beta": "assistants=v2"}),
)
_SPEND_SCOPES = frozenset({"model.request", "api.model.request"})
_IP_REFUSAL = re.compile(r"\bIP\b|[Aa]llowlist")
_SCOPE_WORD = re.compile(r"[a-z][a-z0-9_]*(?:[.:][a-z0-9_]+)+")
_REACH: dict[str, Reach] = {
    "project_key": "project",
    "service_account_key": "project",
    "admin_key": "organization",
    "legacy_key": "account",
}
_KIND_NOTES = {
    "project_key": "sk-proj- project key: one project of one organization",
    "service_account_key": "sk-svcacct- service-account key: one project, not tied to a person",
    "admin_key": "sk-admin- Admin API key: manages the whole organization (users, projects, keys)",
    "legacy_key": "legacy user key: acts as the user in every organization and project they belong to",
}


def missing_scopes(message: str) -> list[str]:
    """The scope names after "Missing scopes:" in an OpenAI error message, in order."""
    m = re.search(r"Missing scopes?:\s*(.*)", message, re.DOTALL)
    if not m:
        return []
    out: list[str] = []
    for word in re.split(r"[,\s]+", m.group(1)):
        clean = word.rstrip(".;")
        if not _SCOPE_WORD.fullmatch(clean):
            break
        out.append(clean)
        if word.endswith("."):  # end of the sentence that lists them
            break
    return out


def _error_message(resp: Any) -> str:
    try:
        body = json_object(resp)
    except LookupUnavailable:
        return resp.content[:2000].decode("utf-8", "replace")
    error = body.get("error")
    if isinstance(error, dict):
        return str(error.get("message") or "")
    return str(error or "")


def _refusal(resp: Any, *, ip_allowlist: bool) -> tuple[list[str], dict[str, Any]]:
    """The scopes a 401 names as missing, and ProviderHTTP.settle's arguments for the answer.

    OpenAI answers 401 where others answer 403: to a live key without a scope (the message names
    the scopes); to a caller outside a project's IP allowlist, which says nothing about the key;
    and to an invalid key.
    """
    if resp.status_code != 401:
        return [], {}
    message = _error_message(resp)
    missing = missing_scopes(message)
    if missing:
        return missing, {"forbidden": {401}, "detail": f"naming missing scopes ({', '.join(missing)})",
                         "why": {401: "a live restricted key"}}
    if ip_allowlist and _IP_REFUSAL.search(message):
        return [], {"dead": (), "detail": "about the caller's IP address",
                    "why": {401: "the key may be live behind an IP allowlist"}}
    return [], {"detail": "without missing scopes",
                "why": {401: "the key is invalid, revoked or its account deactivated"}}


class OpenAIDetector(Detector):
    provider = "openai"
    title = "OpenAI"
    patterns = PATTERNS
    api_url = "https://api.openai.com"
    hosts = ("api.openai.com",)
    request_budget = 80  # five reads per key at most
    revoke_url = "https://platform.openai.com/api-keys"
    least_privilege = (
        "create a project key with restricted permissions (only the endpoints it calls) in a project with"
        " a budget limit"
    )

    def classify(self, token: Token) -> Access:
        access = Access(evidence="prefix")
        kind = token.kind or "legacy_key"
        access.facts["key_type"] = kind
        reach = _REACH.get(kind)
        if reach:
            access.reach = reach
        if kind in _KIND_NOTES:
            access.note(_KIND_NOTES[kind])
        if kind == "admin_key":
            access.capabilities = {"read", "write", "delete", "admin"}
        return access

    def lookup(self, token: Token, http: ProviderHTTP, offline: Access) -> Access:
        headers = {"Authorization": f"Bearer {token.secret}"}
        if token.kind == "admin_key":
            return self._admin(token, http, headers, offline)
        access = offline
        resp = http.get("/v1/models", headers=headers)
        missing, rules = _refusal(resp, ip_allowlist=True)
        if http.settle(access, resp, "GET /v1/models", **rules):
            body = json_object(resp)
            models = body.get("data")
            if not isinstance(models, list):
                return access.unknown("GET /v1/models answered 200 without a model list")
            access.grants.append("api.model.read")
            access.facts["models_visible"] = len(models)
        elif not access.live:
            return access
        self._probe(access, http, headers, missing)
        self._me(access, http, headers)
        return access

    def _probe(self, access: Access, http: ProviderHTTP, headers: dict[str, str],
               missing: list[str]) -> None:
        unprobed: list[str] = []
        for path, scope, extra in _READ_PROBES:
            try:
                resp = http.get(path, headers={**headers, **extra}, params={"limit": 1})
            except LookupUnavailable as exc:
                unprobed.append(path)
                access.note(f"stopped mapping permissions at {path}: {exc}")
                break
            lacking = missing_scopes(_error_message(resp)) if resp.status_code == 401 else []
            if resp.status_code == 200:
                access.grants.append(scope)
            elif lacking:
                missing.extend(s for s in lacking if s not in missing)
            else:
                unprobed.append(path)
        if access.grants:
            access.capabilities.add("read")
        access.facts["missing_scopes"] = missing
        if unprobed:
            access.facts["unprobed"] = unprobed
        # What a read-only lookup cannot test is assumed, as the severity rule assumes the worst of
        # any unknown: spending unless a model-request scope was refused, and write and delete
        # unless some refusal showed the key is restricted.
        assumed: list[Capability] = []
        if missing:
            access.facts["restricted"] = True
        else:
            assumed += ["write", "delete"]
            access.note("no read was refused: an \"All\" key, or a restricted key that allows these "
                        "reads; write and delete are assumed, since only a write could show them")
        if _SPEND_SCOPES & set(missing):
            access.note("model requests are refused: the key cannot spend")
        else:
            assumed.append("billing")
            access.note("model requests (which spend the owner's money) are assumed allowed: testing "
                        "one would spend, and nothing refused them")
        access.capabilities.update(assumed)
        access.facts["assumed_capabilities"] = assumed

    def _me(self, access: Access, http: ProviderHTTP, headers: dict[str, str]) -> None:
        """Who the key acts as, and their organization roles (GET /v1/me, undocumented)."""
        try:
            resp = http.get("/v1/me", headers=headers)
            body = json_object(resp) if resp.status_code == 200 else None
        except LookupUnavailable as exc:
            access.note(f"identity unknown: {exc}")
            return
        if body is None:
            access.note(f"GET /v1/me answered HTTP {resp.status_code}: identity unknown")
            return
        name = body.get("email") or body.get("name") or body.get("id")
        if name:
            access.identity = str(name)
        orgs_block = body.get("orgs")
        orgs = orgs_block.get("data") if isinstance(orgs_block, dict) else None
        roles: dict[str, str] = {}
        for org in orgs if isinstance(orgs, list) else []:
            if isinstance(org, dict):
                title = str(org.get("title") or org.get("name") or org.get("id"))
                roles[title] = str(org.get("role") or "unknown")
        if roles:
            access.facts["org_roles"] = roles
            access.add_resources([f"org {t}" for t in roles])
        owner_of = [t for t, r in roles.items() if r == "owner"]
        if owner_of:
            access.facts["owner_of"] = owner_of
            access.note(f"the person behind the key owns {', '.join(owner_of)}")
        if body.get("mfa_flag_enabled") is False:
            access.facts["mfa"] = False

    def _admin(self, token: Token, http: ProviderHTTP, headers: dict[str, str], offline: Access) -> Access:
        access = offline
        resp = http.get("/v1/organization/admin_api_keys", headers=headers, params={"limit": 100})
        lacking, rules = _refusal(resp, ip_allowlist=False)  # an admin key is the organization's
        if not http.settle(access, resp, "GET /v1/organization/admin_api_keys", **rules):
            if lacking:  # live, but may not list admin keys
                access.facts["missing_scopes"] = lacking
            return access
        body = json_object(resp)
        keys = body.get("data")
        if not isinstance(keys, list):
            return access.unknown("admin_api_keys answered 200 without a key list")
        access.reach = "organization"
        access.capabilities = {"read", "write", "delete", "admin", "secrets"}
        access.note("a live Admin API key: invites and removes users, creates projects and service "
                    "accounts (whose creation returns new API keys)")
        access.facts["admin_keys_in_org"] = len(keys)
        this = _matching_key(token.secret, keys)
        if this is not None:
            owner = this.get("owner")
            owner = owner if isinstance(owner, dict) else {}
            access.identity = str(owner.get("name") or owner.get("id") or this.get("name") or this.get("id"))
            if this.get("name"):
                access.facts["key_name"] = str(this["name"])
            if owner.get("role"):
                access.facts["owner_role"] = str(owner["role"])
            access.note("found itself in the admin key list by its redacted value")
        return access


def _matching_key(secret: str, keys: list[Any]) -> dict[str, Any] | None:
    """The admin key record whose ``redacted_value`` ("sk-admin-AbC...xYz") fits ``secret``."""
    for key in keys:
        if not isinstance(key, dict):
            continue
        redacted = str(key.get("redacted_value") or "")
        head, sep, tail = redacted.replace("…", "...").partition("...")
        if sep and len(head) >= 9 and tail and secret.startswith(head) and secret.endswith(tail):
            return key
    return None


detector = OpenAIDetector()
