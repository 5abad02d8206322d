"""New Relic API keys.

Formats (docs.newrelic.com/docs/apis/intro-apis/new-relic-api-keys; New Relic is a GitHub secret
scanning partner): user keys ``NRAK-`` + 27 upper-case alphanumerics; Insights insert and query
keys ``NRII-``/``NRIQ-`` + 32; legacy admin keys ``NRAA-`` + 27 hex; ingest license keys are 40
characters ending in ``NRAL`` (EU accounts start with ``eu01xx``). Older license keys are 40 hex
digits, found only next to a New Relic name. Browser keys (``NRJS-``) are public by design.
"""

from __future__ import annotations

import re

from tokenreach.detectors.base import Detector, Pattern

_ASSIGN = r"""['"]?\s*(?::=|=>|[:=])\s*['"]?"""
_NAME = r"(?i:new[_.-]?relic|\bnr[_.-])"


def _random(secret: str) -> bool:
    body = secret.split("-", 1)[-1]
    return len(set(body)) >= 8 and bool(re.search(r"[0-9]", body)) and bool(re.search(r"[A-Za-z]", body))


PATTERNS = (
    Pattern(
        id="newrelic.user_key",
        name="New Relic user API key",
        regex=r"\b(?P<secret>NRAK-[A-Z0-9]{27})\b",
        keywords=("nrak-",),
        kind="user_key",
        validate=_random,
        examples=(
            "NEW_RELIC_API_KEY=NRAK-D8UEXMQDOSWTMVU1BGKNLIAGKWF",
            "newrelic_api_key: \"NRAK-KX2ZRCWTO9PBP8SF96RI3H1N453\"",
        ),
        counterexamples=(
            "NEW_RELIC_API_KEY=NRAK-W8GFPG89AT5GBJYSIQDXL3KDIV",
            "NRAK-XXXXXXXXXXXXXXXXXXXXXXXXXXX",
            "NRAK-xy6ss6qdc0a3zzon66hrnvszcdj",
        ),
    ),
    Pattern(
        id="newrelic.insights_key",
        name="New Relic Insights insert/query key",
        regex=r"\b(?P<secret>NRI[IQ]-[A-Za-z0-9_-]{32})(?:[^A-Za-z0-9_-]|$)",
        keywords=("nrii-", "nriq-"),
        kind="insights_key",
        validate=_random,
        examples=(
            "NEW_RELIC_INSERT_KEY=NRII-P3vD1_peUaj4mlQR0G1fd2215qRFKo7W",
            "X-Query-Key: NRIQ-4VGjJJgWn9WKwYU5DqMltWZ2qbThuDHq",
        ),
        counterexamples=("NRII-J4ETDHHWJ4FeHGvI2HNh", "NRII-2pPeawgyl_M_244L9oAhMOzpAXfeC96NFpwvFh3q"),
    ),
    Pattern(
        id="newrelic.admin_key",
        name="New Relic admin API key (legacy)",
        regex=r"\b(?P<secret>NRAA-[a-f0-9]{27})\b",
        keywords=("nraa-",),
        kind="admin_key",
        validate=_random,
        examples=("NEW_RELIC_ADMIN_KEY=NRAA-c7809ccbcb0dccbbc64cdb115f9",),
        counterexamples=("NRAA-4badc315d06668755b64",),
    ),
    Pattern(
        id="newrelic.license_key",
        name="New Relic ingest license key",
        regex=r"\b(?P<secret>(?:eu01xx[a-f0-9]{30}|[a-f0-9]{36})NRAL)\b",
        keywords=("nral",),
        kind="license_key",
        validate=_random,
        examples=(
            "NEW_RELIC_LICENSE_KEY=084aa12082bf5363247dc7c93a4e780df11eNRAL",
            "license_key: eu01xxc6081e25f4b5ec2537dbd81ba10e65NRAL",
        ),
        counterexamples=(
            "NEW_RELIC_LICENSE_KEY=6ac63175615f56e106939412588d52NRAL",
            "BCDS9FKHJBFLR2GQ8NKV6TPBCF7VQ6PU80A9NRAL",
        ),
    ),
    Pattern(
        id="newrelic.legacy_license_key",
        name="New Relic license key (unprefixed)",
        regex=rf"{_NAME}[\w.\-\"'\s{{:]{{0,30}}?(?i:license[_.-]?key){_ASSIGN}(?P<secret>[a-f0-9]{{40}})\b",
        keywords=("newrelic", "new_relic", "new-relic", "new.relic", "nr_", "nr-", "nr."),
        kind="license_key",
        validate=_random,
        examples=(
            "NEW_RELIC_LICENSE_KEY=0d792c1309ce17484d2e4f58dfd96ae4c128f3bb",
            "newrelic:\n  license_key: 0733fc7c5a26b9318b8a8038a8ba2257be1ed81a",
        ),
        counterexamples=(
            "NEW_RELIC_LICENSE_KEY=0616a2ac1ab8ff14ed0f3aa33e2ecc0c",
            "LICENSE_KEY=0b38f36178bd40cb6ad1b29e28b7d3bd011f06f1",
            "NEW_RELIC_LICENSE_KEY=<license key>",
        ),
    ),
)


class NewRelicDetector(Detector):
    provider = "newrelic"
    title = "New Relic"
    patterns = PATTERNS
    revoke_url = "https://one.newrelic.com/api-keys"
    least_privilege = "use an ingest license key for sending data and keep user (NRAK) keys out of services"


detector = NewRelicDetector()
