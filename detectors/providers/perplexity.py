"""Perplexity API keys.

Format: Perplexity's API getting-started guide (docs.perplexity.ai/guides/getting-started): keys
start ``pplx-`` followed by a random alphanumeric body (48 characters for current keys).
Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import fake, plausible_alnum, prefixed

_KEY = "pplx-" + fake("a62", 48, "perplexity")

PATTERNS = (
    Pattern(
        id="perplexity.api_key",
        name="Perplexity API key",
        regex=prefixed(r"pplx-[A-Za-z0-9]{40,64}"),
        keywords=("pplx-",),
        kind="api_key",
        validate=lambda s: plausible_alnum(s[5:]),
        examples=(f"PERPLEXITY_API_KEY={_KEY}", f'headers={{"Authorization": "Bearer {_KEY}"}}'),
        counterexamples=("pplx-" + fake("a62", 20, "p2"), "PPLX_KEY=pplx-" + "x" * 48, "pplx-sonar-pro-model"),
    ),
)


class PerplexityDetector(Detector):
    provider = "perplexity"
    title = "Perplexity"
    patterns = PATTERNS
    revoke_url = "https://www.perplexity.ai/settings/api"
    least_privilege = "create a dedicated key for this service in an API group with a spending limit"


detector = PerplexityDetector()
