"""Algolia admin and write API keys.

Format: Algolia's API keys guide (algolia.com/doc/guides/security/api-keys/): keys are 32 hex
characters, used with a 10-character application ID. The search-only key is public by design (it
ships to browsers) and is not reported; an Algolia admin/write/API key name must stand in the
assignment. The application ID nearby is kept as context. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import assigned, fake, plausible_hex

_KEY = fake("hex", 32, "algolia")

PATTERNS = (
    Pattern(
        id="algolia.admin_key",
        name="Algolia admin or write API key",
        regex=assigned(r"algolia[_.\-]?(?:admin|write)[_.\-]?(?:api[_.\-]?)?key", r"[0-9a-f]{32}", gap=0),
        keywords=("algolia",),
        kind="admin_key",
        validate=plausible_hex,
        examples=(f"ALGOLIA_ADMIN_KEY={_KEY}", f'algolia_write_api_key: "{_KEY}"'),
        counterexamples=(f"ALGOLIA_SEARCH_KEY={_KEY}", "ALGOLIA_ADMIN_KEY=" + "0" * 32),
    ),
    Pattern(
        id="algolia.api_key",
        name="Algolia API key",
        regex=assigned(r"algolia[_.\-]?(?:api[_.\-]?key|secret|private[_.\-]?key)", r"[0-9a-f]{32}", gap=0),
        keywords=("algolia",),
        kind="api_key",
        validate=plausible_hex,
        examples=(f"ALGOLIA_API_KEY={_KEY}",),
        counterexamples=(f"ALGOLIA_SEARCH_API_KEY={_KEY}", f"NEXT_PUBLIC_ALGOLIA_SEARCH_KEY={_KEY}",
                         "ALGOLIA_API_KEY=<your-admin-api-key>"),
    ),
)


class AlgoliaDetector(Detector):
    provider = "algolia"
    title = "Algolia"
    patterns = PATTERNS
    revoke_url = "https://dashboard.algolia.com/account/api-keys"
    least_privilege = ("create a secured API key restricted to the indices and ACLs (search, addObject) the "
                       "service needs, never the admin key")
    context_patterns = {
        "app_id": r"(?i:algolia[_.\-]?app(?:lication)?[_.\-]?id)[\"']?\s*[:=]\s*[\"']?([A-Z0-9]{10})\b",
    }


detector = AlgoliaDetector()
