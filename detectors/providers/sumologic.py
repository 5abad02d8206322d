"""Sumo Logic access keys.

Format: Sumo Logic's "Access Keys" docs (help.sumologic.com/docs/manage/security/access-keys/): an
access key is an access ID (``su`` + 12 alphanumerics) and a 64-character access key, used together
as HTTP basic credentials; neither has a distinctive prefix beyond ``su``, so both are taken only
next to a Sumo name (``SUMO_ACCESS_ID``, ``SUMO_ACCESS_KEY``). The ID alone is not a secret and is
reported for context only. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import ASSIGN, END, fake, plausible_alnum

_NAME = r"(?:^|[^A-Za-z])(?i:sumo)[\w.\-]{0,30}?"
_ID = "su" + fake("a62", 12, "sumo-id")
_KEY = fake("a62", 64, "sumo-key")

PATTERNS = (
    Pattern(
        id="sumologic.access_key",
        name="Sumo Logic access key",
        regex=_NAME + r"(?i:key|secret)[\w.\-]{0,10}" + ASSIGN + r"(?P<secret>[A-Za-z0-9]{64})" + END,
        keywords=("sumo",),
        kind="access_key",
        validate=plausible_alnum,
        examples=(f"SUMO_ACCESS_KEY={_KEY}", f'sumologic_access_key: "{_KEY}"'),
        counterexamples=(
            f"CONSUMO_API_KEY={_KEY}",  # "sumo" inside a longer word
            "SUMO_ACCESS_KEY=<key>",
            "SUMO_ACCESS_KEY=" + _KEY[:-1],
        ),
    ),
    Pattern(
        id="sumologic.access_id",
        name="Sumo Logic access ID",
        regex=_NAME + r"(?i:id)[\w.\-]{0,10}" + ASSIGN + r"(?P<secret>su[A-Za-z0-9]{12})" + END,
        keywords=("sumo",),
        kind="access_id",
        validate=lambda s: plausible_alnum(s[2:]),
        examples=(f"SUMO_ACCESS_ID={_ID}", f'sumo_access_id = "{_ID}"'),
        counterexamples=("SUMO_ACCESS_ID=suXXXX", "SUMO_ACCESS_ID=suABCDEF123...", "SUMO_ACCESS_ID=" + _ID[:-1]),
        lookup=False,  # an identifier: half of the pair
    ),
)


class SumoLogicDetector(Detector):
    provider = "sumologic"
    title = "Sumo Logic"
    patterns = PATTERNS
    revoke_url = "https://service.sumologic.com/ui/#/security/access-keys"
    least_privilege = ("create the access key for a service account whose role grants only the capabilities it "
                       "uses, with an allowlist of the caller's CIDRs")


detector = SumoLogicDetector()
