"""Lob API secret keys.

Format: Lob's API reference (docs.lob.com/#section/Authentication): secret keys are ``live_`` or
``test_`` + 35 hex characters and are sent as the HTTP basic username; publishable keys
(``live_pub_``/``test_pub_``) are meant for browsers and are not reported. ``live_``/``test_`` are
shared by many providers, so a key is taken only next to a Lob name (``LOB_API_KEY``,
``Lob('…')``). Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import ASSIGN, END, fake, plausible_hex

_LIVE = "live_" + fake("hex", 35, "lob-live")
_TEST = "test_" + fake("hex", 35, "lob-test")

PATTERNS = (
    Pattern(
        id="lob.api_key",
        name="Lob API secret key",
        regex=(r"(?:^|[^A-Za-z0-9])(?i:lob)(?:[\w.\-]{0,30}" + ASSIGN + r"|\(\s{0,3}[\"'])"
               r"(?P<secret>(?P<mode>live|test)_[0-9a-f]{35})" + END),
        keywords=("lob",),
        kind="api_key",
        validate=lambda s: plausible_hex(s[5:]),
        examples=(f"LOB_API_KEY={_LIVE}", f"const lob = Lob('{_TEST}');"),
        counterexamples=(
            f"GLOBAL_API_KEY={_LIVE}",  # "lob" inside a longer word
            "LOB_PUBLISHABLE_KEY=live_pub_" + fake("hex", 31, "lob-pub"),
            "LOB_API_KEY=" + _LIVE[:-1],
        ),
    ),
)


class LobDetector(Detector):
    provider = "lob"
    title = "Lob"
    patterns = PATTERNS
    revoke_url = "https://dashboard.lob.com/settings/api-keys"
    least_privilege = "use the test key everywhere but production, and rotate the live key when it is exposed"


detector = LobDetector()
