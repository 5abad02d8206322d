"""Telegram bot tokens.

Format: the Telegram Bot API docs (core.telegram.org/bots/api#authorizing-your-bot, "Each bot is
given a unique authentication token when it is created", e.g. ``123456:ABC-DEF1234ghIkl…``) and
@BotFather: the bot's numeric ID, ``:``, then 35 base64url characters, which start ``AA``. The token
sits in the path of every call (``api.telegram.org/bot<token>/…``). Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import END, fake, plausible


def _hash_ok(secret: str) -> bool:
    tail = secret.split(":", 1)[1]
    return any(c.islower() for c in tail) and any(c.isupper() for c in tail[2:]) and plausible(tail, 3.5)


_TOKEN = "7214459832:AA" + fake("b64url", 33, "telegram")
_TOKEN2 = "583920174:AA" + fake("b64url", 33, "telegram-2")

PATTERNS = (
    Pattern(
        id="telegram.bot_token",
        name="Telegram bot token",
        regex=r"(?:^|[^A-Za-z0-9_:\-]|/bot)(?P<secret>\d{8,10}:AA[A-Za-z0-9_\-]{33})" + END,
        keywords=(":aa",),
        kind="bot_token",
        validate=_hash_ok,
        examples=(
            f"TELEGRAM_BOT_TOKEN={_TOKEN}",
            f"curl https://api.telegram.org/bot{_TOKEN2}/getMe",
        ),
        counterexamples=(
            "TELEGRAM_BOT_TOKEN=123456789:AAxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "TELEGRAM_BOT_TOKEN=" + _TOKEN[:-1],  # 34 characters after the colon
            "00401000:AAB2C3D4E5F60718293A4B5C6D7E8F90A1",  # a hex dump line
            "id_" + _TOKEN,  # digits inside a longer word
        ),
    ),
)


class TelegramDetector(Detector):
    provider = "telegram"
    title = "Telegram"
    patterns = PATTERNS
    revoke_url = "https://t.me/BotFather"
    least_privilege = ("a bot token has every power of the bot; keep privacy mode on, give the bot admin rights "
                       "only where it needs them, and /revoke the token in @BotFather if it leaks")


detector = TelegramDetector()
