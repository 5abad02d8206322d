"""Postmark server and account API tokens.

Format: Postmark's API overview (postmarkapp.com/developer/api/overview#authentication): server
tokens (``X-Postmark-Server-Token``) and account tokens (``X-Postmark-Account-Token``) are UUIDs,
with no prefix. Only a Postmark name in the variable or header marks them. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import assigned, fake, plausible_hex

_UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
_H = fake("hex", 32, "postmark")
_TOKEN = f"{_H[:8]}-{_H[8:12]}-{_H[12:16]}-{_H[16:20]}-{_H[20:]}"

PATTERNS = (
    Pattern(
        id="postmark.api_token",
        name="Postmark server or account token",
        regex=assigned(r"postmark", _UUID),
        keywords=("postmark",),
        kind="api_token",
        validate=lambda s: plausible_hex(s.replace("-", "")),
        examples=(
            f"POSTMARK_SERVER_TOKEN={_TOKEN}",
            f"curl https://api.postmarkapp.com/email -H 'X-Postmark-Server-Token: {_TOKEN}'",
        ),
        counterexamples=(
            "POSTMARK_SERVER_TOKEN=00000000-0000-0000-0000-000000000000",
            "POSTMARK_MESSAGE_STREAM=outbound",
            "POSTMARK_SERVER_TOKEN=${POSTMARK_SERVER_TOKEN}",
            "POSTMARK_SERVER_TOKEN=" + _TOKEN[:-1],
        ),
    ),
)


class PostmarkDetector(Detector):
    provider = "postmark"
    title = "Postmark"
    patterns = PATTERNS
    revoke_url = "https://account.postmarkapp.com/servers"
    least_privilege = "use a server token (one server's sending only), never the account token, in applications"


detector = PostmarkDetector()
