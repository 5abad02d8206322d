"""SonarQube and SonarCloud (SonarQube Cloud) tokens.

Formats (docs.sonarsource.com/sonarqube-server/latest/user-guide/managing-tokens; SonarSource is a
GitHub secret scanning partner): SonarQube Server 9.5+ prefixes its tokens with their type,
``squ_`` (user), ``sqp_`` (project analysis) and ``sqa_`` (global analysis), each + 40 hex.
SonarCloud tokens and older SonarQube tokens are 40 hex digits with no prefix, found only next to a
Sonar name (``SONAR_TOKEN``, ``sonar.login``).
"""

from __future__ import annotations

import re

from tokenreach.detectors.base import Detector, Pattern

_ASSIGN = r"""['"]?\s*(?::=|=>|[:=])\s*['"]?"""


def _hex_random(secret: str) -> bool:
    body = secret[4:] if secret[3:4] == "_" else secret
    return bool(re.search(r"[0-9]", body) and re.search(r"[a-f]", body)) and len(set(body)) >= 8


PATTERNS = (
    Pattern(
        id="sonarqube.typed_token",
        name="SonarQube user/project/global analysis token",
        regex=r"\b(?P<secret>sq[upa]_[a-f0-9]{40})\b",
        keywords=("squ_", "sqp_", "sqa_"),
        kind="token",
        validate=_hex_random,
        examples=(
            "SONAR_TOKEN=squ_5ca96f1724f5e0bc985b2713bbfb1b122998cde5",
            "sonar-scanner -Dsonar.token=sqp_f5a765dbeadba6cc2780c939243201fe1dacdddd",
            'sonar_token: "sqa_0b208db968588a8cb2146216c4227550aab7a5ec"',
        ),
        counterexamples=(
            "SONAR_TOKEN=squ_f33693fb928d78767d9e23027d368432f7827b0",
            "SONAR_TOKEN=sqx_ac21bc850f89342b38e149839ef3b2c65dd70083",  # no such type
            "msqu_3198bc05c7b48d21272e47d991225aef47eccac3",  # inside a word
        ),
    ),
    Pattern(
        id="sonarqube.token",
        name="SonarCloud / SonarQube token (unprefixed)",
        regex=rf"(?i:sonar)[\w.-]{{0,20}}?(?i:token|login|api[_.-]?key){_ASSIGN}(?P<secret>[a-f0-9]{{40}})\b",
        keywords=("sonar",),
        kind="token",
        validate=_hex_random,
        examples=(
            "SONAR_TOKEN=e7ff6e25b8e92484464f4f6ae589c662a1e7026f",
            "sonar.login=01ca07fe61a4bb7e7c357fc68ae35944c196d2d1",
            "mvn sonar:sonar -Dsonar.login=be5d2aa9900990c8ec13b7dfa59738b07c3ace43",
        ),
        counterexamples=(
            "SONAR_TOKEN=a2983a6f5b3457986eb4b0f9683c1fbd",
            "SONAR_HOST_URL=https://sonarcloud.io",
            "SONAR_SCM_REVISION=64841bc3746ebe79256726f9ab63cf24fa0e32b1#sha",  # a commit id is not under a token name
        ),
    ),
)


class SonarDetector(Detector):
    provider = "sonarqube"
    title = "SonarQube / SonarCloud"
    patterns = PATTERNS
    revoke_url = "https://sonarcloud.io/account/security"
    least_privilege = "create a project analysis token for the one project this pipeline analyses"


detector = SonarDetector()
