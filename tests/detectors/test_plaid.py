from __future__ import annotations

import pytest

from tests.fakes import plaid as fp
from tests.helpers import lookup, token


@pytest.fixture
def fake():
    with fp.make() as server:
        yield server


def find(secret: str, client_id: str | None = fp.CLIENT_ID):
    id_line = f"PLAID_CLIENT_ID={client_id}\n" if client_id else ""
    return token(f"{id_line}PLAID_SECRET={secret}\n", provider="plaid")


def test_production_secret_reaches_bank_data(fake):
    access = lookup(find(fp.PROD_SECRET), fake.url)
    assert (access.live, access.evidence) == (True, "api")
    assert access.facts["environment"] == "production"
    assert access.capabilities == {"read", "write", "delete", "billing"}
    assert access.reach == "account"
    assert fake.sent() == ["POST /institutions/get"]
    (req,) = fake.requests
    assert req.json() == {"count": 1, "offset": 0, "country_codes": ["US"]}
    fake.assert_read_only()


def test_sandbox_secret_is_found_on_the_sandbox_and_is_narrow(fake):
    access = lookup(find(fp.SANDBOX_SECRET), fake.url)
    assert access.live is True
    assert access.facts["environment"] == "sandbox"
    assert access.capabilities == {"read", "write"}
    assert [r.header("x-tokenreach-target-host") for r in fake.requests] == [fp.PRODUCTION, fp.SANDBOX]


def test_keys_refused_by_both_environments_are_revoked(fake):
    access = lookup(find(fp.REVOKED), fake.url)
    assert (access.live, access.evidence) == (False, "api")
    assert any("INVALID_API_KEYS" in n for n in access.notes)


@pytest.mark.parametrize("secret", [fp.RATE_LIMITED, fp.BROKEN, fp.MALFORMED])
def test_failures_are_unknown_never_revoked(fake, secret):
    access = lookup(find(secret), fake.url, timeout=3)
    assert access.live is None


def test_secret_without_its_client_id_is_not_sent(fake):
    access = lookup(find(fp.PROD_SECRET, client_id=None), fake.url)
    assert access.live is None
    assert fake.requests == []


def test_access_token_is_never_sent(fake):
    tok = token("PLAID_ACCESS_TOKEN=access-production-aa4299d3-f8ad-4204-aaf5-53290c3e5dbb", provider="plaid")
    access = lookup(tok, fake.url)
    assert access.facts["environment"] == "production"
    assert fake.requests == []


def test_secret_travels_in_its_header_only(fake):
    lookup(find(fp.PROD_SECRET), fake.url)
    (req,) = fake.requests
    assert fp.PROD_SECRET not in req.path and not req.query and fp.PROD_SECRET.encode() not in req.body
    assert req.header("plaid-secret") == fp.PROD_SECRET
