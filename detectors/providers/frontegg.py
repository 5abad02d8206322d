"""Frontegg environment API keys (client secrets).

Format: Frontegg's authentication documentation (developers.frontegg.com/api/authentication): an
environment's client ID and API key, both UUIDs, are exchanged for a vendor token. The API key has
no prefix, so a Frontegg API-key/secret name must stand in the assignment (``FRONTEGG_API_KEY``,
``FRONTEGG_CLIENT_SECRET``); the client ID is an identifier. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import assigned, fake, plausible

_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_H = fake("hex", 32, "frontegg")
_KEY = f"{_H[:8]}-{_H[8:12]}-{_H[12:16]}-{_H[16:20]}-{_H[20:]}"

PATTERNS = (
    Pattern(
        id="frontegg.api_key",
        name="Frontegg environment API key",
        regex=assigned(r"frontegg[\w.\-]{0,30}?(?:api[_.\-]?key|secret)", _UUID, gap=10),
        keywords=("frontegg",),
        kind="api_key",
        validate=lambda s: plausible(s.replace("-", ""), 3.0),
        examples=(f"FRONTEGG_API_KEY={_KEY}", f'FRONTEGG_CLIENT_SECRET="{_KEY}"'),
        counterexamples=(f"FRONTEGG_CLIENT_ID={_KEY}", "FRONTEGG_API_KEY=00000000-0000-0000-0000-000000000000",
                         "FRONTEGG_API_KEY=${FRONTEGG_API_KEY}"),
    ),
)


class FronteggDetector(Detector):
    provider = "frontegg"
    title = "Frontegg"
    patterns = PATTERNS
    revoke_url = "https://portal.frontegg.com/development/settings"
    least_privilege = "use an account-level or user API token with only the roles it needs, not the environment key"


detector = FronteggDetector()
