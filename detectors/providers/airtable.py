"""Airtable personal access tokens and legacy API keys.

Format: Airtable's personal access token guide (airtable.com/developers/web/guides/personal-access-tokens):
a token is ``pat`` + 14 base62 characters (the token id) + ``.`` + 64 hex characters (the secret).
Legacy API keys (retired February 2024, support.airtable.com "API key deprecation") were ``key`` +
14 base62 characters, so they are matched only when an Airtable name stands in the assignment.
Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import assigned, plausible_alnum, plausible_hex, prefixed

PATTERNS = (
    Pattern(
        id="airtable.personal_access_token",
        name="Airtable personal access token",
        regex=prefixed(r"pat[A-Za-z0-9]{14}\.[0-9a-f]{64}"),
        keywords=("pat",),
        kind="personal_access_token",
        validate=lambda s: plausible_hex(s.split(".")[1]),
        examples=(
            "AIRTABLE_TOKEN=pat35RxnHbHlHb6fs.21c06da13e136dd3a02876454b57dd855ea52a41c34a73f622ee999b54cb9a5a",
            "curl -H 'Authorization: Bearer patFUAXKTX9lEIEOY.21c06da13e136dd3a02876454b57dd855ea52a41c34a73"
            "f622ee999b54cb9a5a' https://api.airtable.com/v0/meta/whoami",
        ),
        counterexamples=(
            "pat35RxnHbHlHb6fs.21c06da13e136dd3a02876454b57dd855ea52a41c34a73f622ee999b54cb9a5",  # 63 hex
            "patXXXXXXXXXXXXXX.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "compat35RxnHbHlHb6fs.21c06da13e136dd3a02876454b57dd855ea52a41c34a73f622ee999b54cb9a5a",
        ),
    ),
    Pattern(
        id="airtable.legacy_api_key",
        name="Airtable API key (legacy)",
        regex=assigned("airtable", r"key[A-Za-z0-9]{14}"),
        keywords=("airtable",),
        kind="legacy_api_key",
        validate=lambda s: plausible_alnum(s[3:]),
        examples=("AIRTABLE_API_KEY=key35RxnHbHlHb6fs", 'airtable_key: "keyFUAXKTX9lEIEOY"'),
        counterexamples=("AIRTABLE_API_KEY=keyXXXXXXXXXXXXXX", "AIRTABLE_API_KEY=key35RxnHbHlHb6fsQ"),
    ),
)


class AirtableDetector(Detector):
    provider = "airtable"
    title = "Airtable"
    patterns = PATTERNS
    revoke_url = "https://airtable.com/create/tokens"
    least_privilege = "create a personal access token with only the data.records:read scope on the one base it needs"


detector = AirtableDetector()
