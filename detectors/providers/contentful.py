"""Contentful personal access tokens (Content Management API).

Format: Contentful's authentication docs (contentful.com/developers/docs/references/
authentication/, "Personal access tokens"): CMA personal access tokens start ``CFPAT-`` followed by
43 base64url characters. Delivery and preview API keys (read-only, often public) carry no prefix
and are not reported. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import fake, plausible_alnum, prefixed

_TOKEN = "CFPAT-" + fake("b64url", 43, "contentful")

PATTERNS = (
    Pattern(
        id="contentful.personal_access_token",
        name="Contentful personal access token",
        regex=prefixed(r"CFPAT-[A-Za-z0-9_\-]{43}"),
        keywords=("cfpat-",),
        kind="personal_access_token",
        validate=lambda s: plausible_alnum(s[6:]),
        examples=(
            f"CONTENTFUL_MANAGEMENT_TOKEN={_TOKEN}",
            f"const client = contentful.createClient({{ accessToken: '{_TOKEN}' }})",
        ),
        counterexamples=("CONTENTFUL_MANAGEMENT_TOKEN=" + _TOKEN[:-1], "CFPAT-" + "x" * 43, "if (!/^CFPAT-/.test(t))"),
    ),
)


class ContentfulDetector(Detector):
    provider = "contentful"
    title = "Contentful"
    patterns = PATTERNS
    revoke_url = "https://app.contentful.com/account/profile/cma_tokens"
    least_privilege = ("use an environment-scoped CMA token of a user with a custom role limited to the content "
                       "types it edits, with an expiry")


detector = ContentfulDetector()
