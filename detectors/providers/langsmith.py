"""LangSmith (LangChain) API keys.

Format: LangSmith's API key documentation
(docs.smith.langchain.com/administration/how_to_guides/organization_management/create_account_api_key):
personal access tokens start ``lsv2_pt_``, service keys ``lsv2_sk_``, each followed by 32 hex, ``_``
and 10 hex characters. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import fake, plausible_hex, prefixed

_PT = f"lsv2_pt_{fake('hex', 32, 'ls1')}_{fake('hex', 10, 'ls2')}"
_SK = f"lsv2_sk_{fake('hex', 32, 'ls3')}_{fake('hex', 10, 'ls4')}"

PATTERNS = (
    Pattern(
        id="langsmith.api_key",
        name="LangSmith API key",
        regex=prefixed(r"lsv2_(?P<type>pt|sk)_[0-9a-f]{32}_[0-9a-f]{10}"),
        keywords=("lsv2_",),
        kind="api_key",
        validate=lambda s: plausible_hex(s[8:40]),
        examples=(f"LANGCHAIN_API_KEY={_PT}", f'LANGSMITH_API_KEY="{_SK}"'),
        counterexamples=(_PT[:-1], "lsv2_pt_" + "0" * 32 + "_" + "0" * 10, "lsv2_xx_" + _PT[8:]),
    ),
)


class LangSmithDetector(Detector):
    provider = "langsmith"
    title = "LangSmith"
    patterns = PATTERNS
    revoke_url = "https://smith.langchain.com/settings"
    least_privilege = "create a service key scoped to the one workspace this service traces to"


detector = LangSmithDetector()
