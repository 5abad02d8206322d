"""PagerDuty REST API keys and user API tokens.

Format: PagerDuty's REST API authentication docs (developer.pagerduty.com/docs/authentication and
"API Access Keys" in the knowledge base): general access REST API keys are 20 characters
(alphanumerics, ``_``, ``-``, ``+``); user API tokens created from a user's profile start ``u+``.
Neither has a documented prefix beyond that, so only a PagerDuty name in the assignment marks
them. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import assigned, fake, plausible_alnum

_KEY = fake("b64url", 20, "pagerduty")
_USER = "u+" + fake("b64url", 18, "pagerduty-user")

PATTERNS = (
    Pattern(
        id="pagerduty.api_key",
        name="PagerDuty REST API key or user token",
        regex=assigned(r"pager[_.\-]?duty", r"u\+[A-Za-z0-9_\-]{18}|[A-Za-z0-9_+\-]{20}",
                       end=r"(?:[^A-Za-z0-9_+\-]|$)"),
        keywords=("pagerduty", "pager_duty", "pager-duty", "pager.duty"),
        kind="api_key",
        validate=plausible_alnum,
        examples=(f"PAGERDUTY_API_KEY={_KEY}", f'pagerduty_token: "{_USER}"'),
        counterexamples=(
            "PAGERDUTY_SERVICE_ID=PXYZ123",
            "PAGERDUTY_API_KEY=${PAGERDUTY_API_KEY}",
            "PAGERDUTY_API_KEY=" + _KEY + "Q",  # 21 characters
            "PAGERDUTY_TOKEN=your_pagerduty_token",
        ),
    ),
)


class PagerDutyDetector(Detector):
    provider = "pagerduty"
    title = "PagerDuty"
    patterns = PATTERNS
    revoke_url = "https://support.pagerduty.com/main/docs/api-access-keys"
    least_privilege = ("create a read-only general access API key, or a scoped OAuth app, instead of a user "
                       "token that carries the user's full role")


detector = PagerDutyDetector()
