"""Render API keys.

Format (providers.md C.11; render.com/docs/api): ``rnd_`` + alphanumerics. keyhog says 24,
keys in the wild carry 28 (third-party, unverified), so 24 to 40 are accepted.

Render has no introspection endpoint. ``GET /v1/owners`` lists the workspaces ("owners") the key
may act for, which is the best breadth signal: a **classic** key acts for the user in every
workspace they belong to; a **scoped** key (early access) is bound to one workspace, with
per-resource permissions up to everything the member role allows. ``GET /v1/services`` then
counts what it can touch. Bearer auth; 200 or 401. GETs only.
"""

from __future__ import annotations

from typing import Any

from tokenreach.detectors.base import Detector, LookupUnavailable, Pattern
from tokenreach.detectors.http import ProviderHTTP, json_of
from tokenreach.scanner.model import Access, Capability, Token


def _random_enough(secret: str) -> bool:
    """Drop placeholders (rnd_xxxxxxxx…, rnd_your_api_key…): real keys are random base62."""
    body = secret[4:]
    return len(set(body)) >= 10


PATTERNS = (
    Pattern(
        id="render.api_key",
        name="Render API key",
        regex=r"\b(?P<secret>rnd_[A-Za-z0-9]{24,40})\b",
        keywords=("rnd_",),
        kind="api_key",
        validate=_random_enough,
        examples=(
            "RENDER_API_KEY=rnd_ez7770H2DCpYgojjHRg80USP2W5D",
            'curl -H "Authorization: Bearer rnd_fJXcaYioK6cPTt9iOqHOBSWhgetH" https://api.render.com/v1/owners',
        ),
        counterexamples=(
            "RENDER_API_KEY=rnd_xxxxxxxxxxxxxxxxxxxxxxxxxx",  # placeholder
            "RENDER_API_KEY=rnd_your_api_key_here",
            "RENDER_API_KEY=rnd_ez7770H2DCpYgojj",  # too short
            "brnd_ez7770H2DCpYgojjHRg80USP2W5D",  # inside a longer word
        ),
    ),
)

PAGE = 100  # the API's largest page
# A classic key, or a scoped key with "Enable all", does what a workspace member does: deploy,
# change and delete services, and read every environment variable and secret file.
_MEMBER_CAPS: frozenset[Capability] = frozenset({"read", "write", "delete", "secrets"})


class RenderDetector(Detector):
    provider = "render"
    title = "Render"
    patterns = PATTERNS
    api_url = "https://api.render.com"
    hosts = ("api.render.com",)
    request_budget = 60
    revoke_url = "https://dashboard.render.com/u/settings#api-keys"
    least_privilege = (
        "create a scoped API key for one workspace with only the permissions it needs"
    )

    def lookup(self, token: Token, http: ProviderHTTP, offline: Access) -> Access:
        access = offline
        auth = {"Authorization": f"Bearer {token.secret}"}
        resp = http.get("/v1/owners", headers=auth, params={"limit": PAGE})
        why = {403: "a key that may not list workspaces (a narrow scoped or audit-log key?)"}
        if not http.settle(access, resp, "owners", why=why):
            return access
        owners = _owners(json_of(resp))
        if owners is None:
            raise LookupUnavailable("owners answered with an unexpected JSON shape")
        access.capabilities = set(_MEMBER_CAPS)
        names = [o["name"] for o in owners]
        access.add_resources(names, len(names))
        access.facts["workspaces"] = len(owners)
        user = next((o for o in owners if o["type"] == "user"), None)
        teams = [o for o in owners if o["type"] == "team"]
        first = user or (owners[0] if owners else None)
        access.identity = (first["email"] or first["name"]) if first else None
        if len(owners) > 1:
            access.facts["token_kind"] = "classic"
            access.reach = "organization" if teams else "account"
            access.note(f"classic key: it acts for {len(owners)} workspaces ({', '.join(names)}); "
                        "scoped keys are bound to one")
        elif owners:
            access.facts["token_kind"] = "classic_or_scoped"
            access.reach = "organization" if teams else "account"
            access.note(f"one workspace ({names[0]}): a classic key of a one-workspace user, or a "
                        "scoped key; assumed member-level rights there (no introspection exists)")
        else:
            access.facts["token_kind"] = "unknown"
            access.capabilities = set()
            access.note("owners lists no workspace")
        no_2fa = [o["name"] for o in owners if o.get("two_factor") is False]
        if no_2fa:
            access.facts["no_2fa"] = no_2fa
            access.note("two-factor authentication is off for " + ", ".join(no_2fa))
        if owners:
            self._services(access, http, auth)
        return access

    def _services(self, access: Access, http: ProviderHTTP, auth: dict[str, str]) -> None:
        """Count the services it reaches: what a holder could redeploy, suspend or delete."""
        try:
            resp = http.get("/v1/services", headers=auth, params={"limit": PAGE})
        except LookupUnavailable as exc:
            access.note(f"services not listed: {exc}")
            return
        if resp.status_code != 200:
            access.note(f"services not listed: HTTP {resp.status_code}")
            return
        try:
            services = _services(json_of(resp))
        except LookupUnavailable as exc:
            access.note(f"services not listed: {exc}")
            return
        access.facts["services"] = len(services)
        more = " or more" if len(services) >= PAGE else ""
        access.note(f"can redeploy, change, suspend and delete {len(services)}{more} service(s) "
                    "and read their environment variables")


def _owners(body: Any) -> list[dict[str, Any]] | None:
    """[{id, name, email, type, two_factor}] from ``[{"owner": {...}, "cursor": ...}]``."""
    if not isinstance(body, list):
        return None
    out: list[dict[str, Any]] = []
    for item in body:
        owner = item.get("owner") if isinstance(item, dict) else None
        if isinstance(owner, dict) and owner.get("id"):
            out.append({"id": str(owner["id"]), "name": str(owner.get("name") or owner["id"]),
                        "email": str(owner.get("email") or "") or None, "type": str(owner.get("type") or ""),
                        "two_factor": owner.get("twoFactorAuthEnabled")})
    return out


def _services(body: Any) -> list[str]:
    if not isinstance(body, list):
        raise LookupUnavailable("services answered with an unexpected JSON shape")
    return [str(s["service"].get("name") or s["service"].get("id")) for s in body
            if isinstance(s, dict) and isinstance(s.get("service"), dict)]


detector = RenderDetector()
