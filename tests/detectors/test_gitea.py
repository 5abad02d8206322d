from __future__ import annotations

import json

import pytest

from tests.fakes import gitea as gt
from tests.helpers import lookup, token
from tokenreach.scanner.lookup import LookupOptions, lookup_one


@pytest.fixture
def fake():
    with gt.make() as server:
        yield server


def find(secret: str):
    return token(f"GITEA_TOKEN={secret}", provider="gitea")


def test_never_sent_without_the_operator_url(fake):
    access = lookup_one(find(gt.READER), LookupOptions(environ={}))
    assert access.live is None
    assert any("self-hosted instance" in n for n in access.notes)


def test_read_token_of_a_user(fake):
    access = lookup(find(gt.READER), fake.url)
    assert (access.live, access.evidence, access.reach) == (True, "api", "organization")
    assert access.identity == "rita <rita@acme.test>"
    assert access.resources == ["rita/notes", "acme/api"]
    assert access.capabilities == {"read", "write", "delete", "admin"}  # the user's, an upper bound
    assert access.facts["capabilities_upper_bound"] is True
    assert fake.sent() == ["GET /api/v1/user", "GET /api/v1/user/repos"]
    assert all(r.header("authorization") == f"token {gt.READER}" for r in fake.requests)
    fake.assert_read_only()


def test_site_admin_all_token_administers_the_instance(fake):
    access = lookup(find(gt.ADMIN_ALL), fake.url)
    assert (access.live, access.reach) == (True, "organization")
    assert access.capabilities == {"read", "write", "delete", "admin"}
    assert access.facts["site_admin"] is True
    assert fake.sent()[-1] == "GET /api/v1/admin/users"


def test_token_without_read_user_is_live_and_its_scopes_are_named(fake):
    access = lookup(find(gt.ISSUES_ONLY), fake.url)
    assert (access.live, access.evidence) == (True, "api")
    assert access.grants == ["write:issue"]
    assert access.capabilities == {"read", "write", "delete"}
    assert fake.sent() == ["GET /api/v1/user"]


def test_revoked_token_is_dead_and_its_echo_never_reported(fake):
    access = lookup(find(gt.REVOKED), fake.url)
    assert (access.live, access.evidence) == (False, "api")
    assert gt.REVOKED not in json.dumps(access.to_json())


@pytest.mark.parametrize("secret", [gt.RATE_LIMITED, gt.BROKEN])
def test_429_and_5xx_are_unknown_never_revoked(fake, secret):
    access = lookup(find(secret), fake.url, timeout=3)
    assert access.live is None


def test_the_token_is_never_in_a_url(fake):
    lookup(find(gt.ADMIN_ALL), fake.url)
    for req in fake.requests:
        assert gt.ADMIN_ALL not in req.path + str(req.query)
