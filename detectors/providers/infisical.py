"""Infisical service tokens.

Format: Infisical's service token documentation (infisical.com/docs/documentation/platform/token and
infisical.com/docs/internals/service-tokens): a token is ``st.`` + the token ID + ``.`` + a hex
secret + ``.`` + a hex symmetric key (``st.<id>.<hex>.<hex>``); everything before the last dot
authenticates, the last part decrypts the project key. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import END_DOT, fake, plausible_hex

_H = fake("hex", 32, "infisical-id")
_TOKEN = (f"st.{_H[:8]}-{_H[8:12]}-{_H[12:16]}-{_H[16:20]}-{_H[20:]}."
          + fake("hex", 32, "infisical-secret") + "." + fake("hex", 32, "infisical-key"))
_OBJECT_ID = ("st." + fake("hex", 24, "infisical-oid") + "." + fake("hex", 32, "infisical-s2") + "."
              + fake("hex", 32, "infisical-k2"))


def _random(secret: str) -> bool:
    parts = secret.split(".")
    return plausible_hex(parts[2]) and plausible_hex(parts[3])


PATTERNS = (
    Pattern(
        id="infisical.service_token",
        name="Infisical service token",
        regex=r"(?:^|[^A-Za-z0-9_\-.])(?P<secret>st\.[0-9a-f\-]{24,36}\.[0-9a-f]{32}\.[0-9a-f]{32})" + END_DOT,
        keywords=("st.",),
        kind="service_token",
        validate=_random,
        examples=(f"INFISICAL_TOKEN={_TOKEN}", f"infisical run --token={_OBJECT_ID} -- npm start"),
        counterexamples=("INFISICAL_TOKEN=st.xxxx.yyyy.zzzz",
                         "export INFISICAL_TOKEN=st.xyzwabcd.0987654321.abcdefghijklmnop",
                         "INFISICAL_TOKEN=st." + "0" * 24 + "." + "0" * 32 + "." + "0" * 32),
    ),
)


class InfisicalDetector(Detector):
    provider = "infisical"
    title = "Infisical"
    patterns = PATTERNS
    revoke_url = "https://app.infisical.com"
    least_privilege = "replace the service token with a machine identity limited to one environment and path, read-only"


detector = InfisicalDetector()
