"""Sentry auth tokens.

Formats (docs.sentry.io/account/auth-tokens; Sentry is a GitHub secret scanning partner):
organization auth tokens are ``sntrys_`` + base64 of a JSON payload (``iat``, ``url``,
``region_url``, ``org``) + ``_`` + a 43-character base64 secret; user auth tokens created since
Sentry 23.x are ``sntryu_`` + 64 hex. Older user tokens are 64 hex digits with no prefix, found
only next to a Sentry name (``SENTRY_AUTH_TOKEN``). A DSN is not a secret (it ships in every
client) and is not reported.
"""

from __future__ import annotations

import re

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.jwt import b64_json

_ASSIGN = r"""['"]?\s*(?::=|=>|[:=])\s*['"]?"""


def _org_payload(secret: str) -> bool:
    obj = b64_json(secret[len("sntrys_"):].rsplit("_", 1)[0])
    return obj is not None and "org" in obj


def _hex_random(secret: str) -> bool:
    body = secret[-64:]
    return bool(re.search(r"[0-9]", body) and re.search(r"[a-f]", body)) and len(set(body)) >= 10


PATTERNS = (
    Pattern(
        id="sentry.org_auth_token",
        name="Sentry organization auth token",
        regex=(r"\b(?P<secret>sntrys_eyJ[A-Za-z0-9+/]{20,1000}={0,2}_[A-Za-z0-9+/]{43})"
               r"(?:[^A-Za-z0-9+/=_-]|$)"),
        keywords=("sntrys_",),
        kind="org_auth_token",
        validate=_org_payload,
        examples=(
            "SENTRY_AUTH_TOKEN=sntrys_eyJpYXQiOiAxNzMyMDAwMDAwLjEyMywgInVybCI6ICJodHRwczovL3NlbnRyeS5pbyIsICJyZWdp"
            "b25fdXJsIjogImh0dHBzOi8vdXMuc2VudHJ5LmlvIiwgIm9yZyI6ICJhY21lLXJvYm90aWNzIn0=_c92P2+zHd3OC2pYwL82DeaGdy"
            "y8Yck0kF4nP47GiCpg",
        ),
        counterexamples=(
            "SENTRY_AUTH_TOKEN=sntrys_eyJhbGciOiJIUzI1NiJ9_c92P2+zHd3OC2pYwL82DeaGdyy8Yck0kF4nP47GiCpg",  # no org
            "SENTRY_AUTH_TOKEN=sntrys_YOUR_TOKEN_HERE",
        ),
    ),
    Pattern(
        id="sentry.user_auth_token",
        name="Sentry user auth token",
        regex=r"\b(?P<secret>sntryu_[a-f0-9]{64})\b",
        keywords=("sntryu_",),
        kind="user_auth_token",
        validate=_hex_random,
        examples=(
            "SENTRY_AUTH_TOKEN=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",
            "auth.token=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",
        ),
        counterexamples=(
            "SENTRY_AUTH_TOKEN=sntryu_c8066b06fd2fb54df4de217df8f067d1a443e3541b63d4cfc56460e8b241081",
            "sntryu_TNVVQP3ROGR5WIXE4NXL8J1YA38B5EQDWBWD3J2ES731DEXB6ES0KP1WHZTGWP46",
        ),
    ),
    Pattern(
        id="sentry.auth_token",
        name="Sentry auth token (unprefixed)",
        regex=rf"(?i:sentry)[\w.-]{{0,20}}?(?i:auth[_.-]?token|api[_.-]?(?:key|token)){_ASSIGN}(?P<secret>[a-f0-9]{{64}})\b",
        keywords=("sentry",),
        kind="user_auth_token",
        validate=_hex_random,
        examples=(
            "SENTRY_AUTH_TOKEN=d8c8877fe28210e4719c4ddbf6461e9569adeef39ce5a016b9974b97dc27260d",
            "[auth]\nsentry_auth_token = 45883f0f255f2e7c0a160d2b77de779556981132afc9cddc4968f579bd793923",
        ),
        counterexamples=(
            "SENTRY_AUTH_TOKEN=507a9d0d8fdc302c3f9bd990f1e7b769a7e52ca3",
            "SENTRY_DSN=https://76564c722d4a825ca6ef8b920d068169@o123456.ingest.sentry.io/1234567",  # a DSN is public
            "SENTRY_AUTH_TOKEN=${SENTRY_AUTH_TOKEN}",
        ),
    ),
)


class SentryDetector(Detector):
    provider = "sentry"
    title = "Sentry"
    patterns = PATTERNS
    revoke_url = "https://sentry.io/settings/account/api/auth-tokens/"
    least_privilege = "create an organization auth token (release and source-map upload only) instead of a user token"


detector = SentryDetector()
