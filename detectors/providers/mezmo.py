"""Mezmo (formerly LogDNA) ingestion and service keys.

Format: Mezmo's API docs (docs.mezmo.com/log-analysis-api#authentication, "Ingestion Key" and
"Service Key"): keys are 32 hex characters with no prefix, so only a Mezmo or LogDNA name in the
assignment marks one. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import assigned, fake, plausible_hex

_KEY = fake("hex", 32, "mezmo")

PATTERNS = (
    Pattern(
        id="mezmo.api_key",
        name="Mezmo (LogDNA) ingestion or service key",
        regex=assigned(r"(?:mezmo|logdna)", r"[0-9a-f]{32}"),
        keywords=("mezmo", "logdna"),
        kind="api_key",
        validate=plausible_hex,
        examples=(f"MEZMO_INGESTION_KEY={_KEY}", f'logdna_key: "{_KEY}"'),
        counterexamples=(
            "MEZMO_INGESTION_KEY=${MEZMO_INGESTION_KEY}",
            "LOGDNA_HOSTNAME=web-01",
            "MEZMO_INGESTION_KEY=" + _KEY[:-1],
        ),
    ),
)


class MezmoDetector(Detector):
    provider = "mezmo"
    title = "Mezmo (LogDNA)"
    patterns = PATTERNS
    revoke_url = "https://app.mezmo.com/manage/api-keys"
    least_privilege = "give shippers an ingestion key only; keep service keys (read and configure) out of hosts"


detector = MezmoDetector()
