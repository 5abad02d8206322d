from __future__ import annotations

import pytest

from tests.fakes import fastly as ff
from tests.helpers import lookup, token


@pytest.fixture
def fake():
    with ff.make() as server:
        yield server


def find(secret: str):
    return token(f"FASTLY_API_TOKEN={secret}", provider="fastly")


def test_global_token_of_a_superuser_is_broad(fake):
    access = lookup(find(ff.SUPER), fake.url)
    assert (access.live, access.evidence) == (True, "api")
    assert access.identity == "ops@acme.test (token deploy)"
    assert access.grants == ["global", "role:superuser"]
    assert access.capabilities == {"read", "write", "delete", "admin", "billing"}
    assert access.reach == "account"
    assert access.facts["role"] == "superuser"
    assert any("every service of the account" in n for n in access.notes)
    assert fake.sent() == ["GET /tokens/self", "GET /current_user"]
    fake.assert_read_only()


def test_purge_select_token_for_one_service_is_narrow(fake):
    access = lookup(find(ff.PURGE), fake.url)
    assert access.live is True
    assert access.grants == ["purge_select"]
    assert access.capabilities == {"write"}
    assert access.reach == "resource"
    assert access.resources == [f"service {ff.SERVICES[0]}"]
    assert access.expires_at == "2027-06-30T00:00:00Z"
    assert fake.sent() == ["GET /tokens/self"]  # no global scope: the user's role does not matter


def test_global_read_token_reads_only_even_for_an_engineer(fake):
    access = lookup(find(ff.READER), fake.url)
    assert access.capabilities == {"read"}
    assert access.grants == ["global:read", "role:engineer"]
    assert access.reach == "account"  # global:read reaches non-service endpoints despite the limit
    assert access.resources_total == 2


def test_automation_token_carries_its_own_role(fake):
    access = lookup(find(ff.AUTOMATION), fake.url)
    assert access.facts["automation_token"] is True
    assert access.identity == "automation token ci"
    assert access.capabilities == {"read", "write", "delete"}
    assert fake.sent() == ["GET /tokens/self"]


def test_insufficient_scope_is_live_but_unread(fake):
    access = lookup(find(ff.NO_SELF), fake.url)
    assert (access.live, access.evidence) == (True, "api")
    assert access.grants == [] and access.capabilities == set()
    assert any("403" in n and "not authorized" in n for n in access.notes)


def test_role_unreadable_keeps_liveness_and_says_so(fake):
    access = lookup(find(ff.ROLE_FAILS), fake.url, timeout=3)
    assert access.live is True
    assert access.capabilities == {"read"}
    assert access.facts["capabilities_lower_bound"] is True


def test_revoked_or_expired_is_not_live(fake):
    access = lookup(find(ff.REVOKED), fake.url)
    assert (access.live, access.evidence) == (False, "api")
    assert any("401" in n for n in access.notes)
    assert fake.sent() == ["GET /tokens/self"]


@pytest.mark.parametrize("secret", [ff.RATE_LIMITED, ff.BROKEN, ff.MALFORMED])
def test_failures_are_unknown_never_revoked(fake, secret):
    access = lookup(find(secret), fake.url, timeout=3)
    assert access.live is None
    assert access.grants == []
    fake.assert_read_only()


def test_token_travels_in_the_fastly_key_header_only(fake):
    lookup(find(ff.SUPER), fake.url)
    for req in fake.requests:
        assert ff.SUPER not in req.path and not req.query
        assert req.header("fastly-key") == ff.SUPER
        assert req.method == "GET"


def test_token_shape():
    tok = find(ff.PURGE)
    assert (tok.kind, tok.secret, tok.variable) == ("api_token", ff.PURGE, "FASTLY_API_TOKEN")
