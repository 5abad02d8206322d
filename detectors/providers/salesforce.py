"""Salesforce OAuth access and refresh tokens, connected-app consumer secrets.

Formats: Salesforce's OAuth documentation (help.salesforce.com "OAuth Tokens and Scopes", and the
REST API developer guide's session ID examples): an access token / session ID is the 15-character
org ID (``00D`` …) + ``!`` + an opaque body of letters, digits, ``.`` and ``_``; refresh tokens
start ``5Aep861``. A connected app's consumer key starts ``3MVG9`` (an identifier, not reported);
its consumer secret (64 upper-case hex, or 19 digits for older apps) is matched only next to a
Salesforce name. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import END_DOT, assigned, fake, plausible, plausible_hex, prefixed

_ORG = "00D5g000004SXq1"
_ACCESS = f"{_ORG}!AQ4AQ" + fake("a62", 40, "sf1") + "." + fake("a62", 50, "sf2") + "_" + fake("a62", 10, "sf3")
_REFRESH = "5Aep861" + fake("a62", 40, "sf4") + "." + fake("a62", 40, "sf5")
_SECRET = fake("HEX", 64, "sf6")

PATTERNS = (
    Pattern(
        id="salesforce.access_token",
        name="Salesforce OAuth access token / session ID",
        regex=r"(?:^|[^A-Za-z0-9_])(?P<secret>00D[0-9A-Za-z]{12}![0-9A-Za-z._]{80,300})" + END_DOT,
        keywords=("00d",),
        kind="access_token",
        validate=lambda s: plausible(s.split("!", 1)[1], 3.5),
        examples=(
            f"SF_ACCESS_TOKEN={_ACCESS}",
            f"curl https://acme.my.salesforce.com/services/data/v60.0/ -H 'Authorization: Bearer {_ACCESS}'",
        ),
        counterexamples=(
            f"SF_ACCESS_TOKEN={_ORG}!short",
            "00D5g000004SXq1!" + "x" * 90,
        ),
    ),
    Pattern(
        id="salesforce.refresh_token",
        name="Salesforce OAuth refresh token",
        regex=prefixed(r"5Aep861[0-9A-Za-z._]{40,200}"),
        keywords=("5aep861",),
        kind="refresh_token",
        validate=lambda s: plausible(s, 3.5),
        examples=(f"SALESFORCE_REFRESH_TOKEN={_REFRESH}",),
        counterexamples=("SALESFORCE_REFRESH_TOKEN=5Aep861xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
                         "5Aep861" + fake("a62", 20, "sf7")),
    ),
    Pattern(
        id="salesforce.consumer_secret",
        name="Salesforce connected app consumer secret",
        regex=assigned(r"(?:salesforce|sfdc|\bsf)[\w.\-]{0,30}(?:consumer|client)[_.\-]?secret",
                       r"[0-9A-F]{64}|[0-9]{19}", gap=10),
        keywords=("secret",),
        kind="consumer_secret",
        validate=lambda s: (s.isdigit() and len(set(s)) > 6) or plausible_hex(s),
        examples=(
            f"SALESFORCE_CONSUMER_SECRET={_SECRET}",
            'sf_client_secret: "4817263354019283746"',
        ),
        counterexamples=(
            "SALESFORCE_CONSUMER_SECRET=${SF_SECRET}",
            "SALESFORCE_CONSUMER_SECRET=" + "0" * 64,
            f"SALESFORCE_CONSUMER_KEY={_SECRET}",  # the key, not the secret
        ),
    ),
)


class SalesforceDetector(Detector):
    provider = "salesforce"
    title = "Salesforce"
    patterns = PATTERNS
    revoke_url = "https://login.salesforce.com/lightning/setup/ConnectedApplication/home"
    least_privilege = ("use a connected app for a dedicated integration user whose profile grants only the "
                       "objects it reads, with the api scope alone and no refresh_token")


detector = SalesforceDetector()
