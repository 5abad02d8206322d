from __future__ import annotations

import pytest

from tests.fakes import zendesk as zd
from tests.helpers import lookup, token


@pytest.fixture
def fake():
    with zd.make() as server:
        yield server


def env_block(secret: str, sub: str = "acme", email: str = zd.EMAIL):
    return token(f"ZENDESK_SUBDOMAIN={sub}\nZENDESK_EMAIL={email}\nZENDESK_API_TOKEN={secret}\n",
                 provider="zendesk")


def test_binds_subdomain_and_email_of_its_block_or_line():
    assert env_block(zd.ADMIN).context == {"subdomain": "acme", "email": zd.EMAIL}
    tok = token(f"curl https://{zd.ACCOUNT}/api/v2/users/me.json -u {zd.EMAIL}/token:{zd.AGENT}", provider="zendesk")
    assert tok.context == {"site": "acme", "email": zd.EMAIL}


def test_admin_token_is_broad(fake):
    access = lookup(env_block(zd.ADMIN), fake.url)
    assert (access.live, access.evidence, access.reach) == (True, "api", "account")
    assert access.identity == f"Ops Bot <{zd.EMAIL}> on {zd.ACCOUNT}"
    assert access.grants == ["admin", "role_type:admin"]
    assert access.capabilities == {"read", "write", "delete", "admin"}
    assert access.resources == [zd.ACCOUNT]
    assert fake.sent() == ["GET /api/v2/users/me.json"]
    (req,) = fake.requests
    assert req.basic() == (f"{zd.EMAIL}/token", zd.ADMIN)
    assert req.header("x-tokenreach-target-host") == zd.ACCOUNT
    assert zd.ADMIN not in req.path and not req.query
    fake.assert_read_only()


def test_light_agent_token_is_narrow(fake):
    access = lookup(env_block(zd.LIGHT), fake.url)
    assert (access.live, access.capabilities) == (True, {"read", "write"})
    assert access.grants == ["agent", "role_type:light agent", "custom_role_id:360002"]
    assert any("restricted agent" in n for n in access.notes)


def test_agent_on_the_curl_line(fake):
    tok = token(f"curl https://{zd.ACCOUNT}/api/v2/users/me.json -u {zd.EMAIL}/token:{zd.AGENT}", provider="zendesk")
    access = lookup(tok, fake.url)
    assert (access.live, access.grants) == (True, ["agent"])
    assert access.capabilities == {"read", "write", "delete"}


def test_revoked_token_is_not_live(fake):
    access = lookup(env_block(zd.REVOKED), fake.url)
    assert (access.live, access.evidence) == (False, "api")
    assert any("Couldn't authenticate you" in n for n in access.notes)


def test_anonymous_answer_is_unknown_never_live(fake):
    access = lookup(env_block(zd.ANONYMOUS), fake.url)
    assert access.live is None
    assert any("anonymous user" in n for n in access.notes)


@pytest.mark.parametrize("secret", [zd.RATE_LIMITED, zd.BROKEN])
def test_failures_are_unknown_never_revoked(fake, secret):
    access = lookup(env_block(secret), fake.url, timeout=3, max_retries=0)
    assert access.live is None
    fake.assert_read_only()


def test_no_email_is_not_looked_up(fake):
    tok = token(f"ZENDESK_SUBDOMAIN=acme\nZENDESK_API_TOKEN={zd.ADMIN}\n", provider="zendesk")
    access = lookup(tok, fake.url)
    assert access.live is None and fake.requests == []
    assert any("no e-mail" in n for n in access.notes)


def test_no_account_is_not_looked_up(fake):
    tok = token(f"ZENDESK_EMAIL={zd.EMAIL}\nZENDESK_API_TOKEN={zd.ADMIN}\n", provider="zendesk")
    access = lookup(tok, fake.url)
    assert access.live is None and fake.requests == []


def test_zendesk_own_site_is_not_an_account(fake):
    tok = token(f"see https://developer.zendesk.com -u {zd.EMAIL}/token:{zd.ADMIN}", provider="zendesk")
    access = lookup(tok, fake.url)
    assert access.live is None and fake.requests == []
