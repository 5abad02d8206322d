from __future__ import annotations

import pytest

from tests.fakes import monday as mo
from tests.helpers import lookup, token


@pytest.fixture
def fake():
    with mo.make() as server:
        yield server


def find(secret: str):
    return token(f"MONDAY_API_TOKEN={secret}", provider="monday")


def test_admin_token_reaches_the_whole_account(fake):
    access = lookup(find(mo.ADMIN), fake.url)
    assert (access.live, access.evidence, access.reach) == (True, "api", "organization")
    assert access.identity == "Ada <ada@acme.test> in account Acme"
    assert access.grants == ["admin", "me:write"]
    assert access.capabilities == {"read", "write", "delete", "admin", "billing"}
    assert access.resources == ["workspace Main workspace", "board Roadmap", "board Payroll", "board Hiring"]
    assert access.facts["account_id"] == 20483911
    assert fake.sent() == ["POST /v2", "POST /v2"]
    fake.assert_read_only()


def test_member_token(fake):
    access = lookup(find(mo.MEMBER), fake.url)
    assert (access.live, access.reach, access.grants) == (True, "account", ["me:write", "member"])
    assert access.capabilities == {"read", "write", "delete"}
    assert access.resources == ["workspace Main workspace", "board Roadmap"]


def test_guest_token_reaches_only_shared_boards(fake):
    access = lookup(find(mo.GUEST), fake.url)
    assert (access.live, access.reach) == (True, "resource")
    assert access.capabilities == {"read", "write"}
    assert access.resources == ["board Vendor intake"]


def test_user_unauthorized_is_live_without_an_identity(fake):
    access = lookup(find(mo.REFUSED), fake.url)
    assert (access.live, access.evidence, access.identity) == (True, "api", None)
    assert any("(UserUnauthorizedException)" in n for n in access.notes)
    assert fake.sent() == ["POST /v2"]


@pytest.mark.parametrize("secret", [mo.REVOKED, mo.AUTH_IN_200])
def test_revoked_is_not_live(fake, secret):
    access = lookup(find(secret), fake.url)
    assert (access.live, access.evidence) == (False, "api")
    assert fake.sent() == ["POST /v2"]


@pytest.mark.parametrize("secret", [mo.RATE_LIMITED, mo.BROKEN, mo.MALFORMED])
def test_failures_are_unknown_never_revoked(fake, secret):
    access = lookup(find(secret), fake.url, timeout=3)
    assert access.live is None
    assert access.capabilities == set()
    fake.assert_read_only()


def test_queries_only_and_the_token_only_in_the_header(fake):
    lookup(find(mo.ADMIN), fake.url)
    for req in fake.requests:
        assert req.header("authorization") == mo.ADMIN  # monday's form: no Bearer prefix
        assert mo.ADMIN not in req.path and not req.query
        assert req.json()["query"].startswith("query ")


def test_offline_claims():
    from tokenreach.detectors.providers.monday import detector

    access = detector.classify(find(mo.MEMBER))
    assert access.grants == ["me:write"]
    assert (access.facts["user_id"], access.facts["region"]) == (51239801, "use1")
