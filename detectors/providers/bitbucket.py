"""Bitbucket Cloud app passwords and repository, project and workspace access tokens.

Formats: app passwords (support.atlassian.com/bitbucket-cloud/docs/app-passwords/; Atlassian is a
GitHub secret scanning partner) created since 2022 start ``ATBB``; in the wild they are ``ATBB`` +
24 alphanumerics + 8 upper-case hex characters (a checksum), 36 in all. Access tokens
(support.atlassian.com/bitbucket-cloud/docs/access-tokens/) start ``ATCTT3xFfGN0`` and end, like
Atlassian API tokens (``detectors/providers/atlassian.py``), with ``=`` + 8 upper-case hex characters; they
are used as ``Authorization: Bearer`` or as the password of ``x-token-auth``. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import END, fake, plausible, plausible_alnum, prefixed

_APP = "ATBB" + fake("a62", 24, "bitbucket-app") + fake("HEX", 8, "bitbucket-app-sum")
_ACCESS = "ATCTT3xFfGN0" + fake("b64url", 170, "bitbucket-access") + "=" + fake("HEX", 8, "bitbucket-sum")

PATTERNS = (
    Pattern(
        id="bitbucket.app_password",
        name="Bitbucket app password",
        regex=prefixed(r"ATBB[A-Za-z0-9]{24}[0-9A-F]{8}"),
        keywords=("atbb",),
        kind="app_password",
        validate=lambda s: plausible_alnum(s[4:]),
        examples=(
            f"BITBUCKET_APP_PASSWORD={_APP}",
            f"git clone https://alice:{_APP}@bitbucket.org/acme/api.git",
        ),
        counterexamples=(
            "BITBUCKET_APP_PASSWORD=ATBBxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "BITBUCKET_APP_PASSWORD=" + _APP[:-8] + "abcdefgh",  # no checksum tail
            "app_password: ATBB-scenario-secret",
            "XATBB" + _APP[4:],  # prefix inside a longer word
        ),
    ),
    Pattern(
        id="bitbucket.access_token",
        name="Bitbucket repository/project/workspace access token",
        regex=r"(?:^|[^A-Za-z0-9_\-])(?P<secret>ATCTT3xFfGN0[A-Za-z0-9_\-]{20,300}=[0-9A-F]{8})" + END,
        keywords=("atctt3xffgn0",),
        kind="access_token",
        validate=plausible,
        examples=(
            f"BITBUCKET_ACCESS_TOKEN={_ACCESS}",
            f"git clone https://x-token-auth:{_ACCESS}@bitbucket.org/acme/api.git",
        ),
        counterexamples=(
            "BITBUCKET_ACCESS_TOKEN=ATCTT3xFfGN0",  # prefix alone
            _ACCESS[:-9],  # no checksum tail
            "BITBUCKET_ACCESS_TOKEN=ATCTT3xFfGN0xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx=00000000",
        ),
    ),
)


class BitbucketDetector(Detector):
    provider = "bitbucket"
    title = "Bitbucket Cloud"
    patterns = PATTERNS
    revoke_url = "https://bitbucket.org/account/settings/app-passwords/"
    least_privilege = ("use a repository access token with only the repository:read scope instead of an app "
                       "password, which acts as the whole user")


detector = BitbucketDetector()
