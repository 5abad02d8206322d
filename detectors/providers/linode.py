"""Linode (Akamai Cloud) personal access tokens.

Format: Linode's API documentation (techdocs.akamai.com/linode-api/reference/get-started, "Personal
access tokens"): a token is 64 hexadecimal characters with no prefix, so a Linode name must stand
in the assignment (``LINODE_TOKEN``, ``LINODE_CLI_TOKEN``). Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import assigned, fake, plausible_hex

_TOKEN = fake("hex", 64, "linode")

PATTERNS = (
    Pattern(
        id="linode.personal_access_token",
        name="Linode personal access token",
        regex=assigned(r"linode[\w.\-]{0,30}?(?:token|api[_.\-]?key|pat)", r"[a-f0-9]{64}", gap=10),
        keywords=("linode",),
        kind="personal_access_token",
        validate=plausible_hex,
        examples=(f"LINODE_TOKEN={_TOKEN}", f'linode_api_token = "{_TOKEN}"', f"export LINODE_CLI_TOKEN={_TOKEN}"),
        counterexamples=(f"LINODE_TOKEN={_TOKEN[:60]}", "LINODE_TOKEN=${LINODE_TOKEN}", "LINODE_TOKEN=" + "0" * 64,
                         f"LINODE_REGION={_TOKEN}"),
    ),
)


class LinodeDetector(Detector):
    provider = "linode"
    title = "Linode (Akamai Cloud)"
    patterns = PATTERNS
    revoke_url = "https://cloud.linode.com/profile/tokens"
    least_privilege = "create a personal access token with read-only or no access on every scope it does not use"


detector = LinodeDetector()
