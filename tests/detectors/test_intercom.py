from __future__ import annotations

import pytest

from tests.fakes import intercom as ic
from tests.helpers import lookup, token


@pytest.fixture
def fake():
    with ic.make() as server:
        yield server


def find(secret: str):
    return token(f"INTERCOM_ACCESS_TOKEN={secret}\n", provider="intercom")


def hosts(fake) -> list[str | None]:
    return [r.header("x-tokenreach-target-host") for r in fake.requests]


def test_token_that_reads_contacts_and_conversations(fake):
    access = lookup(find(ic.BROAD), fake.url)
    assert (access.live, access.evidence, access.reach) == (True, "api", "account")
    assert access.identity == "bot@acme.test in workspace Acme Support (US)"
    assert access.grants == ["Read and list users and companies", "Read conversations"]
    assert access.capabilities == {"read"}
    assert access.resources == ["workspace ecahpwf5"]
    assert fake.sent() == ["GET /me", "GET /contacts", "GET /conversations"]
    for req in fake.requests:
        assert req.header("authorization") == f"Bearer {ic.BROAD}"
        assert req.header("intercom-version") == "2.11"
        assert ic.BROAD not in req.path and ic.BROAD not in str(req.query)
    assert any("write permissions" in n for n in access.notes)
    fake.assert_read_only()


def test_token_without_read_permissions_is_narrow(fake):
    access = lookup(find(ic.NARROW), fake.url)
    assert (access.live, access.grants, access.capabilities) == (True, [], {"read"})
    assert sum("refused (forbidden)" in n for n in access.notes) == 2


def test_eu_token_is_found_in_its_region(fake):
    access = lookup(find(ic.EU), fake.url)
    assert (access.live, access.facts["region"]) == (True, "EU")
    assert hosts(fake) == ["api.intercom.io", "api.eu.intercom.io", "api.eu.intercom.io", "api.eu.intercom.io"]
    assert access.grants == ["Read and list users and companies"]


def test_revoked_token_is_refused_in_every_region(fake):
    access = lookup(find(ic.REVOKED), fake.url)
    assert (access.live, access.evidence) == (False, "api")
    assert hosts(fake) == ["api.intercom.io", "api.eu.intercom.io", "api.au.intercom.io"]
    assert any("every region" in n for n in access.notes)


@pytest.mark.parametrize("secret", [ic.RATE_LIMITED, ic.BROKEN])
def test_failures_are_unknown_never_revoked(fake, secret):
    access = lookup(find(secret), fake.url, timeout=3, max_retries=0)
    assert access.live is None
    assert fake.sent() == ["GET /me"]
    fake.assert_read_only()
