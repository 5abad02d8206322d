"""CockroachDB Cloud API keys.

Format: CockroachDB Cloud's API documentation (cockroachlabs.com/docs/cockroachcloud/cloud-api,
bearer "secret key" of a service account) and its Terraform provider, which checks an imported
secret against ``CCDB1_<22 chars>_<40 chars>``: ``CCDB1_`` + a 22-character key ID + ``_`` + a
40-character secret. Passwords in ``postgresql://`` URLs are credentials_url.py's. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import fake, plausible_alnum, prefixed

_KEY = "CCDB1_" + fake("a62", 22, "ccdb-id") + "_" + fake("a62", 40, "ccdb-secret")

PATTERNS = (
    Pattern(
        id="cockroach.api_key",
        name="CockroachDB Cloud API key",
        regex=prefixed(r"CCDB1_[A-Za-z0-9]{22}_[A-Za-z0-9]{40}"),
        keywords=("ccdb1_",),
        kind="api_key",
        validate=lambda s: plausible_alnum(s[-40:]),
        examples=(f"COCKROACH_API_KEY={_KEY}", f'provider "cockroach" {{\n  apikey = "{_KEY}"\n}}'),
        counterexamples=('cockroachMcpApiKey: "CCDB1_test_key_that_is_not_real"', "COCKROACH_API_KEY=CCDB1_x",
                         "CREATOR_KEY_ID = \"CCDB1_" + fake("a62", 22, "ccdb-keyid") + '"',
                         "CCDB1_" + fake("a62", 22, "ccdb-a") + "_" + "a" * 40),
    ),
)


class CockroachDetector(Detector):
    provider = "cockroach"
    title = "CockroachDB Cloud"
    patterns = PATTERNS
    revoke_url = "https://cockroachlabs.cloud/access"
    least_privilege = ("give the API key's service account only the cluster-scoped role it needs "
                       "(Cluster Developer or Operator)")


detector = CockroachDetector()
