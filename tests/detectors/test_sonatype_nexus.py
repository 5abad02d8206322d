from __future__ import annotations

import pytest

from tests.fakes import sonatype_nexus as nx
from tests.helpers import lookup, token
from tokenreach.scanner.lookup import LookupOptions, lookup_one


@pytest.fixture
def fake():
    with nx.make() as server:
        yield server


def find(user: str | None, password: str):
    head = f"NEXUS_USERNAME={user}\n" if user else ""
    return token(f"{head}NEXUS_PASSWORD={password}\n", provider="sonatype_nexus")


def test_never_sent_without_the_operator_url(fake):
    access = lookup_one(find("admin", nx.ADMIN_PASSWORD), LookupOptions(environ={}))
    assert access.live is None and any("self-hosted instance" in n for n in access.notes)


def test_admin_password_administers_the_instance(fake):
    access = lookup(find("admin", nx.ADMIN_PASSWORD), fake.url)
    assert (access.live, access.evidence, access.reach) == (True, "api", "organization")
    assert access.grants == ["nx-admin"]
    assert access.capabilities == {"read", "write", "delete", "admin"}
    assert access.resources_total == 3
    assert fake.sent() == ["GET /service/rest/v1/repositories", "GET /service/rest/v1/security/users"]
    fake.assert_read_only()


def test_deployer_pass_code_is_narrow(fake):
    access = lookup(find("ci-deployer", nx.DEPLOYER_PASSCODE), fake.url)
    assert (access.live, access.reach, access.capabilities) == (True, "account", {"read"})
    assert access.resources == ["maven-releases"]
    assert any("cannot read users" in n for n in access.notes)


def test_refused_pair_stays_unknown(fake):
    access = lookup(find("admin", nx.WRONG_PASSWORD), fake.url)
    assert access.live is None
    assert any("not admin's" in n for n in access.notes)


def test_no_username_no_request(fake):
    access = lookup(find(None, nx.ADMIN_PASSWORD), fake.url)
    assert access.live is None and fake.requests == []


@pytest.mark.parametrize("secret", [nx.RATE_LIMITED, nx.BROKEN])
def test_429_and_5xx_are_unknown(fake, secret, recorded_sleeps):
    access = lookup(find("admin", secret), fake.url, timeout=3)
    assert access.live is None
    if secret == nx.RATE_LIMITED:  # each retry waited the Retry-After (2 s), without the test waiting
        assert recorded_sleeps == [2.0, 2.0]


def test_the_password_is_only_in_basic_auth(fake):
    lookup(find("admin", nx.ADMIN_PASSWORD), fake.url)
    for req in fake.requests:
        assert nx.ADMIN_PASSWORD not in req.path + str(req.query)
        assert req.basic() == ("admin", nx.ADMIN_PASSWORD)
