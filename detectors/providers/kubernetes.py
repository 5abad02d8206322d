"""Kubernetes legacy service-account tokens.

Format: Kubernetes' service-account documentation, "Legacy ServiceAccount token"
(kubernetes.io/docs/reference/access-authn-authz/service-accounts-admin/): tokens stored in
``kubernetes.io/service-account-token`` Secrets are non-expiring JWTs whose payload begins
``{"iss":"kubernetes/serviceaccount",``, so their second segment always begins
``eyJpc3MiOiJrdWJlcm5ldGVzL3NlcnZpY2VhY2NvdW50``; they appear as ``token:`` in kubeconfigs and CI
variables. Bound (projected) tokens have no fixed issuer and expire, and are not matched. Detection
only.
"""

from __future__ import annotations

import base64
import json

from tokenreach.detectors import jwt
from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import END_DOT, fake

_ISS = "eyJpc3MiOiJrdWJlcm5ldGVzL3NlcnZpY2VhY2NvdW50"


def _b64(obj: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(obj, separators=(",", ":")).encode()).decode().rstrip("=")


def _legacy(secret: str) -> bool:
    claims = jwt.claims(secret)
    return claims is not None and claims.get("iss") == "kubernetes/serviceaccount"


_H = fake("hex", 32, "k8s-uid")
_TOKEN = (_b64({"alg": "RS256", "kid": fake("b64url", 43, "k8s-kid")}) + "."
          + _b64({"iss": "kubernetes/serviceaccount", "kubernetes.io/serviceaccount/namespace": "ci",
                  "kubernetes.io/serviceaccount/secret.name": "deployer-token-7x2kq",
                  "kubernetes.io/serviceaccount/service-account.name": "deployer",
                  "kubernetes.io/serviceaccount/service-account.uid":
                      f"{_H[:8]}-{_H[8:12]}-{_H[12:16]}-{_H[16:20]}-{_H[20:]}",
                  "sub": "system:serviceaccount:ci:deployer"})
          + "." + fake("b64url", 342, "k8s-sig"))

PATTERNS = (
    Pattern(
        id="kubernetes.service_account_token",
        name="Kubernetes legacy service-account token",
        regex=(r"(?:^|[^A-Za-z0-9_\-.])(?P<secret>eyJ[A-Za-z0-9_\-]{10,1000}\." + _ISS
               + r"[A-Za-z0-9_\-]{20,4000}\.[A-Za-z0-9_\-]{20,1000})" + END_DOT),
        keywords=(_ISS.lower(),),
        kind="service_account_token",
        validate=_legacy,
        examples=(f"users:\n- name: deployer\n  user:\n    token: {_TOKEN}\n", f"KUBE_TOKEN={_TOKEN}"),
        counterexamples=(f"token: eyJhbGciOiJSUzI1NiJ9.{_ISS}.c2lnbmF0dXJl",
                         "token: eyJhbGciOiJSUzI1NiJ9." + _b64({"iss": "https://kubernetes.default.svc"}) + "."
                         + fake("b64url", 86, "k8s-bound")),
    ),
)


class KubernetesDetector(Detector):
    provider = "kubernetes"
    title = "Kubernetes"
    patterns = PATTERNS
    revoke_url = "https://kubernetes.io/docs/reference/access-authn-authz/service-accounts-admin/#delete-token"
    least_privilege = ("delete the token Secret and use short-lived bound tokens (kubectl create token) for a "
                       "service account bound to a namespaced Role")


detector = KubernetesDetector()
