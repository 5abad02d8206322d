"""Fireworks AI API keys.

Format: Fireworks' API reference (docs.fireworks.ai/api-reference/introduction): keys are sent as
``Authorization: Bearer <key>`` and start ``fw_`` followed by a base62 body (24 characters).
Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import fake, plausible_alnum, prefixed

_KEY = "fw_" + fake("a62", 24, "fireworks")

PATTERNS = (
    Pattern(
        id="fireworks.api_key",
        name="Fireworks AI API key",
        regex=prefixed(r"fw_[A-Za-z0-9]{24,40}"),
        keywords=("fw_",),
        kind="api_key",
        validate=lambda s: plausible_alnum(s[3:]) and sum(c.isdigit() for c in s) >= 2,
        examples=(f"FIREWORKS_API_KEY={_KEY}", f'fireworks.client.api_key = "{_KEY}"'),
        counterexamples=("fw_" + fake("a62", 12, "f2"), "FIREWORKS_API_KEY=fw_" + "x" * 24,
                         "fw_UpdateFirmwareVersionHandler", "my_fw_" + fake("a62", 24, "fireworks")),
    ),
)


class FireworksDetector(Detector):
    provider = "fireworks"
    title = "Fireworks AI"
    patterns = PATTERNS
    revoke_url = "https://fireworks.ai/account/api-keys"
    least_privilege = "create a key for a service account limited to inference, not the account owner's key"


detector = FireworksDetector()
