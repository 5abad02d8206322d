"""MinIO secret keys and root passwords.

Format: MinIO's configuration reference (min.io/docs/minio/linux/reference/minio-server/settings/root-credentials.html)
names the root credentials ``MINIO_ROOT_USER``/``MINIO_ROOT_PASSWORD`` (formerly ``MINIO_ACCESS_KEY``/
``MINIO_SECRET_KEY``); service-account secret keys are 40 characters. None has a prefix, so this
is a keyword-anchored rule: a MinIO secret/password name in the assignment and a value of 16 to 64
token characters that looks random (the documented default ``minioadmin`` is too short to match).
Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import assigned, fake, plausible_alnum

_SECRET = fake("a62", 40, "minio")
_PASSWORD = fake("a62", 24, "minio-root")

PATTERNS = (
    Pattern(
        id="minio.secret_key",
        name="MinIO secret key or root password",
        regex=assigned(r"minio[\w.\-]{0,20}?(?:secret[_.\-]?key|root[_.\-]?password|password)",
                       r"[A-Za-z0-9+/=_\-]{16,64}", gap=10),
        keywords=("minio",),
        kind="secret_key",
        validate=lambda s: plausible_alnum(s.replace("/", "").replace("+", "")),
        examples=(f"MINIO_SECRET_KEY={_SECRET}", f'MINIO_ROOT_PASSWORD: "{_PASSWORD}"'),
        counterexamples=("MINIO_ROOT_PASSWORD=minioadmin", "MINIO_SECRET_KEY=${MINIO_SECRET_KEY}",
                         "MINIO_ROOT_PASSWORD=changeme-changeme-changeme", f"MINIO_ROOT_USER={_PASSWORD}"),
    ),
)


class MinIODetector(Detector):
    provider = "minio"
    title = "MinIO"
    patterns = PATTERNS
    revoke_url = "https://min.io/docs/minio/linux/administration/identity-access-management/minio-user-management.html"
    least_privilege = ("give the application its own access key with a policy on only its buckets, "
                       "never the root credentials")


detector = MinIODetector()
