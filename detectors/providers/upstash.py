"""Upstash Redis REST tokens and QStash tokens and signing keys.

Formats: Upstash's REST API documentation (upstash.com/docs/redis/features/restapi) sends the
database token as a Bearer token (``UPSTASH_REDIS_REST_TOKEN``); tokens are opaque base64url
strings beginning ``A`` with no documented prefix, so an Upstash name must stand in the assignment.
QStash (upstash.com/docs/qstash/howto/publishing) tokens are base64 of a JSON object
``{"UserID": …, "Password": …}`` and so begin ``eyJVc2VySUQiOi``; the local development server's
fixed ``defaultUser`` token is not a secret and is dropped. QStash signing keys are ``sig_`` plus
alphanumerics, found next to a QStash signing-key name. Passwords in ``rediss://`` URLs are
credentials_url.py's. Detection only.
"""

from __future__ import annotations

import base64
import json

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import assigned, fake, plausible_alnum, prefixed
from tokenreach.detectors.jwt import b64_json

# Published by the QStash local development server (`npx @upstash/qstash-cli dev`): not secrets.
_DEV_SIGNING_KEYS = frozenset({"sig_7kYjw48mhY7kAjqNGcy6cr29RJ6r", "sig_7RvLjqfZBvP5KEUimQCE1pvpLuou"})
_DEV_QSTASH_TOKEN = "eyJVc2VySUQiOiJkZWZhdWx0VXNlciIsIlBhc3N3b3JkIjoiZGVmYXVsdFBhc3N3b3JkIn0="


def _qstash_token(secret: str) -> bool:
    obj = b64_json(secret)
    return (obj is not None and isinstance(obj.get("Password"), str) and obj.get("UserID") != "defaultUser"
            and len(obj["Password"]) >= 16)


def _qstash_example(seed: str) -> str:
    h = fake("hex", 32, seed)
    body = {"UserID": f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}", "Password": fake("hex", 32, seed + "-pw")}
    return base64.b64encode(json.dumps(body, separators=(",", ":")).encode()).decode()


_REST = "A" + fake("a62", 3, "upstash-a") + "AAIncD" + fake("a62", 53, "upstash-b")
_QSTASH = _qstash_example("qstash")
_SIG = "sig_" + fake("a62", 28, "qstash-sig")

PATTERNS = (
    Pattern(
        id="upstash.redis_rest_token",
        name="Upstash Redis REST token",
        regex=assigned(r"upstash[\w.\-]{0,30}?token", r"A[A-Za-z0-9_\-]{40,120}={0,2}", gap=10),
        keywords=("upstash",),
        kind="redis_rest_token",
        validate=lambda s: plausible_alnum(s.rstrip("=").replace("_", "").replace("-", "")),
        examples=(f"UPSTASH_REDIS_REST_TOKEN={_REST}", f'UPSTASH_REDIS_REST_TOKEN="{_REST}"'),
        counterexamples=('UPSTASH_REDIS_REST_TOKEN="AXXXxxx..."', "UPSTASH_REDIS_REST_TOKEN=AX...[YOUR-REST-TOKEN]",
                         "UPSTASH_REDIS_REST_TOKEN=${UPSTASH_REDIS_REST_TOKEN}",
                         f"UPSTASH_REDIS_REST_URL={_REST}"),
    ),
    Pattern(
        id="upstash.qstash_token",
        name="Upstash QStash token",
        regex=prefixed(r"eyJVc2VySUQiOi[A-Za-z0-9+/]{20,400}={0,2}"),
        keywords=("eyjvc2vysuqioi",),
        kind="qstash_token",
        validate=_qstash_token,
        examples=(f"QSTASH_TOKEN={_QSTASH}", f'new Client({{ token: "{_QSTASH}" }})'),
        counterexamples=(f"QSTASH_TOKEN={_DEV_QSTASH_TOKEN}", "QSTASH_TOKEN=eyJVc2VySUQiOiJub3QtanNvbg",
                         "QSTASH_TOKEN=eyJVc2VySUQiOi..."),
    ),
    Pattern(
        id="upstash.qstash_signing_key",
        name="Upstash QStash signing key",
        regex=assigned(r"qstash[\w.\-]{0,20}?signing[_.\-]?key", r"sig_[A-Za-z0-9]{20,40}", gap=5),
        keywords=("qstash",),
        kind="qstash_signing_key",
        validate=lambda s: s not in _DEV_SIGNING_KEYS and plausible_alnum(s[4:]),
        examples=(f"QSTASH_CURRENT_SIGNING_KEY={_SIG}", f'QSTASH_NEXT_SIGNING_KEY="{_SIG}"'),
        counterexamples=("QSTASH_CURRENT_SIGNING_KEY=sig_7kYjw48mhY7kAjqNGcy6cr29RJ6r",
                         "QSTASH_CURRENT_SIGNING_KEY=sig_xxx", "QSTASH_CURRENT_SIGNING_KEY=${SIGNING_KEY}"),
    ),
)


class UpstashDetector(Detector):
    provider = "upstash"
    title = "Upstash"
    patterns = PATTERNS
    revoke_url = "https://console.upstash.com"
    least_privilege = "use the database's read-only REST token where the client only reads, or an ACL user's token"


detector = UpstashDetector()
