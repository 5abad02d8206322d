"""Alibaba Cloud (Aliyun) AccessKey pairs.

Format: Alibaba Cloud's RAM documentation (alibabacloud.com/help/en/ram/user-guide/create-an-accesskey-pair)
and the GitHub secret scanning partner program ("Alibaba Cloud AccessKey ID and AccessKey Secret"):
an AccessKey ID is ``LTAI`` followed by 12 to 20 alphanumerics, its AccessKey Secret 30
alphanumerics. The ID is an identifier; the secret has no prefix, so an Alibaba/Aliyun name must
stand in the assignment. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import assigned, fake, plausible_alnum, prefixed

_ID = "LTAI" + fake("a62", 20, "alibaba-id")
_SECRET = fake("a62", 30, "alibaba-secret")

PATTERNS = (
    Pattern(
        id="alibaba.access_key_id",
        name="Alibaba Cloud AccessKey ID",
        regex=prefixed(r"LTAI[A-Za-z0-9]{12,20}"),
        keywords=("ltai",),
        kind="access_key_id",
        validate=lambda s: plausible_alnum(s[4:]),
        lookup=False,
        examples=(f"ALIBABA_CLOUD_ACCESS_KEY_ID={_ID}", f'access_key_id: "{_ID}"'),
        counterexamples=("ALIBABA_CLOUD_ACCESS_KEY_ID=LTAI" + "x" * 20, "LTAI" + fake("a62", 8, "ali-short"),
                         "VOLTAI" + fake("a62", 20, "ali-word"), "LTAI" + fake("a62", 24, "ali-long")),
    ),
    Pattern(
        id="alibaba.access_key_secret",
        name="Alibaba Cloud AccessKey Secret",
        regex=assigned(r"(?:alibaba|aliyun|\balicloud)[\w.\-]{0,30}secret", r"[A-Za-z0-9]{30}", gap=10),
        keywords=("alibaba", "aliyun", "alicloud"),
        kind="access_key_secret",
        validate=plausible_alnum,
        examples=(f"ALIBABA_CLOUD_ACCESS_KEY_SECRET={_SECRET}", f'aliyun_access_secret = "{_SECRET}"'),
        counterexamples=(f"ALIBABA_CLOUD_ACCESS_KEY_SECRET={_SECRET[:24]}",
                         "ALIBABA_CLOUD_ACCESS_KEY_SECRET=${ALIBABA_CLOUD_ACCESS_KEY_SECRET}",
                         "ALIYUN_ACCESS_KEY_SECRET=" + "X" * 30, f"ALIBABA_CLOUD_ACCESS_KEY_ID={_SECRET}"),
    ),
)


class AlibabaDetector(Detector):
    provider = "alibaba"
    title = "Alibaba Cloud"
    patterns = PATTERNS
    revoke_url = "https://ram.console.aliyun.com/manage/ak"
    least_privilege = "create the AccessKey on a RAM user whose policy grants only the actions and resources it uses"


detector = AlibabaDetector()
