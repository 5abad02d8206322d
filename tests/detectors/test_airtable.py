from __future__ import annotations

import pytest

from tests.fakes import airtable as at
from tests.helpers import lookup, token


@pytest.fixture
def fake():
    with at.make() as server:
        yield server


def find(secret: str):
    return token(f"AIRTABLE_TOKEN={secret}", provider="airtable")


def test_broad_token_reaches_bases_its_owner_created(fake):
    access = lookup(find(at.BROAD), fake.url)
    assert (access.live, access.evidence, access.reach) == (True, "api", "account")
    assert access.identity == "usrL2PNC5o3H4lBEi <ada@acme.test>"
    assert access.grants == ["user.email:read", "schema.bases:read"]
    assert access.capabilities == {"read", "write", "delete", "admin"}
    assert access.facts["permission_levels"] == {"create": 2, "edit": 1}
    assert access.facts["capabilities_upper_bound"] is True
    assert access.resources == ["base Apartment Hunting (create)", "base Project Tracker (edit)",
                                "base Customers (create)"]
    assert any("can delete or re-share" in n for n in access.notes)
    assert fake.sent() == ["GET /v0/meta/whoami", "GET /v0/meta/bases"]
    fake.assert_read_only()


def test_narrow_token_reads_one_base(fake):
    access = lookup(find(at.NARROW), fake.url)
    assert (access.live, access.reach, access.identity) == (True, "project", "usrR8kQwd8Bf9ctJx")
    assert access.capabilities == {"read"}
    assert access.grants == ["schema.bases:read"]
    assert access.resources == ["base Project Tracker (read)"]


def test_without_schema_scope_is_live_with_bases_unknown(fake):
    access = lookup(find(at.NO_SCHEMA), fake.url)
    assert (access.live, access.evidence) == (True, "api")
    assert access.grants == [] and access.capabilities == set() and access.resources == []
    assert any("403 (INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND)" in n and "schema.bases:read" in n
               for n in access.notes)


def test_revoked_is_not_live(fake):
    access = lookup(find(at.REVOKED), fake.url)
    assert (access.live, access.evidence) == (False, "api")
    assert any("401 (AUTHENTICATION_REQUIRED)" in n for n in access.notes)
    assert fake.sent() == ["GET /v0/meta/whoami"]


def test_retired_legacy_key_is_refused_as_dead(fake):
    tok = find(at.LEGACY)
    assert tok.kind == "legacy_api_key"
    assert lookup(tok, fake.url).live is False


@pytest.mark.parametrize("secret", [at.RATE_LIMITED, at.BROKEN, at.MALFORMED])
def test_failures_are_unknown_never_revoked(fake, secret):
    access = lookup(find(secret), fake.url, timeout=3)
    assert access.live is None
    assert access.grants == []
    fake.assert_read_only()


def test_token_only_in_the_authorization_header(fake):
    lookup(find(at.BROAD), fake.url)
    for req in fake.requests:
        assert req.header("authorization") == f"Bearer {at.BROAD}"
        assert at.BROAD not in req.path and not req.query


def test_oauth_scopes_map_onto_capabilities():
    from tokenreach.detectors.providers.airtable import scope_capabilities

    assert scope_capabilities("data.records:read") == {"read"}
    assert scope_capabilities("data.records:write") == {"write", "delete"}
    assert scope_capabilities("schema.bases:write") == {"write"}
    assert scope_capabilities("workspacesAndBases:manage") == {"write", "delete", "admin"}
    assert scope_capabilities("enterprise.user:write") == {"write", "admin"}
    assert scope_capabilities("user.email:read") == {"read"}
