from __future__ import annotations

from datetime import datetime, timezone

import pytest

from tests.fakes import slack as fk
from tests.helpers import lookup, token
from tokenreach.detectors.providers.slack import detector, scope_capabilities
from tokenreach.scanner.model import Token

AUTH_TEST = ["POST /api/auth.test"]


@pytest.fixture
def fake():
    with fk.make() as server:
        yield server


def _sent_safely(fake, secret: str) -> None:
    assert fake.sent() == AUTH_TEST
    fake.assert_read_only()
    req = fake.requests[0]
    assert req.header("authorization") == f"Bearer {secret}"
    assert secret not in req.path and not req.query


def test_bot_token_with_history_and_files_can_exfiltrate(fake):
    access = lookup(token(f"SLACK_BOT_TOKEN={fk.BOT}"), fake.url)
    assert access.live is True
    assert access.evidence == "api"
    assert access.identity == "deploybot (bot) in Acme"
    assert access.grants == ["chat:write", "channels:history", "users:read", "files:read"]
    assert access.capabilities == {"read", "write"}
    assert access.reach == "account"
    assert access.resources == ["workspace Acme"]
    assert access.facts["team_id"] == "T0FAKE123"
    assert access.facts["bot_id"] == "B0FAKE789"
    assert access.facts["message_exfiltration"] is True
    _sent_safely(fake, fk.BOT)
    assert fk.BOT not in str(access.to_json())


def test_admin_user_token_on_enterprise_install_reaches_the_organization(fake):
    access = lookup(token(fk.ADMIN_USER), fake.url)
    assert access.live is True
    assert access.identity == "alice in Acme"
    assert access.reach == "organization"
    assert access.grants == ["admin", "admin.users:write", "chat:write", "chat:write.public",
                             "users:read.email"]
    assert access.capabilities == {"read", "write", "delete", "admin"}
    assert access.facts["enterprise_id"] == "E0FAKEORG"
    assert access.facts["reads_personal_data"] is True
    assert any("impersonation" in n for n in access.notes)
    _sent_safely(fake, fk.ADMIN_USER)


def test_webhook_only_bot_is_resource_reach(fake):
    access = lookup(token(fk.WEBHOOK_BOT), fake.url)
    assert (access.live, access.reach, access.grants) == (True, "resource", ["incoming-webhook"])
    assert access.capabilities == {"write"}


def test_app_level_token(fake):
    tok = token(f"SLACK_APP_TOKEN={fk.APP}")
    assert tok.kind == "app_token"
    access = lookup(tok, fake.url)
    assert access.live is True
    assert access.identity == "Acme Socket"
    assert access.grants == ["connections:write"]
    assert access.capabilities == {"write"}
    assert access.facts["app_id"] == "A0FAKEAPP01"


def test_rotating_token_gets_an_expiry(fake):
    access = lookup(token(fk.ROTATING), fake.url)
    assert access.live is True
    assert access.capabilities == {"read"}
    assert access.expires_at is not None
    left = datetime.fromisoformat(access.expires_at.replace("Z", "+00:00")) - datetime.now(timezone.utc)
    assert 11.9 * 3600 < left.total_seconds() <= 12 * 3600
    _sent_safely(fake, fk.ROTATING)


def test_rotating_token_invalid_auth_is_unknown_but_expiry_is_final(fake):
    # A configuration token may be refused by auth.test while still working for manifests.
    unknown = lookup(token(fk.ROTATING_UNKNOWN), fake.url)
    assert unknown.live is None
    assert any("invalid_auth" in n for n in unknown.notes)
    expired = lookup(token(fk.ROTATING_EXPIRED), fake.url)
    assert expired.live is False
    assert any("expired" in n for n in expired.notes)
    assert fake.sent() == AUTH_TEST * 2


def test_missing_scopes_header_leaves_capabilities_unknown(fake):
    access = lookup(token(fk.LEGACY), fake.url)
    assert access.live is True
    assert access.grants == [] and access.capabilities == set()
    assert any("X-OAuth-Scopes" in n for n in access.notes)


@pytest.mark.parametrize("secret", [fk.REVOKED, fk.EXPIRED,
                                    "xoxb-4729137890123-2345678901234-UnknownTokenAbCdEfGhIj"])
def test_dead_tokens_are_not_live(fake, secret):
    access = lookup(token(secret), fake.url)
    assert access.live is False
    assert access.evidence == "api"
    _sent_safely(fake, secret)


@pytest.mark.parametrize(("secret", "reason"), [
    (fk.ODD_ERROR, "ekm_access_denied"),
    (fk.RATE_LIMITED, "429"),
    (fk.SERVER_ERROR, "503"),
    (fk.MALFORMED, "not JSON"),
])
def test_errors_are_unknown_never_revoked(fake, secret, reason):
    access = lookup(token(secret), fake.url, timeout=3, max_retries=0)
    assert access.live is None
    assert any(reason in n for n in access.notes)
    fake.assert_read_only()


@pytest.mark.parametrize(("text", "kind"), [
    ("SLACK_WEBHOOK_URL=https://hooks.slack.com/services/T0123ABCD/B0456EFGH/AbCdEfGhIjKlMnOpQrStUvWx",
     "webhook"),
    ("SLACK_REFRESH_TOKEN=xoxe-1-" + "My0xLTk4NzY1NDMyMTAtWnlYd1Z1" * 5 + "AbCdEf", "refresh_token"),
    ("xoxc-4729137890-4729137890123-4729137890123-" + "0123456789abcdef" * 4, "session_token"),
])
def test_webhooks_refresh_and_session_tokens_are_never_sent(fake, text, kind):
    tok = token(text)
    assert tok.kind == kind
    access = lookup(tok, fake.url)
    assert access.live is None
    assert fake.sent() == []


def test_webhook_offline_facts():
    access = detector.classify(
        token("https://hooks.slack.com/services/T0123ABCD/B0456EFGH/AbCdEfGhIjKlMnOpQrStUvWx"))
    assert access.reach == "resource"
    assert access.capabilities == {"write"}
    assert access.facts["team_id"] == "T0123ABCD"


def test_rotating_and_refresh_tokens_are_told_apart():
    assert token(fk.ROTATING).kind == "rotating_token"
    assert detector.classify(token(fk.ROTATING)).facts["acts_as"] == "user"
    assert token("xoxe-1-" + "My0xLTk4NzY1NDMyMTAtWnlYd1Z1" * 5).kind == "refresh_token"


def test_scope_capabilities():
    assert scope_capabilities([]) == set()
    assert scope_capabilities(["users:read"]) == {"read"}
    assert scope_capabilities(["channels:manage"]) == {"write"}
    assert scope_capabilities(["files:write"]) == {"write", "delete"}
    assert scope_capabilities(["admin.conversations:write"]) == {"admin", "write", "delete"}
    assert scope_capabilities(["team.billing:read"]) == {"billing", "read"}
    assert scope_capabilities(["client"]) == {"read", "write", "delete"}
    assert scope_capabilities(["identify", "weird", ":", ""]) == set()


@pytest.mark.parametrize("secret", ["", "xox", "\x00", "xoxe.", "https://hooks.slack.com/"])
def test_classify_never_raises_on_garbage(secret):
    for kind in (None, "bot_token", "user_token", "app_token", "rotating_token", "refresh_token",
                 "legacy_token", "session_token", "webhook"):
        detector.classify(Token(provider="slack", secret=secret, kind=kind))
