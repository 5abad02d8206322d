"""Zendesk API tokens.

Format: Zendesk's API authentication reference
(developer.zendesk.com/api-reference/introduction/security-and-auth/): API tokens are 40
alphanumeric characters, used as ``{email}/token:{api_token}``; they carry no prefix, so a
Zendesk name in the assignment (or the ``/token:`` basic-auth form) is required. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import END, assigned, fake, plausible_alnum

_TOKEN = fake("a62", 40, "zendesk")

PATTERNS = (
    Pattern(
        id="zendesk.api_token",
        name="Zendesk API token",
        regex=assigned("zendesk|\\bzd_", r"[A-Za-z0-9]{40}"),
        keywords=("zendesk", "zd_"),
        kind="api_token",
        validate=plausible_alnum,
        examples=(f"ZENDESK_API_TOKEN={_TOKEN}", f'zendesk_token: "{_TOKEN}"'),
        counterexamples=(
            "ZENDESK_API_TOKEN=" + _TOKEN[:39],
            "ZENDESK_API_TOKEN=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "ZENDESK_SUBDOMAIN=acmesupport",
        ),
    ),
    Pattern(
        id="zendesk.api_token_basic",
        name="Zendesk API token in email/token credentials",
        regex=r"[\w.+\-]+@[\w.\-]+/token:(?P<secret>[A-Za-z0-9]{40})" + END,
        keywords=("/token:",),
        kind="api_token",
        validate=plausible_alnum,
        examples=(f"curl https://acme.zendesk.com/api/v2/users/me.json -u agent@acme.test/token:{_TOKEN}",),
        counterexamples=("-u agent@acme.test/token:{api_token}",),
    ),
)


class ZendeskDetector(Detector):
    provider = "zendesk"
    title = "Zendesk"
    patterns = PATTERNS
    revoke_url = "https://support.zendesk.com/hc/en-us/articles/4408889192858"
    least_privilege = ("use an OAuth client with the read scope (or the one resource scope it needs) "
                       "instead of an API token, which acts with its agent's full permissions")


detector = ZendeskDetector()
