"""Airbyte Cloud application client secrets and access tokens.

Format: Airbyte's API documentation (reference.airbyte.com/reference/authentication,
"Applications"): an application has a client ID and a client secret exchanged for a short-lived JWT
access token. Neither has a prefix and the secret's shape is not documented, so this is a
keyword-anchored rule: an Airbyte client-secret name and 32 to 64 token characters, or an Airbyte
token name and a JWT. Detection only.
"""

from __future__ import annotations

import base64
import json

from tokenreach.detectors import jwt
from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import assigned, fake, plausible_alnum

_JWT_BODY = r"eyJ[A-Za-z0-9_\-]{10,2000}\.eyJ[A-Za-z0-9_\-]{10,4000}\.[A-Za-z0-9_\-]{20,1000}"


def _b64(obj: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(obj, separators=(",", ":")).encode()).decode().rstrip("=")


_SECRET = fake("a62", 40, "airbyte")
_H = fake("hex", 32, "airbyte-sub")
_TOKEN = (_b64({"alg": "RS256", "typ": "JWT", "kid": fake("b64url", 20, "airbyte-kid")}) + "."
          + _b64({"iss": "https://api.airbyte.com", "sub": f"{_H[:8]}-{_H[8:12]}-{_H[12:16]}-{_H[16:20]}-{_H[20:]}",
                  "exp": 1767229200})
          + "." + fake("b64url", 342, "airbyte-sig"))

PATTERNS = (
    Pattern(
        id="airbyte.client_secret",
        name="Airbyte application client secret",
        regex=assigned(r"airbyte[\w.\-]{0,30}?client[_.\-]?secret", r"[A-Za-z0-9_\-]{32,64}", gap=10),
        keywords=("airbyte",),
        kind="client_secret",
        validate=lambda s: plausible_alnum(s.replace("_", "").replace("-", "")),
        examples=(f"AIRBYTE_CLIENT_SECRET={_SECRET}", f'airbyte_client_secret: "{_SECRET}"'),
        counterexamples=("AIRBYTE_CLIENT_SECRET=${AIRBYTE_CLIENT_SECRET}", "AIRBYTE_CLIENT_SECRET=your-client-secret",
                         f"AIRBYTE_CLIENT_ID={_SECRET}", "AIRBYTE_CLIENT_SECRET=" + "x" * 40),
    ),
    Pattern(
        id="airbyte.access_token",
        name="Airbyte API access token",
        regex=assigned(r"airbyte[\w.\-]{0,30}?(?:token|api[_.\-]?key)", _JWT_BODY, gap=10),
        keywords=("airbyte",),
        kind="access_token",
        validate=lambda s: jwt.claims(s) is not None,
        examples=(f"AIRBYTE_API_KEY={_TOKEN}", f'airbyte_access_token = "{_TOKEN}"'),
        counterexamples=("AIRBYTE_API_KEY=eyJ...",
                         "AIRBYTE_API_KEY=eyJhbGciOiJIUzI1NiJ9.eyJub3Rqc29u.c2lnbmF0dXJlc2lnbmF0dXJl"),
    ),
)


class AirbyteDetector(Detector):
    provider = "airbyte"
    title = "Airbyte"
    patterns = PATTERNS
    revoke_url = "https://cloud.airbyte.com/settings/applications"
    least_privilege = "create the application under a user whose workspace role is limited to the workspaces it syncs"


detector = AirbyteDetector()
