"""WorkOS API keys.

Format: WorkOS's API keys documentation (workos.com/docs/reference/api-keys) and SDK READMEs
(``WORKOS_API_KEY="sk_test_…"``): a secret API key is ``sk_`` (with ``test_`` or ``live_`` in most
keys) followed by the base64 of ``key_01<ULID>,<secret>``, which always begins ``a2V5XzAx``.
Detection only.

Stripe's ``sk_(live|test)_[A-Za-z0-9]+`` covers the same span as an unpadded WorkOS key; Stripe's
validator leaves bodies starting ``a2V5XzAx`` to this module.
"""

from __future__ import annotations

import base64
import binascii

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import fake, prefixed

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def _decodes(secret: str) -> bool:
    body = secret.split("a2V5XzAx", 1)
    if len(body) != 2:
        return False
    b64 = "a2V5XzAx" + body[1]
    try:
        raw = base64.b64decode(b64 + "=" * (-len(b64) % 4), validate=True)
    except (binascii.Error, ValueError):
        return False
    key, sep, rest = raw.partition(b",")
    return raw.startswith(b"key_01") and bool(sep) and len(key) == 30 and len(rest) >= 12


def _example(mode: str, seed: str) -> str:
    ulid = "01" + "".join(_CROCKFORD[int(c, 16) * 2] for c in fake("hex", 24, seed))
    raw = f"key_{ulid},{fake('a62', 22, seed + '-secret')}".encode()
    return f"sk_{mode}" + base64.b64encode(raw).decode()


_TEST = _example("test_", "workos-test")
_LIVE = _example("live_", "workos-live")

PATTERNS = (
    Pattern(
        id="workos.api_key",
        name="WorkOS API key",
        regex=prefixed(r"sk_(?:test_|live_)?a2V5XzAx[A-Za-z0-9+/]{30,200}={0,2}"),
        keywords=("a2v5xzax",),
        kind="api_key",
        validate=_decodes,
        examples=(f'WORKOS_API_KEY="{_TEST}"', f"workos = WorkOSClient(api_key='{_LIVE}')",
                  f"WORKOS_API_KEY={_TEST.rstrip('=')}"),  # unpadded: Stripe's shape too
        counterexamples=('WORKOS_API_KEY="sk_test_123"', "WORKOS_API_KEY=sk_test_a2V5XzAx" + "A" * 40,
                         "WORKOS_API_KEY=sk_live_..."),
    ),
)


class WorkOSDetector(Detector):
    provider = "workos"
    title = "WorkOS"
    patterns = PATTERNS
    revoke_url = "https://dashboard.workos.com/api-keys"
    least_privilege = "keep production keys in the production environment only and use a separate staging key"


detector = WorkOSDetector()
