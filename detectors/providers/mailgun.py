"""Mailgun API keys.

Formats (providers.md C.9; not documented by Mailgun, the shapes its keys have in public code): the
legacy private key ``key-`` + 32 hex, and the current ``<32 hex>-<8 hex>-<8 hex>``. Neither is
distinctive on its own (``key-<md5>`` is a common cache key), so both need Mailgun context: a
``mailgun``/``MG_`` name, or Mailgun's documented Basic-auth idioms ``api:<key>`` and
``("api", "<key>")``.

Read-only calls with HTTP Basic ``api:<key>``: ``GET /v3/domains`` (200 live, 401 invalid; it also
lists the domains the key reaches) and ``GET /v1/keys`` (answered only for keys that may manage
keys). Accounts live in one region: a US key gets 401 from the EU host and the other way round, so
a key is invalid only when both hosts refuse it. A Mailgun host near the key
(``Token.context["host"]``) only decides which host is asked first.
"""

from __future__ import annotations

from typing import Any

from tokenreach.detectors.base import Detector, LookupUnavailable
from tokenreach.detectors.http import ProviderHTTP, json_object
from tokenreach.detectors.rule_files import rules_for
from tokenreach.scanner.model import Access, Token

US, EU = "api.mailgun.net", "api.eu.mailgun.net"

PATTERNS = rules_for("mailgun")

# Region order when nothing names it: most accounts are in the US.
_REGIONS = (US, EU)


class MailgunDetector(Detector):
    provider = "mailgun"
    title = "Mailgun"
    patterns = PATTERNS
    api_url = f"https://{US}"
    hosts = _REGIONS
    request_budget = 60
    revoke_url = "https://app.mailgun.com/settings/api_security"
    # A whole host name only: not api.mailgun.net.evil.test (context regexes run in Python re).
    context_patterns = {"host": r"(?<![\w.-])(api\.(?:eu\.)?mailgun\.net)(?![\w-]|\.\w)"}

    def classify(self, token: Token) -> Access:
        access = super().classify(token)
        host = (token.context.get("host") or "").lower()
        if host in _REGIONS:
            access.facts["named_region"] = "eu" if host == EU else "us"
            access.note(f"Mailgun host {host} named near the key: asked first")
        return access

    def lookup(self, token: Token, http: ProviderHTTP, offline: Access) -> Access:
        access = offline
        auth = ("api", token.secret)
        first = EU if access.facts.get("named_region") == "eu" else US
        hosts = [first, *(h for h in _REGIONS if h != first)]
        why = {401: "invalid or revoked (refused on both the US and EU hosts)",
               403: "the key authenticated but may not read domains (a domain sending key, a restricted "
                    "role or an IP allowlist)"}
        for n, host in enumerate(hosts, 1):
            resp = http.get("/v3/domains", host=host, auth=auth, params={"limit": 100})
            if resp.status_code in self.dead_statuses and n < len(hosts):
                continue  # a key of the other region: ask there
            if not http.settle(access, resp, f"/v3/domains on {host}", why=why):
                return access
            return _live(access, json_object(resp), host, http, auth)
        return access


def _live(access: Access, body: dict[str, Any], host: str, http: ProviderHTTP,
          auth: tuple[str, str]) -> Access:
    items = body.get("items")
    if not isinstance(items, list):
        return access.unknown("/v3/domains answered 200 without items")
    access.live = True
    access.evidence = "api"
    access.facts["region"] = "eu" if host == EU else "us"
    domains = [d for d in items if isinstance(d, dict) and d.get("name")]
    names = [str(d["name"]) for d in domains]
    total = body.get("total_count")
    access.add_resources([f"domain {n}" for n in names], total if isinstance(total, int) else None)
    region = str(access.facts["region"]).upper()
    access.identity = f"Mailgun account ({region}) with {access.resources_total} domain(s)"
    active = [str(d["name"]) for d in domains if d.get("state") == "active"]
    if active:
        access.facts["active_domains"] = active[: Access.MAX_RESOURCES]
    access.reach = "account"
    access.capabilities = {"read", "write"}
    access.note("reads the account's domains and can send mail from every one of them")
    _keys(access, host, http, auth)
    return access


def _keys(access: Access, host: str, http: ProviderHTTP, auth: tuple[str, str]) -> None:
    """/v1/keys answers only a key that may manage keys: an admin-role account key."""
    try:
        resp = http.get("/v1/keys", host=host, auth=auth)
        body = json_object(resp) if resp.status_code == 200 else {}
    except LookupUnavailable as exc:
        access.note(f"API keys not listed: {exc}")
        return
    if resp.status_code in (401, 403):
        access.note(f"/v1/keys answered {resp.status_code}: this key cannot manage API keys")
        return
    items = body.get("items")
    if not isinstance(items, list):
        access.note(f"API keys not listed (HTTP {resp.status_code})")
        return
    keys = [k for k in items if isinstance(k, dict)]
    access.capabilities.update({"delete", "admin"})
    access.facts["keys_visible"] = len(keys)
    roles = sorted({str(k.get("role")) for k in keys if k.get("role")})
    access.facts["key_roles_seen"] = roles
    access.note(f"lists the account's {len(keys)} API key(s): key management (admin role); roles seen: "
                + (", ".join(roles) or "none"))
    people = sorted({str(k.get("requestor")) for k in keys if k.get("requestor")})
    if people:
        access.facts["key_owners"] = people[: Access.MAX_RESOURCES]


detector = MailgunDetector()
