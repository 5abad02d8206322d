"""DigitalOcean personal access tokens and OAuth tokens.

Formats (providers.md B.11; docs.digitalocean.com/reference/api/scopes; the 2022 release note
docs.digitalocean.com/notes/2022/api-token-format gives the three prefixes; the 64 hex body is not
documented, it is the shape tokens have in public code):
``dop_v1_`` + 64 hex personal access token, ``doo_v1_`` OAuth access token, ``dor_v1_`` OAuth
refresh token; older tokens are 64 hex with no prefix (needs a DigitalOcean name nearby).

Lookup, read-only: ``GET /v2/account`` for liveness and the team, then one ``GET`` per resource
family (``per_page=1``): a 200 shows the ``<resource>:read`` scope, a 403 its absence. No endpoint
states a token's scopes, and create/update/delete scopes are only provable by writing, which
tokenreach never does, so write access stays unknown. A ``dor_v1_`` refresh token is never
redeemed: redeeming mints new tokens and burns the old one.
"""

from __future__ import annotations

from typing import Any

from tokenreach.detectors.base import Detector, LookupUnavailable
from tokenreach.detectors.http import ProviderHTTP, json_object
from tokenreach.detectors.rule_files import rules_for
from tokenreach.scanner.model import Access, Capability, Token

PATTERNS = rules_for("digitalocean")

# Read probes: path → the scope a 200 proves (docs.digitalocean.com/reference/api/scopes).
_PROBES: tuple[tuple[str, str], ...] = (
    ("/v2/droplets", "droplet:read"),
    ("/v2/databases", "database:read"),
    ("/v2/apps", "app:read"),
    ("/v2/kubernetes/clusters", "kubernetes:read"),
    ("/v2/volumes", "block_storage:read"),
    ("/v2/domains", "domain:read"),
    ("/v2/firewalls", "firewall:read"),
    ("/v2/customers/my/balance", "billing:read"),
)
# The list key and what one item is called, for resource counts.
_LISTS = {"/v2/droplets": ("droplets", "droplet"), "/v2/databases": ("databases", "database cluster"),
          "/v2/apps": ("apps", "app"), "/v2/kubernetes/clusters": ("kubernetes_clusters", "kubernetes cluster"),
          "/v2/volumes": ("volumes", "volume"), "/v2/domains": ("domains", "domain"),
          "/v2/firewalls": ("firewalls", "firewall")}
_LOW_RATE_LIMIT = 20  # stop probing when the token's hourly allowance is nearly spent


class DigitalOceanDetector(Detector):
    provider = "digitalocean"
    title = "DigitalOcean"
    patterns = PATTERNS
    api_url = "https://api.digitalocean.com"
    hosts = ("api.digitalocean.com",)
    request_budget = 100  # 1 + 8 per token; DigitalOcean allows 250 requests a minute
    revoke_url = "https://cloud.digitalocean.com/account/api/tokens"
    least_privilege = ("create a custom-scoped token with only the scopes its job needs (e.g. domain:read "
                       "and domain:update) and an expiry")

    def classify(self, token: Token) -> Access:
        access = Access(evidence="prefix")
        if token.kind == "refresh_token":
            access.note("dor_v1_ OAuth refresh token: trades for new access tokens; never redeemed here")
            access.facts["refresh_token"] = True
        elif token.kind == "oauth_token":
            access.note("doo_v1_ OAuth access token issued to an app")
        elif token.kind == "personal_access_token":
            access.note("dop_v1_ personal access token")
        else:
            access.note("unprefixed DigitalOcean token (issued before prefixes)")
        return access

    def lookup(self, token: Token, http: ProviderHTTP, offline: Access) -> Access:
        auth = {"Authorization": f"Bearer {token.secret}"}
        access = offline
        resp = http.get("/v2/account", headers=auth)
        # DigitalOcean's own 403 is a custom-scoped token without account:read: it authenticated,
        # so it is live (and probed below). A 403 from a proxy in front of the API says nothing.
        own = _forbidden(resp)
        why = {403: "forbidden: live, without the account:read scope" if own
               else "without DigitalOcean's error body"}
        if http.settle(access, resp, "/v2/account", forbidden={403} if own else (), why=why):
            account = json_object(resp).get("account")
            if not isinstance(account, dict):
                return access.unknown("/v2/account answered 200 without an account")
            access.grants.append("account:read")
            _identity(access, account)
        elif not access.live:
            return access
        remaining = _remaining(resp)
        if remaining is not None and remaining < _LOW_RATE_LIMIT:
            return access.note("rate limit nearly spent: scope probes skipped")
        _probe(http, auth, access)
        return access


def _identity(access: Access, account: dict[str, Any]) -> None:
    email = account.get("email")
    team = account.get("team") if isinstance(account.get("team"), dict) else None
    access.identity = str(email or account.get("uuid") or "unknown account")
    if team and team.get("name"):
        access.identity += f" (team {team['name']})"
        access.facts["team"] = str(team["name"])
    if account.get("status") and account.get("status") != "active":
        access.facts["account_status"] = account["status"]


def _forbidden(resp: Any) -> bool:
    """DigitalOcean's own 403: {"id": "forbidden", "message": "You are not authorized …"}."""
    if resp.status_code != 403:
        return False
    try:
        return str(json_object(resp).get("id", "")).lower() == "forbidden"
    except LookupUnavailable:  # not JSON: a proxy page
        return False


def _remaining(resp: Any) -> int | None:
    value = resp.headers.get("ratelimit-remaining")
    return int(value) if value and value.isdigit() else None


def _probe(http: ProviderHTTP, auth: dict[str, str], access: Access) -> None:
    caps: set[Capability] = set()
    names: list[str] = []
    total = 0
    unknown: list[str] = []
    denied: list[str] = []
    for path, scope in _PROBES:
        try:
            resp = http.get(path, headers=auth, params={"per_page": 1})
            body = json_object(resp) if resp.status_code == 200 else {}
        except LookupUnavailable as exc:  # keep what is known; the rest stays unknown
            unknown.append(f"{scope} and later probes ({exc})")
            break
        if resp.status_code == 403:
            denied.append(scope)
            continue
        if resp.status_code != 200:
            unknown.append(f"{scope} (HTTP {resp.status_code})")
            continue
        access.grants.append(scope)
        caps.add("read")
        if scope == "billing:read":
            caps.add("billing")
            continue
        if scope == "database:read":
            # Database listings carry each cluster's connection user and password.
            caps.add("secrets")
        key, noun = _LISTS[path]
        count = _count(body, key)
        if count:
            total += count
            names.append(f"{count} {noun}{'s' if count != 1 else ''}")
    access.capabilities |= caps
    access.reach = "account"  # a token is issued to one team and reaches all of that team's resources
    if names:
        access.add_resources(names)
        access.resources_total = total
    readable = len([g for g in access.grants if g != "account:read"])
    if "secrets" in caps:
        access.note("can read the connection user and password of every database cluster")
    access.note(f"read probes: {readable} of {len(_PROBES)} resource families readable"
                + (f"; denied {', '.join(denied)}" if denied else ""))
    if unknown:
        access.note("probe results unknown for " + ", ".join(unknown))
    if not denied and not unknown:
        access.note("every read probe passed: a full-access or read-all token")
    access.facts["write"] = "unknown"
    access.note("write and delete scopes are not probed (that would need write requests)")


def _count(body: dict[str, Any], key: str) -> int:
    meta = body.get("meta")
    total = meta.get("total") if isinstance(meta, dict) else None
    if isinstance(total, int) and not isinstance(total, bool) and total >= 0:
        return total
    items = body.get(key)
    return len(items) if isinstance(items, list) else 0


detector = DigitalOceanDetector()
