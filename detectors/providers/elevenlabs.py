"""ElevenLabs API keys.

Format: ElevenLabs' authentication reference (elevenlabs.io/docs/api-reference/authentication):
keys are sent in the ``xi-api-key`` header. Current keys are ``sk_`` + 48 hex characters, older
ones 32 hex characters; neither shape is distinctive enough alone (``sk_`` is shared with other
providers), so an ElevenLabs name or the ``xi-api-key`` header must stand before it.
Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import assigned, fake, plausible_hex

_KEY = "sk_" + fake("hex", 48, "elevenlabs")
_LEGACY = fake("hex", 32, "elevenlabs-legacy")

PATTERNS = (
    Pattern(
        id="elevenlabs.api_key",
        name="ElevenLabs API key",
        regex=assigned(r"eleven[_.\-]?labs|xi[_\-]api[_\-]key", r"sk_[0-9a-f]{48}|[0-9a-f]{32}"),
        keywords=("eleven", "xi-api-key", "xi_api_key"),
        kind="api_key",
        validate=lambda s: plausible_hex(s.removeprefix("sk_")),
        examples=(
            f"ELEVENLABS_API_KEY={_KEY}",
            f"curl -H 'xi-api-key: {_KEY}' https://api.elevenlabs.io/v1/user",
            f'ELEVEN_LABS_KEY="{_LEGACY}"',
        ),
        counterexamples=(f"ELEVENLABS_VOICE_ID={_KEY[3:23]}", "ELEVENLABS_API_KEY=sk_" + "0" * 48,
                         f"STRIPE_KEY={_KEY}"),
    ),
)


class ElevenLabsDetector(Detector):
    provider = "elevenlabs"
    title = "ElevenLabs"
    patterns = PATTERNS
    revoke_url = "https://elevenlabs.io/app/settings/api-keys"
    least_privilege = "create a key restricted to the endpoints it calls (text-to-speech only) with a credit quota"


detector = ElevenLabsDetector()
