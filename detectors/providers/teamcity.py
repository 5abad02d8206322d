"""JetBrains TeamCity access tokens.

Format: TeamCity's access token documentation
(jetbrains.com/help/teamcity/configuring-your-user-profile.html, "Managing Access Tokens"): tokens
are three dot-separated base64url parts whose first part is always ``eyJ0eXAiOiAiVENWMiJ9``
(``{"typ": "TCV2"}``), then a random part and the base64 of a UUID. Detection only.
"""

from __future__ import annotations

import base64

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import fake, plausible, prefixed

_H = fake("hex", 32, "teamcity-uuid")
_UUID = f"{_H[:8]}-{_H[8:12]}-{_H[12:16]}-{_H[16:20]}-{_H[20:]}"
_TOKEN = ("eyJ0eXAiOiAiVENWMiJ9." + base64.urlsafe_b64encode(fake("b64url", 27, "teamcity").encode()).decode()
          + "." + base64.urlsafe_b64encode(_UUID.encode()).decode())

PATTERNS = (
    Pattern(
        id="teamcity.access_token",
        name="TeamCity access token",
        regex=prefixed(r"eyJ0eXAiOiAiVENWMiJ9\.[A-Za-z0-9_\-]{20,80}\.[A-Za-z0-9_\-]{20,120}"),
        keywords=("eyj0exaioiaivenwmij9",),
        kind="access_token",
        validate=lambda s: plausible(s.split(".")[1], 3.5),
        examples=(f"TEAMCITY_TOKEN={_TOKEN}", f'curl -H "Authorization: Bearer {_TOKEN}" https://ci.acme.test/app/rest/builds'),
        counterexamples=('$env:TC_TOKEN="eyJ0eXAiOiAiVENWMiJ9..."', "eyJ0eXAiOiAiVENWMiJ9.short.short",
                         "eyJ0eXAiOiAiVENWMiJ9." + "x" * 36 + "." + "y" * 48),
    ),
)


class TeamCityDetector(Detector):
    provider = "teamcity"
    title = "JetBrains TeamCity"
    patterns = PATTERNS
    revoke_url = "https://www.jetbrains.com/help/teamcity/configuring-your-user-profile.html#Managing+Access+Tokens"
    least_privilege = "create the token with limited permissions for one project and an expiration date"


detector = TeamCityDetector()
