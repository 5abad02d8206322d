"""Datadog API keys and application keys.

Formats (providers.md C.5; not documented by Datadog: "API and Application Keys",
docs.datadoghq.com/account_management/api-app-keys, states no length, so the shape is the one its keys
have in public code): an **API key** is 32 lower-case alphanumerics (hex in practice) and an
**application key** 40, both unprefixed, so both need a ``datadog``/``dd_`` name in front of them.

Datadog runs separate sites (docs.datadoghq.com/getting_started/site); a key works only on its
own, and every other site answers it 403. A Datadog URL or ``DD_SITE`` value near the key
(``Token.context["site"]``) is used only when it is one of :data:`SITES`, and is tried first; the
other sites follow, so a stale or unrelated URL can never make a live key read as revoked.
Read-only calls: ``GET /api/v1/validate`` with ``DD-API-KEY`` (200 valid, 403 invalid) and, for an
application key, ``GET /api/v2/current_user`` with both keys (the user or service account it
acts as, and their roles). An application key cannot be used without an API key of the same
organization: the nearest Datadog API key in the file (``Token.context["api_key"]``).
"""

from __future__ import annotations

import re

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import ASSIGN
from tokenreach.detectors.http import ProviderHTTP, json_object
from tokenreach.scanner.model import Access, Capability, Token

# Site domain → its API host, as Datadog's API reference lists them (providers.md names six; AP2
# and US2-FED were added since). US1 first: most keys live there.
SITES: dict[str, str] = {
    "datadoghq.com": "api.datadoghq.com",
    "us3.datadoghq.com": "api.us3.datadoghq.com",
    "us5.datadoghq.com": "api.us5.datadoghq.com",
    "datadoghq.eu": "api.datadoghq.eu",
    "ap1.datadoghq.com": "api.ap1.datadoghq.com",
    "ap2.datadoghq.com": "api.ap2.datadoghq.com",
    "ddog-gov.com": "api.ddog-gov.com",
    "us2.ddog-gov.com": "api.us2.ddog-gov.com",
}

_SEP = r"[\w.\-\"'\s{:]{0,40}?"  # from "datadog"/"dd_" to "api_key": names, YAML/HCL nesting
_API_NAME = r"(?i:(?:datadog|\bdd[_.\-])" + _SEP + r"api[_.\-]?key)"
_APP_NAME = r"(?i:(?:datadog|\bdd[_.\-])" + _SEP + r"app(?:lication)?[_.\-]?key)"
_KEYWORDS = ("datadog", "dd_", "dd-", "dd.")


def _not_placeholder(secret: str) -> bool:
    """Real keys mix digits and letters; ``xxxx…``, ``0000…`` and ``abcd…`` runs are placeholders."""
    return bool(re.search(r"[0-9]", secret) and re.search(r"[a-z]", secret))


PATTERNS = (
    Pattern(
        id="datadog.api_key",
        name="Datadog API key",
        regex=_API_NAME + ASSIGN + r"(?P<secret>[a-z0-9]{32})\b",
        # Between name and value, the shared grammar (catalog.ASSIGN); Hyperscan only needs the name
        # and the value nearby, and re confirms.
        prefilter=_API_NAME + r"[\s\S]{0,60}[a-z0-9]{32}",
        keywords=_KEYWORDS,
        kind="api_key",
        validate=_not_placeholder,
        examples=(
            "DD_API_KEY=3f9a1c7e5b2d4f6a8c0e1b3d5f7a9c2e",
            'datadog_api_key: "8e2b6d0f4a1c3e5b7d9f0a2c4e6b8d1f"',
            "curl -H 'DD-API-KEY: 0a1b2c3d4e5f60718293a4b5c6d7e8f9' https://api.datadoghq.eu/api/v1/validate",
            'provider "datadog" {\n  api_key = "5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a"',
            '"os.environ[\\"DD_API_KEY\\"] = \\"6124df59340293cd3dfc0294aeeae9d9\\"\\n",',  # a notebook cell
            'System.setProperty("DD_API_KEY", "6124df59340293cd3dfc0294aeeae9d9");',
        ),
        counterexamples=(
            "DD_API_KEY=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",  # placeholder
            "DD_API_KEY=3f9a1c7e5b2d4f6a8c0e1b3d5f7a9c2e0a1b2c3d",  # 40 characters: not an API key
            "API_KEY=3f9a1c7e5b2d4f6a8c0e1b3d5f7a9c2e",  # no Datadog context
            "DD_TRACE_ID=3f9a1c7e5b2d4f6a8c0e1b3d5f7a9c2e",  # not a key name
        ),
    ),
    Pattern(
        id="datadog.app_key",
        name="Datadog application key",
        regex=_APP_NAME + ASSIGN + r"(?P<secret>[a-z0-9]{40})\b",
        prefilter=_APP_NAME + r"[\s\S]{0,60}[a-z0-9]{40}",
        keywords=_KEYWORDS,
        kind="app_key",
        validate=_not_placeholder,
        examples=(
            "DATADOG_APP_KEY=9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b",
            "-H \"DD-APPLICATION-KEY: 1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d\"",
            "datadog:\n  appKey: 0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c",
        ),
        counterexamples=(
            "DD_APP_KEY=<your-application-key>",
            "DD_APP_KEY=3f9a1c7e5b2d4f6a8c0e1b3d5f7a9c2e",  # 32 characters: that is an API key
            "GIT_COMMIT=9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b",  # a SHA-1 with no Datadog name
        ),
    ),
)

# Near a match (Python re only, so lookbehind is fine): a Datadog site host or DD_SITE value, not
# docs.datadoghq.com; and the Datadog API key an application key needs.
CONTEXT_PATTERNS = {
    "site": r"(?<![\w.-])((?:api\.|app\.)?(?:(?:us3|us5|ap1|ap2)\.)?datadoghq\.(?:com|eu)"
            r"|(?:api\.|app\.)?(?:us2\.)?ddog-gov\.com)(?![\w-]|\.\w)",
    "api_key": _API_NAME + ASSIGN + r"([a-z0-9]{32})\b",
}

# Datadog's managed roles → capabilities. Custom roles keep their names in grants only.
_ROLE_CAPABILITIES: dict[str, tuple[Capability, ...]] = {
    "Datadog Admin Role": ("read", "write", "delete", "admin", "secrets"),
    "Datadog Standard Role": ("read", "write", "delete"),
    "Datadog Read Only Role": ("read",),
}


def site_host(value: str | None) -> str | None:
    """The API host of a documented Datadog site named by a URL, host or DD_SITE value, else None."""
    if not value:
        return None
    host = re.sub(r"^[a-z]+://", "", value.strip().lower()).split("/")[0].split(":")[0]
    for site, api in SITES.items():
        if host in (site, api, "app." + site):
            return api
    return None


class DatadogDetector(Detector):
    provider = "datadog"
    title = "Datadog"
    patterns = PATTERNS
    api_url = "https://api.datadoghq.com"
    hosts = tuple(SITES.values())
    request_budget = 100  # a revoked API key costs one call per site
    revoke_url = "https://app.datadoghq.com/organization-settings/api-keys"
    context_patterns = CONTEXT_PATTERNS
    # Datadog refuses an unknown API or application key with 403 Forbidden (401 on some v2 calls).
    dead_statuses = frozenset({401, 403})

    def classify(self, token: Token) -> Access:
        access = super().classify(token)
        site = site_host(token.context.get("site"))
        if site:
            access.facts["named_site"] = site
            access.note(f"Datadog site {site} named near the key: tried first")
        if token.kind == "app_key" and not _api_key_of(token):
            access.note("no API key found next to this application key")
        return access

    def lookup(self, token: Token, http: ProviderHTTP, offline: Access) -> Access:
        access = offline
        api_key = token.secret if token.kind == "api_key" else _api_key_of(token)
        if api_key is None:
            return access.unknown("a Datadog application key works only together with an API key of "
                                  "its organization, and none was found near it")
        site = _validate_api_key(api_key, http, access)
        if token.kind == "api_key":
            if site is not None:
                _api_key_access(access, site)
            return access
        if site is None:
            # The paired API key decided nothing about the application key itself.
            access.live = None
            access.evidence = "prefix"
            return access.note("the application key was not tried: its paired API key did not validate")
        return _current_user(token.secret, api_key, site, http, access)


def _api_key_of(token: Token) -> str | None:
    key = token.context.get("api_key")
    return key if key and re.fullmatch(r"[a-z0-9]{32}", key) and _not_placeholder(key) else None


def _sites(access: Access) -> list[str]:
    """Every documented site, the one named near the key first."""
    named = access.facts.get("named_site")
    return sorted(SITES.values(), key=lambda host: host != named)


_VALIDATE_DEAD = frozenset({403})  # /api/v1/validate: any other refusal decides nothing


def _validate_api_key(api_key: str, http: ProviderHTTP, access: Access) -> str | None:
    """The site on which ``api_key`` is valid. Sets live=False when every site tried says 403."""
    sites = _sites(access)
    for n, host in enumerate(sites, 1):
        resp = http.get("/api/v1/validate", host=host, headers={"DD-API-KEY": api_key})
        if resp.status_code in _VALIDATE_DEAD and n < len(sites):
            continue  # the key of another site: ask the next
        why = {403: f"API key invalid or revoked (refused on all {len(sites)} Datadog sites)"}
        if not http.settle(access, resp, f"/api/v1/validate on {host}", dead=_VALIDATE_DEAD, why=why):
            return None
        if json_object(resp).get("valid") is not True:
            access.unknown(f"/api/v1/validate on {host} answered 200 without valid: true")
            return None
        access.facts["site"] = host
        return host
    return None


def _api_key_access(access: Access, site: str) -> None:
    access.live = True
    access.evidence = "api"
    access.identity = f"a Datadog organization on {site}"
    access.reach = "organization"
    access.capabilities = {"write"}
    access.note(f"API key valid on {site}: it can submit metrics, logs and events for the whole "
                "organization (data injection, cost) but cannot read data without an application key")


def _current_user(app_key: str, api_key: str, site: str, http: ProviderHTTP, access: Access) -> Access:
    resp = http.get("/api/v2/current_user", host=site,
                    headers={"DD-API-KEY": api_key, "DD-APPLICATION-KEY": app_key})
    why = dict.fromkeys((401, 403), "the API key is valid, so the application key is invalid or "
                                    "revoked (or scoped away from current_user)")
    if not http.settle(access, resp, "/api/v2/current_user", why=why):
        return access
    body = json_object(resp)
    data = body.get("data")
    if not isinstance(data, dict):
        return access.unknown("/api/v2/current_user answered 200 without data")
    attrs = data.get("attributes")
    attrs = attrs if isinstance(attrs, dict) else {}
    included = [i for i in body.get("included") or [] if isinstance(i, dict)]

    who = str(attrs.get("handle") or attrs.get("email") or attrs.get("name") or data.get("id") or "unknown")
    orgs = [i for i in included if i.get("type") == "orgs"]
    org_name = (orgs[0].get("attributes") or {}).get("name") if orgs else None
    access.identity = who + (f" in {org_name}" if org_name else "") + f" on {site}"
    if attrs.get("service_account"):
        access.facts["service_account"] = True
        access.identity = "service account " + access.identity
    access.reach = "organization"
    role_ids = {r.get("id") for r in ((data.get("relationships") or {}).get("roles") or {}).get("data") or []
                if isinstance(r, dict)}
    roles = [str((i.get("attributes") or {}).get("name")) for i in included
             if i.get("type") == "roles" and (not role_ids or i.get("id") in role_ids)
             and (i.get("attributes") or {}).get("name")]
    access.grants = roles
    for role in roles:
        access.capabilities.update(_ROLE_CAPABILITIES.get(role, ("read",)))
    if not roles:
        access.capabilities.add("read")
    access.add_resources([f"org {org_name}"] if org_name else [])
    access.note(f"application key acts as {who}" + (f" with role(s) {', '.join(roles)}" if roles else "")
                + "; a scoped key may hold fewer of the user's permissions")
    if "admin" in access.capabilities:
        access.note("Admin role: reads all logs and data, manages users and keys")
    return access


detector = DatadogDetector()
