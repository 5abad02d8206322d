"""Prefect Cloud API keys.

Format: Prefect's API key documentation (docs.prefect.io/v3/manage/cloud/manage-users/api-keys):
user API keys start ``pnu_`` and service-account (bot) keys ``pnb_``, each followed by 36
alphanumerics. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import fake, plausible_alnum, prefixed

_USER = "pnu_" + fake("a62", 36, "prefect-user")
_BOT = "pnb_" + fake("a62", 36, "prefect-bot")

PATTERNS = (
    Pattern(
        id="prefect.api_key",
        name="Prefect Cloud API key",
        regex=prefixed(r"pn(?P<owner>[ub])_[A-Za-z0-9]{36}"),
        keywords=("pnu_", "pnb_"),
        kind="api_key",
        validate=lambda s: plausible_alnum(s[4:]),
        examples=(f"PREFECT_API_KEY={_USER}", f"prefect cloud login --key {_BOT}"),
        counterexamples=("PREFECT_API_KEY=pnu_" + "x" * 36, "pnu_" + fake("a62", 30, "prefect-short"),
                         "xpnu_" + fake("a62", 36, "prefect-word")),
    ),
)


class PrefectDetector(Detector):
    provider = "prefect"
    title = "Prefect Cloud"
    patterns = PATTERNS
    revoke_url = "https://app.prefect.cloud/my/api-keys"
    least_privilege = "use a service account key with a workspace role limited to running deployments, and an expiry"


detector = PrefectDetector()
