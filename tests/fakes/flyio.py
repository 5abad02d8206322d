"""Fake https://api.machines.dev answering GET /v1/apps?org_slug= the way trufflehog documents
Fly.io's behaviour: 400 for an authenticated token (the org slug is missing), 401 otherwise.

The tokens are synthetic macaroons built with the same encoding Fly.io uses (MessagePack,
``FlyV1 fm2_…`` bundles), so the offline decoder reads real structure.
"""

from __future__ import annotations

import base64

from tests.fakes.server import FakeServer, Reply, Request
from tokenreach.detectors.macaroon import action_mask, encode_fly

API = "https://api.fly.io/v1"
AUTH = "https://api.fly.io/aaa/v1"
ORG_ID = 4321
APP_ID = 987654
FUTURE = 4_102_444_800  # 2100-01-01
PAST = 1_600_000_000


def _mac(seed: int, flat: list, location: str = API, proof: bool = False) -> str:
    """A macaroon from a flat [type, body, type, body, …] list, as Fly.io lays caveats out."""
    caveats = list(zip(flat[0::2], flat[1::2], strict=True))
    raw = encode_fly(location, bytes([seed]) * 16, caveats, proof=proof, rnd=bytes([seed ^ 0x55]) * 16,
                     tail=bytes([seed]) * 32)
    return "fm2_" + base64.b64encode(raw).decode()


def _bundle(*macs: str) -> str:
    return ",".join(macs)


_ORG = [0, [ORG_ID, action_mask("*")]]
_NO_ADMIN = [22, []]

# An organization token: full mask, no NoAdminFeatures, login discharge included.
ORG_TOKEN = _bundle(_mac(1, [*_ORG, 11, [AUTH, b"vid", b"cid"]]),
                    _mac(2, [4, [1_700_000_000, FUTURE], 23, 77], location=AUTH, proof=True))
# A deploy token: read on the org, everything on one app (IfPresent), no admin features.
DEPLOY_TOKEN = _bundle(_mac(3, [0, [ORG_ID, action_mask("*")],
                                13, [[3, [{APP_ID: action_mask("*")}]], action_mask("r")], *_NO_ADMIN]))
# An Apps caveat limiting to two apps.
APPS_TOKEN = _bundle(_mac(4, [*_ORG, 3, [{111: action_mask("rwcd"), 222: action_mask("r")}], *_NO_ADMIN]))
READ_ONLY = _bundle(_mac(5, [0, [ORG_ID, action_mask("r")], *_NO_ADMIN]))
EXPIRED = _bundle(_mac(6, [*_ORG, 4, [PAST - 3600, PAST]]))
NEEDS_LOGIN = _bundle(_mac(7, [*_ORG, 11, [AUTH, b"vid", b"cid"]]))
REVOKED = _bundle(_mac(8, [*_ORG, *_NO_ADMIN]))
RATE_LIMITED = _bundle(_mac(9, [*_ORG]))
BROKEN = _bundle(_mac(10, [*_ORG]))
ODD_STATUS = _bundle(_mac(11, [*_ORG]))
MALFORMED = _bundle(_mac(12, [*_ORG]))
OAUTH = "fo1_Qm9vcF9ib29wX2Jvb3BfYm9vcF9ib29wX2Jvb3BfYm9"

_LIVE = {f"FlyV1 {t}" for t in (ORG_TOKEN, DEPLOY_TOKEN, APPS_TOKEN, READ_ONLY, NEEDS_LOGIN)} | {f"Bearer {OAUTH}"}


def make() -> FakeServer:
    fake = FakeServer()

    @fake.route("GET", "/v1/apps")
    def apps(req: Request) -> Reply:
        auth = req.header("authorization")
        if auth in _LIVE:
            if not req.query.get("org_slug", [""])[0]:
                return Reply(400, {"error": "org_slug is required"})
            return Reply(200, {"total_apps": 0, "apps": []})
        if auth == f"FlyV1 {RATE_LIMITED}":
            return Reply(429, {"error": "rate limited"}, headers={"Retry-After": "90"})
        if auth == f"FlyV1 {BROKEN}":
            return Reply(503, "upstream connect error")
        if auth == f"FlyV1 {MALFORMED}":
            return Reply(200, "<html>maintenance</html>")  # neither answer the probe relies on
        if auth == f"FlyV1 {ODD_STATUS}":
            return Reply(403, {"error": "unauthorized"})
        return Reply(401, {"error": "token validation error"})

    return fake
