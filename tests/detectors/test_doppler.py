from __future__ import annotations

import pytest

from tests.fakes import doppler as dp
from tests.helpers import lookup, token


@pytest.fixture
def fake():
    with dp.make() as server:
        yield server


def find(secret: str):
    return token(f"DOPPLER_TOKEN={secret}", provider="doppler")


def test_service_token_reaches_one_config(fake):
    access = lookup(find(dp.SERVICE), fake.url)
    assert (access.live, access.evidence, access.reach) == (True, "api", "resource")
    assert access.capabilities == {"read", "write", "secrets"}
    assert access.facts["config"] == "prd" and access.facts["workplace"] == "acme"
    assert access.identity == "prd-deploy in workplace Acme"
    assert access.resources == ["workplace acme", "config prd"]
    assert fake.sent() == ["GET /v3/me"]
    fake.assert_read_only()


@pytest.mark.parametrize("secret", [dp.PERSONAL, dp.CLI])
def test_personal_and_cli_tokens_reach_the_whole_account(fake, secret):
    access = lookup(find(secret), fake.url)
    assert (access.live, access.reach) == (True, "organization")
    assert access.capabilities == {"read", "write", "delete", "secrets"}
    assert access.facts["capabilities_upper_bound"] is True


def test_service_account_token(fake):
    access = lookup(find(dp.SERVICE_ACCOUNT), fake.url)
    assert (access.live, access.reach, access.facts["token_type"]) == (True, "organization", "service_account")


def test_revoked_token_is_not_live(fake):
    access = lookup(find(dp.REVOKED), fake.url)
    assert (access.live, access.evidence) == (False, "api")
    assert any("401 (Invalid Auth token)" in n for n in access.notes)


@pytest.mark.parametrize("secret", [dp.RATE_LIMITED, dp.BROKEN])
def test_429_and_5xx_are_unknown_never_revoked(fake, secret):
    access = lookup(find(secret), fake.url, timeout=3)
    assert access.live is None
    assert access.capabilities == set()


def test_scim_token_is_never_sent(fake):
    access = lookup(token(f'scim_token = "{dp.SCIM}"', provider="doppler"), fake.url)
    assert access.live is None
    assert fake.requests == []


def test_the_token_is_only_in_the_authorization_header(fake):
    lookup(find(dp.PERSONAL), fake.url)
    (req,) = fake.requests
    assert dp.PERSONAL not in req.path + str(req.query)
    assert req.header("authorization") == f"Bearer {dp.PERSONAL}"
