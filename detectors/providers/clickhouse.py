"""ClickHouse Cloud API key secrets.

Format: ClickHouse Cloud's API key documentation (clickhouse.com/docs/cloud/manage/openapi) issues a
key ID and a key secret used with HTTP Basic authentication; it does not describe their shape.
Key secrets observed in the wild, and matched by gitleaks' ``clickhouse-cloud-api-secret-key``
rule, are ``4b1d`` followed by 38 alphanumerics. The key ID (20 alphanumerics) is an identifier
and is not reported. Database passwords in URLs are credentials_url.py's. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import fake, plausible_alnum, prefixed

_SECRET = "4b1d" + fake("a62", 38, "clickhouse")


def _mixed(secret: str) -> bool:
    body = secret[4:]
    return any(c.isupper() for c in body) and any(c.islower() for c in body) and plausible_alnum(body)


PATTERNS = (
    Pattern(
        id="clickhouse.api_key_secret",
        name="ClickHouse Cloud API key secret",
        regex=prefixed(r"4b1d[A-Za-z0-9]{38}"),
        keywords=("4b1d",),
        kind="api_key_secret",
        validate=_mixed,
        examples=(f"CLICKHOUSE_KEY_SECRET={_SECRET}", f"curl --user $KEY_ID:{_SECRET} https://api.clickhouse.cloud/v1/organizations"),
        counterexamples=("4b1d" + fake("hex", 38, "ch-hex"), "4b1d" + fake("a62", 60, "ch-long"),
                         "sha=x4b1d" + fake("a62", 38, "ch-word")),
    ),
)


class ClickHouseDetector(Detector):
    provider = "clickhouse"
    title = "ClickHouse Cloud"
    patterns = PATTERNS
    revoke_url = "https://console.clickhouse.cloud"
    least_privilege = ("create the API key with the Developer (read-only) role and an expiry, unless it must "
                       "change services")


detector = ClickHouseDetector()
