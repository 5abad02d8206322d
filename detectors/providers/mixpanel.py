"""Mixpanel API secrets and service account secrets.

Format: Mixpanel's authentication docs (developer.mixpanel.com/reference/authentication): service
accounts authenticate with a username and a secret, and the legacy project API secret is 32 hex
characters; neither has a prefix. The project token is public (it ships in every client) and is not
reported, so only a Mixpanel name that ends in a secret word (``MIXPANEL_API_SECRET``,
``mixpanel_service_account_secret``) marks one. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import assigned, fake, plausible_alnum

_SECRET = fake("hex", 32, "mixpanel")
_SA = fake("a62", 32, "mixpanel-sa")

PATTERNS = (
    Pattern(
        id="mixpanel.api_secret",
        name="Mixpanel API or service account secret",
        regex=assigned(r"mixpanel[\w.\-]{0,30}?(?:secret|password)", r"[A-Za-z0-9]{32}", gap=10),
        keywords=("mixpanel",),
        kind="api_secret",
        validate=plausible_alnum,
        examples=(f"MIXPANEL_API_SECRET={_SECRET}", f'mixpanel_service_account_secret: "{_SA}"'),
        counterexamples=(
            f"MIXPANEL_TOKEN={_SECRET}",  # the project token is public
            "MIXPANEL_API_SECRET=${MIXPANEL_API_SECRET}",
            "MIXPANEL_API_SECRET=" + _SECRET[:-1],
        ),
    ),
)


class MixpanelDetector(Detector):
    provider = "mixpanel"
    title = "Mixpanel"
    patterns = PATTERNS
    revoke_url = "https://mixpanel.com/settings/org#serviceaccounts"
    least_privilege = ("use a service account with the Consumer role on the one project it reads, with an "
                       "expiry, instead of the project API secret")


detector = MixpanelDetector()
