"""Fake Vault: ``GET /v1/auth/token/lookup-self`` and ``POST /v1/sys/capabilities-self``, answering
``X-Vault-Token`` as Vault documents (403 and ``{"errors": […]}`` for a token it does not know)."""

from __future__ import annotations

from tests.fakes.server import FakeServer, Reply, Request

_TAIL = "CAESIJlWhB1pT5gKqLkYp0T7w8n6mQ3xZ2aV9bR4cE1dF0gHGh4KHGh2cy5vbU5PY2hrN1JqWkZLUXc2YlV2dEg5S3I"


def _token(tag: str) -> str:
    return f"hvs.{tag}{_TAIL}"  # 90+ base64url characters after hvs.


ROOT = _token("R00tT0ken1")
APP = _token("AppR0le2Bx")
OPS = _token("0psAdm1n3C")
NO_LOOKUP = _token("N0L00kup4D")
REVOKED = _token("Rev0ked5Ex")
RATE_LIMITED = _token("Sl0wSl0w6F")
SEALED = _token("Sea1ed7Gyy")

_TOKENS = {
    ROOT: ("root", ["root"]),
    APP: ("approle-billing", ["default", "billing-read"]),
    OPS: ("userpass-ops", ["default", "ops-admin"]),
}
_CAPS = {
    APP: {"secret/data/tokenreach-probe": ["read", "list"]},
    OPS: {"sys/policies/acl/tokenreach-probe": ["create", "read", "update", "delete", "list"],
          "sys/mounts/tokenreach-probe": ["create", "read", "update", "sudo"],
          "auth/token/create": ["create", "update", "sudo"],
          "secret/data/tokenreach-probe": ["create", "read", "update", "delete"]},
}


def make() -> FakeServer:
    fake = FakeServer()

    def refusal(token: str | None) -> Reply | None:
        if token == RATE_LIMITED:
            return Reply(429, {"errors": ["request path \"auth/token/lookup-self\": rate limit quota exceeded"]},
                         headers={"Retry-After": "1"})
        if token == SEALED:
            return Reply(503, {"errors": ["Vault is sealed"]})
        if token == NO_LOOKUP:
            return Reply(403, {"errors": ["1 error occurred:\n\t* permission denied\n\n"]})
        if token not in _TOKENS:
            return Reply(403, {"errors": ["2 errors occurred:\n\t* permission denied\n\t* invalid token\n\n"]})
        return None

    @fake.route("GET", "/v1/auth/token/lookup-self")
    def lookup_self(req: Request) -> Reply:
        token = req.header("x-vault-token")
        if (early := refusal(token)) is not None:
            return early
        name, policies = _TOKENS[token]
        root = policies == ["root"]
        return Reply(200, {"request_id": "8a7b6c5d", "lease_id": "", "renewable": False, "lease_duration": 0,
                           "data": {"accessor": "8609694a-cdbc-db9b-d345-e782dbb562ed", "creation_time": 1523979354,
                                    "creation_ttl": 0 if root else 2764800, "display_name": name,
                                    "entity_id": "", "expire_time": None if root else "2026-12-31T00:00:00Z",
                                    "explicit_max_ttl": 0, "id": "(redacted by the fake)",
                                    "identity_policies": [], "issue_time": "2026-01-01T00:00:00Z", "meta": None,
                                    "num_uses": 0, "orphan": True, "path": "auth/token/root" if root else
                                    "auth/approle/login", "policies": policies, "renewable": not root,
                                    "ttl": 0 if root else 2764800, "type": "service"},
                           "wrap_info": None, "warnings": None, "auth": None})

    @fake.route("POST", "/v1/sys/capabilities-self")
    def capabilities_self(req: Request) -> Reply:
        token = req.header("x-vault-token")
        if (early := refusal(token)) is not None:
            return early
        paths = req.json().get("paths", [])
        granted = _CAPS.get(token, {})
        body = {p: granted.get(p, ["root"] if _TOKENS[token][1] == ["root"] else ["deny"]) for p in paths}
        if len(paths) == 1:
            body["capabilities"] = body[paths[0]]
        return Reply(200, body)

    return fake
