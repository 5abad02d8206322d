"""Bugsnag API keys and personal auth tokens.

Format: Bugsnag's docs (docs.bugsnag.com/api/data-access/#authentication and the notifier
configuration ``apiKey``): project notifier API keys are 32 hex characters, and Data Access API
personal auth tokens have no documented prefix either. Only a Bugsnag name in the assignment marks
one. A notifier key in a mobile or browser app is public by design; it still lets anyone send errors
to the project. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import assigned, fake, plausible_hex

_KEY = fake("hex", 32, "bugsnag")

PATTERNS = (
    Pattern(
        id="bugsnag.api_key",
        name="Bugsnag API key",
        regex=assigned(r"bugsnag", r"[0-9a-f]{32}"),
        keywords=("bugsnag",),
        kind="api_key",
        validate=plausible_hex,
        examples=(f"BUGSNAG_API_KEY={_KEY}", f'bugsnag_api_key: "{_KEY}"'),
        counterexamples=(
            "BUGSNAG_RELEASE_STAGE=production",
            "BUGSNAG_API_KEY=" + _KEY[:-1],
            "BUGSNAG_API_KEY=" + "f" * 32,
        ),
    ),
)


class BugsnagDetector(Detector):
    provider = "bugsnag"
    title = "Bugsnag"
    patterns = PATTERNS
    revoke_url = "https://app.bugsnag.com/settings/my-account"
    least_privilege = "use a separate project (and notifier key) per app, and keep personal auth tokens out of code"


detector = BugsnagDetector()
