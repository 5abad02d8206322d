"""Cloudflare API tokens, account tokens and Global API Keys.

Formats (providers.md B.10; developers.cloudflare.com/fundamentals/api/get-started/token-formats):
``cfut_`` user API token, ``cfat_`` account API token, ``cfk_`` Global API Key, each 40 characters
plus an unpublished 8-hex checksum. Older tokens are 40 characters of ``[A-Za-z0-9_-]`` and older
Global API Keys 37 lowercase hex; both need a ``cloudflare`` / ``cf_`` name nearby.

Lookup, read-only:

- a token asks ``GET /user/tokens/verify`` (account tokens: ``/accounts/{id}/tokens/verify``) for
  status and expiry, then ``GET /user/tokens/{id}`` (``/accounts/{id}/tokens/{id}``) for its
  ``policies[]``: permission group names and the zones / accounts they apply to. That read needs
  "API Tokens Read"; without it the zones and accounts the token can see are listed instead.
- a Global API Key needs its account email (``X-Auth-Email``), taken from a nearby ``…EMAIL=``
  line (``context_patterns``); then ``GET /user``, ``GET /accounts`` and ``GET /zones``.
- an account token needs its account ID, from a nearby ``…ACCOUNT_ID=`` line or else from
  ``GET /accounts`` (which answers every kind of live token). An unprefixed token refused by the
  user endpoint is tried as an account token before it is called revoked.

Never ``DELETE /user/tokens/{id}`` (revoke) nor ``PUT /user/tokens/{id}/value`` (roll).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from tokenreach.detectors.base import Detector, LookupUnavailable, Pattern
from tokenreach.detectors.catalog import assigned, assigned_prefilter
from tokenreach.detectors.http import ProviderHTTP, json_object
from tokenreach.scanner.model import REACH_ORDER, Access, Capability, Reach, Token

_BODY = r"[A-Za-z0-9]{40}[a-f0-9]{8}"
# An unprefixed key is told apart only by the name it is assigned to: the shared assignment
# grammar (docs/rules.md, "Keys known by their name"), in every syntax it reads.
_NAMES = "cloudflare|cf_"
_LEGACY_TOKEN = "[A-Za-z0-9_-]{40}"
_LEGACY_GLOBAL_KEY = "[a-f0-9]{37}"


def _named(body: str) -> str:
    """A key of shape ``body`` assigned to a Cloudflare name."""
    return assigned(_NAMES, f"(?:{body})", gap=30)

_ACCOUNT_TOKEN = "cfat_0123456789AbCdEfGhIjKlMnOpQrStUvWxYzAbCd1a2b3c4d"
_GLOBAL_KEY = "cfk_ZyXwVuTsRqPoNmLkJiHgFeDcBa9876543210zYxW9f8e7d6c"


def _not_sha1(secret: str) -> bool:
    """A 40-hex value next to a cloudflare name is a commit hash far more often than a token."""
    return re.fullmatch(r"[0-9a-f]{40}", secret) is None


PATTERNS = (
    Pattern(
        id="cloudflare.user_token",
        name="Cloudflare user API token",
        regex=rf"\b(?P<secret>cfut_{_BODY})\b",
        keywords=("cfut_",),
        kind="user_token",
        examples=(
            "CLOUDFLARE_API_TOKEN=cfut_Q7aZ0pLm3Nx8Kv2Rt5Yw9Bc4Hd6Jf1Gs0Ue7Ti3Xc0ffee42",
            'wrangler: { apiToken: "cfut_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789AbCd00ff11ee" }',
        ),
        counterexamples=(
            "cfut_Q7aZ0pLm3Nx8Kv2Rt5Yw9Bc4Hd6Jf1Gs0Ue7Ti3XC0FFEE42",  # checksum is lowercase hex
            "cfut_Q7aZ0pLm3Nx8Kv2Rt5Yw9Bc4Hd6Jf1Gs0Ue7Ti3Xc0ffee",  # too short
            "xcfut_Q7aZ0pLm3Nx8Kv2Rt5Yw9Bc4Hd6Jf1Gs0Ue7Ti3Xc0ffee42",
        ),
    ),
    Pattern(
        id="cloudflare.account_token",
        name="Cloudflare account API token",
        regex=rf"\b(?P<secret>cfat_{_BODY})\b",
        keywords=("cfat_",),
        kind="account_token",
        examples=(f"CLOUDFLARE_API_TOKEN={_ACCOUNT_TOKEN}",),
        counterexamples=("cfat_0123456789AbCdEfGhIjKlMnOpQrStUvWxYzAbCd1a2b3c4",),
    ),
    Pattern(
        id="cloudflare.global_key",
        name="Cloudflare Global API Key",
        regex=rf"\b(?P<secret>cfk_{_BODY})\b",
        keywords=("cfk_",),
        kind="global_api_key",
        examples=(f"CLOUDFLARE_API_KEY={_GLOBAL_KEY}",),
        counterexamples=("cfk_ZyXwVuTsRqPoNmLkJiHgFeDcBa9876543210zYxW9f8e7d6",),
    ),
    Pattern(
        id="cloudflare.legacy_token",
        name="Cloudflare API token (unprefixed, before 2026)",
        regex=_named(_LEGACY_TOKEN),
        prefilter=assigned_prefilter(_NAMES, _LEGACY_TOKEN),
        keywords=("cloudflare", "cf_"),
        kind="api_token",
        validate=_not_sha1,
        examples=(
            "CLOUDFLARE_API_TOKEN=Sn3lZJTBX6kkg7OdcBUAxOO963GEIyGQqnFTOFYY",
            'cf_token: "yQ8sK2mV7xN4pR1tW9zB6cE3gH5jL0aD-f_Uo2Ix"',
            'System.setProperty("CLOUDFLARE_API_TOKEN", "Kd8rTq2WmZ5xLp9NvB3cH7yJ1sF4gA6eQ0uO_i-R");',
        ),
        counterexamples=(
            "CLOUDFLARE_ACCOUNT_ID=023e105f4ecef8ad9ca31a8372d0c353",
            "cloudflare_sha=da39a3ee5e6b4b0d3255bfef95601890afd80709",  # a commit hash
            "API_TOKEN=Sn3lZJTBX6kkg7OdcBUAxOO963GEIyGQqnFTOFYY",  # no cloudflare name
        ),
    ),
    Pattern(
        id="cloudflare.legacy_global_key",
        name="Cloudflare Global API Key (unprefixed)",
        regex=_named(_LEGACY_GLOBAL_KEY),
        prefilter=assigned_prefilter(_NAMES, _LEGACY_GLOBAL_KEY),
        keywords=("cloudflare", "cf_"),
        kind="legacy_global_key",
        examples=("CLOUDFLARE_API_KEY=c2547eb745079dac9320b638f5e225cf483cc",
                  "<key>CLOUDFLARE_API_KEY</key>\n<string>8e1d3b7c05f9a2e46d71c8b3f0a95e2d7c416</string>",
                  '"os.environ[\\"CLOUDFLARE_API_KEY\\"] = \\"41f7c0e9d2b85a36e1c4f7d0a93b6e2c58d17\\"\\n",'),
        counterexamples=("CLOUDFLARE_API_KEY=c2547eb745079dac9320b638f5e225cf483cc5a",),
    ),
)

_GLOBAL_KINDS = ("global_api_key", "legacy_global_key")
_ALL_CAPABILITIES: set[Capability] = {"read", "write", "delete", "admin", "billing", "secrets"}

# Permission groups that hand over the keys to the account, by lower-cased name prefix.
_ADMIN_GROUPS = ("api tokens", "account api tokens", "memberships", "account settings",
                 "access: organizations", "administrator", "super administrator")
# Groups whose write deploys code that runs at Cloudflare's edge with the account's bindings.
_CODE_GROUPS = ("workers scripts", "workers routes", "pages", "cloudflare pages", "workers ci")
_SECRET_WORDS = ("secret", "service tokens")


class CloudflareDetector(Detector):
    provider = "cloudflare"
    title = "Cloudflare"
    patterns = PATTERNS
    api_url = "https://api.cloudflare.com/client/v4"
    hosts = ("api.cloudflare.com",)
    request_budget = 100  # Cloudflare allows ~1,200 requests per 5 minutes per user
    revoke_url = "https://dash.cloudflare.com/profile/api-tokens"
    least_privilege = ("create an API token with only the permission groups its job needs (e.g. DNS Write) on "
                       "the one zone it manages, with an expiry and a client IP filter")
    # Found near a match (Token.context): the account an account token belongs to, and the email
    # a Global API Key is sent with (X-Auth-Email). Both only ever go to api.cloudflare.com.
    context_patterns = {
        "account_id": r"(?i:account[_-]?id)['\"]?\s*[:=]\s*['\"]?([a-f0-9]{32})\b",
        "email": (r"(?i:email)['\"]?\s*[:=]\s*['\"]?"
                  r"([A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,6})"),
    }

    def classify(self, token: Token) -> Access:
        access = Access(evidence="prefix")
        kind = token.kind or "api_token"
        if kind in _GLOBAL_KINDS:
            # The Global API Key has no policies: it is the user, on every account they belong to.
            access.reach = "organization"
            access.capabilities = set(_ALL_CAPABILITIES)
            access.note("Global API Key: acts as the user with every permission on all their accounts")
            if not token.context.get("email"):
                access.note("no account email nearby, so Cloudflare cannot be asked (X-Auth-Email)")
        elif kind == "user_token":
            access.note("cfut_ prefix: user API token (scoped by its policies)")
        elif kind == "account_token":
            access.note("cfat_ prefix: account-owned API token (scoped by its policies)")
        else:
            access.note("unprefixed token: user or account token, told apart by the API")
        return access

    def lookup(self, token: Token, http: ProviderHTTP, offline: Access) -> Access:
        kind = token.kind or "api_token"
        if kind in _GLOBAL_KINDS:
            return _lookup_global_key(token, http, offline)
        if kind == "account_token":
            return _lookup_account_token(token, http, offline)
        return _lookup_user_token(token, http, offline)


# Tokens -----------------------------------------------------------------------------------------


def _bearer(token: Token) -> dict[str, str]:
    return {"Authorization": f"Bearer {token.secret}"}


def _error_codes(body: Mapping[str, Any]) -> set[int]:
    return {e["code"] for e in body.get("errors") or [] if isinstance(e, dict) and isinstance(e.get("code"), int)}


_GONE = "invalid, deleted or expired"


def _dead(resp: Any) -> frozenset[int]:
    """The statuses that mean a token Cloudflare does not know, in this answer: 401, or 400 and
    403 with code 1000 "Invalid API Token" (without it, a proxy's page, not Cloudflare's verdict)."""
    if resp.status_code in (400, 403):
        try:
            if 1000 in _error_codes(json_object(resp)):
                return frozenset({401, resp.status_code})
        except LookupUnavailable:
            pass
    return frozenset({401})


def _rejected(resp: Any) -> bool:
    return resp.status_code in _dead(resp)


def _verified(http: ProviderHTTP, access: Access, resp: Any, where: str) -> dict[str, Any] | None:
    """Apply a tokens/verify answer: the verify result when active, None when decided otherwise."""
    dead = _dead(resp)
    if not http.settle(access, resp, where, dead=dead, why=dict.fromkeys(dead, _GONE)):
        return None
    body = json_object(resp)
    result = body.get("result")
    if body.get("success") is not True or not isinstance(result, dict) or not result.get("id"):
        access.unknown(f"{where} answered 200 without a token result")
        return None
    if result.get("expires_on"):
        access.expires_at = str(result["expires_on"])
    status = result.get("status")
    if status != "active":
        access.live = False
        access.note(f"{where}: token status is {status!r}, so Cloudflare refuses it")
        return None
    access.note(f"{where}: token is active")
    return result


def _lookup_user_token(token: Token, http: ProviderHTTP, access: Access) -> Access:
    resp = http.get("/user/tokens/verify", headers=_bearer(token))
    if _rejected(resp) and token.kind != "user_token":
        # An unprefixed token may be account-owned: those are refused by the user endpoint.
        access.note("user/tokens/verify refused it; trying it as an account token")
        return _lookup_account_token(token, http, access)
    result = _verified(http, access, resp, "user/tokens/verify")
    if result is None:
        return access
    access.facts["token_owner"] = "user"
    try:
        details = http.get(f"/user/tokens/{_token_id(result)}", headers=_bearer(token))
        _apply_details(token, http, access, details, account_owned=False)
    except LookupUnavailable as exc:  # liveness is settled; only the permissions stay open
        access.note(f"permissions incomplete: {exc}")
    return access


def _lookup_account_token(token: Token, http: ProviderHTTP, access: Access) -> Access:
    account_id = token.context.get("account_id")
    if account_id:
        resp = http.get(f"/accounts/{account_id}/tokens/verify", headers=_bearer(token))
        if not _rejected(resp):
            return _after_account_verify(token, http, access, resp, account_id)
        access.note("accounts/{id}/tokens/verify rejected the token for the nearby account ID")
    # No (or a wrong) account ID: /accounts answers every kind of token with the accounts it can
    # see, then the token is verified against one of those.
    resp = http.get("/accounts", headers=_bearer(token), params={"per_page": 50})
    dead = _dead(resp)
    if not http.settle(access, resp, "/accounts", dead=dead, why=dict.fromkeys(dead, _GONE)):
        return access
    ids = [str(a["id"]) for a in _results(resp) if isinstance(a, dict) and a.get("id")]
    ids = [i for i in ids if i != account_id]
    if not ids:
        return access.unknown("/accounts listed no account to verify this account token against")
    resp = http.get(f"/accounts/{ids[0]}/tokens/verify", headers=_bearer(token))
    if _rejected(resp):
        return access.unknown("accounts/{id}/tokens/verify rejected a token that /accounts accepted")
    return _after_account_verify(token, http, access, resp, ids[0])


def _after_account_verify(token: Token, http: ProviderHTTP, access: Access, resp: Any,
                          account_id: str) -> Access:
    result = _verified(http, access, resp, "accounts/{id}/tokens/verify")
    if result is None:
        return access
    access.facts["token_owner"] = "account"
    access.facts["account_id"] = account_id
    try:
        details = http.get(f"/accounts/{account_id}/tokens/{_token_id(result)}", headers=_bearer(token))
        _apply_details(token, http, access, details, account_owned=True)
    except LookupUnavailable as exc:
        access.note(f"permissions incomplete: {exc}")
    return access


def _token_id(result: Mapping[str, Any]) -> str:
    tid = str(result.get("id"))
    if not re.fullmatch(r"[A-Za-z0-9]{1,64}", tid):  # it goes into a path
        raise ValueError("unexpected token id shape")
    return tid


def _apply_details(token: Token, http: ProviderHTTP, access: Access, resp: Any,
                   account_owned: bool) -> None:
    """Read the token's own policies, or fall back to listing what it can see."""
    if resp.status_code == 200:
        body = json_object(resp)
        result = body.get("result")
        if isinstance(result, dict) and isinstance(result.get("policies"), list):
            _apply_policies(access, result, account_owned)
            return
        access.note("token details came back without policies")
    else:
        access.note(f"the token cannot read its own policies (HTTP {resp.status_code}: "
                    "it lacks API Tokens Read); listing what it can see instead")
    _enumerate(token, http, access)


def _apply_policies(access: Access, details: Mapping[str, Any], account_owned: bool) -> None:
    grants: list[str] = []
    caps: set[Capability] = set()
    resources: list[str] = []
    reach_rank = -1
    denies = 0
    groups_seen: list[str] = []
    for policy in details.get("policies") or []:
        if not isinstance(policy, dict):
            continue
        names = [str(g.get("name")) for g in policy.get("permission_groups") or []
                 if isinstance(g, dict) and g.get("name")]
        if policy.get("effect") == "deny":
            denies += 1
            continue
        for name in names:
            if name not in grants:
                grants.append(name)
            caps |= _capabilities_of(name)
        groups_seen += names
        for scope, label in _scopes(policy.get("resources") or {}):
            if label not in resources:
                resources.append(label)
            reach_rank = max(reach_rank, REACH_ORDER.index(scope))
    access.evidence = "api"
    access.grants = grants
    access.capabilities = caps
    if reach_rank >= 0:
        reach: Reach = REACH_ORDER[reach_rank]
        if account_owned and reach == "organization":
            reach = "account"  # an account-owned token never leaves its account
        access.reach = reach
    access.add_resources(resources)
    lowered = [g.lower() for g in groups_seen]
    if lowered and all(g.startswith("dns") for g in lowered):
        access.facts["dns_only"] = True
        access.note(f"DNS-only token over {_describe(resources)}")
    else:
        access.note(f"{len(grants)} permission group(s) over {_describe(resources)}")
    if any(g.startswith(("api tokens", "account api tokens")) and not g.endswith("read") for g in lowered):
        access.facts["can_create_tokens"] = True
        access.note("can create API tokens: a privilege-escalation path to any permission")
    if any(g.startswith(_CODE_GROUPS) and not g.endswith("read") for g in lowered):
        access.facts["code_execution"] = True
        access.note("can deploy Workers/Pages code that runs at the edge")
    if denies:
        access.note(f"{denies} deny polic{'y' if denies == 1 else 'ies'} narrow the grants above")
    if details.get("expires_on"):
        access.expires_at = str(details["expires_on"])
    else:
        access.facts["no_expiry"] = True
    condition = details.get("condition") or {}
    request_ip = condition.get("request_ip") if isinstance(condition, dict) else None
    if isinstance(request_ip, dict) and (request_ip.get("in") or request_ip.get("not_in")):
        access.facts["ip_restricted"] = True
        access.note("usable only from its allowed client IP ranges")
    if details.get("name"):
        access.identity = access.identity or f"token {details['name']!s}"
    if details.get("last_used_on"):
        access.facts["last_used_on"] = str(details["last_used_on"])


def _capabilities_of(name: str) -> set[Capability]:
    """Cloudflare names permission groups "<Area> Read" / "<Area> Write" / "<Area> Edit"; Edit is
    full create/read/update/delete. The area says whether it is admin, billing or secrets."""
    low = name.lower()
    caps: set[Capability] = {"read"}
    writes = not low.endswith("read")
    if writes:
        caps |= {"write", "delete"}
    if "billing" in low:
        caps.add("billing")
    if writes and low.startswith(_ADMIN_GROUPS):
        caps.add("admin")
    if any(w in low for w in _SECRET_WORDS):
        caps.add("secrets")
    return caps


def _scopes(resources: Any, parent: str | None = None) -> list[tuple[Reach, str]]:
    """A policy's resource map → (reach, label) pairs. Keys are com.cloudflare.api.* names; a
    value may itself be a map (every zone of one account)."""
    out: list[tuple[Reach, str]] = []
    if not isinstance(resources, dict):
        return out
    for key, value in resources.items():
        key = str(key)
        if isinstance(value, dict):
            inner = _scopes(value, parent=key)
            account = key.rsplit(".", 1)[-1]
            out += [("account" if r == "organization" else r, f"{lbl} in account {account}")
                    for r, lbl in inner]
            continue
        if key == "com.cloudflare.api.account.zone.*":
            out.append(("account" if parent else "organization", "all zones"))
        elif key.startswith("com.cloudflare.api.account.zone."):
            out.append(("resource", f"zone {key.rsplit('.', 1)[-1]}"))
        elif key == "com.cloudflare.api.account.*":
            out.append(("organization", "all accounts"))
        elif key.startswith("com.cloudflare.api.account."):
            out.append(("account", f"account {key.rsplit('.', 1)[-1]}"))
        elif key.startswith("com.cloudflare.api.user."):
            out.append(("account", "the user's profile and tokens"))
        else:  # R2 buckets and other single resources
            out.append(("resource", key.removeprefix("com.cloudflare.")))
    return out


def _describe(resources: list[str]) -> str:
    if not resources:
        return "no resources"
    return ", ".join(resources[:3]) + (f" and {len(resources) - 3} more" if len(resources) > 3 else "")


def _results(resp: Any) -> list[Any]:
    body = json_object(resp)
    result = body.get("result")
    return result if isinstance(result, list) else []


def _total(resp: Any, listed: int) -> int:
    info = json_object(resp).get("result_info") or {}
    total = info.get("total_count") if isinstance(info, dict) else None
    return total if isinstance(total, int) and total >= listed else listed


def _enumerate(token: Token, http: ProviderHTTP, access: Access,
               auth: Mapping[str, str] | None = None) -> None:
    """What the token can see: accounts and zones. Visibility is a lower bound on reach and says
    nothing about write access."""
    headers = dict(auth or _bearer(token))
    names: list[str] = []
    total = 0
    resp = http.get("/accounts", headers=headers, params={"per_page": 50})
    if resp.status_code == 200:
        rows = [a for a in _results(resp) if isinstance(a, dict)]
        names += [f"account {a.get('name') or a.get('id')}" for a in rows]
        total += _total(resp, len(rows))
    zone_accounts: set[str] = set()
    zones = 0
    resp = http.get("/zones", headers=headers, params={"per_page": 50})
    if resp.status_code == 200:
        rows = [z for z in _results(resp) if isinstance(z, dict)]
        names += [f"zone {z.get('name') or z.get('id')}" for z in rows]
        zones = _total(resp, len(rows))
        total += zones
        zone_accounts = {str(z["account"].get("id")) for z in rows if isinstance(z.get("account"), dict)}
    access.add_resources(names, total)
    access.note(f"sees {total - zones} account(s) and {zones} zone(s)")
    if access.reach is None and zones:
        access.reach = "organization" if len(zone_accounts) > 1 else "account" if zones > 1 else "resource"
        access.capabilities.add("read")
        access.note("reach is a lower bound from the zones it can list; write access is unknown "
                    "without its policies")


def _lookup_global_key(token: Token, http: ProviderHTTP, access: Access) -> Access:
    email = token.context.get("email")
    if not email:  # classify() already said why; nothing is sent
        return access
    headers = {"X-Auth-Email": email, "X-Auth-Key": token.secret}
    resp = http.get("/user", headers=headers)
    # Cloudflare answers the same for a revoked key and a key paired with the wrong email.
    why = dict.fromkeys((400, 401, 403), f"revoked, or the key of another email than {email} (found nearby)")
    if not http.settle(access, resp, "/user", dead=(), why=why):
        return access
    user = json_object(resp).get("result")
    if not isinstance(user, dict):
        return access.unknown("/user answered 200 without a user")
    access.identity = str(user.get("email") or email)
    access.note("/user accepted the key: it acts as this user with every permission")
    if user.get("two_factor_authentication_enabled") is False:
        access.facts["two_factor"] = False
    if user.get("suspended"):
        access.facts["suspended"] = True
    try:
        _enumerate(token, http, access, auth=headers)
    except LookupUnavailable as exc:
        access.note(f"resources incomplete: {exc}")
    return access


detector = CloudflareDetector()
