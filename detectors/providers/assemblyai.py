"""AssemblyAI API keys.

Format: AssemblyAI's API reference (assemblyai.com/docs/api-reference/overview, "Authorization"):
keys are 32 hex characters sent in the ``authorization`` header, with no prefix, so an AssemblyAI
name must stand in the assignment. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import assigned, fake, plausible_hex

_KEY = fake("hex", 32, "assemblyai")

PATTERNS = (
    Pattern(
        id="assemblyai.api_key",
        name="AssemblyAI API key",
        regex=assigned(r"assembly[_.\-]?ai", r"[0-9a-f]{32}"),
        keywords=("assembly",),
        kind="api_key",
        validate=plausible_hex,
        examples=(f"ASSEMBLYAI_API_KEY={_KEY}", f'aai.settings.api_key = "{_KEY}"'.replace("aai.", "assemblyai.")),
        counterexamples=(f"ASSEMBLYAI_API_KEY={_KEY[:-1]}", "ASSEMBLYAI_API_KEY=<your key>",
                         "ASSEMBLYAI_API_KEY=" + "a" * 32),
    ),
)


class AssemblyAIDetector(Detector):
    provider = "assemblyai"
    title = "AssemblyAI"
    patterns = PATTERNS
    revoke_url = "https://www.assemblyai.com/app/api-keys"
    least_privilege = "create a separate project key for this service so it can be rotated alone"


detector = AssemblyAIDetector()
