"""Fastly API tokens.

Format: Fastly's API token guide (docs.fastly.com/en/guides/using-api-tokens): tokens are sent in the
``Fastly-Key`` header and are 32 base64url characters with no prefix, so a Fastly name must stand
in the assignment (``FASTLY_API_TOKEN``, ``FASTLY_API_KEY``). Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import assigned, fake, plausible

_TOKEN = fake("b64url", 32, "fastly")

PATTERNS = (
    Pattern(
        id="fastly.api_token",
        name="Fastly API token",
        regex=assigned(r"fastly[\w.\-]{0,30}?(?:token|key)", r"[A-Za-z0-9_\-]{32}", gap=10),
        keywords=("fastly",),
        kind="api_token",
        validate=lambda s: plausible(s, 3.5),
        examples=(f"FASTLY_API_TOKEN={_TOKEN}", f'fastly_api_key = "{_TOKEN}"'),
        counterexamples=(f"FASTLY_API_TOKEN={_TOKEN[:28]}", "FASTLY_API_TOKEN=${FASTLY_API_TOKEN}",
                         "FASTLY_API_TOKEN=" + "x" * 32, f"FASTLY_SERVICE_ID={_TOKEN}"),
    ),
)


class FastlyDetector(Detector):
    provider = "fastly"
    title = "Fastly"
    patterns = PATTERNS
    revoke_url = "https://manage.fastly.com/account/personal/tokens"
    least_privilege = ("create an automation token limited to the services it deploys, with the "
                       "purge_select or global:read scope")


detector = FastlyDetector()
