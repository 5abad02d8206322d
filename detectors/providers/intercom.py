"""Intercom access tokens.

Format: Intercom's authentication guide (developers.intercom.com/docs/build-an-integration/learn-more/authentication):
an app's access token is sent as ``Authorization: Bearer <token>``. The token is the base64 text of
``tok:<uuid>:<n>:<n>``, so it always starts ``dG9rO`` ("tok:" encoded); ``validate`` decodes it.
Detection only.
"""

from __future__ import annotations

import base64
import binascii
import re

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import prefixed

_TOKEN = base64.b64encode(b"tok:6f1c3b2a-9d84-4e57-a1b0-2c7d9e8f4a16:1:0").decode()
_DECODED = re.compile(rb"tok:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}:\d+:\d+")


def _decodes(secret: str) -> bool:
    try:
        raw = base64.b64decode(secret + "=" * (-len(secret) % 4), validate=True)
    except (binascii.Error, ValueError):
        return False
    return bool(_DECODED.fullmatch(raw)) and raw[4:40] != b"00000000-0000-0000-0000-000000000000"


PATTERNS = (
    Pattern(
        id="intercom.access_token",
        name="Intercom access token",
        regex=prefixed(r"dG9rO[A-Za-z0-9+/]{50,80}={0,2}"),
        keywords=("dg9ro",),
        kind="access_token",
        validate=_decodes,
        examples=(f"INTERCOM_ACCESS_TOKEN={_TOKEN}", f'headers = {{"Authorization": "Bearer {_TOKEN}"}}'),
        counterexamples=(
            "INTERCOM_ACCESS_TOKEN=" + base64.b64encode(b"tok:not-a-uuid-at-all-here-no-no-no-no:1:0").decode(),
            "INTERCOM_ACCESS_TOKEN=" + _TOKEN[:30],
        ),
    ),
)


class IntercomDetector(Detector):
    provider = "intercom"
    title = "Intercom"
    patterns = PATTERNS
    revoke_url = "https://app.intercom.com/a/apps/_/developer-hub"
    least_privilege = "create a private app in the Developer Hub with only the read permissions it uses"


detector = IntercomDetector()
