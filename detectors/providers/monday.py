"""monday.com API tokens.

Format: monday.com's API authentication docs (developer.monday.com/api-reference/docs/
authentication): personal API tokens (Avatar > Developers > My access tokens) are JWTs sent as the
``Authorization`` header, with no prefix of their own. A JWT is common, and "monday" is an ordinary
word, so a token is taken only when assigned to a monday name (``MONDAY_API_TOKEN``) and its payload
decodes to monday's claims (``tid``, ``uid``, ``aai``). Detection only.
"""

from __future__ import annotations

import base64
import json

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import assigned, fake
from tokenreach.detectors.jwt import claims

_JWT = r"eyJ[A-Za-z0-9_\-]{15,100}\.eyJ[A-Za-z0-9_\-]{20,1000}\.[A-Za-z0-9_\-]{20,200}"


def _monday_claims(secret: str) -> bool:
    payload = claims(secret)
    return payload is not None and "tid" in payload and ("uid" in payload or "aai" in payload)


def _b64(obj: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(obj, separators=(",", ":")).encode()).decode().rstrip("=")


_HEADER = _b64({"alg": "HS256"})
_TOKEN = (_HEADER + "." + _b64({"tid": 318842957, "aai": 11, "uid": 51239874, "iad": "2024-03-11T09:12:44.000Z",
                                "per": "me:write", "actid": 20483911, "rgn": "use1"})
          + "." + fake("b64url", 43, "monday-sig"))
_OTHER = _HEADER + "." + _b64({"sub": "1234567890", "name": "Ada", "iat": 1516239022}) + "." + fake("b64url", 43, "m")

PATTERNS = (
    Pattern(
        id="monday.api_token",
        name="monday.com API token",
        regex=assigned(r"monday", _JWT),
        keywords=("monday",),
        kind="api_token",
        validate=_monday_claims,
        examples=(f"MONDAY_API_TOKEN={_TOKEN}", f'monday_token: "{_TOKEN}"'),
        counterexamples=(
            f"MONDAY_API_TOKEN={_OTHER}",  # a JWT without monday's claims
            "MONDAY_API_TOKEN=${MONDAY_API_TOKEN}",
            "monday = datetime(2024, 3, 11)",
        ),
    ),
)


class MondayDetector(Detector):
    provider = "monday"
    title = "monday.com"
    patterns = PATTERNS
    revoke_url = "https://auth.monday.com/users/sign_in"
    least_privilege = ("a personal token has all of its user's permissions; use an app with only the OAuth "
                       "scopes it calls (boards:read) installed on the workspaces it needs")


detector = MondayDetector()
