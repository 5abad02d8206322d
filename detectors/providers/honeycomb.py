"""Honeycomb ingest keys and configuration keys.

Formats: Honeycomb's API authentication docs (docs.honeycomb.io/api/authentication, "API Key
Format"): key IDs start ``hc[x]ik_`` (ingest), ``hc[x]lk_`` (configuration) or ``hc[x]mk_``
(management), the ``[x]`` character varying; an ingest key is sent in ``X-Honeycomb-Team`` as the
key ID and secret concatenated, ``hc?ik_`` + 58 lower-case alphanumerics (26 of ID, 32 of secret).
A configuration key's value is a token without that prefix (22 alphanumerics; Classic keys are 32
hex), taken only next to a Honeycomb name or the ``X-Honeycomb-Team`` header. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import assigned, fake, plausible, plausible_alnum, plausible_hex, prefixed

_INGEST = "hcaik_01" + fake("a36", 56, "honeycomb-ingest")
_CONFIG = fake("a62", 22, "honeycomb-config")
_CLASSIC = fake("hex", 32, "honeycomb-classic")

PATTERNS = (
    Pattern(
        id="honeycomb.ingest_key",
        name="Honeycomb ingest key",
        regex=prefixed(r"hc[a-z]ik_[a-z0-9]{58}"),
        keywords=("ik_",),
        kind="ingest_key",
        validate=lambda s: any(c.isdigit() for c in s[6:]) and plausible(s[6:], 3.5),
        examples=(
            f"HONEYCOMB_API_KEY={_INGEST}",
            f'OTEL_EXPORTER_OTLP_HEADERS="x-honeycomb-team={_INGEST.replace("hcaik", "hcxik")}"',
        ),
        counterexamples=(
            "HONEYCOMB_API_KEY=" + _INGEST[:-1],
            "HONEYCOMB_API_KEY=hcaik_01hs6b0zv51w28xxxxxxxxxxxxxxxxxxxxxx8wy5w2h0dhhr3wry9",  # redacted, 57
            "HONEYCOMB_API_KEY=hcaik_" + "x" * 58,
            "xhcaik_" + _INGEST[6:],  # prefix inside a longer word
        ),
    ),
    Pattern(
        id="honeycomb.configuration_key",
        name="Honeycomb configuration (or Classic) key",
        regex=assigned(r"(?:honeycomb|x-honeycomb-team)", r"[A-Za-z0-9]{22}|[0-9a-f]{32}"),
        keywords=("honeycomb",),
        kind="configuration_key",
        validate=lambda s: plausible_hex(s) if len(s) == 32 else plausible_alnum(s),
        examples=(
            f"HONEYCOMB_CONFIGURATION_KEY={_CONFIG}",
            f'curl https://api.honeycomb.io/1/auth -H "X-Honeycomb-Team: {_CLASSIC}"',
        ),
        counterexamples=(
            "HONEYCOMB_DATASET=checkout-service-prod",
            "HONEYCOMB_API_KEY=${HONEYCOMB_API_KEY}",
            "HONEYCOMB_API_KEY=" + _CONFIG[:-1],
        ),
    ),
)


class HoneycombDetector(Detector):
    provider = "honeycomb"
    title = "Honeycomb"
    patterns = PATTERNS
    revoke_url = "https://ui.honeycomb.io/account"
    least_privilege = ("send telemetry with an ingest key (send events only, no dataset creation) and keep "
                       "configuration keys out of instrumented services")


detector = HoneycombDetector()
