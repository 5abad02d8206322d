"""Mistral AI API keys.

Format: Mistral's API docs (docs.mistral.ai/api/, "Authentication"; console.mistral.ai/api-keys)
document keys sent as ``Authorization: Bearer`` and read from ``MISTRAL_API_KEY``, but no prefix: a
key is 32 alphanumerics. Only a Mistral name or a ``Mistral(api_key=…)`` call marks one.
Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import ASSIGN, END, fake, plausible_alnum

_KEY = fake("a62", 32, "mistral")

PATTERNS = (
    Pattern(
        id="mistral.api_key",
        name="Mistral AI API key",
        regex=(r"(?i:mistral)(?:[\w.\-]{0,40}" + ASSIGN + r"|[\w.]{0,20}\(\s{0,3}api_key\s{0,2}=\s{0,2}[\"'])"
               r"(?P<secret>[A-Za-z0-9]{32})" + END),
        keywords=("mistral",),
        kind="api_key",
        validate=plausible_alnum,
        examples=(f"MISTRAL_API_KEY={_KEY}", f'client = Mistral(api_key="{_KEY}")'),
        counterexamples=(
            "MISTRAL_MODEL=mistral-large-latest",
            "MISTRAL_API_KEY=" + _KEY[:-1],
            "MISTRAL_API_KEY=${MISTRAL_API_KEY}",
        ),
    ),
)


class MistralDetector(Detector):
    provider = "mistral"
    title = "Mistral AI"
    patterns = PATTERNS
    revoke_url = "https://console.mistral.ai/api-keys"
    least_privilege = "create a key in a workspace that holds only this service, with an expiry and a spend limit"


detector = MistralDetector()
