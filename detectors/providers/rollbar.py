"""Rollbar access tokens.

Format: Rollbar's authentication docs (docs.rollbar.com/reference/getting-started-1#authentication):
project and account access tokens are 32 hex characters, sent as ``X-Rollbar-Access-Token``, with no
prefix; their scope (``post_client_item``, ``post_server_item``, ``read``, ``write``) is not visible
in the token. Only a Rollbar name or header marks one. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import assigned, fake, plausible_hex

_TOKEN = fake("hex", 32, "rollbar")

PATTERNS = (
    Pattern(
        id="rollbar.access_token",
        name="Rollbar access token",
        regex=assigned(r"rollbar", r"[0-9a-f]{32}"),
        keywords=("rollbar",),
        kind="access_token",
        validate=plausible_hex,
        examples=(
            f"ROLLBAR_ACCESS_TOKEN={_TOKEN}",
            f"curl -H 'X-Rollbar-Access-Token: {_TOKEN}' https://api.rollbar.com/api/1/items",
        ),
        counterexamples=("ROLLBAR_ENVIRONMENT=production", "ROLLBAR_ACCESS_TOKEN=" + _TOKEN[:-1],
                         "ROLLBAR_ACCESS_TOKEN=${ROLLBAR_ACCESS_TOKEN}"),
    ),
)


class RollbarDetector(Detector):
    provider = "rollbar"
    title = "Rollbar"
    patterns = PATTERNS
    revoke_url = "https://rollbar.com/settings/accounts/"
    least_privilege = ("give services a project token with only post_server_item, and clients only "
                       "post_client_item; keep read/write tokens out of applications")


detector = RollbarDetector()
