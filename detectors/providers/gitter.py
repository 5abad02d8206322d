"""Gitter personal access tokens.

Format: Gitter's developer docs (developer.gitter.im/docs/authentication, "Personal Access Token")
show the token sent as ``Authorization: Bearer`` with no prefix: 40 hex characters. Only a Gitter
name in the assignment marks one. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import assigned, fake, plausible_hex

_TOKEN = fake("hex", 40, "gitter")

PATTERNS = (
    Pattern(
        id="gitter.access_token",
        name="Gitter access token",
        regex=assigned(r"gitter", r"[0-9a-f]{40}"),
        keywords=("gitter",),
        kind="access_token",
        validate=plausible_hex,
        examples=(f"GITTER_TOKEN={_TOKEN}", f'gitter_access_token: "{_TOKEN}"'),
        counterexamples=("GITTER_ROOM=acme/community", "GITTER_TOKEN=" + _TOKEN[:-1], "GITTER_TOKEN=" + "0" * 40),
    ),
)


class GitterDetector(Detector):
    provider = "gitter"
    title = "Gitter"
    patterns = PATTERNS
    revoke_url = "https://developer.gitter.im/apps"
    least_privilege = "use a dedicated bot account that is a member of only the rooms it posts to"


detector = GitterDetector()
