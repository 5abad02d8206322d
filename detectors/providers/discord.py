"""Discord webhook URLs and bot tokens.

Formats: ``detectors/rules/discord.toml`` (``https://discord.com/api/webhooks/<id>/<token>``; bot
tokens, three dot-separated parts of which the first is the bot's base64 user ID).

Lookups, always on ``discord.com`` whatever host the URL names (Discord's developer docs,
discord.com/developers/docs/resources/webhook and …/resources/user):

- a webhook: ``GET /api/v10/webhooks/{id}/{token}`` ("Get Webhook with Token": needs no other
  authentication and returns the webhook object without its user; it posts nothing). The token is
  the URL itself, so it travels in the path as Discord documents; it is redacted from every label
  and note. A deleted webhook answers 404 ``Unknown Webhook`` (code 10015), a wrong token 401
  ``Invalid Webhook Token`` (code 50027): both dead. Whoever holds the URL can post to its channel,
  and edit or delete the webhook and its messages: write and delete on one channel.
- a bot token: ``GET /api/v10/users/@me`` with ``Authorization: Bot <token>`` (the bot user; 401 when
  the token is reset), then ``GET /api/v10/users/@me/guilds`` (the servers it is in, each with
  ``owner`` and ``permissions``, the bot's permission bitfield there, before channel overwrites).
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, LookupUnavailable
from tokenreach.detectors.http import ProviderHTTP, json_object, json_of, refusal_detail
from tokenreach.detectors.rule_files import builtin, rules_for
from tokenreach.scanner.model import Access, Capability, Token

PATTERNS = rules_for("discord")
_SPEC = builtin("discord")

API = "/api/v10"

# Permission bits (discord.com/developers/docs/topics/permissions), with what each lets a bot do.
_BITS: tuple[tuple[int, str, frozenset[Capability]], ...] = (
    (1 << 3, "ADMINISTRATOR", frozenset({"read", "write", "delete", "admin"})),
    (1 << 5, "MANAGE_GUILD", frozenset({"write", "admin"})),
    (1 << 28, "MANAGE_ROLES", frozenset({"write", "admin"})),
    (1 << 2, "BAN_MEMBERS", frozenset({"delete"})),
    (1 << 1, "KICK_MEMBERS", frozenset({"delete"})),
    (1 << 4, "MANAGE_CHANNELS", frozenset({"write", "delete"})),
    (1 << 13, "MANAGE_MESSAGES", frozenset({"delete"})),
    # Listing a channel's webhooks returns their tokens.
    (1 << 29, "MANAGE_WEBHOOKS", frozenset({"write", "delete", "secrets"})),
    (1 << 11, "SEND_MESSAGES", frozenset({"write"})),
    (1 << 10, "VIEW_CHANNEL", frozenset({"read"})),
    (1 << 16, "READ_MESSAGE_HISTORY", frozenset({"read"})),
)


def permissions_of(bitfield: int) -> tuple[list[str], set[Capability]]:
    """The named permissions in ``bitfield`` (ADMINISTRATOR alone when set: it implies every other)."""
    names: list[str] = []
    caps: set[Capability] = set()
    for bit, name, bit_caps in _BITS:
        if bitfield & bit:
            names.append(name)
            caps |= bit_caps
            if name == "ADMINISTRATOR":
                return names, caps
    return names, caps


class DiscordDetector(Detector):
    provider = "discord"
    title = _SPEC.name
    patterns = PATTERNS
    api_url = "https://discord.com"
    hosts = ("discord.com",)
    request_budget = 60
    revoke_url = _SPEC.revoke_url
    least_privilege = _SPEC.least_privilege

    def lookup(self, token: Token, http: ProviderHTTP, offline: Access) -> Access:
        if token.kind == "webhook":
            return _webhook(token, http, offline)
        return _bot(token, http, offline)


def _webhook(token: Token, http: ProviderHTTP, access: Access) -> Access:
    webhook_id = token.extras.get("webhook_id") or ""
    webhook_token = token.secret.rstrip("/").rsplit("/", 1)[-1]
    if not webhook_id.isdigit() or len(webhook_token) < 60:
        return access.unknown("webhook URL without an id and token: not looked up")
    resp = http.get(f"{API}/webhooks/{webhook_id}/{webhook_token}", secret_in_url=True)
    if not http.settle(access, resp, "GET webhook", dead={401, 404}, detail=refusal_detail(resp),
                       why={404: "the webhook was deleted", 401: "the webhook's token was reset"}):
        return access
    body = json_object(resp)
    name = body.get("name") if isinstance(body.get("name"), str) else None
    channel, guild = body.get("channel_id"), body.get("guild_id")
    access.identity = f"webhook {name}" if name else f"webhook {webhook_id}"
    access.reach = "resource"
    access.capabilities = {"write", "delete"}
    if isinstance(channel, str):
        access.add_resources([f"channel {channel}"])
        access.facts["channel_id"] = channel
    if isinstance(guild, str):
        access.facts["guild_id"] = guild
    access.note("can post messages under any name and avatar to one channel, and edit or delete the "
                "webhook and its messages")
    return access


def _bot(token: Token, http: ProviderHTTP, access: Access) -> Access:
    headers = {"Authorization": f"Bot {token.secret}"}
    resp = http.get(f"{API}/users/@me", headers=headers)
    if not http.settle(access, resp, "/users/@me", detail=refusal_detail(resp),
                       why={401: "invalid, or reset by its owner"}):
        return access
    user = json_object(resp)
    name = user.get("username") if isinstance(user.get("username"), str) else None
    access.identity = f"bot {name}" if name else "Discord bot"
    if isinstance(user.get("id"), str):
        access.facts["bot_id"] = user["id"]
    access.reach = "account"
    try:
        gresp = http.get(f"{API}/users/@me/guilds", headers=headers)
        guilds = json_of(gresp) if gresp.status_code == 200 else None
    except LookupUnavailable as exc:
        return access.note(f"servers not listed: {exc}")
    if not isinstance(guilds, list):
        return access.note(f"/users/@me/guilds answered HTTP {gresp.status_code}: servers unknown")
    granted: set[str] = set()
    names: list[str] = []
    for guild in guilds:
        if not isinstance(guild, dict):
            continue
        names.append(f"server {guild.get('name') or guild.get('id')}")
        try:
            bits = int(str(guild.get("permissions") or "0"))
        except ValueError:
            continue
        perms, caps = permissions_of(bits)
        granted.update(perms)
        access.capabilities |= caps
        if guild.get("owner") is True:
            access.capabilities |= {"read", "write", "delete", "admin"}
            granted.add("OWNER")
    access.grants = sorted(granted)
    access.add_resources(names, len(names))
    if len(names) > 1:
        access.reach = "organization"
    access.note(f"is in {len(names)} server(s); permissions are the bot's per server, before channel overwrites")
    if "ADMINISTRATOR" in granted:
        access.note("ADMINISTRATOR in at least one server: can read every channel, ban members and "
                    "delete the server's content")
    return access


detector = DiscordDetector()
