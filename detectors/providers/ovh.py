"""OVHcloud API application secrets and consumer keys.

Format: OVHcloud's "First steps with the OVHcloud APIs" guide
(help.ovhcloud.com/csm/en-api-getting-started-ovhcloud-api): an application has an application key
(16 alphanumerics, an identifier), an application secret (32 alphanumerics) and, per authorization,
a consumer key (32 alphanumerics). None has a prefix, so an OVH name must stand in the assignment
(``OVH_APPLICATION_SECRET``, ``OVH_CONSUMER_KEY``). Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import assigned, fake, plausible_alnum

_SECRET = fake("a62", 32, "ovh-secret")
_CONSUMER = fake("a62", 32, "ovh-consumer")

PATTERNS = (
    Pattern(
        id="ovh.application_secret",
        name="OVHcloud API application secret or consumer key",
        regex=assigned(r"ovh[\w.\-]{0,20}?(?:app(?:lication)?[_.\-]?secret|consumer[_.\-]?key)", r"[A-Za-z0-9]{32}",
                       gap=10),
        keywords=("ovh",),
        kind="application_secret",
        validate=plausible_alnum,
        examples=(f"OVH_APPLICATION_SECRET={_SECRET}", f"OVH_CONSUMER_KEY={_CONSUMER}",
                  f'ovh_application_secret: "{_SECRET}"'),
        counterexamples=(f"OVH_APPLICATION_KEY={_SECRET[:16]}", f"OVH_APPLICATION_SECRET={_SECRET[:28]}",
                         "OVH_CONSUMER_KEY=${OVH_CONSUMER_KEY}", "OVH_APPLICATION_SECRET=" + "x" * 32),
    ),
)


class OVHDetector(Detector):
    provider = "ovh"
    title = "OVHcloud"
    patterns = PATTERNS
    revoke_url = "https://api.ovh.com/console/#/me/api/application"
    least_privilege = "request a consumer key whose access rules allow only the API paths and methods it calls"


detector = OVHDetector()
