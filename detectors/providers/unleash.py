"""Unleash API tokens.

Format: Unleash's API token documentation (docs.getunleash.io/concepts/api-tokens-and-client-keys,
and the ``secret`` example ``project:environment.xyzrandomstring``): backend, frontend and admin
tokens are ``<project>:<environment>.<hex>``, where project may be ``*`` (all projects) or ``[]``
and the hex part is 56 or 64 digits. Tokens for all projects (``*:development.…``, admin ``*:*.…``)
are recognised anywhere; project-scoped ones only on a line that names Unleash. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import END, fake, plausible_hex

_TOKEN = r"(?:\*|\[\]|[a-z0-9][a-z0-9_\-]{0,99}):(?:\*|[a-z0-9][a-z0-9_\-]{0,99})\.[0-9a-f]{56,64}"
_DEV = "*:development." + fake("hex", 56, "unleash-dev")
_ADMIN = "*:*." + fake("hex", 64, "unleash-admin")
_PROJECT = "checkout:production." + fake("hex", 56, "unleash-project")


def _hash_ok(secret: str) -> bool:
    return plausible_hex(secret.rsplit(".", 1)[1])


PATTERNS = (
    Pattern(
        id="unleash.all_projects_token",
        name="Unleash API token (all projects)",
        regex=(r"(?:^|[^A-Za-z0-9_\-*\]:.])(?P<secret>\*:(?:\*|development|production|default|staging)"
               r"\.[0-9a-f]{56,64})" + END),
        keywords=("*:*.", "*:development.", "*:production.", "*:default.", "*:staging."),
        kind="api_token",
        validate=_hash_ok,
        examples=(f"Authorization: '{_DEV}'", f"INIT_ADMIN_API_TOKENS={_ADMIN}"),
        counterexamples=('INIT_ADMIN_API_TOKENS="*:*.unleash-insecure-admin-token"',
                         'EdgeToken::try_from("*:development.abcdefghijklmnopqrstuvwxyz")',
                         "*:development." + "0" * 56),
    ),
    Pattern(
        id="unleash.api_token",
        name="Unleash API token",
        regex=r"(?i:unleash)[^\n]{0,100}?[\"'\s=:,(](?P<secret>" + _TOKEN + ")" + END,
        keywords=("unleash",),
        kind="api_token",
        validate=_hash_ok,
        examples=(f"UNLEASH_API_TOKEN={_PROJECT}", f'unleash.WithToken("{_PROJECT}"),'),
        counterexamples=('unleash.WithToken("*:development.xxxxxxxx"),', "UNLEASH_API_TOKEN=${UNLEASH_API_TOKEN}",
                         "UNLEASH_URL=https://unleash.acme.test/api"),
    ),
)


class UnleashDetector(Detector):
    provider = "unleash"
    title = "Unleash"
    patterns = PATTERNS
    revoke_url = "https://docs.getunleash.io/concepts/api-tokens-and-client-keys"
    least_privilege = "use a backend token for one project and one environment, never an admin (*:*) token"


detector = UnleashDetector()
