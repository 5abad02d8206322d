"""Flagsmith server-side environment keys.

Format: Flagsmith's SDK documentation (docs.flagsmith.com/clients/server-side, "Server-side
environment keys"): server-side keys start ``ser.`` and must be kept secret (client-side environment
keys have no prefix and are public). The body is alphanumeric. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import END_DOT, fake, plausible_alnum

_KEY = "ser." + fake("a62", 22, "flagsmith") + "7Q"


def _random(secret: str) -> bool:
    body = secret[4:]
    return (any(c.isdigit() for c in body) and any(c.isupper() for c in body) and any(c.islower() for c in body)
            and plausible_alnum(body))


PATTERNS = (
    Pattern(
        id="flagsmith.server_key",
        name="Flagsmith server-side environment key",
        regex=r"(?:^|[^A-Za-z0-9_\-.])(?P<secret>ser\.[A-Za-z0-9]{20,64})" + END_DOT,
        keywords=("ser.",),
        kind="server_key",
        validate=_random,
        examples=(f"FLAGSMITH_ENVIRONMENT_KEY={_KEY}", f'flagsmith = Flagsmith(environment_key="{_KEY}")'),
        counterexamples=("FLAGSMITH_ENVIRONMENT_KEY=ser.xxxxxxxxxxxxxxxxxxxxxx", "user.ConfigurationManagerFactory",
                         "obj.ser.ConfigurationManagerFactory1", "ser.ConfigurationManagerFactory.build()"),
    ),
)


class FlagsmithDetector(Detector):
    provider = "flagsmith"
    title = "Flagsmith"
    patterns = PATTERNS
    revoke_url = "https://app.flagsmith.com"
    least_privilege = "use a separate server-side key per environment and keep it out of client code"


detector = FlagsmithDetector()
