from __future__ import annotations

import json

import pytest

from tests.fakes import discord as fd
from tests.helpers import lookup, token


@pytest.fixture
def fake():
    with fd.make() as server:
        yield server


def hook(url: str):
    return token(f"DISCORD_WEBHOOK_URL={url}", provider="discord")


def test_live_webhook_reaches_one_channel(fake):
    access = lookup(hook(fd.webhook_url()), fake.url)
    assert (access.live, access.evidence) == (True, "api")
    assert access.identity == "webhook Deploys"
    assert access.reach == "resource"
    assert access.capabilities == {"write", "delete"}
    assert access.resources == ["channel 1201934800000000001"]
    assert fake.sent() == [f"GET /api/v10/webhooks/{fd.HOOK_ID}/{fd.HOOK_TOKEN}"]
    fake.assert_read_only()


def test_webhook_on_another_discord_host_is_asked_on_discord_com(fake):
    access = lookup(hook(fd.webhook_url(host="discordapp.com")), fake.url)
    assert access.live is True
    assert fake.requests[0].header("x-tokenreach-target-host") is None  # the fixed base, no data host


@pytest.mark.parametrize(("url", "why"), [
    (fd.webhook_url(hook_id=fd.GONE_ID), "deleted"),
    (fd.webhook_url(token=fd.RESET_TOKEN), "reset"),
])
def test_deleted_or_reset_webhook_is_dead(fake, url, why):
    access = lookup(hook(url), fake.url)
    assert (access.live, access.evidence) == (False, "api")
    assert any(why in n for n in access.notes)


@pytest.mark.parametrize("hook_id", [fd.SLOW_ID, fd.BROKEN_ID])
def test_failures_are_unknown_and_never_show_the_webhook_token(fake, hook_id):
    access = lookup(hook(fd.webhook_url(hook_id=hook_id)), fake.url, timeout=3)
    assert access.live is None
    dumped = json.dumps(access.to_json())
    assert fd.HOOK_TOKEN not in dumped
    assert any("429" in n or "502" in n for n in access.notes)


def test_notes_never_carry_the_webhook_token(fake):
    for url in (fd.webhook_url(), fd.webhook_url(token=fd.RESET_TOKEN)):
        access = lookup(hook(url), fake.url)
        assert fd.HOOK_TOKEN not in json.dumps(access.to_json())
        assert fd.RESET_TOKEN not in json.dumps(access.to_json())


def test_bot_with_administrator_is_broad(fake):
    access = lookup(token(f"DISCORD_BOT_TOKEN={fd.ADMIN_BOT}", provider="discord"), fake.url)
    assert (access.live, access.identity) == (True, "bot deploy-bot")
    assert "ADMINISTRATOR" in access.grants
    assert {"admin", "delete"} <= access.capabilities
    assert access.reach == "organization"
    assert access.resources == ["server Acme", "server Acme Staff"]
    assert fake.sent() == ["GET /api/v10/users/@me", "GET /api/v10/users/@me/guilds"]
    assert all(r.header("authorization") == f"Bot {fd.ADMIN_BOT}" for r in fake.requests)


def test_bot_that_only_chats_is_narrow(fake):
    access = lookup(token(f"DISCORD_BOT_TOKEN={fd.CHAT_BOT}", provider="discord"), fake.url)
    assert access.grants == ["SEND_MESSAGES", "VIEW_CHANNEL"]
    assert access.capabilities == {"read", "write"}
    assert access.reach == "account"


def test_reset_bot_token_is_dead(fake):
    access = lookup(token(f"DISCORD_BOT_TOKEN={fd.RESET_BOT}", provider="discord"), fake.url)
    assert (access.live, access.evidence) == (False, "api")
    assert fake.sent() == ["GET /api/v10/users/@me"]
