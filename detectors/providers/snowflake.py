"""Snowflake programmatic access tokens and passwords.

Formats: Snowflake's programmatic access token documentation
(docs.snowflake.com/en/user-guide/programmatic-access-tokens): a PAT is used as a password or
Bearer token; PATs are JWTs (``eyJraWQiOi…``) with no Snowflake prefix, so a Snowflake name must
stand in the assignment (``SNOWFLAKE_PAT``, ``SNOWFLAKE_TOKEN``). Passwords have no format at all:
this is a keyword-anchored rule, a Snowflake password name in the assignment and a 12-to-64
character value with at least three of lower case, upper case, digits and symbols. Detection only.
"""

from __future__ import annotations

import base64
import json

from tokenreach.detectors import jwt
from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import assigned, fake, plausible

_JWT_BODY = r"eyJ[A-Za-z0-9_\-]{10,2000}\.eyJ[A-Za-z0-9_\-]{10,4000}\.[A-Za-z0-9_\-]{20,1000}"


def _b64(obj: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(obj, separators=(",", ":")).encode()).decode().rstrip("=")


def _password(secret: str) -> bool:
    classes = sum((any(c.islower() for c in secret), any(c.isupper() for c in secret),
                   any(c.isdigit() for c in secret), any(not c.isalnum() for c in secret)))
    return classes >= 3 and plausible(secret, 3.3)


_PAT = (_b64({"kid": fake("digits", 10, "sf-kid"), "alg": "ES256"}) + "."
        + _b64({"p": fake("digits", 9, "sf-p") + ":" + fake("digits", 9, "sf-q"), "iss": "SF", "exp": 1798761600})
        + "." + fake("b64url", 86, "sf-sig"))
_PASSWORD = fake("a62", 10, "sf-pw-a") + "#" + fake("a62", 8, "sf-pw-b") + "!7"

PATTERNS = (
    Pattern(
        id="snowflake.programmatic_access_token",
        name="Snowflake programmatic access token",
        regex=assigned(r"snowflake[\w.\-]{0,30}?(?:pat|token)", _JWT_BODY, gap=10),
        keywords=("snowflake",),
        kind="programmatic_access_token",
        validate=lambda s: jwt.claims(s) is not None,
        examples=(f"SNOWFLAKE_PAT={_PAT}", f'export SNOWFLAKE_TOKEN="{_PAT}"'),
        counterexamples=('export SNOWFLAKE_PAT="eyJraWQ..."', "SNOWFLAKE_PAT=<your-programmatic-access-token>",
                         "SNOWFLAKE_PAT=eyJhbGciOiJIUzI1NiJ9.eyJub3Rqc29u.c2lnbmF0dXJlc2lnbmF0dXJl"),
    ),
    Pattern(
        id="snowflake.password",
        name="Snowflake password",
        regex=assigned(r"snowflake[\w.\-]{0,30}?(?:password|passwd|pwd)", r"[A-Za-z0-9!#%&*+,;<>?@^_~=\-]{12,64}",
                       gap=10),
        keywords=("snowflake",),
        kind="password",
        validate=_password,
        examples=(f"SNOWFLAKE_PASSWORD={_PASSWORD}", f'snowflake_password: "{_PASSWORD}"'),
        counterexamples=("SNOWFLAKE_PASSWORD=${{ secrets.SNOWFLAKE_PASSWORD }}",
                         "SNOWFLAKE_PASSWORD=your_password_here",
                         "SNOWFLAKE_PASSWORD=os.environ.get('SF_PW')", "SNOWFLAKE_PASSWORD=snowflakepassword",
                         "SNOWFLAKE_PASSWORD=Short1!"),
    ),
)


class SnowflakeDetector(Detector):
    provider = "snowflake"
    title = "Snowflake"
    patterns = PATTERNS
    revoke_url = "https://app.snowflake.com"
    least_privilege = ("use key-pair authentication or a PAT restricted to one role (ROLE_RESTRICTION) with an "
                       "expiry and a network policy")


detector = SnowflakeDetector()
