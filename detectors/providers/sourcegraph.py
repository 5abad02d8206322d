"""Sourcegraph access tokens.

Format: Sourcegraph's access token docs (sourcegraph.com/docs/cli/how-tos/creating-an-access-token)
and its token generator: tokens created since 5.x are ``sgp_`` + a 16-hex instance identifier (or
``local`` on a dev instance) + ``_`` + 40 hex; older ones are ``sgp_`` + 40 hex. Tokens are sent as
``Authorization: token <token>`` and read from ``SRC_ACCESS_TOKEN``. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import fake, plausible_hex, prefixed

_TOKEN = "sgp_" + fake("hex", 16, "sourcegraph-instance") + "_" + fake("hex", 40, "sourcegraph")
_LEGACY = "sgp_" + fake("hex", 40, "sourcegraph-legacy")

PATTERNS = (
    Pattern(
        id="sourcegraph.access_token",
        name="Sourcegraph access token",
        regex=prefixed(r"sgp_(?:(?P<instance>[0-9a-f]{16}|local)_)?[0-9a-f]{40}"),
        keywords=("sgp_",),
        kind="access_token",
        validate=lambda s: plausible_hex(s[-40:]),
        examples=(f"SRC_ACCESS_TOKEN={_TOKEN}", f"curl -H 'Authorization: token {_LEGACY}' https://sourcegraph.acme.dev"),
        counterexamples=(
            "SRC_ACCESS_TOKEN=sgp_" + "a" * 40,
            "SRC_ACCESS_TOKEN=sgp_" + "f0" * 20,
            "function sgp_local_acronyms()",
            "SRC_ACCESS_TOKEN=" + _LEGACY[:-1],
        ),
    ),
)


class SourcegraphDetector(Detector):
    provider = "sourcegraph"
    title = "Sourcegraph"
    patterns = PATTERNS
    revoke_url = "https://sourcegraph.com/user/settings/tokens"
    least_privilege = "create the token with the user:all scope only (never site-admin:sudo) and an expiry"


detector = SourcegraphDetector()
