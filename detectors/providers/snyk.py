"""Snyk API tokens.

Format: Snyk's authentication docs (docs.snyk.io/snyk-api/authentication-for-api, and the CLI's
``SNYK_TOKEN``): personal and service account API tokens are UUIDs with no prefix, sent as
``Authorization: token <token>``. Only a Snyk name ending in a token or key word marks one.
Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import assigned, fake, plausible_hex

_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_H = fake("hex", 32, "snyk")
_TOKEN = f"{_H[:8]}-{_H[8:12]}-4{_H[13:16]}-9{_H[17:20]}-{_H[20:]}"

PATTERNS = (
    Pattern(
        id="snyk.api_token",
        name="Snyk API token",
        regex=assigned(r"snyk[\w.\-]{0,20}?(?:token|key)", _UUID, gap=10),
        keywords=("snyk",),
        kind="api_token",
        validate=lambda s: plausible_hex(s.replace("-", "")),
        examples=(f"SNYK_TOKEN={_TOKEN}", f'snyk_api_key: "{_TOKEN}"'),
        counterexamples=(
            f"SNYK_ORG_ID={_TOKEN}",  # an organisation ID, not a token
            "SNYK_TOKEN=${{ secrets.SNYK_TOKEN }}",
            "SNYK_TOKEN=00000000-0000-0000-0000-000000000000",
        ),
    ),
)


class SnykDetector(Detector):
    provider = "snyk"
    title = "Snyk"
    patterns = PATTERNS
    revoke_url = "https://app.snyk.io/account"
    least_privilege = ("use an organisation service account token with a custom role (test and monitor only) "
                       "instead of a personal token")


detector = SnykDetector()
