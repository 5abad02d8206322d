from __future__ import annotations

import pytest

from tests.fakes import planetscale as fp
from tests.helpers import lookup, token


@pytest.fixture
def fake():
    with fp.make() as server:
        yield server


def find(secret: str, token_id: str | None = fp.TOKEN_ID):
    id_line = f"PLANETSCALE_SERVICE_TOKEN_ID={token_id}\n" if token_id else ""
    return token(f"{id_line}PLANETSCALE_SERVICE_TOKEN={secret}\n", provider="planetscale")


def test_token_reaching_two_organizations_is_broad(fake):
    access = lookup(find(fp.BROAD), fake.url)
    assert (access.live, access.evidence) == (True, "api")
    assert access.identity == f"service token {fp.TOKEN_ID}"
    assert access.reach == "organization"
    assert access.resources == ["organization acme", "organization acme-staging", "database acme/app",
                                "database acme/analytics", "database acme-staging/app"]
    assert access.capabilities == {"read"}
    assert access.facts["capabilities_unknown"] is True
    assert fake.sent() == ["GET /v1/organizations", "GET /v1/organizations/acme/databases",
                           "GET /v1/organizations/acme-staging/databases"]
    fake.assert_read_only()


def test_token_without_read_databases_is_narrow(fake):
    access = lookup(find(fp.NARROW), fake.url)
    assert access.live is True
    assert access.reach == "account"
    assert access.capabilities == set()
    assert any("read_databases" in n for n in access.notes)


def test_revoked_is_dead(fake):
    access = lookup(find(fp.REVOKED), fake.url)
    assert (access.live, access.evidence) == (False, "api")


def test_without_its_id_the_token_is_not_sent(fake):
    access = lookup(find(fp.BROAD, token_id=None), fake.url)
    assert access.live is None
    assert fake.requests == []
    assert any("PLANETSCALE_SERVICE_TOKEN_ID" in n for n in access.notes)


def test_an_id_in_another_block_is_not_paired(fake):
    tok = token(f"PLANETSCALE_SERVICE_TOKEN_ID={fp.TOKEN_ID}\n\n\n[other]\nPLANETSCALE_SERVICE_TOKEN={fp.BROAD}\n",
                provider="planetscale")
    access = lookup(tok, fake.url)
    assert access.live is None
    assert fake.requests == []


@pytest.mark.parametrize("secret", [fp.RATE_LIMITED, fp.BROKEN])
def test_failures_are_unknown_never_revoked(fake, secret):
    access = lookup(find(secret), fake.url, timeout=3)
    assert access.live is None
    fake.assert_read_only()


def test_database_password_is_never_sent(fake):
    tok = token("DATABASE_PASSWORD=pscale_pw_BOt5bUwj13LHMaZDRyTU2_lbNLXS0Klr05qv56GoaMR", provider="planetscale")
    access = lookup(tok, fake.url)
    assert access.facts["skip_lookup"] is True
    assert fake.requests == []


def test_token_travels_in_the_authorization_header_only(fake):
    lookup(find(fp.BROAD), fake.url)
    for req in fake.requests:
        assert fp.BROAD not in req.path and not req.query
        assert req.header("authorization") == f"{fp.TOKEN_ID}:{fp.BROAD}"
