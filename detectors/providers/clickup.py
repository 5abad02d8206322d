"""ClickUp personal API tokens.

Format: ClickUp's API authentication docs (developer.clickup.com/docs/authentication, "Personal
Token"): personal tokens start ``pk_``, then the user's numeric ID, ``_``, and 32 upper-case
alphanumerics, and are sent bare in the ``Authorization`` header. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import fake, plausible, prefixed

_TOKEN = "pk_" + fake("digits", 9, "clickup-user") + "_" + fake("a36", 32, "clickup").upper()

PATTERNS = (
    Pattern(
        id="clickup.personal_token",
        name="ClickUp personal API token",
        regex=prefixed(r"pk_(?P<user_id>\d{4,12})_[A-Z0-9]{32}"),
        keywords=("pk_",),
        kind="personal_token",
        validate=lambda s: plausible(s.rsplit("_", 1)[1], 3.5),
        examples=(f"CLICKUP_API_TOKEN={_TOKEN}", f"headers = {{'Authorization': '{_TOKEN}'}}"),
        counterexamples=(
            "CLICKUP_API_TOKEN=pk_your_token_here",
            "CLICKUP_API_TOKEN=pk_123456789_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
            "STRIPE_KEY=pk_live_" + fake("a62", 24, "stripe-pk"),  # a Stripe publishable key
            "CLICKUP_API_TOKEN=" + _TOKEN[:-1],
        ),
    ),
)


class ClickUpDetector(Detector):
    provider = "clickup"
    title = "ClickUp"
    patterns = PATTERNS
    revoke_url = "https://app.clickup.com/settings/apps"
    least_privilege = ("a personal token acts as the whole user; use an OAuth app authorised only on the "
                       "workspace it needs, or a guest user's token")


detector = ClickUpDetector()
