"""ImageKit private API keys.

Format: ImageKit's API keys documentation (imagekit.io/docs/api-keys): the private key is the HTTP
Basic username for the API and must stay secret (the public key may be published). Private keys
seen in configuration are ``private_`` followed by 28 base64 characters ending ``=`` (the base64
of 20 bytes); public keys are the same shape with ``public_`` and are not reported. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import fake, plausible, prefixed

_KEY = "private_" + fake("a62", 12, "imagekit-a") + "/" + fake("a62", 14, "imagekit-b") + "="

PATTERNS = (
    Pattern(
        id="imagekit.private_key",
        name="ImageKit private API key",
        regex=prefixed(r"private_[A-Za-z0-9+/]{27}="),
        keywords=("private_",),
        kind="private_key",
        validate=lambda s: plausible(s[8:-1], 3.5),
        examples=(f"IMAGEKIT_PRIVATE_KEY={_KEY}", f'new ImageKit({{ privateKey: "{_KEY}" }})'),
        counterexamples=("IMAGEKIT_PRIVATE_KEY=private_xxxxxxxxxxxx", "IMAGEKIT_PRIVATE_KEY=private_key_from_imagekit",
                         "IMAGEKIT_PUBLIC_KEY=public_" + fake("a62", 27, "ik-public") + "=",
                         "IMAGEKIT_PRIVATE_KEY=private_rj5r/x7..."),
    ),
)


class ImageKitDetector(Detector):
    provider = "imagekit"
    title = "ImageKit"
    patterns = PATTERNS
    revoke_url = "https://imagekit.io/dashboard/developer/api-keys"
    least_privilege = "create a restricted API key with read-only or no access to each API it does not use"


detector = ImageKitDetector()
