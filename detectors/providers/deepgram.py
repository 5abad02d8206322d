"""Deepgram API keys.

Format: Deepgram's authentication guide (developers.deepgram.com/docs/authenticating): keys are
40 hex characters sent as ``Authorization: Token <key>``; with no prefix, a Deepgram name must
stand in the assignment. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import assigned, fake, plausible_hex

_KEY = fake("hex", 40, "deepgram")

PATTERNS = (
    Pattern(
        id="deepgram.api_key",
        name="Deepgram API key",
        regex=assigned("deepgram", r"[0-9a-f]{40}"),
        keywords=("deepgram",),
        kind="api_key",
        validate=plausible_hex,
        examples=(f"DEEPGRAM_API_KEY={_KEY}", f'deepgram = DeepgramClient(deepgram_key="{_KEY}")'),
        counterexamples=(f"DEEPGRAM_PROJECT_ID={_KEY[:36]}", "DEEPGRAM_API_KEY=" + "f" * 40),
    ),
)


class DeepgramDetector(Detector):
    provider = "deepgram"
    title = "Deepgram"
    patterns = PATTERNS
    revoke_url = "https://console.deepgram.com/"
    least_privilege = "create a key with the member role (usage:write only) and an expiration for this service"


detector = DeepgramDetector()
