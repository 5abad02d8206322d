"""Uploadcare secret keys.

Format: Uploadcare's REST API authentication documentation
(uploadcare.com/api-refs/rest-api/v0.7.0/#section/Authentication): a project has a public key (sent
with uploads, not secret) and a secret key used to sign REST API requests; both are 20 hex digits
with no prefix, so an Uploadcare secret-key name must stand in the assignment
(``UPLOADCARE_SECRET_KEY``). Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import assigned, fake, plausible_hex

_SECRET = fake("hex", 20, "uploadcare")

PATTERNS = (
    Pattern(
        id="uploadcare.secret_key",
        name="Uploadcare secret key",
        regex=assigned(r"uploadcare[\w.\-]{0,20}?secret", r"[0-9a-f]{20}", gap=10),
        keywords=("uploadcare",),
        kind="secret_key",
        validate=plausible_hex,
        examples=(f"UPLOADCARE_SECRET_KEY={_SECRET}", f'uploadcare_secret: "{_SECRET}"'),
        counterexamples=(f"UPLOADCARE_PUBLIC_KEY={_SECRET}", "UPLOADCARE_SECRET_KEY=demoprivatekey",
                         f"UPLOADCARE_SECRET_KEY={_SECRET[:16]}", "UPLOADCARE_SECRET_KEY=" + "0" * 20),
    ),
)


class UploadcareDetector(Detector):
    provider = "uploadcare"
    title = "Uploadcare"
    patterns = PATTERNS
    revoke_url = "https://app.uploadcare.com/projects/-/api-keys/"
    least_privilege = "keep the secret key server-side only and use signed uploads from clients"


detector = UploadcareDetector()
