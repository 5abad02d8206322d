"""Octopus Deploy API keys.

Format: Octopus Deploy's "How to create an API key" docs (octopus.com/docs/octopus-rest-api/how-to-
create-an-api-key): keys start ``API-`` followed by upper-case alphanumerics (26 to 32 seen) and are
sent as ``X-Octopus-ApiKey``. ``API-`` is a common word start, so the body must mix letters and
digits and look random. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import fake, plausible, prefixed


def _key_ok(secret: str) -> bool:
    body = secret[4:]
    return any(c.isdigit() for c in body) and any(c.isalpha() for c in body) and plausible(body, 3.5)


_KEY = "API-" + fake("a36", 27, "octopus").upper()

PATTERNS = (
    Pattern(
        id="octopus_deploy.api_key",
        name="Octopus Deploy API key",
        regex=prefixed(r"API-[A-Z0-9]{26,32}"),
        keywords=("api-",),
        kind="api_key",
        validate=_key_ok,
        examples=(f"OCTOPUS_API_KEY={_KEY}", f"curl -H 'X-Octopus-ApiKey: {_KEY}' https://acme.octopus.app/api/spaces"),
        counterexamples=(
            "OCTOPUS_API_KEY=API-XXXXXXXXXXXXXXXXXXXXXXXXXX",
            "OCTOPUS_API_KEY=API-AAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "OCTOPUS_API_KEY=API-KEY",
            "X-API-" + _KEY[4:],  # inside a longer word
        ),
    ),
)


class OctopusDeployDetector(Detector):
    provider = "octopus_deploy"
    title = "Octopus Deploy"
    patterns = PATTERNS
    revoke_url = "https://octopus.com/docs/octopus-rest-api/how-to-create-an-api-key"
    least_privilege = ("create the key for a service account in a team whose roles cover only the projects and "
                       "environments it deploys, with an expiry")


detector = OctopusDeployDetector()
