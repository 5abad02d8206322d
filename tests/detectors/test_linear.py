from __future__ import annotations

import json

import pytest

from tests.fakes import linear as fl
from tests.helpers import lookup, token
from tokenreach.detectors.providers.linear import _auth_error


@pytest.fixture
def fake():
    with fl.make() as server:
        yield server


def _queries(fake) -> list[str]:
    return [json.loads(r.body)["query"] for r in fake.requests]


def test_admin_key_reaches_the_workspace_as_admin(fake):
    access = lookup(token(f"LINEAR_API_KEY={fl.ADMIN}"), fake.url)
    assert access.live is True
    assert access.evidence == "api"
    assert access.identity == "Alice <alice@acme.test> in workspace Acme"
    assert access.reach == "organization"
    assert access.capabilities == {"read", "write", "delete", "admin"}
    assert access.grants == []  # Linear has no scope names to report
    assert access.resources == ["team ENG", "team OPS"]
    assert access.resources_total == 2
    assert access.facts["workspace_admin"] is True
    assert access.facts["capabilities_upper_bound"] is True
    assert fake.sent() == ["POST /graphql", "POST /graphql"]
    queries = _queries(fake)
    assert "viewer" in queries[0] and "admin" in queries[0]
    assert "teams" in queries[1]
    # Personal keys travel without a Bearer prefix.
    assert all(r.header("authorization") == fl.ADMIN for r in fake.requests)
    fake.assert_read_only()


def test_member_key_is_not_admin(fake):
    access = lookup(token(fl.MEMBER), fake.url)
    assert access.live is True
    assert access.identity == "Bob <bob@acme.test> in workspace Acme"
    assert access.capabilities == {"read", "write", "delete"}
    assert access.resources == ["team ENG"]
    assert "workspace_admin" not in access.facts


def test_teams_failure_keeps_liveness(fake):
    access = lookup(token(fl.TEAMS_FAIL), fake.url)
    assert access.live is True
    assert access.resources == []
    assert any("teams not listed" in n for n in access.notes)


def test_revoked_key_is_not_live(fake):
    access = lookup(token(fl.REVOKED), fake.url)
    assert access.live is False
    assert access.evidence == "api"
    assert fake.sent() == ["POST /graphql"]


def test_authentication_error_inside_http_200_is_revoked(fake):
    access = lookup(token(fl.AUTH_IN_200), fake.url)
    assert access.live is False
    assert fake.sent() == ["POST /graphql"]


@pytest.mark.parametrize("key", [fl.RATE_LIMITED, fl.BROKEN, fl.MALFORMED])
def test_rate_limit_server_error_and_garbage_are_unknown(fake, key):
    access = lookup(token(key), fake.url, timeout=3)
    assert access.live is None
    fake.assert_read_only()


def test_rate_limit_note_names_the_status(fake):
    access = lookup(token(fl.RATE_LIMITED), fake.url, timeout=3)
    assert any("429" in n for n in access.notes)


def test_auth_error_reader_ignores_other_errors_and_garbage():
    assert _auth_error(fl._AUTH_ERROR) is True
    assert _auth_error({"errors": [{"message": "x", "extensions": {"code": "FORBIDDEN"}}]}) is False
    assert _auth_error({"errors": ["not a dict", {"extensions": "nope"}]}) is False
    assert _auth_error({}) is False


def test_key_never_travels_in_the_url(fake):
    lookup(token(fl.ADMIN), fake.url)
    assert all(fl.ADMIN not in r.path for r in fake.requests)
