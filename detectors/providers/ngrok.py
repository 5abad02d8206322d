"""ngrok agent authtokens and API keys.

Format: ngrok's agent documentation (ngrok.com/docs/agent/#authtokens) and API documentation
(ngrok.com/docs/api/#authentication) do not describe the shape. Authtokens and API keys seen in
the wild are a 27-character KSUID-like ID (starting with a digit), ``_`` and 21 alphanumerics. With
no prefix they are found only next to an ngrok name (``NGROK_AUTHTOKEN``, ``NGROK_API_KEY``) or an
``authtoken`` setting (``ngrok.yml``, ``ngrok config add-authtoken``). Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import assigned, fake, plausible_alnum

_BODY = r"[1-9][A-Za-z0-9]{26}_[A-Za-z0-9]{21}"
_TOKEN = "2" + fake("a62", 26, "ngrok-id") + "_" + fake("a62", 21, "ngrok-secret")
_API_KEY = "2" + fake("a62", 26, "ngrok-api-id") + "_" + fake("a62", 21, "ngrok-api-secret")


def _random(secret: str) -> bool:
    return plausible_alnum(secret.replace("_", ""))


PATTERNS = (
    Pattern(
        id="ngrok.credential",
        name="ngrok authtoken or API key",
        regex=assigned(r"ngrok[\w.\-]{0,30}?(?:auth[_.\-]?token|api[_.\-]?key|token)", _BODY, gap=10),
        keywords=("ngrok",),
        kind="authtoken",
        validate=_random,
        examples=(f"NGROK_AUTHTOKEN={_TOKEN}", f'NGROK_API_KEY="{_API_KEY}"'),
        counterexamples=("NGROK_AUTHTOKEN=2abc123def456ghi789jkl012mno345pqr678stu901vwx234yz",
                         "NGROK_AUTH_TOKEN = \"enter your ngrok token here\"", "NGROK_AUTHTOKEN=${NGROK_AUTHTOKEN}",
                         "NGROK_AUTHTOKEN=0" + fake("a62", 26, "ngrok-zero") + "_" + fake("a62", 21, "ngrok-z")),
    ),
    Pattern(
        id="ngrok.authtoken_setting",
        name="ngrok authtoken (agent configuration)",
        regex=(r"""(?i:\bauthtoken)["']?[ \t]*(?:[:=][ \t]*|[ \t]+)["']?(?P<secret>""" + _BODY
               + r")(?:[^A-Za-z0-9_\-]|$)"),
        keywords=("authtoken",),
        kind="authtoken",
        validate=_random,
        examples=(f"version: 2\nauthtoken: {_TOKEN}\n", f"ngrok config add-authtoken {_TOKEN}",
                  f"authtoken: '{_TOKEN}',"),
        counterexamples=("authtoken: YOUR_AUTHTOKEN", "ngrok config add-authtoken YOUR_AUTHTOKEN_HERE",
                         "authtoken: " + "1" + "x" * 26 + "_" + "x" * 21),
    ),
)


class NgrokDetector(Detector):
    provider = "ngrok"
    title = "ngrok"
    patterns = PATTERNS
    revoke_url = "https://dashboard.ngrok.com/authtokens"
    least_privilege = "create a separate authtoken per agent with ACL rules limiting the endpoints it may bind"


detector = NgrokDetector()
