"""dbt Cloud (dbt platform) service account tokens and personal access tokens.

Format: dbt's API token documentation (docs.getdbt.com/docs/dbt-cloud-apis/service-tokens and
user-tokens): service account tokens start ``dbtc_`` and personal access tokens ``dbtu_``, each
followed by a base64url body (50 characters in tokens seen in the wild). Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import fake, plausible_alnum, prefixed

_SERVICE = "dbtc_" + fake("a62", 20, "dbtc-a") + "-" + fake("a62", 29, "dbtc-b")
_USER = "dbtu_" + fake("a62", 50, "dbtu")

PATTERNS = (
    Pattern(
        id="dbt_cloud.token",
        name="dbt Cloud service account or personal access token",
        regex=prefixed(r"dbt(?P<type>[cu])_[A-Za-z0-9_\-]{40,80}"),
        keywords=("dbtc_", "dbtu_"),
        kind="token",
        validate=lambda s: plausible_alnum(s[5:].replace("_", "").replace("-", "")),
        examples=(f"DBT_CLOUD_API_TOKEN={_SERVICE}", f'"DBT_TOKEN": "{_USER}"'),
        counterexamples=("DBT_CLOUD_API_TOKEN=dbtc_xxxxxxxxxxxxxxxxxxxx",
                         "DBT_CLOUD_API_TOKEN=dbtc_Ab12CdEfGhIjKlMnOpQrStUvWxYz",
                         "dbtc_apiconnect_state_description_for_the_kernel_table", '"DBT_TOKEN": "dbtc_TU_TOKEN"'),
    ),
)


class DbtCloudDetector(Detector):
    provider = "dbt_cloud"
    title = "dbt Cloud"
    patterns = PATTERNS
    revoke_url = "https://cloud.getdbt.com/settings/profile"
    least_privilege = "use a service account token with only the permission sets it needs (Job Runner or Metadata Only)"


detector = DbtCloudDetector()
