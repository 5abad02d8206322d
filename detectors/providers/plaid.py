"""Plaid API secrets and access tokens.

Formats: Plaid's API reference (plaid.com/docs/api/, "Keys and Access tokens" and /item/public_token/
exchange): access tokens are ``access-<environment>-`` + a UUID; the API secret is 30 hex
characters with no prefix, taken only next to a Plaid name ending in ``secret``. The 24-hex
``client_id`` is an identifier, useless without the secret, and is not reported. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import assigned, fake, plausible_hex, prefixed

_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def _uuid(seed: str) -> str:
    h = fake("hex", 32, seed)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"


_ACCESS = "access-production-" + _uuid("plaid-access")
_SECRET = fake("hex", 30, "plaid-secret")

PATTERNS = (
    Pattern(
        id="plaid.access_token",
        name="Plaid access token",
        regex=prefixed(r"access-(?P<environment>sandbox|development|production)-" + _UUID),
        keywords=("access-sandbox-", "access-development-", "access-production-"),
        kind="access_token",
        validate=lambda s: plausible_hex(s[-36:].replace("-", "")),
        examples=(
            f"PLAID_ACCESS_TOKEN={_ACCESS}",
            f'{{"access_token": "{_ACCESS.replace("production", "sandbox")}", "item_id": "eVBnVMp7zdTJLkRN"}}',
        ),
        counterexamples=(
            "PLAID_ACCESS_TOKEN=access-production-00000000-0000-0000-0000-000000000000",
            "PLAID_ACCESS_TOKEN=" + _ACCESS[:-1],
            "PLAID_ACCESS_TOKEN=access-staging-" + _ACCESS[-36:],
        ),
    ),
    Pattern(
        id="plaid.secret",
        name="Plaid API secret",
        regex=assigned(r"plaid[\w.\-]{0,20}?secret", r"[0-9a-f]{30}", gap=20),
        keywords=("plaid",),
        kind="api_secret",
        validate=plausible_hex,
        examples=(f"PLAID_SECRET={_SECRET}", f'plaid_secret_production: "{_SECRET}"'),
        counterexamples=(
            "PLAID_CLIENT_ID=" + fake("hex", 24, "plaid-client"),  # an identifier, not the secret
            "PLAID_SECRET=${PLAID_SECRET}",
            "PLAID_SECRET=" + _SECRET[:-1],
        ),
    ),
)


class PlaidDetector(Detector):
    provider = "plaid"
    title = "Plaid"
    patterns = PATTERNS
    revoke_url = "https://dashboard.plaid.com/developers/keys"
    least_privilege = ("keep the production secret only in the server that calls Plaid, use the sandbox secret "
                       "everywhere else, and remove Items (/item/remove) that are no longer needed")


detector = PlaidDetector()
