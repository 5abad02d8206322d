from __future__ import annotations

import pytest

from tests.fakes import hubspot as hs
from tests.helpers import lookup, token

CALLS = ["GET /account-info/v3/details", "POST /oauth/v2/private-apps/get/access-token-info"]


@pytest.fixture
def fake():
    with hs.make() as server:
        yield server


def find(secret: str):
    return token(f"HUBSPOT_ACCESS_TOKEN={secret}\n", provider="hubspot")


def test_broad_private_app_token(fake):
    access = lookup(find(hs.BROAD), fake.url)
    assert (access.live, access.evidence, access.reach) == (True, "api", "account")
    assert access.identity == "HubSpot account 7654321, private app 111111"
    assert access.grants == sorted(hs.BROAD_SCOPES)
    assert access.capabilities == {"read", "write", "delete", "admin"}
    assert access.facts["account_type"] == "STANDARD"
    assert fake.sent() == CALLS
    details, info = fake.requests
    assert details.header("authorization") == f"Bearer {hs.BROAD}"
    assert info.json() == {"tokenKey": hs.BROAD}
    for req in fake.requests:
        assert hs.BROAD not in req.path and not req.query
    fake.assert_read_only()


def test_narrow_read_token_in_a_sandbox(fake):
    access = lookup(find(hs.NARROW), fake.url)
    assert (access.live, access.capabilities) == (True, {"read"})
    assert access.grants == hs.NARROW_SCOPES
    assert access.facts["environment"] == "development" and access.facts["region"] == "eu1"


def test_missing_scopes_on_details_is_live_and_scopes_still_read(fake):
    access = lookup(find(hs.NO_DETAILS), fake.url)
    assert (access.live, access.evidence) == (True, "api")
    assert access.grants == ["crm.objects.deals.read"]
    assert access.identity == "HubSpot account 7654323, private app 333333"
    assert any("MISSING_SCOPES" in n or "403" in n for n in access.notes)


def test_scopes_unavailable_keeps_liveness(fake):
    access = lookup(find(hs.NO_INFO), fake.url, max_retries=0)
    assert access.live is True and access.grants == []
    assert any("scopes unavailable" in n for n in access.notes)


def test_revoked_token_is_not_live(fake):
    access = lookup(find(hs.REVOKED), fake.url)
    assert (access.live, access.evidence) == (False, "api")
    assert fake.sent() == CALLS[:1]


@pytest.mark.parametrize("secret", [hs.RATE_LIMITED, hs.BROKEN])
def test_failures_are_unknown_never_revoked(fake, secret):
    access = lookup(find(secret), fake.url, timeout=3, max_retries=0)
    assert access.live is None
    fake.assert_read_only()


def test_legacy_api_key_is_dead_offline_and_never_sent(fake):
    tok = token("HUBSPOT_API_KEY=83076d6c-f54d-47c4-956f-d17bee91ccf4\n", provider="hubspot")
    access = lookup(tok, fake.url)
    assert (access.live, access.evidence) == (False, "offline")
    assert fake.requests == []
