"""Stytch project secrets.

Format: Stytch's API keys documentation (stytch.com/docs/api-reference, "Authentication"; the
dashboard's API Keys page): a project secret starts ``secret-test-`` or ``secret-live-`` followed by
a base64 body, and is used with the project ID (``project-test-…``, an identifier) for HTTP Basic
authentication. Public tokens (``public-token-…``) are not secret. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import fake, plausible_alnum, prefixed

_TEST = "secret-test-" + fake("a62", 22, "stytch-test-a") + "_" + fake("a62", 12, "stytch-test-b") + "="
_LIVE = "secret-live-" + fake("a62", 35, "stytch-live") + "="


def _random(secret: str) -> bool:
    return plausible_alnum(secret[12:].rstrip("=").replace("_", "").replace("-", ""))


PATTERNS = (
    Pattern(
        id="stytch.secret",
        name="Stytch project secret",
        regex=prefixed(r"secret-(?P<mode>test|live)-[A-Za-z0-9_\-]{28,60}={0,2}"),
        keywords=("secret-test-", "secret-live-"),
        kind="secret",
        validate=_random,
        examples=(f"STYTCH_SECRET={_TEST}", f'stytch.Client(project_id=PROJECT_ID, secret="{_LIVE}")'),
        counterexamples=("STYTCH_SECRET=secret-test-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
                         "STYTCH_SECRET=secret-test-12345678901234567890abcdabcd", "STYTCH_SECRET=secret-test-OMITTED",
                         "name: my-secret-test-database-credentials-for-staging"),
    ),
)


class StytchDetector(Detector):
    provider = "stytch"
    title = "Stytch"
    patterns = PATTERNS
    revoke_url = "https://stytch.com/dashboard/api-keys"
    least_privilege = "keep live secrets server-side in the live environment only and rotate them from the dashboard"


detector = StytchDetector()
