"""Fake Google endpoints for service-account keys: the x509 public-key list, the OAuth token
endpoint (JWT-bearer grant) and Resource Manager's projects.testIamPermissions.

It checks shapes only (form fields, the assertion's three parts, RS256 header, iss/aud/scope and
lifetime), never a signature: the tests verify the signature themselves. One throwaway RSA key,
made when this module loads, stands in for every service account's key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from functools import cache

from tests.fakes.server import FakeServer, Reply, Request

PROJECT = "acme-prod"
TOKEN_URI = "https://oauth2.googleapis.com/token"


@cache
def private_key():  # type: ignore[no-untyped-def]
    from cryptography.hazmat.primitives.asymmetric import rsa

    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def pem() -> str:
    from cryptography.hazmat.primitives import serialization

    return private_key().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def key_id(name: str) -> str:
    return hashlib.sha1(name.encode()).hexdigest()


def email(name: str, project: str = PROJECT) -> str:
    return f"{name}@{project}.iam.gserviceaccount.com"


def key_json(name: str, *, project: str = PROJECT, sort_keys: bool = False, indent: int | None = 2) -> str:
    """The key file Google would hand out for service account ``name`` (or its sorted form)."""
    doc = {
        "type": "service_account",
        "project_id": project,
        "private_key_id": key_id(name),
        "private_key": pem(),
        "client_email": email(name, project),
        "client_id": str(int(key_id(name)[:12], 16)),
        "auth_uri": "https://accounts.google.com/o/oauth2/auth",
        "token_uri": TOKEN_URI,
        "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
        "client_x509_cert_url": f"https://www.googleapis.com/robot/v1/metadata/x509/{email(name, project)}",
        "universe_domain": "googleapis.com",
    }
    return json.dumps(doc, indent=indent, sort_keys=sort_keys, separators=(",", ":") if indent is None else None)


# Service accounts by name, and what each one's calls answer.
OWNER = "owner-bot"
VIEWER = "reader"
NOTHING = "lonely"
DELETED_KEY = "rotated"  # the account lives, this key was deleted
GONE = "deleted-sa"  # the account itself is gone
DISABLED = "disabled"
CLOCK = "clock-skew"
RATE_LIMITED = "busy"
SERVER_ERROR = "broken"
MALFORMED = "garbled"
API_DISABLED = "no-crm"

_PERMISSIONS = {
    OWNER: None,  # every permission asked about
    VIEWER: ["resourcemanager.projects.get", "storage.buckets.list", "storage.objects.get"],
    NOTHING: [],
    API_DISABLED: [],
}


def _b64url_json(part: str) -> dict:
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def _assertion_claims(req: Request) -> dict | None:
    form = req.form()
    if form.get("grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer":
        return None
    parts = form.get("assertion", "").split(".")
    if len(parts) != 3:
        return None
    try:
        header, claims = _b64url_json(parts[0]), _b64url_json(parts[1])
        base64.urlsafe_b64decode(parts[2] + "=" * (-len(parts[2]) % 4))
    except (ValueError, binascii.Error):
        return None
    ok = (header.get("alg") == "RS256" and claims.get("aud") == TOKEN_URI
          and claims.get("scope") == "https://www.googleapis.com/auth/cloud-platform.read-only"
          and isinstance(claims.get("iat"), int) and 0 < claims.get("exp", 0) - claims["iat"] <= 3600)
    return claims if ok else None


def make() -> FakeServer:
    fake = FakeServer()

    @fake.route("GET", r"/robot/v1/metadata/x509/[^/]+")
    def certs(req: Request) -> Reply:
        who = req.path.rsplit("/", 1)[-1].split("@")[0]
        if who == GONE:
            return Reply(404, {"error": {"code": 404, "message": "Not Found", "status": "NOT_FOUND"}})
        keys = {key_id("an-older-key"): "-----BEGIN CERTIFICATE-----\nMIIC...\n-----END CERTIFICATE-----\n"}
        if who != DELETED_KEY:
            keys[key_id(who)] = "-----BEGIN CERTIFICATE-----\nMIIC...\n-----END CERTIFICATE-----\n"
        return Reply(200, keys)

    @fake.route("POST", "/token")
    def token(req: Request) -> Reply:
        claims = _assertion_claims(req)
        if claims is None:
            return Reply(400, {"error": "invalid_request", "error_description": "Invalid assertion format"})
        who = str(claims.get("iss", "")).split("@")[0]
        if who == DISABLED:
            return Reply(400, {"error": "invalid_grant", "error_description": "Invalid JWT Signature."})
        if who == CLOCK:
            return Reply(400, {"error": "invalid_grant", "error_description":
                               "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable "
                               "timeframe. Check your iat and exp values in the JWT claim."})
        if who == RATE_LIMITED:
            return Reply(429, {"error": "rate_limit_exceeded"}, headers={"Retry-After": "120"})
        if who == SERVER_ERROR:
            return Reply(500, {"error": "internal_failure"})
        if who == MALFORMED:
            return Reply(200, "<!doctype html><title>Error</title>")
        return Reply(200, {"access_token": f"ya29.fake-{who}", "expires_in": 3599, "token_type": "Bearer"})

    @fake.route("POST", r"/v1/projects/[^/:]+:testIamPermissions")
    def test_permissions(req: Request) -> Reply:
        bearer = req.bearer() or ""
        if not bearer.startswith("ya29.fake-"):
            return Reply(401, {"error": {"code": 401, "status": "UNAUTHENTICATED"}})
        who = bearer[len("ya29.fake-"):]
        project = req.path.split("/")[3].split(":")[0]
        if who == API_DISABLED:
            return Reply(403, {"error": {
                "code": 403, "status": "PERMISSION_DENIED",
                "message": f"Cloud Resource Manager API has not been used in project {project} before or it is "
                           "disabled.",
                "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "SERVICE_DISABLED",
                             "domain": "googleapis.com"}]}})
        if project != PROJECT:
            return Reply(403, {"error": {"code": 403, "status": "PERMISSION_DENIED",
                                         "message": "The caller does not have permission"}})
        asked = req.json().get("permissions") or []
        held = _PERMISSIONS.get(who, [])
        granted = [p for p in asked if held is None or p in held]
        return Reply(200, {"permissions": granted} if granted else {})

    return fake
