"""Fly.io API tokens: bundles of macaroons whose caveats say what they may touch.

Format (providers.md C.4; superfly/macaroon ``format.go``, ``caveat.go``, ``flyio/caveats.go``,
``flyio/caveats.md``): an Authorization value ``FlyV1 fm2_<b64>[,fm2_<b64>…]``, each piece a
MessagePack macaroon (legacy labels ``fm1r`` permission, ``fm1a`` discharge). The token whose
location is ``https://api.fly.io/v1`` carries the permissions; the others are discharges for its
third-party caveats (login, SSO), which may add caveats of their own. ``fo1_`` + 43 is a legacy
personal token (not documented by Fly.io: the shape such tokens have in public code; semantics
unverified).

Everything about breadth is decoded offline from the caveats (``macaroon.py``): Organization
``{id, mask}`` (actions ``rwcdC``, ``*`` for all), Apps ``{app id: mask}``, IfPresent ``{ifs,
else}``, NoAdminFeatures (no membership, billing or deletion admin), ValidityWindow (expiry),
Mutations, third-party caveats. The only call, ``GET https://api.machines.dev/v1/apps?org_slug=``,
tells liveness: 400 (the org slug is missing) means the token authenticated, 401 means invalid
(the endpoint is in Fly's Machines API "Apps" reference, fly.io/docs/machines/api/apps-resource/;
the 400/401 reading is public research, not documented there).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from tokenreach.detectors.base import Detector
from tokenreach.detectors.http import ProviderHTTP
from tokenreach.detectors.macaroon import (
    ACTION_ALL,
    FlyCaveat,
    FlyMacaroon,
    action_string,
    fly_caveat_set,
    parse_fly_tokens,
)
from tokenreach.detectors.rule_files import rules_for
from tokenreach.scanner.model import Access, Capability, Reach, Token

PERMISSION_LOCATION = "https://api.fly.io/v1"

PATTERNS = rules_for("flyio")

_READ, _WRITE, _CREATE, _DELETE, _CONTROL = 1, 2, 4, 8, 16
_RESOURCE_SETS = {2: "volume", 5: "feature", 7: "machine", 14: "machine feature", 16: "cluster"}


def _uint(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _first(body: Any) -> Any:
    return body[0] if isinstance(body, list) and body else None


def _masks(value: Any) -> dict[str, int]:
    """A resource set {id: mask} with ids as strings; {} when malformed."""
    if not isinstance(value, dict):
        return {}
    return {str(k): m for k, m in value.items() if _uint(m) is not None}


def _intersect(old: dict[str, int], new: dict[str, int]) -> dict[str, int]:
    """Two Apps caveats: an app stays reachable only if both allow it ("0" means every app)."""
    out: dict[str, int] = {}
    for app in set(old) | set(new):
        a, b = old.get(app, old.get("0")), new.get(app, new.get("0"))
        if a is not None and b is not None:
            out[app] = a & b
    return out


def capabilities_of(mask: int) -> set[Capability]:
    caps: set[Capability] = set()
    if mask & _READ:
        caps.add("read")
    if mask & (_WRITE | _CREATE | _CONTROL):
        caps.add("write")
    if mask & _DELETE:
        caps.add("delete")
    return caps


@dataclass
class FlyScope:
    """The intersection of every caveat in every macaroon of one token bundle."""

    macaroons: int = 0
    org_ids: set[int] = field(default_factory=set)
    org_mask: int = 0xFFFF
    apps: dict[str, int] | None = None  # None: no Apps caveat
    app_ifs: dict[str, int] = field(default_factory=dict)  # apps an IfPresent grants more on
    else_mask: int | None = None
    resources: dict[str, dict[str, int]] = field(default_factory=dict)
    mutations: list[str] | None = None
    no_admin: bool = False
    not_after: int | None = None
    user_ids: set[str] = field(default_factory=set)
    third_party: list[str] = field(default_factory=list)
    discharges: list[str] = field(default_factory=list)
    grants: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)

    def add(self, cav: FlyCaveat) -> None:
        body, name = cav.body, cav.name
        if cav.type == 0 and isinstance(body, list) and len(body) == 2 and _uint(body[0]) is not None:
            mask = _uint(body[1]) or 0
            self.org_ids.add(body[0])
            self.org_mask &= mask
            self.grants.append(f"Organization {body[0]}:{action_string(mask)}")
        elif cav.type == 3 and isinstance(_first(body), dict):
            apps = _masks(_first(body))
            self.apps = apps if self.apps is None else _intersect(self.apps, apps)
            self.grants.append("Apps " + ",".join(f"{a}:{action_string(m)}" for a, m in apps.items()))
        elif cav.type in _RESOURCE_SETS and isinstance(_first(body), dict):
            kind = _RESOURCE_SETS[cav.type]
            ids = _masks(_first(body))
            self.resources.setdefault(kind, {}).update(ids)
            self.grants.append(f"{name} " + ",".join(f"{i or '*'}:{action_string(m)}" for i, m in ids.items()))
        elif cav.type == 4 and isinstance(body, list) and len(body) == 2 and _uint(body[1]) is not None:
            self.not_after = body[1] if self.not_after is None else min(self.not_after, body[1])
            self.grants.append("ValidityWindow")
        elif cav.type == 6 and isinstance(_first(body), list):
            names = [str(m) for m in _first(body)]
            self.mutations = names if self.mutations is None else [m for m in self.mutations if m in names]
            self.grants.append("Mutations " + ",".join(names))
        elif cav.type == 13 and isinstance(body, list) and len(body) == 2:
            self._if_present(fly_caveat_set(body[0]), _uint(body[1]) or 0)
        elif cav.type == 22:
            self.no_admin = True
            self.grants.append("NoAdminFeatures")
        elif cav.type == 11 and isinstance(_first(body), str):
            self.third_party.append(_first(body))
            self.grants.append(f"3P {_first(body)}")
        elif cav.type in (8, 10, 23) and _uint(body if cav.type == 23 else _first(body)) is not None:
            uid = body if cav.type == 23 else _first(body)  # FlyioUserID is a bare uint, the others [id]
            self.user_ids.add(str(uid))
            self.grants.append(f"{name} {uid}")
        elif cav.type in (9, 12, 15, 19, 20, 21, 24, 25):
            self.grants.append(name)  # binding, login requirements and attestations: no reach of their own
        else:
            self.unknown.append(name)

    def _if_present(self, ifs: list[FlyCaveat], else_mask: int) -> None:
        parts = []
        for cav in ifs:
            if cav.type == 3 and isinstance(_first(cav.body), dict):
                apps = _masks(_first(cav.body))
                self.app_ifs.update(apps)
                parts.append("Apps " + ",".join(f"{a}:{action_string(m)}" for a, m in apps.items()))
            else:
                parts.append(cav.name)
        self.else_mask = else_mask if self.else_mask is None else self.else_mask & else_mask
        self.grants.append(f"IfPresent({'; '.join(parts)}; else {action_string(else_mask)})")


def decode_bundle(secret: str) -> FlyScope | None:
    """The combined scope of a ``fm2_…[,fm2_…]`` value, or None when nothing decodes."""
    macs: list[FlyMacaroon] = parse_fly_tokens(secret)
    if not macs:
        return None
    scope = FlyScope(macaroons=len(macs))
    for mac in macs:
        if mac.location != PERMISSION_LOCATION:
            scope.discharges.append(mac.location)
        for cav in mac.caveats:
            scope.add(cav)
    return scope


def _iso(ts: int) -> str | None:
    try:
        return datetime.fromtimestamp(ts, tz=timezone.utc).isoformat().replace("+00:00", "Z")
    except (OverflowError, OSError, ValueError):
        return None


def apply_scope(scope: FlyScope, access: Access) -> None:
    access.evidence = "offline"
    access.grants = list(dict.fromkeys(scope.grants))
    org_mask = scope.org_mask if scope.org_ids else 0xFFFF
    if len(scope.org_ids) > 1:
        access.note("Organization caveats name different organizations: the token can reach none")
        org_mask = 0
    if scope.org_ids:
        access.identity = "org " + ",".join(str(i) for i in sorted(scope.org_ids))
        access.facts["org_ids"] = sorted(scope.org_ids)
    if scope.user_ids:
        access.facts["user_ids"] = sorted(scope.user_ids)
        access.identity = f"{access.identity or 'Fly.io'} (user {', '.join(sorted(scope.user_ids))})"
    reach: Reach = "organization"
    if scope.apps is not None and "0" not in scope.apps:
        mask = 0
        for m in scope.apps.values():
            mask |= m
        mask &= org_mask
        reach = "project"
        access.add_resources([f"app {a}" for a in sorted(scope.apps)])
        access.note(f"Apps caveat: limited to {len(scope.apps)} app(s)")
    elif scope.app_ifs and scope.else_mask is not None and not scope.else_mask & ~_READ & ACTION_ALL:
        mask = org_mask & (scope.else_mask | max(scope.app_ifs.values(), default=0))
        reach = "project"
        access.add_resources([f"app {a}" for a in sorted(scope.app_ifs)])
        access.note(f"IfPresent: {action_string(max(scope.app_ifs.values()))} on {len(scope.app_ifs)} app(s), "
                    f"{action_string(scope.else_mask)} elsewhere in the organization")
    else:
        mask = org_mask if scope.else_mask is None else org_mask & (scope.else_mask | max(
            scope.app_ifs.values(), default=0))
        for kind, ids in scope.resources.items():
            if kind in ("volume", "machine", "cluster") and "" not in ids:
                reach = "resource"
                access.add_resources([f"{kind} {i}" for i in sorted(ids)])
        if reach == "organization":
            access.add_resources([f"org {i}" for i in sorted(scope.org_ids)])
            access.note("no app restriction: acts on every app of the organization" if scope.org_ids
                        else "no Organization caveat: not bound to one organization")
    access.reach = reach
    access.capabilities = capabilities_of(mask)
    if reach == "organization" and mask & _WRITE and not scope.no_admin:
        access.capabilities |= {"admin", "billing"}
        access.note("no NoAdminFeatures caveat: can manage membership, billing and deletion")
    elif scope.no_admin:
        access.note("NoAdminFeatures: membership and billing read-only, no deletion of the organization")
    if scope.mutations is not None:
        access.facts["mutations"] = scope.mutations
        access.note(f"GraphQL mutations limited to {', '.join(scope.mutations) or 'none'}")
    if scope.third_party:
        missing = [loc for loc in scope.third_party if loc not in scope.discharges]
        access.facts["third_party"] = scope.third_party
        if missing:
            access.facts["needs_discharge"] = missing
            access.note(f"needs a discharge from {', '.join(missing)} (a login) that is not in this token")
    if scope.unknown:
        access.facts["unknown_caveats"] = scope.unknown
    if scope.not_after is not None:
        access.expires_at = _iso(scope.not_after)
        if scope.not_after <= time.time():
            access.live = False
            access.note(f"ValidityWindow ended {access.expires_at}: Fly.io rejects the token")


class FlyioDetector(Detector):
    provider = "flyio"
    title = "Fly.io"
    patterns = PATTERNS
    api_url = "https://api.machines.dev"
    hosts = ("api.machines.dev",)
    request_budget = 60
    revoke_url = "https://fly.io/dashboard/personal/tokens"
    least_privilege = (
        "create a deploy token for the one app (fly tokens create deploy) with an expiry"
    )

    def classify(self, token: Token) -> Access:
        access = Access(evidence="prefix")
        if token.kind == "oauth_token":
            return access.note("fo1_ legacy personal token (its kind and reach are unverified)")
        scope = decode_bundle(token.secret)
        if scope is None:
            return access.note("Fly.io macaroon label, but no macaroon could be decoded")
        apply_scope(scope, access)
        access.note(f"{scope.macaroons} macaroon(s) decoded offline")
        return access

    def lookup(self, token: Token, http: ProviderHTTP, offline: Access) -> Access:
        scheme = "Bearer" if token.kind == "oauth_token" else "FlyV1"
        resp = http.get("/v1/apps", params={"org_slug": ""},
                        headers={"Authorization": f"{scheme} {token.secret}"})
        access = offline
        # The empty org_slug is refused with 400 once the token has authenticated: that 400 is the
        # answer this probe wants. Fly.io never lists apps for it, so a 2xx is not Fly.io speaking.
        if resp.is_success:
            return access.unknown(f"Machines API /v1/apps answered HTTP {resp.status_code}")
        http.settle(access, resp, "Machines API /v1/apps", forbidden={400},
                    why={401: "invalid, expired or revoked token",
                         400: "org_slug missing, after authenticating: live"})
        return access


detector = FlyioDetector()
