"""Adobe Developer Console OAuth client secrets.

Format: Adobe Developer Console OAuth Server-to-Server credentials
(developer.adobe.com/developer-console/docs/guides/authentication/ServerToServerAuthentication/):
the client secret shown under the credential starts ``p8e-`` followed by 32 alphanumerics. The
client ID is public and not reported. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import fake, plausible_alnum, prefixed

_SECRET = "p8e-" + fake("a62", 32, "adobe")

PATTERNS = (
    Pattern(
        id="adobe.client_secret",
        name="Adobe OAuth client secret",
        regex=prefixed(r"p8e-[A-Za-z0-9]{32}"),
        keywords=("p8e-",),
        kind="client_secret",
        validate=lambda s: plausible_alnum(s[4:]),
        examples=(f"ADOBE_CLIENT_SECRET={_SECRET}", f"-d 'client_secret={_SECRET}&grant_type=client_credentials'"),
        counterexamples=("ADOBE_CLIENT_SECRET=" + _SECRET[:-1], "p8e-" + "x" * 32, "xp8e-" + _SECRET[4:]),
    ),
)


class AdobeDetector(Detector):
    provider = "adobe"
    title = "Adobe Developer Console"
    patterns = PATTERNS
    revoke_url = "https://developer.adobe.com/console/projects"
    least_privilege = "add only the APIs and product profiles the integration calls to its project"


detector = AdobeDetector()
