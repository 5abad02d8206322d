"""npm registry access tokens.

Format (providers.md B.16; "Announcing npm's new access token format", github.blog 2021-09-23,
github.blog/2021-09-23-announcing-npms-new-access-token-format/): ``npm_`` + 30 random base62
characters + a 6-character CRC32 checksum of those 30, base62-encoded (the GitHub scheme; 30 base62
characters give the post's 178 bits of entropy). Older tokens are bare UUIDs, usually in
``.npmrc`` as ``//registry.npmjs.org/:_authToken=<uuid>``.

Landscape (GitHub changelog 2025-11-05 and 2025-12-09): npm permanently revoked every classic
token on 2025-12-09, so a UUID token is dead without asking; a live ``npm_`` token is a granular
token (write-enabled ones live at most 90 days) or a two-hour session token.

Lookup: ``GET /-/whoami`` (identity, liveness), then the metadata B.16 names: ``GET
/-/npm/v1/tokens`` (the owner's token list with ``readonly``, ``automation`` and
``cidr_whitelist``; matched to this token by its visible prefix) and ``GET
/-/user/<name>/package`` (what the *owner* may publish, which bounds what the token may).
"""

from __future__ import annotations

import hashlib
import zlib
from datetime import datetime, timezone
from typing import Any
from urllib.parse import quote

from tokenreach.detectors.base import Detector, LookupUnavailable
from tokenreach.detectors.http import ProviderHTTP, json_object
from tokenreach.detectors.rule_files import rules_for
from tokenreach.scanner.model import Access, Token

_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
CLASSIC_REVOKED = datetime(2025, 12, 9, tzinfo=timezone.utc)


def checksum(body: str) -> str:
    """The 6-character base62 CRC32 of a token's 30 random characters."""
    n = zlib.crc32(body.encode())
    out = ""
    while n:
        n, r = divmod(n, 62)
        out = _BASE62[r] + out
    return out.rjust(6, "0")


def checksum_ok(secret: str) -> bool:
    body = secret[4:]
    return len(body) == 36 and checksum(body[:30]) == body[30:]


PATTERNS = rules_for("npm")


def _visible_prefix(listed: Any) -> str:
    """The shown part of a token in the list (``npm_1f…`` / ``npm_1f...``)."""
    if not isinstance(listed, str):
        return ""
    return listed.split("…")[0].split("...")[0].strip()


def match_listed(secret: str, objects: list[Any]) -> tuple[dict[str, Any] | None, int]:
    """The token-list entry for ``secret``: by key (sha512 of the token) or a unique visible
    prefix. Returns (entry, number of candidates)."""
    entries = [o for o in objects if isinstance(o, dict)]
    digest = hashlib.sha512(secret.encode()).hexdigest()
    for entry in entries:
        if entry.get("key") == digest:
            return entry, 1
    candidates = [e for e in entries
                  if len(p := _visible_prefix(e.get("token"))) >= 6 and secret.startswith(p)]
    return (candidates[0] if len(candidates) == 1 else None), len(candidates)


class NpmDetector(Detector):
    provider = "npm"
    title = "npm"
    patterns = PATTERNS
    api_url = "https://registry.npmjs.org"
    hosts = ("registry.npmjs.org",)
    request_budget = 90
    revoke_url = "https://www.npmjs.com/settings/~/tokens"
    least_privilege = (
        "create a granular access token limited to the packages it publishes (or read-only), with an "
        "expiry and CIDR allow-list"
    )

    def classify(self, token: Token) -> Access:
        access = Access(evidence="prefix")
        if token.kind == "legacy_token":
            access.note("UUID token for registry.npmjs.org: a classic token from before 2021")
            if datetime.now(timezone.utc) >= CLASSIC_REVOKED:
                access.live = False
                access.evidence = "offline"
                access.note("npm permanently revoked every classic token on 2025-12-09")
            return access
        access.note("npm_ format with a valid CRC32 checksum")
        access.note("classic tokens were revoked on 2025-12-09: a live npm_ token is granular or a session")
        return access

    def lookup(self, token: Token, http: ProviderHTTP, offline: Access) -> Access:
        auth = {"Authorization": f"Bearer {token.secret}"}
        resp = http.get("/-/whoami", headers=auth)
        access = offline
        why = {401: "invalid, expired or revoked token", 403: "a CIDR allow-list may exclude this address"}
        if not http.settle(access, resp, "/-/whoami", why=why):
            return access
        username = json_object(resp).get("username")
        if not isinstance(username, str) or not username:
            return access.unknown("/-/whoami answered 200 without a username")
        access.identity = username
        access.capabilities = {"read"}
        access.note(f"/-/whoami: acts as npm user {username}")

        # Liveness is settled: a failure of the metadata calls only leaves the breadth unknown.
        try:
            writable = self._owner_packages(http, auth, username, access)
        except LookupUnavailable as exc:
            writable = []
            access.note(f"owner's package list unavailable: {exc}")
        try:
            entry = self._token_entry(http, auth, token.secret, access)
        except LookupUnavailable as exc:
            entry = None
            access.note(f"token list unavailable: {exc}")
        if entry is not None:
            readonly = entry.get("readonly") is True
            access.grants = ["read-only" if readonly else "publish"]
            access.reach = "account"
            if entry.get("automation") is True:
                access.grants.append("automation")
                access.facts["bypasses_2fa"] = True
                access.note("automation token: publishes without two-factor authentication")
            cidr = entry.get("cidr_whitelist")
            if isinstance(cidr, list) and cidr:
                access.facts["cidr_whitelist"] = [str(c) for c in cidr]
                access.note(f"usable only from {', '.join(map(str, cidr))}")
            if not readonly:
                access.capabilities |= {"write", "delete"}
                access.note("token list: not read-only, so it can publish and unpublish the owner's packages")
            else:
                access.note("token list: read-only token")
        if writable and "write" in access.capabilities:
            access.add_resources(sorted(writable), len(writable))
        elif writable:
            access.facts["owner_can_publish"] = len(writable)
        return access

    def _token_entry(self, http: ProviderHTTP, auth: dict[str, str], secret: str,
                     access: Access) -> dict[str, Any] | None:
        resp = http.get("/-/npm/v1/tokens", headers=auth)
        if resp.status_code != 200:
            access.note(f"token list answered HTTP {resp.status_code}: the token's own permissions are unknown")
            return None
        objects = json_object(resp).get("objects")
        if not isinstance(objects, list):
            access.note("token list had no objects: the token's own permissions are unknown")
            return None
        entry, candidates = match_listed(secret, objects)
        if entry is None:
            access.note("this token is not identifiable in the owner's token list"
                        + (f" ({candidates} share its visible prefix)" if candidates > 1 else "")
                        + ": a granular token's package scope cannot be read")
        return entry

    def _owner_packages(self, http: ProviderHTTP, auth: dict[str, str], username: str,
                        access: Access) -> list[str]:
        resp = http.get(f"/-/user/{quote(username, safe='')}/package", headers=auth)
        if resp.status_code != 200:
            access.note(f"owner's package list answered HTTP {resp.status_code}")
            return []
        body = json_object(resp)
        writable = [str(name) for name, perm in body.items() if perm == "write"]
        access.facts["owner_packages"] = len(body)
        access.note(f"the owner can publish {len(writable)} package(s); the token can reach at most these")
        return writable


detector = NpmDetector()
