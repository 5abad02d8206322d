"""Fake https://discord.com answering as Discord's API documents: ``GET /api/v10/webhooks/{id}/{token}``
("Get Webhook with Token": the webhook object without its user; 404 ``Unknown Webhook`` code 10015,
401 ``Invalid Webhook Token`` code 50027), ``GET /api/v10/users/@me`` and ``/users/@me/guilds`` for
``Authorization: Bot`` (401 ``{"message": "401: Unauthorized", "code": 0}``)."""

from __future__ import annotations

from tests.fakes.server import FakeServer, Reply, Request

HOOK_ID = "1201934872265318410"
HOOK_TOKEN = "IsNvqT-paxfVqLXdgy2lMx16auFHYguh_ZtwiiKhPG4aq7koC90L5qWdHAX3iZ890L4A"
GONE_ID = "1201934872265318411"
RESET_TOKEN = "ResetResetQw3rTy9Zx7Vb1Nm2Kj4Hg8Fd2Sa6Lp0OiUy5Tr1Ew3Qa7Zc8Xv2N1a2b3c4"
SLOW_ID = "1201934872265318412"
BROKEN_ID = "1201934872265318413"


def webhook_url(hook_id: str = HOOK_ID, token: str = HOOK_TOKEN, host: str = "discord.com") -> str:
    return f"https://{host}/api/webhooks/{hook_id}/{token}"


ADMIN_BOT = "MTE4NDQyOTMxMDI1ODM3MjYxOA.f6NJoE.T6BgkJ-17HasHW4HmkkCFNnFtJG5Jy6ny3UO-c"
CHAT_BOT = "OTczNjIwNTE4ODQyNTk3NDE2.hbOHhd.1euBL-PbEvlxGqofvYj0Pi8OuOn9OJPEUOkxrL"
RESET_BOT = "MTE4NDQyOTMxMDI1ODM3MjYxOQ.Gq7XyZ.Qw3rTy9Zx7Vb1Nm2Kj4Hg8Fd2Sa6Lp0OiUy5"

_BOTS = {
    ADMIN_BOT: ({"id": "1184429310258372618", "username": "deploy-bot", "bot": True},
                [{"id": "1", "name": "Acme", "owner": False, "permissions": str(1 << 3)},
                 {"id": "2", "name": "Acme Staff", "owner": False, "permissions": str((1 << 10) | (1 << 11))}]),
    CHAT_BOT: ({"id": "973620518842597416", "username": "chat-bot", "bot": True},
               [{"id": "3", "name": "Gaming", "owner": False, "permissions": str((1 << 10) | (1 << 11))}]),
}


def make() -> FakeServer:
    fake = FakeServer()

    @fake.route("GET", r"/api/v10/webhooks/(\d+)/([A-Za-z0-9_\-]+)")
    def webhook(req: Request) -> Reply:
        _, _, _, _, hook_id, token = req.path.split("/")
        if hook_id == SLOW_ID:
            return Reply(429, {"message": "You are being rate limited.", "retry_after": 64.57, "global": False},
                         headers={"Retry-After": "65"})
        if hook_id == BROKEN_ID:
            return Reply(502, "bad gateway")
        if hook_id != HOOK_ID:
            return Reply(404, {"message": "Unknown Webhook", "code": 10015})
        if token != HOOK_TOKEN:
            return Reply(401, {"message": "Invalid Webhook Token", "code": 50027})
        return Reply(200, {"application_id": None, "avatar": None, "channel_id": "1201934800000000001",
                           "guild_id": "1201934800000000002", "id": HOOK_ID, "name": "Deploys",
                           "type": 1, "token": HOOK_TOKEN})

    def bot(req: Request) -> str | None:
        value = req.header("authorization") or ""
        return value[4:] if value.startswith("Bot ") else None

    @fake.route("GET", "/api/v10/users/@me")
    def me(req: Request) -> Reply:
        found = _BOTS.get(bot(req) or "")
        return Reply(200, found[0]) if found else Reply(401, {"message": "401: Unauthorized", "code": 0})

    @fake.route("GET", "/api/v10/users/@me/guilds")
    def guilds(req: Request) -> Reply:
        found = _BOTS.get(bot(req) or "")
        return Reply(200, found[1]) if found else Reply(401, {"message": "401: Unauthorized", "code": 0})

    return fake
