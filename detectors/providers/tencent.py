"""Tencent Cloud API keys (SecretId and SecretKey).

Format: Tencent Cloud's CAM documentation (tencentcloud.com/document/product/598/32675, "Access Key")
and the GitHub secret scanning partner program ("Tencent Cloud Secret ID"): a SecretId is ``AKID``
followed by 32 alphanumerics; its SecretKey is 32 alphanumerics with no prefix, found only where a
Tencent Cloud name (``TENCENTCLOUD_SECRET_KEY``) stands in the assignment. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import assigned, fake, plausible_alnum, prefixed

_ID = "AKID" + fake("a62", 32, "tencent-id")
_KEY = fake("a62", 32, "tencent-key")

PATTERNS = (
    Pattern(
        id="tencent.secret_id",
        name="Tencent Cloud SecretId",
        regex=prefixed(r"AKID[A-Za-z0-9]{32}"),
        keywords=("akid",),
        kind="secret_id",
        validate=lambda s: plausible_alnum(s[4:]),
        lookup=False,
        examples=(f"TENCENTCLOUD_SECRET_ID={_ID}", f'cred = credential.Credential("{_ID}", secret_key)'),
        counterexamples=("TENCENTCLOUD_SECRET_ID=AKID" + "x" * 32, "AKID" + fake("a62", 20, "tc-short"),
                         "XAKID" + fake("a62", 32, "tc-word")),
    ),
    Pattern(
        id="tencent.secret_key",
        name="Tencent Cloud SecretKey",
        regex=assigned(r"(?:tencent|\bqcloud|\btccli)[\w.\-]{0,30}secret[_.\-]?key", r"[A-Za-z0-9]{32}", gap=10),
        keywords=("tencent", "qcloud", "tccli"),
        kind="secret_key",
        validate=plausible_alnum,
        examples=(f"TENCENTCLOUD_SECRET_KEY={_KEY}", f'tencent_cloud_secret_key: "{_KEY}"'),
        counterexamples=(f"TENCENTCLOUD_SECRET_KEY={_KEY[:30]}", "TENCENTCLOUD_SECRET_KEY=${SECRET_KEY}",
                         "TENCENTCLOUD_SECRET_KEY=" + "a" * 32, f"TENCENTCLOUD_SECRET_ID={_KEY}"),
    ),
)


class TencentDetector(Detector):
    provider = "tencent"
    title = "Tencent Cloud"
    patterns = PATTERNS
    revoke_url = "https://console.tencentcloud.com/cam/capi"
    least_privilege = "create the key on a CAM sub-user whose policy grants only the services and resources it uses"


detector = TencentDetector()
