"""PostHog personal API keys.

Format (posthog.com/docs/api#how-to-obtain-a-personal-api-key; PostHog is a GitHub secret scanning
partner): ``phx_`` + 43 alphanumerics. The project API key ``phc_…`` is public by design (it ships
in every web page that captures events) and is not reported.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern

PATTERNS = (
    Pattern(
        id="posthog.personal_api_key",
        name="PostHog personal API key",
        regex=r"\b(?P<secret>phx_[A-Za-z0-9]{43})\b",
        keywords=("phx_",),
        kind="personal_api_key",
        examples=(
            "POSTHOG_PERSONAL_API_KEY=phx_daPWfcISQGmzOnmV5MdZAZqq7cvO25Bs39rhcM6WcmW",
            'posthog.personal_api_key = "phx_kL6mc8oeirDUiNdW3hryxG8bVeAk1VY0hRta5CKf1TR"',
        ),
        counterexamples=(
            "POSTHOG_API_KEY=phc_UnoSvfFKsSlnwn47GOCZ4DVFKkrdjKEEiX0CXGSzMmN",  # project key: public
            "POSTHOG_PERSONAL_API_KEY=phx_tEEuAFedgnjbQvOhjFbHGDS1p3WkYJGMXuRnfXR4",  # too short
            "graphx_HFR0qN000twn0eU8bUlJKK7UoavELImifvGcop1lw7b",  # inside a word
        ),
    ),
)


class PostHogDetector(Detector):
    provider = "posthog"
    title = "PostHog"
    patterns = PATTERNS
    revoke_url = "https://us.posthog.com/settings/user-api-keys"
    least_privilege = "create a personal API key scoped to one project with only the read scopes it needs"


detector = PostHogDetector()
