"""Fake https://registry.npmjs.org: /-/whoami, the token list and a user's package list,
shaped as the npm CLI (npm-profile, libnpmaccess) reads them."""

from __future__ import annotations

import hashlib

from tests.fakes.server import FakeServer, Reply, Request
from tokenreach.detectors.providers.npm import checksum


def _token(body: str) -> str:
    return "npm_" + body + checksum(body)


PUBLISH = _token("PublishTokenPublishTokenPublis")
READONLY = _token("ReadOnlyTokenReadOnlyTokenRead")
AUTOMATION = _token("AutomationTokenAutomationToken")
GRANULAR = _token("GranularTokenGranularTokenGran")  # absent from the classic token list
REVOKED = _token("RevokedTokenRevokedTokenRevoke")
RATE_LIMITED = _token("SlowTokenSlowTokenSlowTokenSlo")
BROKEN = _token("BrokenTokenBrokenTokenBrokenTo")
MALFORMED = _token("MalformedTokenMalformedTokenMa")
LIST_DENIED = _token("ListDeniedListDeniedListDenied")
METADATA_DOWN = _token("MetadataDownMetadataDownMetada")  # whoami works, the metadata calls fail

_ACTIVE = {PUBLISH, READONLY, AUTOMATION, GRANULAR, LIST_DENIED, METADATA_DOWN}


def _entry(token: str, *, readonly: bool, automation: bool, cidr: list[str] | None = None) -> dict:
    return {"token": token[:6], "key": hashlib.sha512(token.encode()).hexdigest(),
            "cidr_whitelist": cidr, "readonly": readonly, "automation": automation,
            "created": "2025-10-02T10:00:00.000Z", "updated": "2025-10-02T10:00:00.000Z"}


# Classic-style entries match by key; the visible prefixes collide on purpose ("npm_Xx").
TOKENS = [
    _entry(PUBLISH, readonly=False, automation=False, cidr=["192.0.2.0/24"]),
    _entry(READONLY, readonly=True, automation=False),
    _entry(AUTOMATION, readonly=False, automation=True),
    {"token": "npm_Gr…", "key": "0" * 128, "cidr_whitelist": None, "readonly": False, "automation": False,
     "created": "2025-11-20T00:00:00.000Z", "updated": "2025-11-20T00:00:00.000Z"},
    {"token": "npm_Gr…", "key": "1" * 128, "cidr_whitelist": None, "readonly": True, "automation": False,
     "created": "2025-11-21T00:00:00.000Z", "updated": "2025-11-21T00:00:00.000Z"},
]
PACKAGES = {"left-pad-ng": "write", "@acme/core": "write", "@acme/docs": "read"}


def make() -> FakeServer:
    fake = FakeServer()

    def unauthorized() -> Reply:
        return Reply(401, {"error": "Unauthorized"}, headers={"WWW-Authenticate": 'Bearer realm="npm"'})

    @fake.route("GET", "/-/whoami")
    def whoami(req: Request) -> Reply:
        tok = req.bearer()
        if tok in _ACTIVE:
            return Reply(200, {"username": "alice"})
        if tok == RATE_LIMITED:
            return Reply(429, {"error": "Too Many Requests"}, headers={"Retry-After": "300"})
        if tok == BROKEN:
            return Reply(502, "<html>Bad gateway</html>")
        if tok == MALFORMED:
            return Reply(200, "not json")
        return unauthorized()

    @fake.route("GET", "/-/npm/v1/tokens")
    def tokens(req: Request) -> Reply:
        tok = req.bearer()
        if tok == METADATA_DOWN:
            return Reply(503, "Service Unavailable", headers={"Retry-After": "120"})
        if tok == LIST_DENIED:
            return Reply(403, {"error": "granular tokens cannot list tokens"})
        if tok in _ACTIVE:
            return Reply(200, {"objects": TOKENS, "total": len(TOKENS), "urls": {}})
        return unauthorized()

    @fake.route("GET", "/-/user/alice/package")
    def packages(req: Request) -> Reply:
        if req.bearer() == METADATA_DOWN:
            return Reply(429, {"error": "Too Many Requests"}, headers={"Retry-After": "120"})
        return Reply(200, PACKAGES) if req.bearer() in _ACTIVE else unauthorized()

    return fake
