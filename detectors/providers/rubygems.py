"""RubyGems.org API keys.

Format (guides.rubygems.org/api-key-scopes; RubyGems is a GitHub secret scanning partner):
``rubygems_`` + 48 lower-case hex digits. Keys are stored by ``gem signin`` in
``~/.gem/credentials`` as ``:rubygems_api_key: rubygems_…``.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern

PATTERNS = (
    Pattern(
        id="rubygems.api_key",
        name="RubyGems.org API key",
        regex=r"\b(?P<secret>rubygems_[a-f0-9]{48})\b",
        keywords=("rubygems_",),
        kind="api_key",
        examples=(
            "---\n:rubygems_api_key: rubygems_d9e27e01946bcb87a952b749d83e65bef88cdeff4fc9b2e8",
            "GEM_HOST_API_KEY=rubygems_19134484f3d70176649cf53b45148c1fbda9d7cc1814d15c",
        ),
        counterexamples=(
            ":rubygems_api_key: rubygems_573e32116644151853b6e8230dd180679cc71a99a0ce548",  # 47 digits
            "GEM_HOST_API_KEY=rubygems_E7UH2U57080Q8SXS213F60823S0NGROSAMVOGG4PCFUR03WL",  # not hex
            "GEM_HOST_API_KEY=rubygems_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        ),
    ),
)


class RubyGemsDetector(Detector):
    provider = "rubygems"
    title = "RubyGems.org"
    patterns = PATTERNS
    revoke_url = "https://rubygems.org/profile/api_keys"
    least_privilege = "create a key with only the push_rubygem scope, limited to the one gem, with MFA required"


detector = RubyGemsDetector()
