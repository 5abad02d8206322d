from __future__ import annotations

import pytest

from tests.fakes import asana as asn
from tests.helpers import lookup, token


@pytest.fixture
def fake():
    with asn.make() as server:
        yield server


def find(secret: str):
    return token(f"ASANA_TOKEN={secret}", provider="asana")


def test_admin_of_an_organization(fake):
    access = lookup(find(asn.ADMIN), fake.url)
    assert (access.live, access.evidence, access.reach) == (True, "api", "organization")
    assert access.identity == "Ada <ada@acme.test>"
    assert access.grants == ["admin", "member"]
    assert access.capabilities == {"read", "write", "delete", "admin"}
    assert access.resources == ["organization acme.test (admin)", "workspace Side project (member)"]
    assert any("can administer a workspace" in n for n in access.notes)
    assert fake.sent() == ["GET /api/1.0/users/me", "GET /api/1.0/users/me/workspace_memberships"]
    fake.assert_read_only()


def test_member_of_one_workspace(fake):
    access = lookup(find(asn.MEMBER), fake.url)
    assert (access.live, access.reach, access.grants) == (True, "account", ["member"])
    assert access.capabilities == {"read", "write", "delete"}


def test_guest_reaches_only_what_is_shared(fake):
    access = lookup(find(asn.GUEST), fake.url)
    assert (access.live, access.reach, access.grants) == (True, "resource", ["guest"])
    assert access.capabilities == {"read", "write"}
    assert any("guest or view-only" in n for n in access.notes)


def test_roles_refused_falls_back_to_the_workspaces_of_users_me(fake):
    access = lookup(find(asn.NO_ROLES), fake.url)
    assert access.live is True
    assert access.resources == ["organization acme.test (member (role unknown))"]
    assert access.capabilities == {"read", "write", "delete"}
    assert any("403 (Forbidden): roles unknown" in n for n in access.notes)


def test_revoked_is_not_live(fake):
    access = lookup(find(asn.REVOKED), fake.url)
    assert (access.live, access.evidence) == (False, "api")
    assert any("401 (Not Authorized)" in n for n in access.notes)
    assert fake.sent() == ["GET /api/1.0/users/me"]


@pytest.mark.parametrize("secret", [asn.RATE_LIMITED, asn.BROKEN, asn.MALFORMED])
def test_failures_are_unknown_never_revoked(fake, secret):
    access = lookup(find(secret), fake.url, timeout=3)
    assert access.live is None
    assert access.grants == []
    fake.assert_read_only()


def test_token_only_in_the_authorization_header(fake):
    lookup(find(asn.ADMIN), fake.url)
    for req in fake.requests:
        assert req.header("authorization") == f"Bearer {asn.ADMIN}"
        assert asn.ADMIN not in req.path and asn.ADMIN not in str(req.query)


def test_token_shapes():
    tok = find(asn.ADMIN)
    assert (tok.kind, tok.secret, tok.variable) == ("personal_access_token", asn.ADMIN, "ASANA_TOKEN")
    legacy = token("ASANA_PAT=0/83076d6cf54de7c4956fd17bee91ccf4", provider="asana")
    assert legacy.secret == "0/83076d6cf54de7c4956fd17bee91ccf4"
