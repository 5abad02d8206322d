"""Confluent Cloud API secrets.

Format: Confluent Cloud's API key documentation, "API key format"
(docs.confluent.io/cloud/current/access-management/authenticate/api-keys/api-keys.html): since
July 30, 2025 an API secret is ``cflt`` followed by 60 base64 characters whose last 6 are the
unpadded base64 of the little-endian CRC32 of the 54 before them. Older secrets are 64 base64
characters with no prefix, found only where a Confluent name stands in the assignment. API key IDs
(16 upper-case alphanumerics) are identifiers and are not reported. Detection only.
"""

from __future__ import annotations

import base64
import zlib

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import assigned, fake, plausible_alnum


def _crc(body: str) -> str:
    return base64.b64encode(zlib.crc32(body.encode()).to_bytes(4, "little")).decode().rstrip("=")


def _checksum_ok(secret: str) -> bool:
    body = secret[4:]
    return len(body) == 60 and _crc(body[:54]) == body[54:]


_BODY = fake("a62", 30, "confluent-a") + "/" + fake("a62", 23, "confluent-b")
_SECRET = "cflt" + _BODY + _crc(_BODY)
_LEGACY = fake("a62", 40, "confluent-legacy") + "+" + fake("a62", 23, "confluent-legacy-b")

PATTERNS = (
    Pattern(
        id="confluent.api_secret",
        name="Confluent Cloud API secret",
        regex=r"(?:^|[^A-Za-z0-9_\-+/])(?P<secret>cflt[A-Za-z0-9+/]{60})(?:[^A-Za-z0-9+/=_\-]|$)",
        keywords=("cflt",),
        kind="api_secret",
        validate=_checksum_ok,
        examples=(f"CONFLUENT_CLOUD_API_SECRET={_SECRET}",
                  f"sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required "
                  f"username='ABCD1234567890AB' password='{_SECRET}';"),
        counterexamples=("cflt" + _BODY + "AAAAAA", "cflt" + fake("a62", 40, "cflt-short"),
                         "xcflt" + _BODY + _crc(_BODY)),
    ),
    Pattern(
        id="confluent.legacy_api_secret",
        name="Confluent Cloud API secret (unprefixed)",
        regex=assigned(r"confluent[\w.\-]{0,30}?secret", r"[A-Za-z0-9+/]{64}", gap=10),
        keywords=("confluent",),
        kind="api_secret",
        validate=lambda s: plausible_alnum(s.replace("+", "").replace("/", "")),
        examples=(f"CONFLUENT_CLOUD_API_SECRET={_LEGACY}", f'confluent_api_secret: "{_LEGACY}"'),
        counterexamples=(f"CONFLUENT_CLOUD_API_SECRET={_LEGACY[:50]}", "CONFLUENT_CLOUD_API_SECRET=${SECRET}",
                         "CONFLUENT_CLOUD_API_SECRET=" + "x" * 64),
    ),
)


class ConfluentDetector(Detector):
    provider = "confluent"
    title = "Confluent Cloud"
    patterns = PATTERNS
    revoke_url = "https://confluent.cloud/settings/api-keys"
    least_privilege = "create a resource-scoped API key owned by a service account with ACLs on only its topics"


detector = ConfluentDetector()
