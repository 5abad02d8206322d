"""Fake https://slack.com/api/auth.test, answering as docs.slack.dev documents it.

HTTP 200 with ``{"ok": false, "error": …}`` for bad tokens; the granted scopes in the
``X-OAuth-Scopes`` header; 429 with ``Retry-After`` when rate limited.
"""

from __future__ import annotations

from tests.fakes.server import FakeServer, Reply, Request

BOT = "xoxb-4729137890123-2345678901234-FakeBotTokenAbCdEfGhIjKl"
ADMIN_USER = "xoxp-4729137890123-3456789012345-4567890123456-fakeadminusertoken0123456789ab"
WEBHOOK_BOT = "xoxb-4729137890123-2345678901234-FakeHookOnlyAbCdEfGhIjKl"
APP = "xapp-1-A0FAKEAPP01-4729137890123-" + "fa4e" * 16
ROTATING = "xoxe.xoxp-1-" + "RmFrZVJvdGF0aW5nVXNlclRva2Vu" * 6
ROTATING_UNKNOWN = "xoxe.xoxp-1-" + "RmFrZUNvbmZpZ1Rva2VuVW5rbm93" * 6
ROTATING_EXPIRED = "xoxe.xoxb-1-" + "RmFrZUV4cGlyZWRSb3RhdGluZ0F4" * 6
LEGACY = "xoxs-4729137890-4729137890-4729137890-0fa4e0fa4e0fa4e0"
REVOKED = "xoxb-4729137890123-2345678901234-FakeRevokedAbCdEfGhIjKlM"
EXPIRED = "xoxb-4729137890123-2345678901234-FakeExpiredAbCdEfGhIjKlM"
ODD_ERROR = "xoxb-4729137890123-2345678901234-FakeEkmDeniedAbCdEfGhIjKl"
RATE_LIMITED = "xoxb-4729137890123-2345678901234-FakeSlowSlowAbCdEfGhIjKl"
SERVER_ERROR = "xoxb-4729137890123-2345678901234-FakeBrokenAbCdEfGhIjKlMn"
MALFORMED = "xoxb-4729137890123-2345678901234-FakeGarbledAbCdEfGhIjKlM"

_TEAM = {"url": "https://acme.slack.com/", "team": "Acme", "team_id": "T0FAKE123"}


def _ok(body: dict, scopes: str | None) -> Reply:
    headers = {"X-OAuth-Scopes": scopes} if scopes is not None else {}
    return Reply(200, {"ok": True, **body}, headers=headers)


def _error(error: str) -> Reply:
    return Reply(200, {"ok": False, "error": error})


def make() -> FakeServer:
    fake = FakeServer()

    @fake.route("POST", "/api/auth.test")
    def auth_test(req: Request) -> Reply:
        tok = req.bearer()
        if tok == BOT:
            return _ok({**_TEAM, "user": "deploybot", "user_id": "U0FAKE456", "bot_id": "B0FAKE789",
                        "is_enterprise_install": False},
                       "chat:write,channels:history,users:read,files:read")
        if tok == ADMIN_USER:
            return _ok({**_TEAM, "user": "alice", "user_id": "U0FAKEALI", "enterprise_id": "E0FAKEORG",
                        "is_enterprise_install": True},
                       "admin,admin.users:write,chat:write,chat:write.public,users:read.email")
        if tok == WEBHOOK_BOT:
            return _ok({**_TEAM, "user": "notifier", "user_id": "U0FAKE111", "bot_id": "B0FAKE222"},
                       "incoming-webhook")
        if tok == APP:
            return _ok({"app_id": "A0FAKEAPP01", "app_name": "Acme Socket"}, "connections:write")
        if tok == ROTATING:
            return _ok({**_TEAM, "user": "bob", "user_id": "U0FAKEBOB", "expires_in": 43200},
                       "channels:read,search:read")
        if tok == LEGACY:
            return _ok({**_TEAM, "user": "carol", "user_id": "U0FAKECAR"}, None)
        if tok == ROTATING_EXPIRED:
            return _error("token_expired")
        if tok == REVOKED:
            return _error("token_revoked")
        if tok == EXPIRED:
            return _error("token_expired")
        if tok == ODD_ERROR:
            return _error("ekm_access_denied")
        if tok == RATE_LIMITED:
            return Reply(429, {"ok": False, "error": "ratelimited"}, headers={"Retry-After": "30"})
        if tok == SERVER_ERROR:
            return Reply(503, "Service Unavailable")
        if tok == MALFORMED:
            return Reply(200, "<!DOCTYPE html><title>Slack</title>")
        return _error("invalid_auth")

    return fake
