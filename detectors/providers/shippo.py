"""Shippo API tokens.

Format: Shippo's authentication guide (docs.goshippo.com/docs/guides_general/authentication/):
tokens are sent as ``Authorization: ShippoToken <token>`` and start ``shippo_live_`` or
``shippo_test_`` followed by 40 hex characters. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import fake, plausible_hex, prefixed

_LIVE = "shippo_live_" + fake("hex", 40, "shippo")

PATTERNS = (
    Pattern(
        id="shippo.api_token",
        name="Shippo API token",
        regex=prefixed(r"shippo_(?P<mode>live|test)_[0-9a-f]{40}"),
        keywords=("shippo_live_", "shippo_test_"),
        kind="api_token",
        validate=lambda s: plausible_hex(s[-40:]),
        examples=(f"SHIPPO_API_KEY={_LIVE}", f"-H 'Authorization: ShippoToken {_LIVE.replace('live', 'test')}'"),
        counterexamples=(_LIVE[:-1], "shippo_live_" + "0" * 40, "shippo_live_<token>"),
    ),
)


class ShippoDetector(Detector):
    provider = "shippo"
    title = "Shippo"
    patterns = PATTERNS
    revoke_url = "https://apps.goshippo.com/settings/api"
    least_privilege = ("use the test token outside production and keep the live token only in the production "
                       "secret store")


detector = ShippoDetector()
