"""Clerk secret keys.

Format: Clerk's API keys documentation
(clerk.com/docs/guides/development/clerk-environment-variables): the secret key is ``sk_live_`` or
``sk_test_`` followed by alphanumerics (``CLERK_SECRET_KEY``); the publishable key ``pk_…`` is
public. The prefix is the same as Stripe's, so a Clerk name must stand in the assignment; a bare
``sk_live_…`` stays Stripe's. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import assigned, fake, plausible_alnum

_LIVE = "sk_live_" + fake("a62", 42, "clerk-live")
_TEST = "sk_test_" + fake("a62", 42, "clerk-test")

PATTERNS = (
    Pattern(
        id="clerk.secret_key",
        name="Clerk secret key",
        regex=assigned(r"clerk[\w.\-]{0,30}?(?:secret|api[_.\-]?key)", r"sk_(?P<mode>live|test)_[A-Za-z0-9]{30,100}",
                       gap=10),
        keywords=("clerk",),
        kind="secret_key",
        validate=lambda s: plausible_alnum(s[8:]),
        examples=(f"CLERK_SECRET_KEY={_LIVE}", f'clerk_secret_key: "{_TEST}"'),
        counterexamples=("CLERK_SECRET_KEY=sk_test_xxxxxxxxxxxxxxxxxxx",
                         "CLERK_SECRET_KEY=sk_test_your_secret_key_here",
                         "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY=pk_test_" + fake("a62", 42, "clerk-pk"),
                         "CLERK_SECRET_KEY=sk_test_REPLACE_ME"),
    ),
)


class ClerkDetector(Detector):
    provider = "clerk"
    title = "Clerk"
    patterns = PATTERNS
    revoke_url = "https://dashboard.clerk.com/last-active?path=api-keys"
    least_privilege = ("keep the secret key server-side only and use a separate development instance's "
                       "key outside production")


detector = ClerkDetector()
