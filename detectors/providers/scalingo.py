"""Scalingo API tokens.

Format: Scalingo's API docs (developers.scalingo.com/#authentication) and its SDKs' examples
(``clientFromToken("tk-us-…")``): API tokens start ``tk-us-`` followed by 48 base64url characters;
they are exchanged for a short-lived bearer token at the auth service. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import fake, plausible, prefixed

_TOKEN = "tk-us-" + fake("b64url", 48, "scalingo")

PATTERNS = (
    Pattern(
        id="scalingo.api_token",
        name="Scalingo API token",
        regex=prefixed(r"tk-us-[A-Za-z0-9_\-]{48}"),
        keywords=("tk-us-",),
        kind="api_token",
        validate=lambda s: plausible(s[6:], 3.5),
        examples=(f"SCALINGO_API_TOKEN={_TOKEN}", f'scalingo.clientFromToken("{_TOKEN}")'),
        counterexamples=('scalingo.clientFromToken("tk-us-...")', "SCALINGO_API_TOKEN=" + _TOKEN[:-1],
                         "tk-us-" + "a" * 48),
    ),
)


class ScalingoDetector(Detector):
    provider = "scalingo"
    title = "Scalingo"
    patterns = PATTERNS
    revoke_url = "https://dashboard.scalingo.com/account/tokens"
    least_privilege = ("an API token acts as the whole account; use a dedicated collaborator account limited to "
                       "the apps the token deploys")


detector = ScalingoDetector()
