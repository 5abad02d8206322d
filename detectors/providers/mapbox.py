"""Mapbox secret access tokens.

Format: Mapbox's token guide (docs.mapbox.com/accounts/guides/tokens/): public tokens start ``pk.``
(meant for browsers, not reported), secret scopes ``sk.``, temporary ones ``tk.``. The body is
``<base64url JSON {"u": user, "a": token id}>.<22 base64url>``; ``validate`` decodes the JSON.
Detection only.
"""

from __future__ import annotations

import base64
import json

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import fake, prefixed

_HEAD = base64.urlsafe_b64encode(json.dumps({"u": "acme-maps", "a": "clx9a0b1c2d3e4f5g6h7i8j9k"},
                                            separators=(",", ":")).encode()).decode().rstrip("=")
_TOKEN = f"sk.{_HEAD}.{fake('b64url', 22, 'mapbox')}"


def _decodes(secret: str) -> bool:
    parts = secret.split(".")
    if len(parts) != 3:
        return False
    try:
        body = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except ValueError:
        return False
    return isinstance(body, dict) and "u" in body


PATTERNS = (
    Pattern(
        id="mapbox.secret_token",
        name="Mapbox secret access token",
        regex=prefixed(r"(?:sk|tk)\.eyJ[A-Za-z0-9_\-]{10,300}\.[A-Za-z0-9_\-]{20,100}"),
        keywords=("sk.eyj", "tk.eyj"),
        kind="secret_token",
        validate=_decodes,
        examples=(f"MAPBOX_DOWNLOADS_TOKEN={_TOKEN}", f'mapbox_secret: "{_TOKEN}"'),
        counterexamples=(
            _TOKEN.replace("sk.", "pk."),  # public token
            "MAPBOX_TOKEN=sk.eyJub3Rqc29uIGF0IGFsbA.abcdefghijklmnopqrstuv",  # payload is not JSON
        ),
    ),
)


class MapboxDetector(Detector):
    provider = "mapbox"
    title = "Mapbox"
    patterns = PATTERNS
    revoke_url = "https://account.mapbox.com/access-tokens/"
    least_privilege = "create a secret token with only the scope it needs (DOWNLOADS:READ for SDK installs)"


detector = MapboxDetector()
