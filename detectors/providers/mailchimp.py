"""Mailchimp (Marketing API) API keys.

Format: Mailchimp's Marketing API quick start (mailchimp.com/developer/marketing/guides/quick-start/):
an API key is 32 hex characters followed by ``-us`` and the data-center number (``-us6``); the
suffix is what makes the shape distinctive. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import fake, plausible_hex

_KEY = fake("hex", 32, "mailchimp") + "-us21"

PATTERNS = (
    Pattern(
        id="mailchimp.api_key",
        name="Mailchimp API key",
        regex=r"(?:^|[^A-Za-z0-9_\-])(?P<secret>[0-9a-f]{32}-us[0-9]{1,2})(?:[^A-Za-z0-9_\-]|$)",
        keywords=("-us",),
        kind="api_key",
        validate=lambda s: plausible_hex(s[:32]),
        examples=(f"MAILCHIMP_API_KEY={_KEY}", f'client.set_config({{"api_key": "{_KEY}", "server": "us21"}})'),
        counterexamples=(_KEY[1:], "00000000000000000000000000000000-us6", _KEY + "x", "en-us-" + _KEY),
    ),
)


class MailchimpDetector(Detector):
    provider = "mailchimp"
    title = "Mailchimp"
    patterns = PATTERNS
    revoke_url = "https://us1.admin.mailchimp.com/account/api/"
    least_privilege = ("use an OAuth app or a dedicated key per integration, since an API key has the "
                       "account's full access")


detector = MailchimpDetector()
