"""Notion integration tokens.

Format: Notion's authorization guide (developers.notion.com/docs/authorization) and its changelog
of September 2024 (internal integration tokens moved from the ``secret_`` prefix to ``ntn_``):
``secret_`` + 43 base62 characters (legacy), ``ntn_`` + 46 characters (11 digits, then base62).
Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import plausible_alnum, prefixed

PATTERNS = (
    Pattern(
        id="notion.integration_token",
        name="Notion integration token",
        regex=prefixed(r"ntn_[0-9]{11}[A-Za-z0-9]{35}"),
        keywords=("ntn_",),
        kind="integration_token",
        validate=lambda s: plausible_alnum(s[4:]),
        examples=(
            "NOTION_TOKEN=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",
            'notion = Client(auth="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")',
        ),
        counterexamples=(
            "NOTION_TOKEN=ntn_30418276591uYN7flFxW0ErnoJZa0tHyEv67ENxy94btv",  # 45 characters
            "ntn_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "my_ntn_30418276591uYN7flFxW0ErnoJZa0tHyEv67ENxy94btvJ",  # inside an identifier
        ),
    ),
    Pattern(
        id="notion.legacy_integration_token",
        name="Notion integration token (legacy secret_ prefix)",
        regex=prefixed(r"secret_[A-Za-z0-9]{43}"),
        keywords=("secret_",),
        kind="integration_token",
        validate=lambda s: plausible_alnum(s[7:]) and sum(c.isdigit() for c in s) >= 3,
        examples=(
            "NOTION_API_KEY=secret_xObcttmSdVDooFQenRQcsx88YSpftOc7W6deOVsGbFU",
            'const notion = new Client({ auth: "secret_vyp3MQYx6tSFz000Nk1OO24DYe9l4WvwfkX1flRd502" })',
        ),
        counterexamples=(
            "secret_key_base_for_this_rails_application_here",  # underscores: an identifier
            "secret_xObcttmSdVDooFQenRQcsx88YSpftOc7W6deOVsGb",  # 41 characters
            "secret_ThisIsTheNameOfAVeryLongConstantInCamelCaseX",  # no digits: a name
            "my_secret_xObcttmSdVDooFQenRQcsx88YSpftOc7W6deOVsGbFU",
        ),
    ),
)


class NotionDetector(Detector):
    provider = "notion"
    title = "Notion"
    patterns = PATTERNS
    revoke_url = "https://www.notion.so/profile/integrations"
    least_privilege = ("create an internal integration with only the read-content capability and share "
                       "only the pages it needs with it")


detector = NotionDetector()
