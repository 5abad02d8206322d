"""Turso (libSQL) database and platform API tokens.

Format: Turso's CLI documentation (docs.turso.tech/cli/db/tokens/create, docs.turso.tech/api-reference/authentication):
database auth tokens and platform API tokens are JWTs (EdDSA-signed), with no Turso-specific
prefix, so a Turso or libSQL name must stand in the assignment (``TURSO_AUTH_TOKEN``,
``LIBSQL_AUTH_TOKEN``). Detection only.
"""

from __future__ import annotations

import base64
import json

from tokenreach.detectors import jwt
from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import assigned, fake

_JWT_BODY = r"eyJ[A-Za-z0-9_\-]{10,2000}\.eyJ[A-Za-z0-9_\-]{10,4000}\.[A-Za-z0-9_\-]{20,1000}"


def _b64(obj: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(obj, separators=(",", ":")).encode()).decode().rstrip("=")


_H = fake("hex", 32, "turso-id")
_JWT = (_b64({"alg": "EdDSA", "typ": "JWT"}) + "."
        + _b64({"a": "rw", "iat": 1767225600, "id": f"{_H[:8]}-{_H[8:12]}-{_H[12:16]}-{_H[16:20]}-{_H[20:]}"})
        + "." + fake("b64url", 86, "turso-sig"))

PATTERNS = (
    Pattern(
        id="turso.auth_token",
        name="Turso database or API token",
        regex=assigned(r"(?:turso|libsql)[\w.\-]{0,30}?(?:token|auth)", _JWT_BODY, gap=10),
        keywords=("turso", "libsql"),
        kind="auth_token",
        validate=lambda s: jwt.claims(s) is not None,
        examples=(f"TURSO_AUTH_TOKEN={_JWT}", f'LIBSQL_AUTH_TOKEN="{_JWT}"'),
        counterexamples=("TURSO_AUTH_TOKEN=eyJ...", "TURSO_AUTH_TOKEN=eyJhbGciOi...",
                         "TURSO_AUTH_TOKEN=eyJhbGciOiJIUzI1NiJ9.eyJub3Rqc29u.c2lnbmF0dXJlc2lnbmF0dXJl",
                         "TURSO_DATABASE_URL=libsql://app-db.turso.io"),
    ),
)


class TursoDetector(Detector):
    provider = "turso"
    title = "Turso"
    patterns = PATTERNS
    revoke_url = "https://app.turso.tech"
    least_privilege = "create a read-only (--read-only) database token with an expiry for the one database it reads"


detector = TursoDetector()
