"""Fake JFrog Platform: ``GET /artifactory/api/repositories``, answering API keys
(``X-JFrog-Art-Api``) and Bearer tokens as Artifactory does, ``{"errors": [...]}`` on refusal; and
access tokens built as JFrog issues them (JWTs with ``sub``, ``scp``, ``exp``)."""

from __future__ import annotations

import base64
import json

from tests.fakes.server import FakeServer, Reply, Request


def _b64(obj: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(obj, separators=(",", ":")).encode()).decode().rstrip("=")


def access_token(user: str, scope: str, exp: int | None = 1893456000) -> str:
    header = _b64({"ver": "2", "typ": "JWT", "alg": "RS256", "kid": "C7-aU1rYt0pmpc5I3Yagzapk71Py5jCW"})
    payload: dict = {"sub": f"jfac@01h8t2k7r3/users/{user}", "scp": scope, "aud": "*@*",
                     "iss": "jfac@01h8t2k7r3", "iat": 1767225600, "jti": f"{user}-4f1c2b7a"}
    if exp is not None:
        payload["exp"] = exp
    signature = "QMISwINDtMApJB6SiseS8fJfMsyhiY232FC0e_q8_pSqUoYVnoB7aqWbefqne5XIty_WE8"
    return f"{header}.{_b64(payload)}.{signature}"


ADMIN = access_token("admin", "applied-permissions/admin")
READERS = access_token("ci-reader", "applied-permissions/groups:readers", exp=None)
API_KEY = "AKCpvwh0FxwQbtVE0geNoKHzh2bcTBYomseggF1I4YckNF2nextrfYSoilQwrt2c6b9tKSvTa"
REFERENCE = "cmVmdGtuOjAxOjE4OTM0NTYwMDA6ZGNySGlIbTNWQjBFbkUza2RmMHhaNmdOY3pk"
REVOKED = access_token("gone", "applied-permissions/user")
RATE_LIMITED = "cmVmdGtuOjAxOjE4OTM0NTYwMDA6U2xvd1Nsb3dTbG93U2xvd1Nsb3dTbG93U2xv"
BROKEN = "AKCp9Gq2Lm7Xv4Tb8Nc1Rz6Wy3Hd5Kf0Js2Ea9Pu7Io4Ql1Mx8Vn6Bt3Cr5Dg0Fh2Sk7Ya4Ze"

_REPOS = {
    ADMIN: ["libs-release-local", "libs-snapshot-local", "docker-prod", "npm-remote"],
    READERS: ["libs-release-local"],
    API_KEY: ["libs-release-local", "npm-remote"],
    REFERENCE: ["docker-prod"],
}


def make() -> FakeServer:
    fake = FakeServer()

    @fake.route("GET", "/artifactory/api/repositories")
    def repositories(req: Request) -> Reply:
        cred = req.header("x-jfrog-art-api") or req.bearer()
        if cred == RATE_LIMITED:
            return Reply(429, {"errors": [{"status": 429, "message": "Too Many Requests"}]},
                         headers={"Retry-After": "5"})
        if cred == BROKEN:
            return Reply(503, {"errors": [{"status": 503, "message": "Service Unavailable"}]})
        if cred not in _REPOS:
            return Reply(401, {"errors": [{"status": 401, "message": "Bad credentials"}]})
        return Reply(200, [{"key": key, "type": "LOCAL" if key.endswith("local") else "REMOTE",
                            "url": f"https://acme.jfrog.io/artifactory/{key}", "packageType": "Generic"}
                           for key in _REPOS[cred]])

    return fake
