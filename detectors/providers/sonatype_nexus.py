"""Sonatype Nexus Repository passwords and user tokens.

Format: Sonatype's user token documentation (help.sonatype.com/en/user-tokens.html) describes a name
code and pass code used in place of a username and password, without publishing their shape, and
Nexus passwords have none. This is a keyword-anchored rule: a Nexus password/token name in the
assignment (``NEXUS_PASSWORD``, ``nexusToken``) and a 16-to-64 character value with at least three
of lower case, upper case, digits and symbols. Passwords in repository URLs are
credentials_url.py's. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import assigned, fake, plausible


def _random(secret: str) -> bool:
    classes = sum((any(c.islower() for c in secret), any(c.isupper() for c in secret),
                   any(c.isdigit() for c in secret), any(not c.isalnum() for c in secret)))
    return classes >= 3 and plausible(secret, 3.3)


_PASS_CODE = fake("a62", 30, "nexus-a") + "+" + fake("a62", 13, "nexus-b")
_PASSWORD = fake("a62", 12, "nexus-pw-a") + "!" + fake("a62", 7, "nexus-pw-b") + "4"

PATTERNS = (
    Pattern(
        id="sonatype_nexus.password",
        name="Sonatype Nexus password or user token pass code",
        regex=assigned(r"nexus[\w.\-]{0,30}?(?:password|passwd|pass[_.\-]?code|token|pwd)",
                       r"[A-Za-z0-9+/=_!#%&*,;<>?@^~\-]{16,64}", gap=10),
        keywords=("nexus",),
        kind="password",
        validate=_random,
        examples=(f"NEXUS_PASSWORD={_PASSWORD}", f'nexusToken: "{_PASS_CODE}"', f"nexus.passcode={_PASS_CODE}"),
        counterexamples=("NEXUS_PASSWORD=admin123", "NEXUS_PASSWORD=${NEXUS_PASSWORD}",
                         "NEXUS_PASSWORD=changeme-changeme", "NEXUS_TOKEN=your-nexus-token-here",
                         "nexus_password = os.environ['NEXUS_PASSWORD']"),
    ),
)


class SonatypeNexusDetector(Detector):
    provider = "sonatype_nexus"
    title = "Sonatype Nexus Repository"
    patterns = PATTERNS
    revoke_url = "https://help.sonatype.com/en/user-tokens.html"
    least_privilege = ("use a user token for a deployment user whose roles cover only the repositories it "
                       "publishes to, never the admin account")


detector = SonatypeNexusDetector()
