"""Resend API keys.

Format (resend.com/docs/dashboard/api-keys/introduction; Resend is a GitHub secret scanning
partner): ``re_`` + 8 alphanumerics (the key id) + ``_`` + 24 alphanumerics.
"""

from __future__ import annotations

import re

from tokenreach.detectors.base import Detector, Pattern


def _random(secret: str) -> bool:
    """A snake_case identifier (``re_compile_…``) has no digits or capitals; a key has both."""
    body = secret[3:]
    return bool(re.search(r"[0-9]", body) and re.search(r"[A-Z]", body) and re.search(r"[a-z]", body))


PATTERNS = (
    Pattern(
        id="resend.api_key",
        name="Resend API key",
        regex=r"\b(?P<secret>re_[A-Za-z0-9]{8}_[A-Za-z0-9]{24})\b",
        keywords=("re_",),
        kind="api_key",
        validate=_random,
        examples=(
            "RESEND_API_KEY=re_j2YPW4Ek_pR2LncLiSmxmyquJpL5gsiCG",
            "const resend = new Resend('re_1ynJZTab_d6MXBsPyG57EdqmPoPM9vXsl');",
        ),
        counterexamples=(
            "re_compile_abcdefghijklmnopqrstuvwx",  # an identifier
            "RESEND_API_KEY=re_eXx8gK12_gxWt7NDGLTPUu2xOFhkU",  # too short
            "more_dEDA1AUS_oc5YvXP0VxrDadedNBWfj2f0",  # inside a word
        ),
    ),
)


class ResendDetector(Detector):
    provider = "resend"
    title = "Resend"
    patterns = PATTERNS
    revoke_url = "https://resend.com/api-keys"
    least_privilege = "create a sending-access key restricted to the one domain this service sends from"


detector = ResendDetector()
