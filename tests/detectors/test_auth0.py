from __future__ import annotations

import pytest

from tests.fakes import auth0 as a0
from tests.helpers import lookup, token


@pytest.fixture
def fake():
    with a0.make() as server:
        yield server


def find(secret: str):
    return token(f"AUTH0_MANAGEMENT_TOKEN={secret}\n", provider="auth0")


def test_broad_management_token(fake):
    access = lookup(find(a0.BROAD), fake.url)
    assert (access.live, access.evidence, access.reach) == (True, "api", "account")
    assert access.identity == f"application BroadM2MClientId0000000000000001 on Acme Corp ({a0.TENANT})"
    assert access.grants == sorted(a0.BROAD_SCOPES)
    assert access.capabilities == {"read", "write", "delete", "admin", "secrets"}
    assert access.resources == [a0.TENANT]
    assert access.expires_at == "2100-01-01T00:00:00Z"
    assert fake.sent() == ["GET /api/v2/tenants/settings"]
    (req,) = fake.requests
    assert req.header("authorization") == f"Bearer {a0.BROAD}"
    assert req.header("x-tokenreach-target-host") == a0.TENANT
    assert a0.BROAD not in req.path and a0.BROAD not in str(req.query)
    fake.assert_read_only()


def test_narrow_read_token(fake):
    access = lookup(find(a0.NARROW), fake.url)
    assert (access.live, access.grants) == (True, ["read:tenant_settings", "read:users"])
    assert access.capabilities == {"read"}


def test_insufficient_scope_is_live_with_its_claimed_scopes(fake):
    access = lookup(find(a0.NO_SETTINGS), fake.url)
    assert (access.live, access.evidence) == (True, "api")
    assert access.grants == ["read:users"] and access.capabilities == {"read"}
    assert access.identity == f"application UsersOnlyClientId000000000000003 on {a0.TENANT}"
    assert any("403" in n and "read:tenant_settings" in n for n in access.notes)


def test_revoked_token_is_not_live(fake):
    access = lookup(find(a0.REVOKED), fake.url)
    assert (access.live, access.evidence) == (False, "api")
    assert any("401" in n for n in access.notes)


def test_expired_token_is_dead_offline_without_a_request(fake):
    access = lookup(find(a0.EXPIRED), fake.url)
    assert (access.live, access.evidence) == (False, "offline")
    assert fake.requests == []


@pytest.mark.parametrize("secret", [a0.RATE_LIMITED, a0.BROKEN])
def test_failures_are_unknown_never_revoked(fake, secret):
    access = lookup(find(secret), fake.url, timeout=3, max_retries=0)
    assert access.live is None
    fake.assert_read_only()


def test_token_for_another_api_is_not_looked_up(fake):
    access = lookup(find(a0.OTHER_API), fake.url)
    assert access.live is None and fake.requests == []
    assert "tenant" not in access.facts


def test_client_secret_is_never_sent(fake):
    tok = token("AUTH0_CLIENT_SECRET=vw3Ebn3w3nU0WrdG_koWjPZVndPm-_A06nPNqIBmwC9Oh4PQAPmu-az2xqrBVis-\n",
                provider="auth0")
    assert tok.kind == "client_secret"
    access = lookup(tok, fake.url)
    assert access.live is None and fake.requests == []
