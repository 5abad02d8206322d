"""Hetzner Cloud API tokens.

Format: Hetzner Cloud's API documentation (docs.hetzner.cloud/#authentication) and the hcloud CLI
(``HCLOUD_TOKEN``): a project API token is 64 alphanumerics with no prefix, so a Hetzner/hcloud name
must stand in the assignment. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import assigned, fake, plausible_alnum

_TOKEN = fake("a62", 64, "hetzner")

PATTERNS = (
    Pattern(
        id="hetzner.api_token",
        name="Hetzner Cloud API token",
        regex=assigned(r"(?:hcloud|hetzner)[\w.\-]{0,30}?(?:token|api[_.\-]?key)", r"[A-Za-z0-9]{64}", gap=10),
        keywords=("hcloud", "hetzner"),
        kind="api_token",
        validate=plausible_alnum,
        examples=(f"HCLOUD_TOKEN={_TOKEN}", f'hetzner_api_token = "{_TOKEN}"'),
        counterexamples=(f"HCLOUD_TOKEN={_TOKEN[:60]}", "HCLOUD_TOKEN=${HCLOUD_TOKEN}", "HCLOUD_TOKEN=" + "a" * 64,
                         f"HCLOUD_TOKEN={_TOKEN}ab"),
    ),
)


class HetznerDetector(Detector):
    provider = "hetzner"
    title = "Hetzner Cloud"
    patterns = PATTERNS
    revoke_url = "https://console.hetzner.cloud/projects"
    least_privilege = "create a read-only token in a project that holds only the servers this tool manages"


detector = HetznerDetector()
