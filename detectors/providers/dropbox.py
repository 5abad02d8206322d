"""Dropbox access tokens.

Formats: Dropbox's OAuth guide (developers.dropbox.com/oauth-guide): short-lived access tokens
start ``sl.`` (newer ones ``sl.u.``) followed by a long base64url body (about 135 characters, over a
thousand for ``sl.u.``); legacy long-lived tokens have no prefix and are 64 characters with ten
``A`` in the middle (11 alphanumerics, ``AAAAAAAAAA``, 43 base64url characters), so they are taken
only next to a Dropbox name. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import assigned, fake, plausible, prefixed

_SHORT = "sl.B" + fake("b64url", 134, "dropbox-short")
_SHORT_U = "sl.u.AF" + fake("b64url", 600, "dropbox-short-u")
_LONG = fake("a62", 11, "dropbox-long-a") + "AAAAAAAAAA" + fake("b64url", 43, "dropbox-long")

PATTERNS = (
    Pattern(
        id="dropbox.short_lived_token",
        name="Dropbox short-lived access token",
        regex=prefixed(r"sl\.(?:u\.)?[A-Za-z0-9_\-]{130,1500}"),
        keywords=("sl.",),
        kind="access_token",
        # plausible() wants len(set) >= len/8: an sl.u. token of a thousand characters would always fail
        validate=lambda s: plausible(s[3:259], 4.0),
        examples=(f"DROPBOX_ACCESS_TOKEN={_SHORT}", f'dbx = dropbox.Dropbox("{_SHORT_U}")'),
        counterexamples=(
            "DROPBOX_ACCESS_TOKEN=sl." + fake("b64url", 100, "dropbox-short-x"),  # too short
            "openssl." + fake("b64url", 140, "dropbox-ssl"),  # inside a longer word
            "DROPBOX_ACCESS_TOKEN=sl." + "x" * 140,
        ),
    ),
    Pattern(
        id="dropbox.long_lived_token",
        name="Dropbox long-lived access token",
        regex=assigned(r"dropbox", r"[A-Za-z0-9]{11}AAAAAAAAAA[A-Za-z0-9_\-=]{43}"),
        keywords=("dropbox",),
        kind="access_token",
        validate=lambda s: plausible(s[-43:], 3.5),
        examples=(f"DROPBOX_TOKEN={_LONG}", f'dropbox_access_token: "{_LONG}"'),
        counterexamples=(
            "DROPBOX_TOKEN=" + fake("a62", 64, "dropbox-no-a"),  # no run of A in the middle
            "DROPBOX_TOKEN=" + _LONG[:-1],
            "DROPBOX_APP_KEY=" + fake("a36", 15, "dropbox-app"),
        ),
    ),
)


class DropboxDetector(Detector):
    provider = "dropbox"
    title = "Dropbox"
    patterns = PATTERNS
    revoke_url = "https://www.dropbox.com/developers/apps"
    least_privilege = ("create an app with App folder access and only the scopes it uses (files.content.read), "
                       "and use refresh tokens with short-lived access tokens")


detector = DropboxDetector()
