from __future__ import annotations

import pytest

from tests.fakes import circleci as cc
from tests.helpers import lookup, token


@pytest.fixture
def fake():
    with cc.make() as server:
        yield server


def find(secret: str, name: str = "CIRCLECI_TOKEN"):
    return token(f"{name}={secret}", provider="circleci")


def test_token_of_a_user_alone_reaches_the_account(fake):
    access = lookup(find(cc.SOLO), fake.url)
    assert (access.live, access.evidence, access.reach) == (True, "api", "account")
    assert access.identity == "Sam Solo (sam-solo)"
    assert access.resources == ["gh/sam-solo"]
    assert access.capabilities == {"read", "write", "delete"}
    assert access.facts["capabilities_upper_bound"] is True
    assert fake.sent() == ["GET /api/v2/me", "GET /api/v2/me/collaborations"]
    assert all(r.header("circle-token") == cc.SOLO for r in fake.requests)
    fake.assert_read_only()


def test_token_of_an_organization_member_reaches_its_organizations(fake):
    access = lookup(find(cc.TEAM), fake.url)
    assert (access.live, access.reach) == (True, "organization")
    assert access.resources == ["gh/ada", "gh/acme", "bb/acme-legacy"]
    assert access.resources_total == 3
    assert any("2 besides the user's own" in n for n in access.notes)


def test_unprefixed_token_is_looked_up_as_a_personal_token(fake):
    access = lookup(find(cc.LEGACY, "CIRCLE_TOKEN"), fake.url)
    assert (access.live, access.identity) == (True, "Ada Lovelace (ada)")


def test_revoked_token_is_not_live(fake):
    access = lookup(find(cc.REVOKED), fake.url)
    assert (access.live, access.evidence) == (False, "api")
    assert any("401 (You must log in first.)" in n for n in access.notes)
    assert fake.sent() == ["GET /api/v2/me"]


@pytest.mark.parametrize("secret", [cc.RATE_LIMITED, cc.BROKEN])
def test_429_and_5xx_are_unknown_never_revoked(fake, secret):
    access = lookup(find(secret), fake.url, timeout=3)
    assert access.live is None
    assert access.capabilities == set()


def test_organizations_unavailable_leave_the_token_live(fake):
    access = lookup(find(cc.NO_ORGS), fake.url, timeout=3)
    assert (access.live, access.reach) == (True, "account")
    assert any(n.startswith("organizations not listed") for n in access.notes)


def test_project_token_is_never_sent(fake):
    access = lookup(token(f"CIRCLE_PROJECT_TOKEN={cc.PROJECT}", provider="circleci"), fake.url)
    assert access.live is None
    assert access.reach == "project"
    assert any(n.startswith("not looked up") for n in access.notes)
    assert fake.requests == []


def test_the_token_is_never_in_a_url(fake):
    lookup(find(cc.TEAM), fake.url)
    for req in fake.requests:
        assert cc.TEAM not in req.path + str(req.query)
