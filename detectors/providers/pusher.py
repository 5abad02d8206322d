"""Pusher Channels app secrets.

Format: Pusher's HTTP API reference (pusher.com/docs/channels/library_auth_reference/rest-api/):
an app has an id, a key (20 hex characters, public: browsers use it) and a secret (20 hex
characters, signs server requests). The secret has no prefix, so a Pusher secret name must stand in
the assignment. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import assigned, fake, plausible_hex

_SECRET = fake("hex", 20, "pusher")

PATTERNS = (
    Pattern(
        id="pusher.app_secret",
        name="Pusher app secret",
        regex=assigned(r"pusher[\w.\-]{0,20}secret", r"[0-9a-f]{20}", gap=10),
        keywords=("pusher",),
        kind="app_secret",
        validate=plausible_hex,
        examples=(f"PUSHER_APP_SECRET={_SECRET}", f'pusher_secret: "{_SECRET}"'),
        counterexamples=(f"PUSHER_APP_KEY={_SECRET}", "PUSHER_APP_SECRET=" + "0" * 20),
    ),
)


class PusherDetector(Detector):
    provider = "pusher"
    title = "Pusher"
    patterns = PATTERNS
    revoke_url = "https://dashboard.pusher.com/"
    least_privilege = "create a separate Channels app per environment so a leaked secret reaches only one"


detector = PusherDetector()
