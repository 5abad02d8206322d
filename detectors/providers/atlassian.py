"""Atlassian Cloud API tokens (Jira, Confluence, and Bitbucket through the Atlassian account).

Format: Atlassian's "Manage API tokens for your Atlassian account"
(support.atlassian.com/atlassian-account/docs/manage-api-tokens-for-your-atlassian-account/)
documents the token and warns that its length varies; the ``ATATT`` prefix of API tokens is
confirmed by Atlassian (``BitbucketCloudApiTokenUtils.isPasswordAToken``: "identified by the prefix
ATAT"). Tokens seen in the wild are ``ATATT3`` + a base64url body + ``=`` + 8 upper-case hex
characters (a checksum), about 192 characters in all. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import END, plausible

_TOKEN = ("ATATT3xFfGF0" + "qBepvKcuoTPcaISVuXgK1BOWDNSVvkpxoTa9dFdN-xObcttmSdVDooFQenRQcsx88YSpftOc7W6deOVsGbFU"
          "_Qf4IGRAz0aUizSxit0ySkA59xfPh0LyW7wyTuAKiSeW5w5g2w5TcuSojc7ftFlZNhf9hEDCslAtT2qB" + "=3F9A2C71")

PATTERNS = (
    Pattern(
        id="atlassian.api_token",
        name="Atlassian API token",
        regex=r"(?:^|[^A-Za-z0-9_\-])(?P<secret>ATATT3[A-Za-z0-9_\-]{20,300}=[0-9A-F]{8})" + END,
        keywords=("atatt3",),
        kind="api_token",
        validate=plausible,
        examples=(
            f"JIRA_API_TOKEN={_TOKEN}",
            f'confluence = Confluence(url=URL, username="ops@acme.test", password="{_TOKEN}")',
        ),
        counterexamples=(
            "JIRA_API_TOKEN=ATATT3xFfGF0",  # prefix alone
            _TOKEN[:-9],  # no checksum tail
            "XATATT3" + _TOKEN[6:],  # inside a longer word
            "JIRA_API_TOKEN=ATATT3xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx=00000000",
        ),
    ),
)


class AtlassianDetector(Detector):
    provider = "atlassian"
    title = "Atlassian"
    patterns = PATTERNS
    revoke_url = "https://id.atlassian.com/manage-profile/security/api-tokens"
    least_privilege = ("create an API token with scopes limited to the one Jira or Confluence app and the "
                       "read scopes it needs, with the shortest expiry that works")


detector = AtlassianDetector()
