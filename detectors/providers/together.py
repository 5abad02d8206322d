"""Together AI API keys.

Format: Together's authentication reference (docs.together.ai/reference/authentication-1): keys
are sent as ``Authorization: Bearer <key>``. Older keys are 64 hex characters (matched only next
to a Together name); current keys start ``tgp_v1_``. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import assigned, fake, plausible, plausible_hex, prefixed

_HEX = fake("hex", 64, "together")
_V1 = "tgp_v1_" + fake("b64url", 43, "together-v1")

PATTERNS = (
    Pattern(
        id="together.api_key",
        name="Together AI API key",
        regex=prefixed(r"tgp_v1_[A-Za-z0-9_\-]{40,64}"),
        keywords=("tgp_v1_",),
        kind="api_key",
        validate=lambda s: plausible(s[7:], 3.5),
        examples=(f"TOGETHER_API_KEY={_V1}", f'client = Together(api_key="{_V1}")'),
        counterexamples=("tgp_v1_" + "x" * 43, "tgp_v1_short"),
    ),
    Pattern(
        id="together.legacy_api_key",
        name="Together AI API key (legacy hex)",
        regex=assigned(r"together(?:[_.\-]?ai)?[_.\-]?(?:api[_.\-]?)?key", r"[0-9a-f]{64}", gap=10),
        keywords=("together",),
        kind="api_key",
        validate=plausible_hex,
        examples=(f"TOGETHER_API_KEY={_HEX}", f'together_key: "{_HEX}"'),
        counterexamples=(f"TOGETHER_MODEL_HASH={_HEX}", "TOGETHER_API_KEY=" + "0" * 64),
    ),
)


class TogetherDetector(Detector):
    provider = "together"
    title = "Together AI"
    patterns = PATTERNS
    revoke_url = "https://api.together.ai/settings/api-keys"
    least_privilege = "create a dedicated key for this service and set a spending limit on the account"


detector = TogetherDetector()
