"""PayPal Braintree access tokens and API private keys.

Formats: Braintree's "Access tokens" guide for the PayPal SDK integration
(developer.paypal.com/braintree/docs/guides/authorization/access-token): an access token is
``access_token$<environment>$<merchant id>$<32 hex>``, the merchant ID being 16 lower-case
alphanumerics. API private keys (developer.paypal.com/braintree/articles/control-panel/important-
gateway-credentials) are 32 hex characters with no prefix, taken only next to a Braintree name
ending in ``private_key``. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import assigned, fake, plausible_hex, prefixed

_MERCHANT = fake("a36", 16, "braintree-merchant")
_TOKEN = f"access_token$production${_MERCHANT}$" + fake("hex", 32, "braintree-token")
_PRIVATE = fake("hex", 32, "braintree-private")

PATTERNS = (
    Pattern(
        id="paypal_braintree.access_token",
        name="Braintree (PayPal) access token",
        regex=prefixed(r"access_token\$(?P<environment>production|sandbox)\$(?P<merchant_id>[0-9a-z]{16})\$[0-9a-f]{32}"),
        keywords=("access_token$production$", "access_token$sandbox$"),
        kind="access_token",
        validate=lambda s: plausible_hex(s[-32:]),
        examples=(
            f"BRAINTREE_ACCESS_TOKEN={_TOKEN}",
            f'gateway = braintree.BraintreeGateway(access_token="{_TOKEN.replace("production", "sandbox")}")',
        ),
        counterexamples=(
            f"BRAINTREE_ACCESS_TOKEN=access_token$production${_MERCHANT}$" + "0" * 32,
            "BRAINTREE_ACCESS_TOKEN=" + _TOKEN[:-1],
            "access_token$production$<merchant_id>$<token>",
        ),
    ),
    Pattern(
        id="paypal_braintree.private_key",
        name="Braintree API private key",
        regex=assigned(r"braintree[\w.\-]{0,20}?private[_.\-]?key", r"[0-9a-f]{32}", gap=10),
        keywords=("braintree",),
        kind="private_key",
        validate=plausible_hex,
        examples=(f"BRAINTREE_PRIVATE_KEY={_PRIVATE}", f'braintree.private_key: "{_PRIVATE}"'),
        counterexamples=(
            f"BRAINTREE_PUBLIC_KEY={_PRIVATE[:16]}",  # public key, 16 characters
            "BRAINTREE_PRIVATE_KEY=${BRAINTREE_PRIVATE_KEY}",
            "BRAINTREE_PRIVATE_KEY=" + "a" * 32,
        ),
    ),
)


class PaypalBraintreeDetector(Detector):
    provider = "paypal_braintree"
    title = "PayPal Braintree"
    patterns = PATTERNS
    revoke_url = "https://www.braintreegateway.com/login"
    least_privilege = ("create a dedicated API user whose role only allows the transaction types it runs, and "
                       "keep sandbox and production keys apart")


detector = PaypalBraintreeDetector()
