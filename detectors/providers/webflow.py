"""Webflow API tokens.

Format: Webflow's authentication reference (developers.webflow.com/data/reference/authentication):
site API tokens and OAuth access tokens are 64 hex characters sent as ``Authorization: Bearer``;
with no prefix, a Webflow name must stand in the assignment. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import assigned, fake, plausible_hex

_TOKEN = fake("hex", 64, "webflow")

PATTERNS = (
    Pattern(
        id="webflow.api_token",
        name="Webflow API token",
        regex=assigned("webflow", r"[0-9a-f]{64}"),
        keywords=("webflow",),
        kind="api_token",
        validate=plausible_hex,
        examples=(f"WEBFLOW_API_TOKEN={_TOKEN}", f'webflow_token: "{_TOKEN}"'),
        counterexamples=(f"WEBFLOW_SITE_ID={_TOKEN[:24]}", "WEBFLOW_API_TOKEN=" + "0" * 64),
    ),
)


class WebflowDetector(Detector):
    provider = "webflow"
    title = "Webflow"
    patterns = PATTERNS
    revoke_url = "https://webflow.com/dashboard/account/integrations"
    least_privilege = "create a site token for the one site with only the read scopes (cms:read, sites:read) it uses"


detector = WebflowDetector()
