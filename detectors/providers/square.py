"""Square access tokens and application secrets.

Formats: Square's "Access Tokens and Other Square Credentials"
(developer.squareup.com/docs/build-basics/access-tokens; Square is a GitHub secret scanning partner)
and the ObtainToken reference ("OAuth access tokens are 64 bytes long"): personal and OAuth access
tokens are ``EAAA`` + 60 base64url characters; legacy personal access tokens are ``sq0atp-`` + 22
base64url characters; OAuth application secrets are ``sq0csp-`` + 43 base64url characters.
Application IDs (``sq0idp-``) are public and not reported. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import fake, plausible_alnum, prefixed

_ACCESS = "EAAA" + fake("b64url", 60, "square-access")
_LEGACY = "sq0atp-" + fake("b64url", 22, "square-legacy")
_SECRET = "sq0csp-" + fake("b64url", 43, "square-secret")

PATTERNS = (
    Pattern(
        id="square.access_token",
        name="Square access token",
        regex=prefixed(r"EAAA[A-Za-z0-9_\-]{60}"),
        keywords=("eaaa",),
        kind="access_token",
        validate=lambda s: plausible_alnum(s[4:]),
        examples=(
            f"SQUARE_ACCESS_TOKEN={_ACCESS}",
            f"client = Client(access_token='{_ACCESS}', environment='production')",
        ),
        counterexamples=(
            "SQUARE_ACCESS_TOKEN=" + _ACCESS[:-1],  # 63 characters
            "SQUARE_ACCESS_TOKEN=EAAA" + "x" * 60,
            "SQUARE_ACCESS_TOKEN=" + _ACCESS + "Zq81",  # longer: not a 64-byte Square token
        ),
    ),
    Pattern(
        id="square.legacy_access_token",
        name="Square legacy personal access token",
        regex=prefixed(r"sq0atp-[A-Za-z0-9_\-]{22}"),
        keywords=("sq0atp-",),
        kind="access_token",
        validate=lambda s: plausible_alnum(s[7:]),
        examples=(f"SQUARE_TOKEN={_LEGACY}", f'"Authorization": "Bearer {_LEGACY}"'),
        counterexamples=("SQUARE_TOKEN=" + _LEGACY[:-1], "sq0atp-xxxxxxxxxxxxxxxxxxxxxx", "mysq0atp-" + _LEGACY[7:]),
    ),
    Pattern(
        id="square.application_secret",
        name="Square OAuth application secret",
        regex=prefixed(r"sq0csp-[A-Za-z0-9_\-]{43}"),
        keywords=("sq0csp-",),
        kind="application_secret",
        validate=lambda s: plausible_alnum(s[7:]),
        examples=(f"SQUARE_APPLICATION_SECRET={_SECRET}", f"client_secret: '{_SECRET}'"),
        counterexamples=("SQUARE_APPLICATION_SECRET=" + _SECRET[:-1], "sq0csp-" + "x" * 43, "SQUARE_SECRET=sq0csp-"),
    ),
)


class SquareDetector(Detector):
    provider = "square"
    title = "Square"
    patterns = PATTERNS
    revoke_url = "https://developer.squareup.com/apps"
    least_privilege = ("use an OAuth access token with only the scopes it calls (e.g. PAYMENTS_READ) instead of "
                       "the personal access token, which has every permission on the account")


detector = SquareDetector()
