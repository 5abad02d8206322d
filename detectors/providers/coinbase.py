"""Coinbase API secrets.

Formats: Coinbase's API key authentication docs (docs.cdp.coinbase.com, "API Key Authentication"):
Developer Platform keys have a name (``organizations/{org}/apiKeys/{id}``) and a private key, an EC
PEM block (``detectors/providers/private_key.py`` finds it) or a base64 Ed25519 key of 88 characters; legacy
Coinbase/Exchange API secrets are 32 to 64 alphanumerics (base64 for Exchange). None has a prefix, so
only a Coinbase name that ends in a secret word (``COINBASE_API_SECRET``) marks one. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import assigned, fake, plausible

_LEGACY = fake("a62", 32, "coinbase-legacy")
_ED25519 = fake("a62", 60, "coinbase-ed") + "+" + fake("a62", 25, "coinbase-ed2") + "=="

PATTERNS = (
    Pattern(
        id="coinbase.api_secret",
        name="Coinbase API secret",
        regex=assigned(r"coinbase[\w.\-]{0,30}?(?:secret|private[_.\-]?key)", r"[A-Za-z0-9+/_\-]{32,86}={0,2}",
                       gap=10, end=r"(?:[^A-Za-z0-9+/=_\-]|$)"),
        keywords=("coinbase",),
        kind="api_secret",
        validate=lambda s: plausible(s.rstrip("="), 3.5),
        examples=(f"COINBASE_API_SECRET={_LEGACY}", f'coinbase_private_key: "{_ED25519}"'),
        counterexamples=(
            "COINBASE_API_KEY_NAME=organizations/acme/apiKeys/1234",
            "COINBASE_API_SECRET=${COINBASE_API_SECRET}",
            "COINBASE_API_SECRET=" + _LEGACY[:20],
            "COINBASE_API_SECRET=your_coinbase_api_secret_here_xx",
        ),
    ),
)


class CoinbaseDetector(Detector):
    provider = "coinbase"
    title = "Coinbase"
    patterns = PATTERNS
    revoke_url = "https://portal.cdp.coinbase.com/access/api"
    least_privilege = ("create a key with only the View permission (no Trade or Transfer) restricted to the "
                       "server's IP addresses")


detector = CoinbaseDetector()
