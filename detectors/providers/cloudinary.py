"""Cloudinary API secrets and ``CLOUDINARY_URL`` credentials.

Format: Cloudinary's SDK configuration documentation (cloudinary.com/documentation/how_to_integrate_cloudinary,
"Configure the SDK"): ``CLOUDINARY_URL=cloudinary://<api_key>:<api_secret>@<cloud_name>``; the API
key is 15 digits (an identifier), the API secret 27 base64url characters. Outside the URL the secret
has no prefix, so a Cloudinary name must stand in the assignment (``CLOUDINARY_API_SECRET``).
Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import assigned, fake, plausible

_SECRET = fake("b64url", 27, "cloudinary")
_KEY = fake("digits", 15, "cloudinary-key")

PATTERNS = (
    Pattern(
        id="cloudinary.url",
        name="Cloudinary URL with API secret",
        regex=(r"\bcloudinary://(?P<api_key>[0-9]{15}):(?P<secret>[A-Za-z0-9_\-]{27})@"
               r"(?P<cloud_name>[A-Za-z0-9_\-]{1,100})"),
        keywords=("cloudinary://",),
        kind="api_secret",
        validate=lambda s: plausible(s, 3.5),
        examples=(f"CLOUDINARY_URL=cloudinary://{_KEY}:{_SECRET}@acme-media",
                  f'cloudinary.config(cloudinary_url="cloudinary://{_KEY}:{_SECRET}@demo-cloud")'),
        counterexamples=("CLOUDINARY_URL=cloudinary://<api_key>:<api_secret>@<cloud_name>",
                         "CLOUDINARY_URL=cloudinary://123456789012345:abcdefghijklmnopqrstuvwxyz0@demo",
                         f"CLOUDINARY_URL=cloudinary://{_KEY}:{_SECRET[:20]}@acme"),
    ),
    Pattern(
        id="cloudinary.api_secret",
        name="Cloudinary API secret",
        regex=assigned(r"cloudinary[\w.\-]{0,20}?secret", r"[A-Za-z0-9_\-]{27}", gap=10),
        keywords=("cloudinary",),
        kind="api_secret",
        validate=lambda s: plausible(s, 3.5),
        examples=(f"CLOUDINARY_API_SECRET={_SECRET}", f'cloudinary_secret: "{_SECRET}"'),
        counterexamples=('CLOUDINARY_API_SECRET="xxxxx"', "CLOUDINARY_API_SECRET=your-api-secret",
                         f"CLOUDINARY_API_KEY={_KEY}", "CLOUDINARY_API_SECRET=${CLOUDINARY_API_SECRET}"),
    ),
)


class CloudinaryDetector(Detector):
    provider = "cloudinary"
    title = "Cloudinary"
    patterns = PATTERNS
    revoke_url = "https://console.cloudinary.com/settings/api-keys"
    least_privilege = ("use signed upload presets for uploads and a separate API key per environment, "
                       "never the account's first key")


detector = CloudinaryDetector()
