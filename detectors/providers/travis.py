"""Travis CI API tokens.

Format: Travis CI's API docs (docs.travis-ci.com/user/triggering-builds/ and
developer.travis-ci.com/authentication) document the token shown under Account > Settings and sent
as ``Authorization: token <token>``, but no prefix: it is a 22-character base64url string. With no
prefix, only a Travis name that ends in a token word (``TRAVIS_TOKEN``, ``travis_api_key``) marks
it, so ``TRAVIS_BRANCH=…`` and the other build variables never match. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import assigned, fake, plausible_alnum

_TOKEN = fake("a62", 22, "travis")

PATTERNS = (
    Pattern(
        id="travis.api_token",
        name="Travis CI API token",
        regex=assigned(r"travis[\w.\-]{0,20}?(?:token|api[_.\-]?key|secret)", r"[A-Za-z0-9_\-]{22}", gap=10),
        keywords=("travis",),
        kind="api_token",
        validate=plausible_alnum,
        examples=(f"TRAVIS_TOKEN={_TOKEN}", f'travis_api_token: "{_TOKEN}"'),
        counterexamples=(
            "TRAVIS_BRANCH=feature-login-page-fix",  # a build variable, not a token name
            "TRAVIS_TOKEN=${TRAVIS_TOKEN}",
            "TRAVIS_TOKEN=" + _TOKEN[:-1],  # 21 characters
            "TRAVIS_API_TOKEN=xxxxxxxxxxxxxxxxxxxxxx",
        ),
    ),
)


class TravisDetector(Detector):
    provider = "travis"
    title = "Travis CI"
    patterns = PATTERNS
    revoke_url = "https://app.travis-ci.com/account/preferences"
    least_privilege = ("the API token acts as the whole user; keep it out of repositories and regenerate it when "
                       "a build log or file exposes it")


detector = TravisDetector()
