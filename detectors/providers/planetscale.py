"""PlanetScale service tokens, database passwords and OAuth tokens.

Formats (planetscale.com/docs/concepts/service-tokens and .../connection-strings; PlanetScale is a
GitHub secret scanning partner): ``pscale_tkn_`` (service token), ``pscale_pw_`` (database branch
password, usually inside a MySQL/Postgres URL) and ``pscale_oauth_`` (OAuth access token), each
followed by 32 to 64 characters of ``[A-Za-z0-9_=.-]`` (43 today).
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern

_BODY = r"[A-Za-z0-9_=.-]{32,64}"
_END = r"(?:[^A-Za-z0-9_=.-]|$)"

PATTERNS = (
    Pattern(
        id="planetscale.service_token",
        name="PlanetScale service token",
        regex=rf"\b(?P<secret>pscale_tkn_{_BODY}){_END}",
        keywords=("pscale_tkn_",),
        kind="service_token",
        examples=(
            "PLANETSCALE_SERVICE_TOKEN=pscale_tkn_LYjIKvjFyaIicuVX4k1qovQYaKMTTpU8yUidrAWQkcK",
            "pscale auth login --service-token pscale_tkn_YUxLQ_lMxjEMYhrSET15UTBhk1vCMy8byymiFezuW7U",
        ),
        counterexamples=(
            "PLANETSCALE_SERVICE_TOKEN=pscale_tkn_T1tiFWtL0QXX8Kg-HWLV",
            "mypscale_tkn_InUQsEK8NrAvPLtr6pWEiKV9wlcCRKJyMcdm3Dgp2if",
        ),
    ),
    Pattern(
        id="planetscale.password",
        name="PlanetScale database password",
        regex=rf"\b(?P<secret>pscale_pw_{_BODY}){_END}",
        keywords=("pscale_pw_",),
        kind="database_password",
        examples=(
            "DATABASE_URL=mysql://hgv0p9w6tpvj:pscale_pw_1AwgUiHKVP6HrKtas7OwTcai8O7strgCDiLvsYe-xZX@aws.connect.psdb"
            ".cloud/app?sslaccept=strict",
            "DATABASE_PASSWORD=pscale_pw_BOt5bUwj13LHMaZDRyTU2_lbNLXS0Klr05qv56GoaMR",
        ),
        counterexamples=("DATABASE_PASSWORD=pscale_pw_Ilg8cZLjm0Ll9Hgk",),
    ),
    Pattern(
        id="planetscale.oauth_token",
        name="PlanetScale OAuth token",
        regex=rf"\b(?P<secret>pscale_oauth_{_BODY}){_END}",
        keywords=("pscale_oauth_",),
        kind="oauth_token",
        examples=('access_token = "pscale_oauth_jpFhoWCjC1ZDT90TFF_BFQ4AQvhVmi0pX0QEKXLVcC0"',),
        counterexamples=("pscale_oauth_token_refresh",),
    ),
)


class PlanetScaleDetector(Detector):
    provider = "planetscale"
    title = "PlanetScale"
    patterns = PATTERNS
    revoke_url = "https://app.planetscale.com/"
    least_privilege = "create a service token with access to only the one database and the permissions it uses"


detector = PlanetScaleDetector()
