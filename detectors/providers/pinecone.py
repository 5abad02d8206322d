"""Pinecone API keys.

Formats (docs.pinecone.io/guides/projects/manage-api-keys; Pinecone is a GitHub secret scanning
partner): current keys are ``pcsk_`` + a short key id + ``_`` + the secret (base62); keys created
before the prefix are UUIDs, found only next to a Pinecone name (``PINECONE_API_KEY``).
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern

_ASSIGN = r"""['"]?\s*(?::=|=>|[:=])\s*['"]?"""
_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"

PATTERNS = (
    Pattern(
        id="pinecone.api_key",
        name="Pinecone API key",
        regex=r"\b(?P<secret>pcsk_[A-Za-z0-9]{4,10}_[A-Za-z0-9]{40,100})\b",
        keywords=("pcsk_",),
        kind="api_key",
        examples=(
            "PINECONE_API_KEY=pcsk_tNZQ80_N70t810QleFftyuotHG668MALCyb6QFnEpLUrGCrF5rioXP39qPTwcFqddO6IVh1",
            'pc = Pinecone(api_key="pcsk_RZ0dOP_1dTUsl7bmSXtkKLPVfI2BVyc5WAvIg8B1uYeXkU6m1PBUOAw2ElfWWPLF25oJm4l")',
        ),
        counterexamples=(
            "PINECONE_API_KEY=pcsk_4y34WL_vU5uX4jAb2zXfkdQ1BCs",
            "PINECONE_API_KEY=pcsk_z1fMES9pxLcwVL4PiqgKDD2tUUuc2N18B7yBbMbLIPNmGtxpkkxFwq603MWSJdRPnjypbz",
        ),
    ),
    Pattern(
        id="pinecone.legacy_api_key",
        name="Pinecone API key (UUID)",
        regex=rf"(?i:pinecone)[\w.-]{{0,20}}?(?i:api[_.-]?key|key|token){_ASSIGN}(?P<secret>{_UUID})\b",
        keywords=("pinecone",),
        kind="api_key",
        examples=(
            "PINECONE_API_KEY=483cc059-aa42-4912-8b86-e12769d4f2a4",
            "pinecone_api_key = 'f3a317b0-1b7d-485c-bdf4-2590e641d862'",
        ),
        counterexamples=(
            "PINECONE_API_KEY=00000000-0000-0000-0000-00000000000",  # 11-digit tail
            "PINECONE_INDEX=582be03d-4cd6-4f53-b96a-fa8527033abb",  # not a key name
        ),
    ),
)


class PineconeDetector(Detector):
    provider = "pinecone"
    title = "Pinecone"
    patterns = PATTERNS
    revoke_url = "https://app.pinecone.io/organizations/-/projects/-/keys"
    least_privilege = "create a key with the data-plane read-only role in the one project this service queries"


detector = PineconeDetector()
