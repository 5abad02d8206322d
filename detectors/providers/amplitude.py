"""Amplitude secret keys.

Format: Amplitude's "API keys and secret keys" docs (amplitude.com/docs/apis/keys-and-tokens): a
project has an API key (public, sent by every SDK) and a secret key for the export and management
APIs, both 32 hex characters without a prefix. Only the secret key is reported, and only next to an
Amplitude name that ends in a secret word (``AMPLITUDE_SECRET_KEY``). Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import assigned, fake, plausible_hex

_SECRET = fake("hex", 32, "amplitude")

PATTERNS = (
    Pattern(
        id="amplitude.secret_key",
        name="Amplitude secret key",
        regex=assigned(r"amplitude[\w.\-]{0,20}?secret", r"[0-9a-f]{32}", gap=10),
        keywords=("amplitude",),
        kind="secret_key",
        validate=plausible_hex,
        examples=(f"AMPLITUDE_SECRET_KEY={_SECRET}", f'amplitude_secret: "{_SECRET}"'),
        counterexamples=(
            f"AMPLITUDE_API_KEY={_SECRET}",  # the API key is public
            "AMPLITUDE_SECRET_KEY=" + _SECRET[:-1],
            "AMPLITUDE_SECRET_KEY=" + "0" * 32,
        ),
    ),
)


class AmplitudeDetector(Detector):
    provider = "amplitude"
    title = "Amplitude"
    patterns = PATTERNS
    revoke_url = "https://app.amplitude.com/analytics/settings/projects"
    least_privilege = ("keep the secret key only where exports run; for management calls use a user with the "
                       "Viewer role where the API allows it")


detector = AmplitudeDetector()
