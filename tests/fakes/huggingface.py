"""Fake https://huggingface.co answering /api/whoami-v2 as huggingface.js documents it."""

from __future__ import annotations

from tests.fakes.server import FakeServer, Reply, Request

READ = "hf_ReadReadReadReadReadReadReadRead12"
WRITE = "hf_WriteWriteWriteWriteWriteWrite1234"
FINE = "hf_FineFineFineFineFineFineFineFine12"
REVOKED = "hf_GoneGoneGoneGoneGoneGoneGoneGone12"
RATE_LIMITED = "hf_SlowSlowSlowSlowSlowSlowSlowSlow12"

_ORGS = [{"name": "acme", "roleInOrg": "admin", "isEnterprise": True},
         {"name": "labs", "roleInOrg": "read", "isEnterprise": False}]


def _whoami(role: str, fine: dict | None = None) -> dict:
    token = {"displayName": "ci", "role": role, "createdAt": "2026-01-01T00:00:00.000Z"}
    if fine is not None:
        token["fineGrained"] = fine
    return {"type": "user", "id": "6523f0", "name": "alice", "fullname": "Alice", "canPay": True,
            "orgs": _ORGS, "auth": {"type": "access_token", "accessToken": token}}


def make() -> FakeServer:
    fake = FakeServer()

    @fake.route("GET", "/api/whoami-v2")
    def whoami(req: Request) -> Reply:
        tok = req.bearer()
        if tok == READ:
            return Reply(200, _whoami("read"))
        if tok == WRITE:
            return Reply(200, _whoami("write"))
        if tok == FINE:
            return Reply(200, _whoami("fineGrained", {
                "global": [],
                "scoped": [{"entity": {"_id": "m1", "type": "model", "name": "alice/tiny"},
                            "permissions": ["repo.content.read"]}],
            }))
        if tok == RATE_LIMITED:
            return Reply(429, {"error": "rate limited"}, headers={"Retry-After": "120"})
        return Reply(401, {"error": "Invalid credentials in Authorization header"})

    return fake
