"""DeepSeek API keys.

Format: DeepSeek's API docs (api-docs.deepseek.com): keys are ``sk-`` + 32 hex characters, a shape
other OpenAI-compatible services share, so a DeepSeek name must stand in the assignment.
Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import assigned, fake, plausible_hex

_KEY = "sk-" + fake("hex", 32, "deepseek")

PATTERNS = (
    Pattern(
        id="deepseek.api_key",
        name="DeepSeek API key",
        regex=assigned("deepseek", r"sk-[0-9a-f]{32}"),
        keywords=("deepseek",),
        kind="api_key",
        validate=lambda s: plausible_hex(s[3:]),
        examples=(f"DEEPSEEK_API_KEY={_KEY}", f'deepseek_key: "{_KEY}"'),
        counterexamples=(f"OPENAI_API_KEY={_KEY}", "DEEPSEEK_API_KEY=sk-" + "0" * 32, f"DEEPSEEK_API_KEY={_KEY[:-2]}"),
    ),
)


class DeepSeekDetector(Detector):
    provider = "deepseek"
    title = "DeepSeek"
    patterns = PATTERNS
    revoke_url = "https://platform.deepseek.com/api_keys"
    least_privilege = "create a dedicated key for this service and keep a low account balance"


detector = DeepSeekDetector()
