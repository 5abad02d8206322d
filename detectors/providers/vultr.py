"""Vultr API keys.

Format: Vultr's API documentation (vultr.com/api/#section/Authentication) shows the key sent as a
Bearer token; keys are 36 upper-case letters and digits with no prefix, so a Vultr name must stand
in the assignment (``VULTR_API_KEY``). Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import assigned, fake, plausible_alnum

_KEY = fake("HEX", 12, "vultr-a") + fake("a62", 24, "vultr-b").upper()

PATTERNS = (
    Pattern(
        id="vultr.api_key",
        name="Vultr API key",
        regex=assigned(r"vultr[\w.\-]{0,30}?(?:api[_.\-]?key|token)", r"[A-Z0-9]{36}", gap=10),
        keywords=("vultr",),
        kind="api_key",
        validate=plausible_alnum,
        examples=(f"VULTR_API_KEY={_KEY}", f'vultr_token: "{_KEY}"'),
        counterexamples=(f"VULTR_API_KEY={_KEY[:30]}", "VULTR_API_KEY=${VULTR_API_KEY}", "VULTR_API_KEY=" + "X" * 36,
                         f"VULTR_API_KEY={_KEY.lower()}"),
    ),
)


class VultrDetector(Detector):
    provider = "vultr"
    title = "Vultr"
    patterns = PATTERNS
    revoke_url = "https://my.vultr.com/settings/#settingsapi"
    least_privilege = ("restrict the API key to the CI's IP ranges and use a sub-account with only the "
                       "permissions it needs")


detector = VultrDetector()
