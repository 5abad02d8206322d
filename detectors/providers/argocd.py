"""Argo CD account and project tokens.

Format: Argo CD's user management and project role documentation
(argo-cd.readthedocs.io/en/stable/operator-manual/user-management/, ``argocd account
generate-token``, ``argocd proj role create-token``): tokens are JWTs issued with ``"iss":
"argocd"``. They are found where an Argo CD name stands in the assignment (``ARGOCD_AUTH_TOKEN``) or
as ``auth-token`` in the CLI's ``~/.config/argocd/config``. Detection only.
"""

from __future__ import annotations

import base64
import json

from tokenreach.detectors import jwt
from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import END, assigned, fake

_JWT_BODY = r"eyJ[A-Za-z0-9_\-]{10,2000}\.eyJ[A-Za-z0-9_\-]{10,4000}\.[A-Za-z0-9_\-]{20,1000}"


def _b64(obj: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(obj, separators=(",", ":")).encode()).decode().rstrip("=")


def _argocd(secret: str) -> bool:
    claims = jwt.claims(secret)
    return claims is not None and claims.get("iss") == "argocd"


_H = fake("hex", 32, "argocd-jti")
_TOKEN = (_b64({"alg": "HS256", "typ": "JWT"}) + "."
          + _b64({"iss": "argocd", "sub": "ci:apiKey", "nbf": 1767225600, "iat": 1767225600,
                  "jti": f"{_H[:8]}-{_H[8:12]}-{_H[12:16]}-{_H[16:20]}-{_H[20:]}"})
          + "." + fake("b64url", 43, "argocd-sig"))

PATTERNS = (
    Pattern(
        id="argocd.auth_token",
        name="Argo CD API token",
        regex=assigned(r"argo[_.\-]?cd[\w.\-]{0,30}?(?:token|auth)", _JWT_BODY, gap=10),
        keywords=("argocd", "argo_cd", "argo-cd", "argo.cd"),
        kind="auth_token",
        validate=lambda s: jwt.claims(s) is not None,
        examples=(f"ARGOCD_AUTH_TOKEN={_TOKEN}", f'argocd_token: "{_TOKEN}"'),
        counterexamples=("ARGOCD_AUTH_TOKEN=${ARGOCD_AUTH_TOKEN}", "ARGOCD_AUTH_TOKEN=eyJ...",
                         "ARGOCD_AUTH_TOKEN=eyJhbGciOiJIUzI1NiJ9.eyJub3Rqc29u.c2lnbmF0dXJlc2lnbmF0dXJl"),
    ),
    Pattern(
        id="argocd.cli_config_token",
        name="Argo CD CLI session token",
        regex=r"\bauth-token:[ \t]*['\"]?(?P<secret>" + _JWT_BODY + ")" + END,
        keywords=("auth-token",),
        kind="session_token",
        validate=_argocd,
        examples=(f"users:\n- auth-token: {_TOKEN}\n  name: argocd.acme.test\n",),
        counterexamples=("users:\n- auth-token: " + _b64({"alg": "HS256"}) + "." + _b64({"iss": "other"}) + "."
                         + fake("b64url", 43, "argocd-other"),),
    ),
)


class ArgoCDDetector(Detector):
    provider = "argocd"
    title = "Argo CD"
    patterns = PATTERNS
    revoke_url = "https://argo-cd.readthedocs.io/en/stable/user-guide/commands/argocd_account_delete-token/"
    least_privilege = ("use a project role token whose policies allow only sync/get on that project's "
                       "applications, with an expiry")


detector = ArgoCDDetector()
