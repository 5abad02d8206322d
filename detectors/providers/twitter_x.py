"""X (Twitter) API app-only bearer tokens.

Format: X's authentication docs (docs.x.com/fundamentals/authentication/oauth-2-0/
bearer-tokens; developer.x.com "Application-only"): an app-only bearer token starts with a run
of about 21 ``A`` and is URL-encoded (it contains ``%2B``/``%2F``/``%3D``), about 110 characters in
all. A run of ``A`` also starts many base64 blobs, so a bare token must contain ``%``; without one it
is taken only next to a Twitter or X bearer name. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import assigned, fake, plausible, prefixed

_BEARER = ("A" * 21 + "MLhe" + "A" * 8 + fake("a62", 20, "x-bearer-1") + "%2B" + fake("a62", 10, "x-bearer-2")
           + "%3D" + fake("a62", 50, "x-bearer-3"))
_DECODED = _BEARER.replace("%2B", "+").replace("%3D", "=").replace("+", "q")


def _encoded(secret: str) -> bool:
    return "%" in secret and plausible(secret.lstrip("A"), 4.0)


def _decoded(secret: str) -> bool:
    return "%" not in secret and plausible(secret.lstrip("A"), 4.0)


PATTERNS = (
    Pattern(
        id="twitter_x.bearer_token",
        name="X (Twitter) app-only bearer token",
        regex=prefixed(r"A{20,24}[A-Za-z0-9%]{70,130}"),
        keywords=("aaaaaaaaaaaaaaaaaaaa",),
        kind="bearer_token",
        validate=_encoded,
        examples=(f"BEARER_TOKEN={_BEARER}", f"curl -H 'Authorization: Bearer {_BEARER}' https://api.x.com/2/tweets"),
        counterexamples=(
            "A" * 24 + fake("a62", 90, "x-b64"),  # no %: a base64 blob, not a bearer token
            "TWITTER_BEARER_TOKEN=" + "A" * 110,
            "data:font/woff2;base64,d09GMgABAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        ),
    ),
    Pattern(
        id="twitter_x.bearer_token_assigned",
        name="X (Twitter) app-only bearer token (decoded)",
        regex=assigned(r"(?:twitter|x[_.\-]bearer)", r"A{20,24}[A-Za-z0-9=]{70,130}", end=r"(?:[^A-Za-z0-9_\-=]|$)"),
        keywords=("twitter", "x_bearer", "x-bearer", "x.bearer"),
        kind="bearer_token",
        validate=_decoded,
        examples=(f"TWITTER_BEARER_TOKEN={_DECODED}", f'x_bearer_token: "{_DECODED}"'),
        counterexamples=(
            f"TWITTER_BEARER_TOKEN={_BEARER}",  # URL-encoded: the bare pattern reports it
            "TWITTER_BEARER_TOKEN=" + "A" * 110,
            "TWITTER_BEARER_TOKEN=${TWITTER_BEARER_TOKEN}",
        ),
    ),
)


class TwitterXDetector(Detector):
    provider = "twitter_x"
    title = "X (Twitter)"
    patterns = PATTERNS
    revoke_url = "https://developer.x.com/en/portal/dashboard"
    least_privilege = ("regenerate the bearer token in the developer portal and give the app only Read "
                       "permissions unless it posts")


detector = TwitterXDetector()
