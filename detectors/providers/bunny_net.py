"""bunny.net account API keys and storage zone passwords.

Format: bunny.net's API documentation (docs.bunny.net/reference/bunnynet-api-overview): requests
carry an ``AccessKey`` header holding the account API key, or a storage zone's password for the
Storage API. Both are groups of hex digits joined by hyphens (a UUID, or two UUIDs run together)
with no prefix, so a bunny.net name must stand in the assignment (``BUNNY_API_KEY``,
``BUNNY_STORAGE_PASSWORD``). Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import assigned, fake, plausible


def _uuid(seed: str) -> str:
    h = fake("hex", 32, seed)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


_API_KEY = _uuid("bunny-a") + _uuid("bunny-b")
_STORAGE = _uuid("bunny-storage")

PATTERNS = (
    Pattern(
        id="bunny_net.api_key",
        name="bunny.net API key or storage password",
        regex=assigned(r"bunny(?:[_.\-]?(?:net|cdn))?[\w.\-]{0,30}?(?:api[_.\-]?key|access[_.\-]?key|password|"
                       r"storage[_.\-]?key|token)", r"[0-9a-f]{8}(?:-[0-9a-f]{4,20}){4,8}", gap=10),
        keywords=("bunny",),
        kind="api_key",
        validate=lambda s: plausible(s.replace("-", ""), 3.2),
        examples=(f"BUNNY_API_KEY={_API_KEY}", f'BUNNY_STORAGE_PASSWORD="{_STORAGE}"',
                  f"bunnycdn_access_key: {_STORAGE}"),
        counterexamples=("BUNNY_API_KEY=xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", "BUNNY_API_KEY=your-api-key",
                         "BUNNY_API_KEY=ci-dummy", f"BUNNY_LIBRARY_ID={_STORAGE}"),
    ),
)


class BunnyNetDetector(Detector):
    provider = "bunny_net"
    title = "bunny.net"
    patterns = PATTERNS
    revoke_url = "https://dash.bunny.net/account/api-key"
    least_privilege = "use a storage zone's read-only password or a per-zone key rather than the account API key"


detector = BunnyNetDetector()
