"""Cohere API keys.

Format: Cohere's docs (docs.cohere.com/reference/about, "Authentication"; dashboard.cohere.com/
api-keys) document keys sent as ``Authorization: Bearer`` and read from ``CO_API_KEY`` by the SDKs,
but no prefix: a key is 40 alphanumerics. Only a Cohere name, ``CO_API_KEY``, or a
``cohere.Client(…)`` call marks one. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import ASSIGN, END, fake, plausible_alnum

_KEY = fake("a62", 40, "cohere")

PATTERNS = (
    Pattern(
        id="cohere.api_key",
        name="Cohere API key",
        regex=(r"(?:(?i:cohere)(?:[\w.\-]{0,40}" + ASSIGN + r"|\.(?:Async)?Client(?:V2)?\(\s{0,3}"
               r"(?:api_key\s{0,2}=\s{0,2})?[\"'])|(?i:co_api_key)[\w.\-]{0,10}" + ASSIGN + r")"
               r"(?P<secret>[A-Za-z0-9]{40})" + END),
        keywords=("cohere", "co_api_key"),
        kind="api_key",
        validate=plausible_alnum,
        examples=(f"CO_API_KEY={_KEY}", f'co = cohere.ClientV2(api_key="{_KEY}")', f"COHERE_API_KEY='{_KEY}'"),
        counterexamples=(
            "COHERE_API_KEY=" + _KEY[:-1],
            "COHERE_API_KEY=${COHERE_API_KEY}",
            "co = cohere.ClientV2(api_key=os.environ['CO_API_KEY'])",
        ),
    ),
)


class CohereDetector(Detector):
    provider = "cohere"
    title = "Cohere"
    patterns = PATTERNS
    revoke_url = "https://dashboard.cohere.com/api-keys"
    least_privilege = "create a separate production key per service so each can be revoked alone"


detector = CohereDetector()
