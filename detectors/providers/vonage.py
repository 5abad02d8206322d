"""Vonage (formerly Nexmo) API secrets.

Format: Vonage's authentication concepts (developer.vonage.com/en/getting-started/concepts/authentication):
an account has an API key (8 hex characters, an identifier) and an API secret (16 alphanumeric
characters). The secret has no prefix, so a Vonage or Nexmo secret name must stand in the
assignment. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import assigned, fake, plausible_alnum

_SECRET = fake("a62", 16, "vonage")

PATTERNS = (
    Pattern(
        id="vonage.api_secret",
        name="Vonage (Nexmo) API secret",
        regex=assigned(r"(?:vonage|nexmo)[\w.\-]{0,20}secret", r"[A-Za-z0-9]{16}", gap=10),
        keywords=("vonage", "nexmo"),
        kind="api_secret",
        validate=plausible_alnum,
        examples=(f"VONAGE_API_SECRET={_SECRET}", f'nexmo_secret: "{_SECRET}"'),
        counterexamples=(f"VONAGE_API_KEY={_SECRET[:8]}", "VONAGE_API_SECRET=xxxxxxxxxxxxxxxx",
                         f"VONAGE_API_SECRET={_SECRET}abc"),
    ),
)


class VonageDetector(Detector):
    provider = "vonage"
    title = "Vonage"
    patterns = PATTERNS
    revoke_url = "https://dashboard.nexmo.com/settings"
    least_privilege = "use an application with its own private key (JWT auth) limited to the APIs it calls"


detector = VonageDetector()
