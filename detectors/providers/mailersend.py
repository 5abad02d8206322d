"""MailerSend API tokens.

Format: MailerSend's "Managing API tokens" (mailersend.com/help/managing-api-tokens) and its API
docs (developers.mailersend.com, "Authentication": ``Authorization: Bearer``); tokens start
``mlsn.`` (the prefix MailerSend's own SDK repositories guard against with
``git secrets --add 'mlsn\\.[A-Za-z0-9._-]+'``). The body length is not documented; seen in the
wild as 64 hex, so 40 to 100 alphanumerics are accepted. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import fake, plausible, prefixed

_TOKEN = "mlsn." + fake("hex", 64, "mailersend")

PATTERNS = (
    Pattern(
        id="mailersend.api_token",
        name="MailerSend API token",
        regex=prefixed(r"mlsn\.[A-Za-z0-9]{40,100}"),
        keywords=("mlsn.",),
        kind="api_token",
        validate=lambda s: plausible(s[5:], 3.5),
        examples=(f"MAILERSEND_API_KEY={_TOKEN}", f"const mailerSend = new MailerSend({{ apiKey: '{_TOKEN}' }});"),
        counterexamples=(
            "MAILERSEND_API_KEY=mlsn.YOUR_MAILERSEND_API_KEY",
            "MAILERSEND_API_KEY=mlsn." + fake("hex", 30, "ms-short"),
            "xmlsn." + _TOKEN[5:],  # prefix inside a longer word
        ),
    ),
)


class MailerSendDetector(Detector):
    provider = "mailersend"
    title = "MailerSend"
    patterns = PATTERNS
    revoke_url = "https://app.mailersend.com/api-tokens"
    least_privilege = "create a token for one domain with custom access (email send only) and an expiration date"


detector = MailerSendDetector()
