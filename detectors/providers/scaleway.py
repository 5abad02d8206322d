"""Scaleway API keys (access key and secret key).

Format: Scaleway's IAM API documentation (scaleway.com/en/developers/api/iam/api-keys) and SDK
READMEs (``accessKey: 'SCWXXXXXXXXXXXXXXXXX'``, ``secretKey: 'xxxxxxxx-xxxx-…'``); Scaleway is a
GitHub secret scanning partner. The access key is ``SCW`` followed by 17 upper-case letters and
digits and is an identifier; the secret key is a UUID, found only where a Scaleway name
(``SCW_SECRET_KEY``) stands in the assignment. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import assigned, fake, plausible, plausible_alnum, prefixed

_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_ACCESS = "SCW" + fake("a62", 17, "scw-access").upper()
_H = fake("hex", 32, "scw-secret")
_SECRET = f"{_H[:8]}-{_H[8:12]}-{_H[12:16]}-{_H[16:20]}-{_H[20:]}"

PATTERNS = (
    Pattern(
        id="scaleway.access_key",
        name="Scaleway API access key",
        regex=prefixed(r"SCW[A-Z0-9]{17}"),
        keywords=("scw",),
        kind="access_key",
        validate=lambda s: plausible_alnum(s[3:]),
        lookup=False,
        examples=(f"SCW_ACCESS_KEY={_ACCESS}", f"accessKey: '{_ACCESS}'"),
        counterexamples=("accessKey: 'SCWXXXXXXXXXXXXXXXXX'", "SCW" + fake("a62", 12, "scw-short").upper(),
                         "XSCW" + fake("a62", 17, "scw-word").upper()),
    ),
    Pattern(
        id="scaleway.secret_key",
        name="Scaleway API secret key",
        regex=assigned(r"(?:\bscw|scaleway)[\w.\-]{0,30}secret", _UUID, gap=10),
        keywords=("scw", "scaleway"),
        kind="secret_key",
        validate=lambda s: plausible(s.replace("-", ""), 3.0),
        examples=(f"SCW_SECRET_KEY={_SECRET}", f'scaleway_secret_key = "{_SECRET}"'),
        counterexamples=("SCW_SECRET_KEY=xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx",
                         "SCW_SECRET_KEY=00000000-0000-0000-0000-000000000000", "SCW_SECRET_KEY=${SCW_SECRET_KEY}",
                         f"SCW_DEFAULT_PROJECT_ID={_SECRET}"),
    ),
)


class ScalewayDetector(Detector):
    provider = "scaleway"
    title = "Scaleway"
    patterns = PATTERNS
    revoke_url = "https://console.scaleway.com/iam/api-keys"
    least_privilege = ("attach the API key to an IAM application whose policy covers only the projects "
                       "and products it uses")


detector = ScalewayDetector()
