"""xAI (Grok) API keys.

Format: xAI's API documentation (docs.x.ai/docs/overview): keys start ``xai-`` followed by 80
alphanumeric characters. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import fake, plausible_alnum, prefixed

_KEY = "xai-" + fake("a62", 80, "xai")

PATTERNS = (
    Pattern(
        id="xai.api_key",
        name="xAI API key",
        regex=prefixed(r"xai-[A-Za-z0-9]{80}"),
        keywords=("xai-",),
        kind="api_key",
        validate=lambda s: plausible_alnum(s[4:]),
        examples=(f"XAI_API_KEY={_KEY}", f'client = Client(api_key="{_KEY}")'),
        counterexamples=(_KEY[:-1], "xai-" + "x" * 80, "xai-grok-2-vision-1212"),
    ),
)


class XAIDetector(Detector):
    provider = "xai"
    title = "xAI"
    patterns = PATTERNS
    revoke_url = "https://console.x.ai/"
    least_privilege = "create a key restricted to the models and endpoints this service calls"


detector = XAIDetector()
