from __future__ import annotations

import json

import pytest

from tests.fakes import infisical as inf
from tests.helpers import lookup, token
from tokenreach.scanner.lookup import LookupOptions, lookup_one


@pytest.fixture
def fake():
    with inf.make() as server:
        yield server


def find(secret: str, extra: str = ""):
    return token(f"{extra}INFISICAL_TOKEN={secret}\n", provider="infisical")


def test_read_only_token_for_one_path_is_narrow(fake):
    access = lookup(find(inf.READ_ONE), fake.url)
    assert (access.live, access.evidence, access.reach) == (True, "api", "resource")
    assert access.capabilities == {"read", "secrets"}
    assert access.resources == ["prod:/backend"]
    assert access.identity == "prod-reader (project 64f0c1a2b3)"
    assert access.expires_at == "2027-01-01T00:00:00Z"
    assert "ENCRYPTEDPROJECTKEY" not in json.dumps(access.to_json())
    assert fake.sent() == ["GET /api/v2/service-token"]
    fake.assert_read_only()


def test_read_write_token_on_every_environment_is_broad(fake):
    access = lookup(find(inf.READ_WRITE), fake.url)
    assert (access.live, access.reach) == (True, "project")
    assert access.capabilities == {"read", "write", "delete", "secrets"}
    assert access.grants == ["read", "write"]


def test_only_the_access_portion_is_sent(fake):
    lookup(find(inf.READ_WRITE), fake.url)
    (req,) = fake.requests
    assert req.header("authorization") == "Bearer " + inf.READ_WRITE.rsplit(".", 1)[0]
    assert inf.READ_WRITE not in req.path + str(req.query)


def test_named_eu_domain_is_asked_directly(fake):
    access = lookup(find(inf.EU_TOKEN, "INFISICAL_API_URL=https://eu.infisical.com\n"), fake.url)
    assert access.live is True and access.facts["region"] == "eu.infisical.com"
    assert [r.header("x-tokenreach-target-host") for r in fake.requests] == ["eu.infisical.com"]


def test_eu_token_with_no_region_named_is_found_on_its_region(fake):
    access = lookup(find(inf.EU_TOKEN), fake.url)
    assert access.live is True and access.facts["region"] == "eu.infisical.com"
    assert [r.header("x-tokenreach-target-host") for r in fake.requests] == ["us.infisical.com", "eu.infisical.com"]


def test_revoked_token_on_a_named_region_is_dead(fake):
    access = lookup(find(inf.REVOKED, "INFISICAL_API_URL=https://app.infisical.com\n"), fake.url)
    assert (access.live, access.evidence) == (False, "api")


def test_revoked_token_with_no_region_named_stays_unknown(fake):
    access = lookup(find(inf.REVOKED), fake.url)
    assert access.live is None
    assert any("self-hosted Infisical" in n for n in access.notes)
    assert len(fake.requests) == 2  # US, then EU


@pytest.mark.parametrize("secret", [inf.RATE_LIMITED, inf.BROKEN])
def test_429_and_5xx_are_unknown_never_revoked(fake, secret):
    access = lookup(find(secret), fake.url, timeout=3)
    assert access.live is None


def test_self_hosted_token_is_not_sent_without_the_operator_switch():
    access = lookup_one(find(inf.READ_ONE, "INFISICAL_API_URL=https://vault.acme.internal\n"),
                        LookupOptions(environ={}))
    assert access.live is None and any("self-hosted instance" in n for n in access.notes)
