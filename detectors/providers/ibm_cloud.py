"""IBM Cloud IAM API keys.

Format: IBM Cloud IAM documentation (cloud.ibm.com/docs/account?topic=account-userapikey) and the
GitHub secret scanning partner program ("IBM Cloud IAM Key"): an API key is 44 base64url
characters with no prefix, so an IBM Cloud name must stand in the assignment (``IBMCLOUD_API_KEY``,
``IC_API_KEY`` for Terraform, ``ibm_api_key``). Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import assigned, fake, plausible

_KEY = fake("b64url", 44, "ibm-cloud")

PATTERNS = (
    Pattern(
        id="ibm_cloud.api_key",
        name="IBM Cloud IAM API key",
        regex=assigned(r"(?:\bibm[\w.\-]{0,30}?api[_.\-]?key|\bic_api_key)", r"[A-Za-z0-9_\-]{44}", gap=10),
        keywords=("ibm", "ic_api_key"),
        kind="api_key",
        validate=lambda s: plausible(s, 3.8),
        examples=(f"IBMCLOUD_API_KEY={_KEY}", f'IC_API_KEY="{_KEY}"', f"ibm_cloud_apikey: {_KEY}"),
        counterexamples=(f"IBMCLOUD_API_KEY={_KEY[:40]}", "IBMCLOUD_API_KEY=${IBMCLOUD_API_KEY}",
                         "IBMCLOUD_API_KEY=" + "x" * 44, f"NOTIBM_API_KEY={_KEY}"),
    ),
)


class IBMCloudDetector(Detector):
    provider = "ibm_cloud"
    title = "IBM Cloud"
    patterns = PATTERNS
    revoke_url = "https://cloud.ibm.com/iam/apikeys"
    least_privilege = "use a service ID API key whose access policies cover only the resource groups it needs"


detector = IBMCloudDetector()
