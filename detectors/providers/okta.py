"""Okta API tokens.

Format: Okta's "Create an API token" guide (developer.okta.com/docs/guides/create-an-api-token/) and
its API reference, which sends them as ``Authorization: SSWS <token>``: 42 characters starting
``00``. The shape alone is not distinctive, so an Okta name in the assignment or the ``SSWS``
scheme is required. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import END, assigned, fake, plausible

_TOKEN = "00" + fake("b64url", 40, "okta")

PATTERNS = (
    Pattern(
        id="okta.api_token",
        name="Okta API token",
        regex=assigned("okta", r"00[A-Za-z0-9_\-]{40}"),
        keywords=("okta",),
        kind="api_token",
        validate=lambda s: plausible(s[2:], 3.5),
        examples=(f"OKTA_API_TOKEN={_TOKEN}", f'okta_token: "{_TOKEN}"'),
        counterexamples=("OKTA_API_TOKEN=00" + "x" * 40, "OKTA_API_TOKEN=" + _TOKEN[:30], "OKTA_ORG_ID=00o1abc"),
    ),
    Pattern(
        id="okta.api_token_ssws",
        name="Okta API token in an SSWS authorization header",
        regex=r"(?i:ssws)\s+(?P<secret>00[A-Za-z0-9_\-]{40})" + END,
        keywords=("ssws",),
        kind="api_token",
        validate=lambda s: plausible(s[2:], 3.5),
        examples=(f"curl -H 'Authorization: SSWS {_TOKEN}' https://acme.okta.com/api/v1/users/me",),
        counterexamples=("Authorization: SSWS ${OKTA_API_TOKEN}",),
    ),
)


class OktaDetector(Detector):
    provider = "okta"
    title = "Okta"
    patterns = PATTERNS
    revoke_url = "https://help.okta.com/en-us/content/topics/security/api.htm"
    least_privilege = ("use an OAuth 2.0 service app with only the okta.*.read scopes it needs instead of an "
                       "API token, which carries its creating admin's full role")


detector = OktaDetector()
