"""Statsig server secret keys.

Format: Statsig's API keys docs (docs.statsig.com/sdk-keys/api-keys): server secret keys start
``secret-`` followed by 43 alphanumerics and must stay on servers; client keys (``client-``) ship in
apps and are not reported. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import fake, plausible_alnum, prefixed

_KEY = "secret-" + fake("a62", 43, "statsig")

PATTERNS = (
    Pattern(
        id="statsig.server_secret",
        name="Statsig server secret key",
        regex=prefixed(r"secret-[A-Za-z0-9]{43}"),
        keywords=("secret-",),
        kind="server_secret",
        validate=lambda s: plausible_alnum(s[7:]),
        examples=(f"STATSIG_SERVER_SECRET={_KEY}", f'statsig.initialize("{_KEY}")'),
        counterexamples=(
            "STATSIG_SERVER_SECRET=secret-xxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            'statsig.initialize("secret-key")',
            "client-secret-" + _KEY[7:],  # inside a longer word
            "STATSIG_SERVER_SECRET=" + _KEY[:-1],
        ),
    ),
)


class StatsigDetector(Detector):
    provider = "statsig"
    title = "Statsig"
    patterns = PATTERNS
    revoke_url = "https://console.statsig.com/api_keys"
    least_privilege = "create a server secret per environment and service, with only the targeting it needs"


detector = StatsigDetector()
