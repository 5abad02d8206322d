"""Figma personal access tokens.

Format: Figma's REST API authentication docs (figma.com/developers/api#authentication,
"Personal access tokens"): tokens are sent in the ``X-Figma-Token`` header and start ``figd_``
followed by a base64url body. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import fake, plausible, prefixed

_TOKEN = "figd_" + fake("b64url", 40, "figma")

PATTERNS = (
    Pattern(
        id="figma.personal_access_token",
        name="Figma personal access token",
        regex=prefixed(r"figd_[A-Za-z0-9_\-]{38,64}"),
        keywords=("figd_",),
        kind="personal_access_token",
        validate=lambda s: plausible(s[5:], 3.5),
        examples=(f"FIGMA_TOKEN={_TOKEN}", f"curl -H 'X-Figma-Token: {_TOKEN}' https://api.figma.com/v1/me"),
        counterexamples=("figd_" + fake("b64url", 20, "f2"), "FIGMA_TOKEN=figd_" + "x" * 40),
    ),
)


class FigmaDetector(Detector):
    provider = "figma"
    title = "Figma"
    patterns = PATTERNS
    revoke_url = "https://www.figma.com/settings"
    least_privilege = "create a personal access token with only the file_content:read scope and an expiry"


detector = FigmaDetector()
