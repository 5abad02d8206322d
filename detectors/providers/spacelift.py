"""Spacelift API key secrets.

Format: Spacelift's API documentation (docs.spacelift.io/integrations/api, "Spacelift API key"): an
API key is an ID (a 26-character ULID) and a secret exchanged for a JWT; the secret's shape is not
documented and has no prefix. This is a keyword-anchored rule: a Spacelift secret name in the
assignment (``SPACELIFT_API_KEY_SECRET``) and 32 to 80 alphanumerics. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import assigned, fake, plausible_alnum

_SECRET = fake("hex", 52, "spacelift")

PATTERNS = (
    Pattern(
        id="spacelift.api_key_secret",
        name="Spacelift API key secret",
        regex=assigned(r"spacelift[\w.\-]{0,30}?secret", r"[A-Za-z0-9]{32,80}", gap=10),
        keywords=("spacelift",),
        kind="api_key_secret",
        validate=plausible_alnum,
        examples=(f"SPACELIFT_API_KEY_SECRET={_SECRET}", f"--from-literal=SPACELIFT_API_KEY_SECRET='{_SECRET}'"),
        counterexamples=('export SPACELIFT_API_KEY_SECRET="your-api-key-secret"',
                         "SPACELIFT_API_KEY_SECRET=<key-secret>", "spacelift_api_key_secret=spacelift_api_key_secret",
                         "SPACELIFT_API_KEY_ID=01HV1GND58KS3MFNWM5BLF33D"),
    ),
)


class SpaceliftDetector(Detector):
    provider = "spacelift"
    title = "Spacelift"
    patterns = PATTERNS
    revoke_url = "https://docs.spacelift.io/integrations/api#spacelift-api-key-token"
    least_privilege = "create a non-admin API key with space-scoped reader or writer access to only the spaces it uses"


detector = SpaceliftDetector()
