"""Retool API access tokens.

Format: Retool's API authentication documentation
(docs.retool.com/org-users/guides/retool-api/authentication): access tokens are created under
Settings > API and start ``retool_`` followed by a 26-character lower-case ULID (``retool_01…``).
Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import fake, plausible, prefixed

_CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz"
_TOKEN = "retool_01" + "".join(_CROCKFORD[int(c, 16) * 2] for c in fake("hex", 24, "retool"))

PATTERNS = (
    Pattern(
        id="retool.api_token",
        name="Retool API access token",
        regex=prefixed(r"retool_[0-7][0-9a-hjkmnp-tv-z]{25}"),
        keywords=("retool_",),
        kind="api_token",
        validate=lambda s: plausible(s[9:], 3.0),
        examples=(f"RETOOL_API_TOKEN={_TOKEN}", f"const rpc = new RetoolRPC({{ apiToken: '{_TOKEN}' }})"),
        counterexamples=("import retool_01 from '@site/static/images/retool_01.png';", "retool_01" + "0" * 24,
                         "retool_" + fake("a62", 26, "retool-upper")),
    ),
)


class RetoolDetector(Detector):
    provider = "retool"
    title = "Retool"
    patterns = PATTERNS
    revoke_url = "https://docs.retool.com/org-users/guides/retool-api/authentication"
    least_privilege = "create the access token with only the read scopes it needs, and an expiry"


detector = RetoolDetector()
