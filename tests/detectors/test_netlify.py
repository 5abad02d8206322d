from __future__ import annotations

import pytest

from tests.fakes import netlify as nf
from tests.helpers import lookup, token
from tokenreach.detectors.providers.netlify import detector

CALLS = ["GET /api/v1/user", "GET /api/v1/accounts", "GET /api/v1/sites"]


@pytest.fixture
def fake():
    with nf.make() as server:
        yield server
        server.assert_read_only()
        assert all(r.method == "GET" for r in server.requests)


def test_owner_token_reaches_every_team_and_site(fake):
    access = lookup(token(f"NETLIFY_AUTH_TOKEN={nf.OWNER}"), fake.url)
    assert access.live is True
    assert access.evidence == "api"
    assert access.identity == "ada@example.com"
    assert access.grants == []  # Netlify has no token scopes
    assert access.reach == "organization"
    assert access.capabilities == {"read", "write", "delete", "secrets", "admin", "billing"}
    assert access.resources == ["team Acme", "team Acme Labs", "site acme-shop", "site labs-docs"]
    assert access.facts["owner_of"] == ["Acme"]
    assert access.facts["sites"] == 2
    assert fake.sent() == CALLS
    assert fake.requests[2].query == {"filter": ["all"], "per_page": ["100"]}


def test_member_token_single_team(fake):
    access = lookup(token(nf.MEMBER), fake.url)
    assert access.live is True
    assert access.reach == "account"
    assert access.capabilities == {"read", "write", "delete", "secrets"}
    assert access.resources == ["team Max's team"]
    assert "owner_of" not in access.facts


def test_legacy_token(fake):
    access = lookup(token(f"NETLIFY_AUTH_TOKEN={nf.LEGACY}"), fake.url)
    assert (access.live, access.identity) == (True, "ada@example.com")


def test_revoked(fake):
    access = lookup(token(nf.REVOKED), fake.url)
    assert (access.live, access.evidence) == (False, "api")
    assert fake.sent() == ["GET /api/v1/user"]


@pytest.mark.parametrize("secret", [nf.RATE_LIMITED, nf.SERVER_ERROR, nf.MALFORMED])
def test_failures_are_unknown(fake, secret):
    access = lookup(token(secret), fake.url, timeout=5)
    assert access.live is None
    assert access.capabilities == set()


def test_rate_limit_names_429(fake):
    access = lookup(token(nf.RATE_LIMITED), fake.url, timeout=3)
    assert any("429" in n for n in access.notes)


def test_accounts_failure_keeps_liveness():
    from tests.fakes.server import FakeServer, Reply

    fake = FakeServer()
    fake.add("GET", "/api/v1/user", lambda req: Reply(200, {"id": "u1", "email": "a@example.com"}))
    fake.add("GET", "/api/v1/accounts", lambda req: Reply(200, {"unexpected": "object"}))
    fake.add("GET", "/api/v1/sites", lambda req: Reply(403, {"code": 403, "message": "Forbidden"}))
    with fake:
        access = lookup(token(nf.OWNER), fake.url)
    assert access.live is True
    assert access.resources == []
    assert any("sites answered HTTP 403" in n for n in access.notes)


def test_classify():
    access = detector.classify(token(nf.OWNER))
    assert access.evidence == "prefix" and access.live is None


def test_sites_failure_keeps_liveness():
    from tests.fakes.server import FakeServer, Reply

    fake = FakeServer()
    fake.add("GET", "/api/v1/user", lambda req: Reply(200, {"id": "u1", "email": "a@example.com"}))
    fake.add("GET", "/api/v1/accounts", lambda req: Reply(502, "bad gateway"))
    with fake:
        access = lookup(token(nf.OWNER), fake.url, timeout=5)
    assert access.live is True
    assert any("teams or sites unknown" in n for n in access.notes)
