from __future__ import annotations

import pytest

from tests.fakes import postman as fp
from tests.helpers import lookup, token


@pytest.fixture
def fake():
    with fp.make() as server:
        yield server


def test_team_admin_key_reaches_the_team(fake):
    access = lookup(token(f"POSTMAN_API_KEY={fp.TEAM_ADMIN}"), fake.url)
    assert access.live is True
    assert access.evidence == "api"
    assert access.identity == "alice <alice@acme.test> on team Acme"
    assert access.reach == "organization"
    assert access.grants == ["user", "admin"]
    assert access.capabilities == {"read", "write", "delete", "secrets", "admin"}
    assert access.resources == ["workspace Payments", "workspace My Workspace"]
    assert access.resources_total == 2
    assert access.facts["team"] == "acme"
    assert access.facts["shared_workspaces"] == 1
    assert fake.sent() == ["GET /me", "GET /workspaces"]
    assert all(r.header("x-api-key") == fp.TEAM_ADMIN for r in fake.requests)
    fake.assert_read_only()


def test_personal_key_is_account_reach(fake):
    access = lookup(token(fp.SOLO), fake.url)
    assert access.live is True
    assert access.identity == "bob <bob@home.test>"
    assert access.reach == "account"
    assert access.grants == ["user"]
    assert access.capabilities == {"read", "write", "delete", "secrets"}
    assert access.resources == ["workspace My Workspace"]
    assert "shared_workspaces" not in access.facts


def test_workspace_failure_keeps_liveness(fake):
    access = lookup(token(fp.NO_WORKSPACES), fake.url, timeout=3)
    assert access.live is True
    assert access.identity == "carol"
    assert access.resources == []
    assert any("workspaces not listed" in n for n in access.notes)


def test_revoked_key_is_not_live(fake):
    access = lookup(token(fp.REVOKED), fake.url)
    assert access.live is False
    assert access.evidence == "api"
    assert fake.sent() == ["GET /me"]


@pytest.mark.parametrize(("key", "status"), [(fp.RATE_LIMITED, "429"), (fp.BROKEN, "500"),
                                             (fp.MALFORMED, "not JSON")])
def test_failures_are_unknown_never_revoked(fake, key, status):
    access = lookup(token(key), fake.url, timeout=3)
    assert access.live is None
    assert any(status in n for n in access.notes)
    fake.assert_read_only()
