"""HubSpot private app access tokens and legacy API keys.

Format: HubSpot's private apps documentation (developers.hubspot.com/docs/api/private-apps): access
tokens are ``pat-`` + the data-center region (``na1``, ``eu1``, ``ap1`` …) + ``-`` + a UUID.
Legacy API keys (``hapikey``, retired November 2022) were bare UUIDs, matched only next to a HubSpot
name. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import assigned, plausible_hex, prefixed

_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"

PATTERNS = (
    Pattern(
        id="hubspot.private_app_token",
        name="HubSpot private app access token",
        regex=prefixed(r"pat-(?:na|eu|ap)[0-9]-" + _UUID),
        keywords=("pat-na", "pat-eu", "pat-ap"),
        kind="private_app_token",
        validate=lambda s: plausible_hex(s[8:].replace("-", "")),
        examples=(
            "HUBSPOT_ACCESS_TOKEN=pat-na1-83076d6c-f54d-47c4-956f-d17bee91ccf4",
            'hubspot.Client.create(access_token="pat-eu1-4b47fef0-30aa-4bec-85f8-ceaab4ec7c79")',
        ),
        counterexamples=(
            "pat-na1-00000000-0000-0000-0000-000000000000",
            "pat-na1-83076d6c-f54d-47c4-956f-d17bee91ccf",  # short last group
            "HUBSPOT_ACCESS_TOKEN=pat-na1-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx",
        ),
    ),
    Pattern(
        id="hubspot.legacy_api_key",
        name="HubSpot API key (legacy hapikey)",
        regex=assigned("hubspot|hapikey", _UUID),
        keywords=("hubspot", "hapikey"),
        kind="legacy_api_key",
        validate=lambda s: plausible_hex(s.replace("-", "")),
        examples=(
            "HUBSPOT_API_KEY=83076d6c-f54d-47c4-956f-d17bee91ccf4",
            "https://api.hubapi.com/contacts/v1/lists/all/contacts/all?hapikey=4b47fef0-30aa-4bec-85f8-ceaab4ec7c79",
        ),
        counterexamples=("HUBSPOT_PORTAL=83076d6c", "hapikey=00000000-0000-0000-0000-000000000000"),
    ),
)


class HubSpotDetector(Detector):
    provider = "hubspot"
    title = "HubSpot"
    patterns = PATTERNS
    revoke_url = "https://app.hubspot.com/private-apps"
    least_privilege = "create a private app with only the read scopes of the CRM objects the integration uses"


detector = HubSpotDetector()
