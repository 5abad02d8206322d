"""Aiven personal and application tokens.

Format: Aiven's token documentation (aiven.io/docs/platform/concepts/authentication-tokens) describes
personal and application tokens used as Bearer tokens with the API, CLI and Terraform provider, but
not their shape; they are long base64 strings with no prefix. This is a keyword-anchored rule: an
Aiven token/API-key name in the assignment (``AIVEN_TOKEN``, ``AIVEN_API_TOKEN``) and 40 to 600
base64 characters. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import assigned, fake, plausible

_TOKEN = fake("a62", 120, "aiven-a") + "/" + fake("a62", 80, "aiven-b") + "+" + fake("a62", 30, "aiven-c") + "=="

PATTERNS = (
    Pattern(
        id="aiven.token",
        name="Aiven personal or application token",
        regex=assigned(r"aiven[\w.\-]{0,30}?(?:token|api[_.\-]?key)", r"[A-Za-z0-9+/]{40,600}={0,2}", gap=10),
        keywords=("aiven",),
        kind="token",
        validate=lambda s: plausible(s, 4.0),
        examples=(f"AIVEN_TOKEN={_TOKEN}", f'aiven_api_token = "{_TOKEN}"'),
        counterexamples=("AIVEN_TOKEN=your_aiven_api_token", "AIVEN_TOKEN=<your aiven token>",
                         'export AIVEN_TOKEN="$(aiven user access-token create --json | jq -r .full_token)"',
                         "AIVEN_TOKEN=" + fake("a62", 30, "aiven-short")),
    ),
)


class AivenDetector(Detector):
    provider = "aiven"
    title = "Aiven"
    patterns = PATTERNS
    revoke_url = "https://console.aiven.io/profile/tokens"
    least_privilege = ("use an application user's token with a session duration and an allowed IP range, "
                       "limited to the projects it manages")


detector = AivenDetector()
