"""Codecov upload tokens.

Format: Codecov's docs (docs.codecov.com/docs/codecov-tokens, "Repository upload token" and
"Global upload token"): upload tokens are UUIDs with no prefix, read from ``CODECOV_TOKEN`` by the
uploader and the GitHub Action. Only a Codecov name ending in ``token`` marks one. A token lets
anyone upload coverage reports (and, for a global token, for every repository of the org).
Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import assigned, fake, plausible_hex

_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_H = fake("hex", 32, "codecov")
_TOKEN = f"{_H[:8]}-{_H[8:12]}-4{_H[13:16]}-8{_H[17:20]}-{_H[20:]}"

PATTERNS = (
    Pattern(
        id="codecov.upload_token",
        name="Codecov upload token",
        regex=assigned(r"codecov[\w.\-]{0,20}?token", _UUID, gap=10),
        keywords=("codecov",),
        kind="upload_token",
        validate=lambda s: plausible_hex(s.replace("-", "")),
        examples=(f"CODECOV_TOKEN={_TOKEN}", f"codecov_token: '{_TOKEN}'"),
        counterexamples=(
            "CODECOV_TOKEN=${{ secrets.CODECOV_TOKEN }}",
            "CODECOV_TOKEN=" + _TOKEN[:-1],
            "CODECOV_TOKEN=00000000-0000-0000-0000-000000000000",
        ),
    ),
)


class CodecovDetector(Detector):
    provider = "codecov"
    title = "Codecov"
    patterns = PATTERNS
    revoke_url = "https://app.codecov.io/account"
    least_privilege = "use a repository upload token (or tokenless OIDC uploads) instead of the org's global token"


detector = CodecovDetector()
