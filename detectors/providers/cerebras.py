"""Cerebras Inference API keys.

Format: Cerebras' inference quickstart (inference-docs.cerebras.ai/quickstart): keys are set as
``CEREBRAS_API_KEY`` and start ``csk-`` followed by 48 lower-case alphanumeric characters.
Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import fake, plausible, prefixed

_KEY = "csk-" + fake("a36", 48, "cerebras")

PATTERNS = (
    Pattern(
        id="cerebras.api_key",
        name="Cerebras API key",
        regex=prefixed(r"csk-[a-z0-9]{48}"),
        keywords=("csk-",),
        kind="api_key",
        validate=lambda s: plausible(s[4:], 3.5) and any(c.isdigit() for c in s[4:]),
        examples=(f"CEREBRAS_API_KEY={_KEY}", f'client = Cerebras(api_key="{_KEY}")'),
        counterexamples=(_KEY[:-1], "csk-" + "x" * 48, "my-csk-" + _KEY[4:]),
    ),
)


class CerebrasDetector(Detector):
    provider = "cerebras"
    title = "Cerebras"
    patterns = PATTERNS
    revoke_url = "https://cloud.cerebras.ai/platform/"
    least_privilege = "create a dedicated key for this service so it can be rotated alone"


detector = CerebrasDetector()
