from __future__ import annotations

import pytest

from tests.fakes import jfrog as jf
from tests.helpers import lookup, token
from tokenreach.scanner.lookup import LookupOptions, lookup_one


@pytest.fixture
def fake():
    with jf.make() as server:
        yield server


def find(secret: str, name: str = "JFROG_ACCESS_TOKEN"):
    return token(f"{name}={secret}", provider="jfrog")


def test_never_sent_without_the_operator_url(fake):
    access = lookup_one(find(jf.ADMIN), LookupOptions(environ={}))
    assert access.live is None
    assert any("self-hosted instance" in n for n in access.notes)
    assert access.facts["scope"] == "admin"  # the claims are read offline all the same


def test_admin_scoped_access_token_is_broad(fake):
    access = lookup(find(jf.ADMIN), fake.url)
    assert (access.live, access.evidence, access.reach) == (True, "api", "organization")
    assert access.identity == "admin"
    assert access.capabilities == {"read", "write", "delete", "admin"}
    assert access.grants == ["applied-permissions/admin"]
    assert access.expires_at == "2030-01-01T00:00:00Z"
    assert access.resources_total == 4
    assert fake.sent() == ["GET /artifactory/api/repositories"]
    fake.assert_read_only()


def test_group_scoped_token_is_narrow(fake):
    access = lookup(find(jf.READERS), fake.url)
    assert (access.live, access.reach, access.capabilities) == (True, "project", {"read"})
    assert access.resources == ["libs-release-local"]
    assert any("never expires" in n for n in access.notes)


def test_api_key_goes_in_its_own_header(fake):
    access = lookup(find(jf.API_KEY, "ARTIFACTORY_API_KEY"), fake.url)
    assert (access.live, access.reach) == (True, "account")
    (req,) = fake.requests
    assert req.header("x-jfrog-art-api") == jf.API_KEY and req.header("authorization") is None


def test_reference_token(fake):
    access = lookup(find(jf.REFERENCE), fake.url)
    assert (access.live, access.resources) == (True, ["docker-prod"])


def test_revoked_token_is_not_live(fake):
    access = lookup(find(jf.REVOKED), fake.url)
    assert (access.live, access.evidence) == (False, "api")
    assert any("401 (Bad credentials)" in n for n in access.notes)


@pytest.mark.parametrize("secret,name", [(jf.RATE_LIMITED, "JFROG_ACCESS_TOKEN"), (jf.BROKEN, "ARTIFACTORY_API_KEY")])
def test_429_and_5xx_are_unknown_never_revoked(fake, secret, name):
    access = lookup(find(secret, name), fake.url, timeout=3)
    assert access.live is None


def test_the_token_is_never_in_a_url(fake):
    lookup(find(jf.ADMIN), fake.url)
    for req in fake.requests:
        assert jf.ADMIN not in req.path + str(req.query)
