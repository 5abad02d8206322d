"""Fivetran API secrets.

Format: Fivetran's REST API authentication documentation
(fivetran.com/docs/rest-api/getting-started): an API key (16 alphanumerics, an identifier) and an
API secret (32 alphanumerics) are used with HTTP Basic authentication. The secret has no prefix, so
a Fivetran secret name must stand in the assignment (``FIVETRAN_API_SECRET``). Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import assigned, fake, plausible_alnum

_SECRET = fake("a62", 32, "fivetran")

PATTERNS = (
    Pattern(
        id="fivetran.api_secret",
        name="Fivetran API secret",
        regex=assigned(r"fivetran[\w.\-]{0,30}?secret", r"[A-Za-z0-9]{32}", gap=10),
        keywords=("fivetran",),
        kind="api_secret",
        validate=plausible_alnum,
        examples=(f"FIVETRAN_API_SECRET={_SECRET}", f'fivetran_api_secret: "{_SECRET}"'),
        counterexamples=('"api_secret": "fivetran_secret"', "FIVETRAN_API_SECRET=${FIVETRAN_API_SECRET}",
                         f"FIVETRAN_API_KEY={_SECRET[:16]}", "FIVETRAN_API_SECRET=" + "x" * 32),
    ),
)


class FivetranDetector(Detector):
    provider = "fivetran"
    title = "Fivetran"
    patterns = PATTERNS
    revoke_url = "https://fivetran.com/dashboard/user/api-config"
    least_privilege = "use a scoped system key limited to the connections and actions the integration uses"


detector = FivetranDetector()
