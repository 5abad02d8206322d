"""Gitea access tokens.

Format: Gitea's API usage documentation (docs.gitea.com/development/api-usage, "Generating and
listing API tokens"): access tokens are 40 hex digits (the SHA-1-sized ``sha1`` field) with no
prefix, so a Gitea name must stand in the assignment (``GITEA_TOKEN``, ``GITEA_ACCESS_TOKEN``).
Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import assigned, fake, plausible_hex

_TOKEN = fake("hex", 40, "gitea")

PATTERNS = (
    Pattern(
        id="gitea.access_token",
        name="Gitea access token",
        regex=assigned(r"gitea[\w.\-]{0,30}?(?:token|api[_.\-]?key|pat)", r"[0-9a-f]{40}", gap=10),
        keywords=("gitea",),
        kind="access_token",
        validate=plausible_hex,
        examples=(f"GITEA_TOKEN={_TOKEN}", f'gitea_access_token: "{_TOKEN}"'),
        counterexamples=(f"GITEA_TOKEN={_TOKEN[:32]}", "GITEA_TOKEN=${GITEA_TOKEN}", "GITEA_TOKEN=" + "0" * 40,
                         f"GITEA_COMMIT_SHA={_TOKEN}"),
    ),
)


class GiteaDetector(Detector):
    provider = "gitea"
    title = "Gitea"
    patterns = PATTERNS
    revoke_url = "https://docs.gitea.com/development/api-usage#generating-and-listing-api-tokens"
    least_privilege = ("create a scoped token (read:repository, or write on only the scope it needs) "
                       "instead of an all-access one")


detector = GiteaDetector()
