"""JFrog Platform (Artifactory) API keys, reference tokens, access tokens and identity tokens.

Formats (jfrog.com/help, "Access Tokens" and "API Key" in the JFrog Platform administration docs):
legacy Artifactory API keys are ``AKCp`` + 69 alphanumerics (73 in all; deprecated, still accepted
on older instances); reference tokens are base64 of ``reftkn:01:…``, so they start
``cmVmdGtuOjAx`` and are 64 characters; access tokens are JWTs whose header is
``{"ver":"2","typ":"JWT","alg":"RS256","kid":…}``, so they start
``eyJ2ZXIiOiIyIiwidHlwIjoiSldUIiwiYWxnIjoiUlMyNTYiLCJraWQi``. Identity tokens have no
documented prefix: 64 alphanumerics, taken only next to a JFrog or Artifactory name. Detection only.
"""

from __future__ import annotations

import base64
import binascii

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import assigned, fake, plausible, plausible_alnum, prefixed

_JWT_HEADER = "eyJ2ZXIiOiIyIiwidHlwIjoiSldUIiwiYWxnIjoiUlMyNTYiLCJraWQi"


def _reference(secret: str) -> bool:
    try:
        raw = base64.b64decode(secret[:60], validate=True)
    except (binascii.Error, ValueError):
        return False
    return raw.startswith(b"reftkn:01:") and plausible(secret[12:], 3.5)


def _reference_example(seed: str) -> str:
    body = b"reftkn:01:1893456000:" + fake("a62", 27, seed).encode()
    return base64.b64encode(body).decode().rstrip("=")


_API_KEY = "AKCp" + fake("a62", 69, "jfrog-api-key")
_REF = _reference_example("jfrog-ref")
_ACCESS = (_JWT_HEADER + fake("b64url", 32, "jfrog-kid") + "." + "eyJzdWIiOiJqZmFjQDAx" + fake("b64url", 120, "jfp")
           + "." + fake("b64url", 342, "jfrog-sig"))
_IDENTITY = fake("a62", 64, "jfrog-identity")

PATTERNS = (
    Pattern(
        id="jfrog.api_key",
        name="JFrog Artifactory API key",
        regex=prefixed(r"AKCp[A-Za-z0-9]{69}"),
        keywords=("akcp",),
        kind="api_key",
        validate=lambda s: plausible_alnum(s[4:]),
        examples=(
            f"ARTIFACTORY_API_KEY={_API_KEY}",
            f"curl -H 'X-JFrog-Art-Api: {_API_KEY}' https://acme.jfrog.io/artifactory/api/repositories",
        ),
        counterexamples=("ARTIFACTORY_API_KEY=" + _API_KEY[:-1], "AKCp" + "x" * 69, "XAKCp" + _API_KEY[4:]),
    ),
    Pattern(
        id="jfrog.reference_token",
        name="JFrog reference token",
        regex=prefixed(r"cmVmdGtuOjAx[A-Za-z0-9]{52}"),
        keywords=("cmvmdgtuojax",),
        kind="reference_token",
        validate=_reference,
        examples=(f"JFROG_ACCESS_TOKEN={_REF}", f"curl -H 'Authorization: Bearer {_REF}' https://acme.jfrog.io"),
        counterexamples=(
            "JFROG_ACCESS_TOKEN=" + _REF[:-2],
            "JFROG_ACCESS_TOKEN=cmVmdGtuOjAx" + "A" * 52,
            "JFROG_ACCESS_TOKEN=cmVmdGtuOjAx" + fake("a62", 51, "jf-x") + "-",  # 63 then a dash
        ),
    ),
    Pattern(
        id="jfrog.access_token",
        name="JFrog access token (JWT)",
        regex=prefixed(_JWT_HEADER + r"[A-Za-z0-9_\-]{4,200}\.eyJ[A-Za-z0-9_\-]{20,4000}\.[A-Za-z0-9_\-]{20,1000}"),
        keywords=(_JWT_HEADER.lower(),),
        kind="access_token",
        examples=(
            f"JFROG_ACCESS_TOKEN={_ACCESS}",
            f"docker login acme.jfrog.io -u ci --password '{_ACCESS}'",
        ),
        counterexamples=(_JWT_HEADER + "fQ", _JWT_HEADER + "fQ.eyJzdWIiOiJ4In0"),  # header alone, no signature
    ),
    Pattern(
        id="jfrog.identity_token",
        name="JFrog identity token",
        regex=assigned(r"(?:jfrog|artifactory)", r"[A-Za-z0-9]{64}"),
        keywords=("jfrog", "artifactory"),
        kind="identity_token",
        validate=plausible_alnum,
        examples=(f"JFROG_IDENTITY_TOKEN={_IDENTITY}", f'artifactory_password: "{_IDENTITY}"'),
        counterexamples=(
            "ARTIFACTORY_URL=https://acme.jfrog.io/artifactory",
            "JFROG_IDENTITY_TOKEN=" + _IDENTITY[:-1],
            "JFROG_TOKEN=" + "0123456789abcdef" * 4,
        ),
    ),
)


class JFrogDetector(Detector):
    provider = "jfrog"
    title = "JFrog Artifactory"
    patterns = PATTERNS
    revoke_url = "https://jfrog.com/help/r/jfrog-platform-administration-documentation/access-tokens"
    least_privilege = ("create a scoped access token (applied-permissions/groups limited to the repositories it "
                       "reads) with an expiry, instead of an API key or a user identity token")


detector = JFrogDetector()
