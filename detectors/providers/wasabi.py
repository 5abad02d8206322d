"""Wasabi secret access keys.

Format: Wasabi's access key documentation (docs.wasabi.com, "Creating a Wasabi API Access Key Set"):
Wasabi keys follow the S3 shape, a 20-character access key ID and a 40-character secret key with no
prefix, so a Wasabi name must stand in the assignment (``WASABI_SECRET_KEY``). The access key ID is
an identifier and is not reported. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import assigned, fake, plausible_alnum

_SECRET = fake("a62", 24, "wasabi-a") + "/" + fake("a62", 15, "wasabi-b")

PATTERNS = (
    Pattern(
        id="wasabi.secret_key",
        name="Wasabi secret access key",
        regex=assigned(r"wasabi[\w.\-]{0,30}?secret", r"[A-Za-z0-9+/]{40}", gap=15),
        keywords=("wasabi",),
        kind="secret_key",
        validate=lambda s: plausible_alnum(s.replace("/", "").replace("+", "")),
        examples=(f"WASABI_SECRET_KEY={_SECRET}", f'wasabi_secret_access_key = "{_SECRET}"'),
        counterexamples=(f"WASABI_SECRET_KEY={_SECRET[:36]}", "WASABI_SECRET_KEY=${WASABI_SECRET_KEY}",
                         "WASABI_SECRET_KEY=" + "X" * 40, f"WASABI_ACCESS_KEY={_SECRET}"),
    ),
)


class WasabiDetector(Detector):
    provider = "wasabi"
    title = "Wasabi"
    patterns = PATTERNS
    revoke_url = "https://console.wasabisys.com/#/access_keys"
    least_privilege = "issue the key to a sub-user whose policy allows only the buckets and actions it uses"


detector = WasabiDetector()
