"""Brevo (formerly Sendinblue) API and SMTP keys.

Format: Brevo's getting-started guide (developers.brevo.com/docs/getting-started): v3 API keys
start ``xkeysib-`` and SMTP keys ``xsmtpsib-``, each followed by 64 hex characters, ``-`` and 16
alphanumeric characters. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import fake, plausible_hex, prefixed

_API = f"xkeysib-{fake('hex', 64, 'brevo')}-{fake('a62', 16, 'brevo2')}"
_SMTP = f"xsmtpsib-{fake('hex', 64, 'brevo3')}-{fake('a62', 16, 'brevo4')}"

PATTERNS = (
    Pattern(
        id="brevo.api_key",
        name="Brevo (Sendinblue) API key",
        regex=prefixed(r"xkeysib-[0-9a-f]{64}-[A-Za-z0-9]{16}"),
        keywords=("xkeysib-",),
        kind="api_key",
        validate=lambda s: plausible_hex(s[8:72]),
        examples=(f"BREVO_API_KEY={_API}", f'configuration.api_key["api-key"] = "{_API}"'),
        counterexamples=(_API[:-1], "xkeysib-" + "0" * 64 + "-" + "x" * 16),
    ),
    Pattern(
        id="brevo.smtp_key",
        name="Brevo (Sendinblue) SMTP key",
        regex=prefixed(r"xsmtpsib-[0-9a-f]{64}-[A-Za-z0-9]{16}"),
        keywords=("xsmtpsib-",),
        kind="smtp_key",
        validate=lambda s: plausible_hex(s[9:73]),
        examples=(f"SMTP_PASSWORD={_SMTP}",),
        counterexamples=(_SMTP[:-1],),
    ),
)


class BrevoDetector(Detector):
    provider = "brevo"
    title = "Brevo"
    patterns = PATTERNS
    revoke_url = "https://app.brevo.com/settings/keys/api"
    least_privilege = "use an SMTP key for sending only, and restrict API keys to the authorised IP addresses"


detector = BrevoDetector()
