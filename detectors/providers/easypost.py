"""EasyPost API keys.

Format: EasyPost's authentication docs (docs.easypost.com/docs/authentication): production keys
start ``EZAK`` and test keys ``EZTK``, followed by 54 alphanumeric characters. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import fake, plausible_alnum, prefixed

_KEY = "EZAK" + fake("a62", 54, "easypost")

PATTERNS = (
    Pattern(
        id="easypost.api_key",
        name="EasyPost API key",
        regex=prefixed(r"EZ(?P<mode>[AT])K[0-9A-Za-z]{54}"),
        keywords=("ezak", "eztk"),
        kind="api_key",
        validate=lambda s: plausible_alnum(s[4:]),
        examples=(f"EASYPOST_API_KEY={_KEY}", f'client = easypost.EasyPostClient("{_KEY.replace("EZAK", "EZTK")}")'),
        counterexamples=(_KEY[:-1], "EZAK" + "x" * 54, "EZAKxyz"),
    ),
)


class EasyPostDetector(Detector):
    provider = "easypost"
    title = "EasyPost"
    patterns = PATTERNS
    revoke_url = "https://www.easypost.com/account/api-keys"
    least_privilege = "use the test key (EZTK) outside production and a separate production key per service"


detector = EasyPostDetector()
