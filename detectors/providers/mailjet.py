"""Mailjet API keys and secret keys.

Format: Mailjet's authentication guide (dev.mailjet.com/email/guides/#authentication): the API key
and secret key are each 32 hex characters, used as HTTP basic-auth user and password; with no
prefix, a Mailjet name (``MJ_APIKEY_PRIVATE``) must stand in the assignment. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import assigned, fake, plausible_hex

_SECRET = fake("hex", 32, "mailjet")

PATTERNS = (
    Pattern(
        id="mailjet.secret_key",
        name="Mailjet API secret key",
        regex=assigned(r"(?:mailjet|\bmj_)[\w.\-]{0,20}(?:secret|private)", r"[0-9a-f]{32}", gap=15),
        keywords=("mailjet", "mj_"),
        kind="secret_key",
        validate=plausible_hex,
        examples=(f"MJ_APIKEY_PRIVATE={_SECRET}", f'mailjet_secret_key: "{_SECRET}"'),
        counterexamples=(f"MJ_APIKEY_PUBLIC={_SECRET}", "MAILJET_SECRET_KEY=" + "0" * 32),
    ),
    Pattern(
        id="mailjet.api_key",
        name="Mailjet API key (public half)",
        regex=assigned(r"(?:mailjet|\bmj_)[\w.\-]{0,20}(?:api[_.\-]?key|public)", r"[0-9a-f]{32}", gap=15),
        keywords=("mailjet", "mj_"),
        kind="api_key",
        validate=plausible_hex,
        lookup=False,
        examples=(f"MJ_APIKEY_PUBLIC={_SECRET}", f"MAILJET_API_KEY={_SECRET}"),
        counterexamples=("MAILJET_API_KEY=${MJ_KEY}",),
    ),
)


class MailjetDetector(Detector):
    provider = "mailjet"
    title = "Mailjet"
    patterns = PATTERNS
    revoke_url = "https://app.mailjet.com/account/apikeys"
    least_privilege = "create a sub-account API key for this sender only, not the master key"


detector = MailjetDetector()
