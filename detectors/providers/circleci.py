"""CircleCI personal and project API tokens.

Formats (circleci.com/docs/managing-api-tokens; CircleCI is a GitHub secret scanning partner):
personal API tokens are ``CCIPAT_`` + 22 alphanumerics + ``_`` + 40 hex, project API tokens
``CCIPRJ_`` in the same shape. Tokens created before the prefixes were 40 hex digits, found only
next to a CircleCI name (``CIRCLE_TOKEN``, ``circleci_token``).
"""

from __future__ import annotations

import re

from tokenreach.detectors.base import Detector, Pattern

_ASSIGN = r"""['"]?\s*(?::=|=>|[:=])\s*['"]?"""


def _hex_random(secret: str) -> bool:
    return bool(re.search(r"[0-9]", secret) and re.search(r"[a-f]", secret)) and len(set(secret)) >= 8


PATTERNS = (
    Pattern(
        id="circleci.personal_token",
        name="CircleCI personal API token",
        regex=r"\b(?P<secret>CCIPAT_[A-Za-z0-9]{22}_[a-f0-9]{40})\b",
        keywords=("ccipat_",),
        kind="personal_token",
        examples=(
            "CIRCLECI_TOKEN=CCIPAT_dBucPr0rbadB2TKjMqYbGI_3c8d478d50196986eb9a494ed6f7806dc1a5a5be",
            "circleci setup --token CCIPAT_hA6ER8ANzxV3CrWr8NJIbL_b1c6e32c0f461189f888fa1f43d27b672cf99974",
        ),
        counterexamples=(
            "CIRCLECI_TOKEN=CCIPAT_PMxHXEB4D7bbs5hBKe2Hqw_253ce4d299a05bc114c3758e8add677ae3b1a51",
            "CIRCLECI_TOKEN=CCIPAT_Fs7kYdHJb8MuJ9zgqzSU_a9b464a152a098d8d542bd522ae03e2eed46992a",
        ),
    ),
    Pattern(
        id="circleci.project_token",
        name="CircleCI project API token",
        regex=r"\b(?P<secret>CCIPRJ_[A-Za-z0-9]{22}_[a-f0-9]{40})\b",
        keywords=("cciprj_",),
        kind="project_token",
        examples=("CIRCLE_PROJECT_TOKEN=CCIPRJ_48QPdyPhujz6Q1txcNQNDy_796889143de1417060f12c05f8960fed89d394f4",),
        counterexamples=("CCIPRJ_XSlTGJBC94SP0TCUZEHMBI_NJ5JDJJWGVGIMGHFYXZLUJB4L6H2BE6X5GZCOHFY",),
    ),
    Pattern(
        id="circleci.legacy_token",
        name="CircleCI API token (unprefixed)",
        regex=rf"(?i:circle)[\w.-]{{0,20}}?(?i:token|api[_.-]?key){_ASSIGN}(?P<secret>[a-f0-9]{{40}})\b",
        keywords=("circle",),
        kind="personal_token",
        validate=_hex_random,
        examples=(
            "CIRCLE_TOKEN=da49a24522cc8d43fa6cf4149188312a7a7245b3",
            'circleci_api_token: "cb43489d19e0ab1af9c89476d04a4e2486e4ed80"',
        ),
        counterexamples=(
            "CIRCLE_TOKEN=4d562348cda0d4c9a0ca2465783b074d",  # too short
            "CIRCLE_SHA1=b031adbcbf703ec3cf7c4a033d72c079717b38a4",  # a commit, not a token
            "CIRCLE_TOKEN=${CIRCLE_TOKEN}",
            "GITHUB_TOKEN=7db0c0abea9884bef5059563f909bbad518b64c3",  # no CircleCI name
        ),
    ),
)


class CircleCIDetector(Detector):
    provider = "circleci"
    title = "CircleCI"
    patterns = PATTERNS
    revoke_url = "https://app.circleci.com/settings/user/tokens"
    least_privilege = "create a project API token with the read-only scope for the one project that needs it"


detector = CircleCIDetector()
