"""Calendly personal access tokens.

Format: Calendly's developer docs (developer.calendly.com/how-to-authenticate-with-personal-access-tokens):
personal access tokens (and OAuth access tokens) are JWTs sent as ``Authorization: Bearer``, so a
Calendly name must stand in the assignment; ``validate`` checks the JWT decodes. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors import jwt
from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import assigned, fake

_JWT = ("eyJraWQiOiIxY2UxZTEzNjE3ZGNmNzY2YjNjZWJjY2Y4ZGM1YmFmYThhNjVlNjg0MDIzZjdjMzJiZTgzNDliMjM4MDEzNWI0IiwidHlw"
        "IjoiUEFUIiwiYWxnIjoiRVMyNTYifQ.eyJpc3MiOiJodHRwczovL2F1dGguY2FsZW5kbHkuY29tIiwiaWF0IjoxNzAwMDAwMDAwLCJq"
        "dGkiOiI0ZjJlOGQxYS0xMjM0LTQ1NjctODlhYi1jZGVmMDEyMzQ1NjcifQ." + fake("b64url", 86, "calendly"))

PATTERNS = (
    Pattern(
        id="calendly.personal_access_token",
        name="Calendly personal access token",
        regex=assigned("calendly", r"eyJ[A-Za-z0-9_\-]{10,2000}\.eyJ[A-Za-z0-9_\-]{10,4000}\.[A-Za-z0-9_\-]{20,1000}"),
        keywords=("calendly",),
        kind="personal_access_token",
        validate=lambda s: jwt.claims(s) is not None,
        examples=(f"CALENDLY_TOKEN={_JWT}", f'calendly_api_key: "{_JWT}"'),
        counterexamples=("CALENDLY_TOKEN=eyJhbGciOiJIUzI1NiJ9.eyJub3Rqc29u.c2lnbmF0dXJlc2lnbmF0dXJl",
                         "CALENDLY_TOKEN=<your-token>"),
    ),
)


class CalendlyDetector(Detector):
    provider = "calendly"
    title = "Calendly"
    patterns = PATTERNS
    revoke_url = "https://calendly.com/integrations/api_webhooks"
    least_privilege = "use an OAuth app limited to the one user's scheduling data instead of a personal access token"


detector = CalendlyDetector()
