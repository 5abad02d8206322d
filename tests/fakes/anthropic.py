"""Fake https://api.anthropic.com answering as platform.claude.com documents it.

Errors are ``{"type": "error", "error": {"type", "message"}}``: 401 ``authentication_error``,
403 ``permission_error``, 404 ``not_found_error``, 429 ``rate_limit_error`` (with
``retry-after``), 500 ``api_error``, 529 ``overloaded_error``. Lists are
``{"data", "has_more", "first_id", "last_id"}``. Every answer carries ``request-id`` and
``anthropic-organization-id``.
"""

from __future__ import annotations

from tests.fakes.server import FakeServer, Reply, Request


def _key(prefix: str, seed: str) -> str:
    return prefix + (seed * 10)[:93] + "AA"


LIVE = _key("sk-ant-api03-", "FakeLiveWorkspaceKey-_0123")
QUIET = _key("sk-ant-api03-", "FakeQuietWorkspaceKey_9876")  # no batches
REVOKED = _key("sk-ant-api03-", "FakeRevokedKey-0042")
NOT_FOUND = _key("sk-ant-api03-", "FakeDisabledKey-0404")
BAD_REQUEST = _key("sk-ant-api03-", "FakeBadRequestKey-0400")
FORBIDDEN = _key("sk-ant-api03-", "FakeForbiddenKey-0403")
OVERLOADED = _key("sk-ant-api03-", "FakeOverloadedKey-0529")
RATE_LIMITED = _key("sk-ant-api03-", "FakeRateLimitedKey-0429")
SERVER_ERROR = _key("sk-ant-api03-", "FakeServerErrorKey-0500")
MALFORMED = _key("sk-ant-api03-", "FakeMalformedKey-0200")
ADMIN = _key("sk-ant-admin01-", "FakeAdminKey-Org_0001")
ADMIN_REVOKED = _key("sk-ant-admin01-", "FakeAdminGone-0401")

ORG_ID = "0f4ea1b2-fake-4c0d-9e8f-123456789abc"


def _err(status: int, kind: str, message: str, headers: dict[str, str] | None = None) -> Reply:
    return Reply(status, {"type": "error", "error": {"type": kind, "message": message}},
                 headers={"request-id": "req_fake", **(headers or {})})


def _page(items: list[dict], more: bool = False) -> Reply:
    return Reply(200, {"data": items, "has_more": more,
                       "first_id": items[0]["id"] if items else None,
                       "last_id": items[-1]["id"] if items else None},
                 headers={"request-id": "req_fake", "anthropic-organization-id": ORG_ID})


_MODELS = [
    {"type": "model", "id": "claude-sonnet-4-5", "display_name": "Claude Sonnet 4.5",
     "created_at": "2025-09-29T00:00:00Z"},
    {"type": "model", "id": "claude-haiku-4-5", "display_name": "Claude Haiku 4.5",
     "created_at": "2025-10-01T00:00:00Z"},
]
_BATCH = {"id": "msgbatch_fake01", "type": "message_batch", "processing_status": "ended",
          "created_at": "2026-01-01T00:00:00Z"}
_API_KEYS = [
    {"type": "api_key", "id": "apikey_fake01", "name": "prod", "status": "active",
     "workspace_id": "wrkspc_fake01", "created_at": "2026-01-01T00:00:00Z",
     "created_by": {"id": "user_fake01", "type": "user"}, "partial_key_hint": "sk-ant-api03-R2D...igAA"},
    {"type": "api_key", "id": "apikey_fake02", "name": "ci", "status": "active",
     "workspace_id": None, "created_at": "2026-01-02T00:00:00Z",
     "created_by": {"id": "user_fake02", "type": "user"}, "partial_key_hint": "sk-ant-api03-Xy1...zzAA"},
    {"type": "api_key", "id": "apikey_fake03", "name": "old", "status": "archived",
     "workspace_id": "wrkspc_fake01", "created_at": "2025-01-01T00:00:00Z",
     "created_by": {"id": "user_fake01", "type": "user"}, "partial_key_hint": "sk-ant-api03-Old...abAA"},
]
_USERS = [
    {"type": "user", "id": "user_fake01", "email": "alice@acme.example", "name": "Alice", "role": "admin",
     "added_at": "2025-01-01T00:00:00Z"},
    {"type": "user", "id": "user_fake02", "email": "bob@acme.example", "name": "Bob", "role": "developer",
     "added_at": "2025-02-01T00:00:00Z"},
    {"type": "user", "id": "user_fake03", "email": "carol@acme.example", "name": "Carol", "role": "user",
     "added_at": "2025-03-01T00:00:00Z"},
]
_WORKSPACES = [
    {"type": "workspace", "id": "wrkspc_fake01", "name": "Production", "created_at": "2025-01-01T00:00:00Z",
     "archived_at": None, "display_color": "#6C5BB9"},
    {"type": "workspace", "id": "wrkspc_fake02", "name": "Research", "created_at": "2025-02-01T00:00:00Z",
     "archived_at": None, "display_color": "#AA0000"},
    {"type": "workspace", "id": "wrkspc_fake03", "name": "Old", "created_at": "2024-02-01T00:00:00Z",
     "archived_at": "2025-06-01T00:00:00Z", "display_color": "#000000"},
]

_FAILURES = {
    NOT_FOUND: (404, "not_found_error", "Not found"),
    BAD_REQUEST: (400, "invalid_request_error", "Your credit balance is too low"),
    FORBIDDEN: (403, "permission_error", "Your API key does not have permission to use the specified resource."),
    OVERLOADED: (529, "overloaded_error", "Overloaded"),
    SERVER_ERROR: (500, "api_error", "Internal server error"),
}


def make() -> FakeServer:
    fake = FakeServer()

    def standard(req: Request) -> Reply:
        key = req.header("x-api-key")
        if req.header("anthropic-version") != "2023-06-01":
            return _err(400, "invalid_request_error", "anthropic-version: header is required")
        if key == RATE_LIMITED:
            return _err(429, "rate_limit_error", "Number of requests has exceeded your rate limit",
                        {"retry-after": "40"})
        if key == MALFORMED:
            return Reply(200, "<html>gateway</html>")
        if key in _FAILURES:
            return _err(*_FAILURES[key])
        if key not in (LIVE, QUIET, ADMIN):
            return _err(401, "authentication_error", "invalid x-api-key")
        if key == ADMIN:  # admin keys are for the Admin API only
            return _err(401, "authentication_error", "invalid x-api-key")
        if req.path == "/v1/models":
            return _page(_MODELS)
        return _page([_BATCH] if key == LIVE else [])

    fake.add("GET", "/v1/models", standard)
    fake.add("GET", "/v1/messages/batches", standard)

    def admin(req: Request) -> Reply:
        key = req.header("x-api-key")
        if req.header("anthropic-version") != "2023-06-01":
            return _err(400, "invalid_request_error", "anthropic-version: header is required")
        if key != ADMIN:
            return _err(401, "authentication_error", "invalid x-api-key")
        if req.path.endswith("/api_keys"):
            return _page(_API_KEYS)
        if req.path.endswith("/users"):
            return _page(_USERS)
        return _page(_WORKSPACES)

    for path in ("/v1/organizations/api_keys", "/v1/organizations/users", "/v1/organizations/workspaces"):
        fake.add("GET", path, admin)
    return fake
