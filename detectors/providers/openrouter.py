"""OpenRouter API keys.

Format: OpenRouter's authentication reference (openrouter.ai/docs/api-reference/authentication):
keys are sent as ``Authorization: Bearer <key>`` and look like ``sk-or-v1-`` + 64 hex characters.
Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import fake, plausible_hex, prefixed

_KEY = "sk-or-v1-" + fake("hex", 64, "openrouter")

PATTERNS = (
    Pattern(
        id="openrouter.api_key",
        name="OpenRouter API key",
        regex=prefixed(r"sk-or-v1-[0-9a-f]{64}"),
        keywords=("sk-or-v1-",),
        kind="api_key",
        validate=lambda s: plausible_hex(s[9:]),
        examples=(f"OPENROUTER_API_KEY={_KEY}", f'client = OpenAI(base_url=URL, api_key="{_KEY}")'),
        counterexamples=(_KEY[:-1], "OPENROUTER_API_KEY=sk-or-v1-" + "x" * 64, "sk-or-v1-<your-key>"),
    ),
)


class OpenRouterDetector(Detector):
    provider = "openrouter"
    title = "OpenRouter"
    patterns = PATTERNS
    revoke_url = "https://openrouter.ai/settings/keys"
    least_privilege = "create a separate key for this service with a credit limit"


detector = OpenRouterDetector()
