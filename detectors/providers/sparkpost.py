"""SparkPost API keys.

Format: SparkPost's API reference (developers.sparkpost.com/api/#header-authentication): API keys
are 40 hex characters sent in the ``Authorization`` header; with no prefix, a SparkPost name must
stand in the assignment. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import assigned, fake, plausible_hex

_KEY = fake("hex", 40, "sparkpost")

PATTERNS = (
    Pattern(
        id="sparkpost.api_key",
        name="SparkPost API key",
        regex=assigned(r"spark[_.\-]?post", r"[0-9a-f]{40}"),
        keywords=("sparkpost", "spark_post", "spark-post", "spark.post"),
        kind="api_key",
        validate=plausible_hex,
        examples=(f"SPARKPOST_API_KEY={_KEY}", f'sparkpost_key: "{_KEY}"'),
        counterexamples=("SPARKPOST_API_KEY=" + "0" * 40, f"SPARKPOST_API_KEY={_KEY[:-1]}"),
    ),
)


class SparkPostDetector(Detector):
    provider = "sparkpost"
    title = "SparkPost"
    patterns = PATTERNS
    revoke_url = "https://app.sparkpost.com/account/api-keys"
    least_privilege = "create a key with only the Transmissions: Read/Write grant and an IP allowlist"


detector = SparkPostDetector()
