"""Discord bot tokens and webhook URLs.

Formats: Discord's developer docs (discord.com/developers/docs/reference#authentication): a bot
token is sent as ``Authorization: Bot <token>`` and has three dot-separated parts, the first being
the base64 of the bot's numeric user ID (a snowflake, so it starts ``M``, ``N`` or ``O``), the
second a timestamp, the third an HMAC. The first part is decoded and must be 17 to 20 digits. Webhook
URLs (discord.com/developers/docs/resources/webhook#execute-webhook) are
``https://discord.com/api/webhooks/<id>/<token>``; the URL alone lets anyone post to the channel.
A bot token has no keyword of its own, so it is taken next to a Discord name, after ``Bot`` in an
``Authorization`` header, or as the argument of ``.run(…)`` (discord.py). Detection only.
"""

from __future__ import annotations

import base64
import binascii

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import END, assigned, fake, plausible

_BOT = r"[MNO][A-Za-z0-9_\-]{22,26}\.[A-Za-z0-9_\-]{6}\.[A-Za-z0-9_\-]{27,40}"


def _bot_token(secret: str) -> bool:
    first, _, rest = secret.partition(".")
    try:
        user_id = base64.urlsafe_b64decode(first + "=" * (-len(first) % 4)).decode("ascii")
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return False
    return user_id.isdigit() and 17 <= len(user_id) <= 20 and plausible(rest.split(".")[-1], 3.5)


def _bot_example(user_id: str, seed: str) -> str:
    first = base64.urlsafe_b64encode(user_id.encode()).decode().rstrip("=")
    return f"{first}.{fake('b64url', 6, seed + '-ts')}.{fake('b64url', 38, seed)}"


_TOKEN = _bot_example("1184429310258372618", "discord-bot")
_TOKEN2 = _bot_example("973620518842597416", "discord-bot-2")
_HOOK = "https://discord.com/api/webhooks/1201934872265318410/" + fake("b64url", 68, "discord-hook")

PATTERNS = (
    Pattern(
        id="discord.bot_token",
        name="Discord bot token",
        regex=assigned(r"discord", _BOT),
        keywords=("discord",),
        kind="bot_token",
        validate=_bot_token,
        examples=(f"DISCORD_BOT_TOKEN={_TOKEN}", f'discord_token: "{_TOKEN2}"'),
        counterexamples=(
            "DISCORD_BOT_TOKEN=" + fake("b64url", 24, "d-x") + "." + _TOKEN.split(".", 1)[1],  # not a user ID
            "DISCORD_BOT_TOKEN=${DISCORD_BOT_TOKEN}",
            "DISCORD_CLIENT_ID=1184429310258372618",
        ),
    ),
    Pattern(
        id="discord.bot_token_header",
        name="Discord bot token (Authorization: Bot)",
        regex=r"(?i:authorization)[\"']?\s{0,3}[:=,]\s{0,3}[\"']?Bot\s{1,3}(?P<secret>" + _BOT + ")" + END,
        keywords=("authorization",),
        kind="bot_token",
        validate=_bot_token,
        examples=(
            f"curl -H 'Authorization: Bot {_TOKEN}' https://discord.com/api/v10/users/@me",
            f'headers = {{"Authorization": "Bot {_TOKEN2}"}}',
        ),
        counterexamples=("Authorization: Bot <token>", f"Authorization: Bearer {_TOKEN}"),
    ),
    Pattern(
        id="discord.bot_token_run",
        name="Discord bot token (discord.py run)",
        regex=r"\.run\(\s{0,3}(?:token\s{0,2}=\s{0,2})?[\"'](?P<secret>" + _BOT + r")[\"']",
        keywords=(".run(",),
        kind="bot_token",
        validate=_bot_token,
        examples=(f"bot.run('{_TOKEN}')", f'client.run(token="{_TOKEN2}")'),
        counterexamples=("bot.run(os.environ['DISCORD_TOKEN'])", "app.run('0.0.0.0')"),
    ),
    Pattern(
        id="discord.webhook_url",
        name="Discord webhook URL",
        regex=(r"(?P<secret>https://(?:(?:ptb|canary)\.)?discord(?:app)?\.com/api(?:/v\d{1,2})?/webhooks/"
               r"(?P<webhook_id>\d{17,20})/[A-Za-z0-9_\-]{60,80})" + END),
        keywords=("discord",),
        kind="webhook",
        validate=lambda s: plausible(s.rsplit("/", 1)[1], 3.5),
        examples=(f"DISCORD_WEBHOOK_URL={_HOOK}", f'requests.post("{_HOOK.replace("discord.com", "discordapp.com")}")'),
        counterexamples=(
            "https://discord.com/api/webhooks/123456789012345678/" + "x" * 68,
            "https://discord.com/api/webhooks/{webhook_id}/{webhook_token}",
        ),
        lookup=False,  # the only check is an execute, and an execute posts a message
    ),
)


class DiscordDetector(Detector):
    provider = "discord"
    title = "Discord"
    patterns = PATTERNS
    revoke_url = "https://discord.com/developers/applications"
    least_privilege = ("invite the bot with only the permissions and gateway intents it uses, and give each "
                       "webhook its own channel")


detector = DiscordDetector()
