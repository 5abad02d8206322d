"""Split (Harness FME) SDK keys and Admin API keys.

Format: Split's API keys docs (help.split.io/hc/en-us/articles/360019916211-API-keys): server-side
SDK keys and Admin API keys are passed as ``authorizationKey``/``Authorization: Bearer``; they have
no documented prefix and are seen as 36 lower-case alphanumerics. "split" is an ordinary word, so a
key is taken only next to a Split name that ends in a key word (``SPLIT_API_KEY``, ``SPLITIO_SDK_KEY``)
or as the ``authorizationKey`` of a ``SplitFactory({…})`` config. Client-side keys ship in apps.
Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import END, assigned, fake, plausible

_KEY = fake("a36", 36, "split")


def _key_ok(secret: str) -> bool:
    return any(c.isdigit() for c in secret) and any(c.isalpha() for c in secret) and plausible(secret, 3.5)


PATTERNS = (
    Pattern(
        id="split.api_key",
        name="Split SDK or Admin API key",
        regex=assigned(r"split(?:[_.\-]?io)?[_.\-](?:[a-z]{2,10}[_.\-])?(?:api[_.\-]?key|sdk[_.\-]?key|key|token)",
                       r"[a-z0-9]{36}", gap=10),
        keywords=("split",),
        kind="api_key",
        validate=_key_ok,
        examples=(f"SPLIT_API_KEY={_KEY}", f'splitio_server_sdk_key: "{_KEY}"'),
        counterexamples=(
            f"split_id = '{_KEY}'",
            "SPLIT_API_KEY=localhost",
            "SPLIT_API_KEY=" + _KEY[:-1],
        ),
    ),
    Pattern(
        id="split.factory_key",
        name="Split SDK key (SplitFactory authorizationKey)",
        regex=(r"(?i:splitfactory)\(\s{0,3}\{[\s\S]{0,100}?authorizationKey[\"']?\s{0,3}:\s{0,3}[\"']"
               r"(?P<secret>[a-z0-9]{36})[\"']" + END),
        keywords=("splitfactory",),
        kind="sdk_key",
        validate=_key_ok,
        examples=(
            f"const factory = SplitFactory({{ core: {{ authorizationKey: '{_KEY}', key: userId }} }});",
            f"SplitFactory({{\n  core: {{\n    authorizationKey: \"{_KEY}\",\n  }},\n}})",
        ),
        counterexamples=(
            "SplitFactory({ core: { authorizationKey: 'localhost', key: 'default' } })",
            "SplitFactory({ core: { authorizationKey: process.env.SPLIT_KEY } })",
        ),
    ),
)


class SplitDetector(Detector):
    provider = "split"
    title = "Split (Harness FME)"
    patterns = PATTERNS
    revoke_url = "https://app.split.io/org/admin/api-keys"
    least_privilege = "use a server-side SDK key scoped to one environment; keep Admin API keys out of applications"


detector = SplitDetector()
