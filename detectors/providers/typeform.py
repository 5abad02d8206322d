"""Typeform personal access tokens.

Format: Typeform's personal access token guide (typeform.com/developers/get-started/personal-access-token/):
tokens are sent as ``Authorization: Bearer <token>`` and start ``tfp_`` followed by a base64url
body (about 59 characters, with ``_`` separating two parts). Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import fake, plausible, prefixed

_TOKEN = "tfp_" + fake("a62", 44, "typeform") + "_" + fake("a62", 14, "typeform2")

PATTERNS = (
    Pattern(
        id="typeform.personal_access_token",
        name="Typeform personal access token",
        regex=prefixed(r"tfp_[A-Za-z0-9_\-.=]{40,80}"),
        keywords=("tfp_",),
        kind="personal_access_token",
        validate=lambda s: plausible(s[4:], 3.8),
        examples=(f"TYPEFORM_TOKEN={_TOKEN}", f'headers = {{"Authorization": "Bearer {_TOKEN}"}}'),
        counterexamples=("tfp_" + fake("a62", 20, "t2"), "TYPEFORM_TOKEN=tfp_" + "x" * 59),
    ),
)


class TypeformDetector(Detector):
    provider = "typeform"
    title = "Typeform"
    patterns = PATTERNS
    revoke_url = "https://admin.typeform.com/user/tokens"
    least_privilege = "create a personal access token with only the responses:read and forms:read scopes"


detector = TypeformDetector()
