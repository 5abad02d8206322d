"""Fake Infisical Cloud (us.infisical.com and eu.infisical.com behind one URL, told apart by
``X-Tokenreach-Target-Host``): ``GET /api/v2/service-token`` answering the access-token portion of a
service token as Infisical documents it, encrypted project key included."""

from __future__ import annotations

from tests.fakes.server import FakeServer, Reply, Request

_KEY = "2c1389302f5e8ed93b0f64399053d1e0"  # the symmetric key: must never be sent


def _token(token_id: str, secret: str) -> str:
    return f"st.{token_id}.{secret}.{_KEY}"


READ_ONE = _token("50baa00c-0c22-ba54-0cdb-4d15c591d83b", "7e2307bcfcf3c5bb5a64751aed79b30b")
READ_WRITE = _token("5ca763b22691abad7fe6455c", "4a1302f7a064b787352419f145ae7b83")
EU_TOKEN = _token("6e1f2a3b4c5d6e7f8a9b0c1d", "9f8e7d6c5b4a39281706f5e4d3c2b1a0")
REVOKED = _token("7a6b5c4d3e2f1a0b9c8d7e6f", "0a1b2c3d4e5f60718293a4b5c6d7e8f9")
RATE_LIMITED = _token("8b7c6d5e4f3a2b1c0d9e8f7a", "1b2c3d4e5f60718293a4b5c6d7e8f90a")
BROKEN = _token("9c8d7e6f5a4b3c2d1e0f9a8b", "2c3d4e5f60718293a4b5c6d7e8f90a1b")

_DATA = {
    READ_ONE: ("prod-reader", ["read"], [{"environment": "prod", "secretPath": "/backend"}]),
    READ_WRITE: ("deployer", ["read", "write"], [{"environment": "dev", "secretPath": "/"},
                                                 {"environment": "prod", "secretPath": "/"}]),
    EU_TOKEN: ("eu-reader", ["read"], [{"environment": "staging", "secretPath": "/"}]),
}
_REGION = {READ_ONE: "us.infisical.com", READ_WRITE: "us.infisical.com", EU_TOKEN: "eu.infisical.com",
           RATE_LIMITED: "us.infisical.com", BROKEN: "us.infisical.com"}


def _portion(token: str) -> str:
    return token.rsplit(".", 1)[0]


_BY_PORTION = {_portion(t): t for t in (READ_ONE, READ_WRITE, EU_TOKEN, REVOKED, RATE_LIMITED, BROKEN)}


def make() -> FakeServer:
    fake = FakeServer()

    @fake.route("GET", "/api/v2/service-token")
    def service_token(req: Request) -> Reply:
        sent = req.bearer() or ""
        assert _KEY not in sent, "the symmetric key was sent"
        token = _BY_PORTION.get(sent)
        host = req.header("x-tokenreach-target-host") or "us.infisical.com"
        if token is None or _REGION.get(token) != host:
            return Reply(401, {"reqId": "req-5x2Q", "statusCode": 401, "message": "Invalid service token",
                               "error": "UnauthorizedError"})
        if token == RATE_LIMITED:
            return Reply(429, {"statusCode": 429, "message": "Rate limit exceeded", "error": "TooManyRequests"},
                         headers={"Retry-After": "60"})
        if token == BROKEN:
            return Reply(500, {"statusCode": 500, "message": "Something went wrong", "error": "InternalServerError"})
        name, perms, scopes = _DATA[token]
        return Reply(200, {"id": "b0f8e1d2", "_id": "b0f8e1d2", "name": name, "permissions": perms, "scopes": scopes,
                           "projectId": "64f0c1a2b3", "workspace": "64f0c1a2b3", "secretHash": "$2b$10$abc",
                           "createdAt": "2025-01-01T00:00:00Z", "updatedAt": "2025-01-01T00:00:00Z",
                           "createdBy": "u1", "lastUsed": "2026-11-01T00:00:00Z",
                           "expiresAt": "2027-01-01T00:00:00Z", "encryptedKey": "ENCRYPTEDPROJECTKEY",
                           "iv": "IVIVIVIV", "tag": "TAGTAG", "expiryNotificationSent": False,
                           "user": {"id": "u1", "email": "ada@acme.test", "firstName": "Ada", "lastName": "L"}})

    return fake
