"""Ably API keys.

Format: Ably's basic-authentication docs (ably.com/docs/auth/basic): an API key is
``<app id>.<key id>:<key secret>``, the secret being 43 base64url characters. The ``.`` and ``:``
make it fairly distinctive, but an Ably name must still appear before it on the line.
Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import END, fake, plausible

_KEY = f"{fake('a62', 6, 'ably1')}.{fake('b64url', 6, 'ably2')}:{fake('b64url', 43, 'ably3')}"

PATTERNS = (
    Pattern(
        id="ably.api_key",
        name="Ably API key",
        regex=(r"(?i:ably)[^\n]{0,60}?[\"'\s=:(](?P<secret>[A-Za-z0-9_\-]{6}\.[A-Za-z0-9_\-]{6}:"
               r"[A-Za-z0-9_\-]{43})" + END),
        keywords=("ably",),
        kind="api_key",
        validate=lambda s: plausible(s.split(":", 1)[1], 3.8),
        examples=(f"ABLY_API_KEY={_KEY}", f"const ably = new Ably.Realtime('{_KEY}');"),
        counterexamples=("ABLY_API_KEY=abcdef.ghijkl:" + "x" * 43, f"OTHER_KEY={_KEY}"),
    ),
)


class AblyDetector(Detector):
    provider = "ably"
    title = "Ably"
    patterns = PATTERNS
    revoke_url = "https://ably.com/accounts/any/apps/any/app_keys"
    least_privilege = ("create a key with only the capabilities (subscribe, publish) on the channels it uses, "
                       "and issue short-lived tokens to clients")


detector = AblyDetector()
