from __future__ import annotations

import pytest

from tests.fakes import heroku as hk
from tests.helpers import lookup, token
from tokenreach.detectors.providers.heroku import _scope_caps, detector

ALL = {"read", "write", "delete", "admin", "billing", "secrets"}
APPS = ["app shop-web", "app shop-worker", "app billing-api"]
CALLS = ["GET /account", "GET /oauth/authorizations", "GET /apps"]


@pytest.fixture
def fake():
    with hk.make() as server:
        yield server
        server.assert_read_only()
        assert all(r.method == "GET" for r in server.requests)


def test_global_authorization_is_matched(fake):
    access = lookup(token(f"HEROKU_API_KEY={hk.GLOBAL_AUTH}"), fake.url)
    assert access.live is True
    assert access.evidence == "api"
    assert access.identity == "dev@example.com"
    assert access.grants == ["global"]
    assert access.capabilities == ALL
    assert access.reach == "organization"  # one app belongs to team acme
    assert access.resources == APPS
    assert access.facts["teams"] == ["acme"]
    assert access.facts["no_expiry"] is True
    assert access.facts["two_factor"] is False
    assert any("deploy bot" in n for n in access.notes)
    assert fake.sent() == CALLS


def test_api_key_not_among_authorizations_is_global(fake):
    access = lookup(token(f"HEROKU_API_KEY={hk.API_KEY}"), fake.url)
    assert access.live is True
    assert access.grants == ["global"]
    assert access.capabilities == ALL


def test_netrc_login(fake):
    tok = token(f"machine api.heroku.com\n  login dev@example.com\n  password {hk.NETRC}\n")
    assert tok.pattern_id == "heroku.netrc"
    assert tok.extras == {"login": "dev@example.com"}
    access = lookup(tok, fake.url)
    assert (access.live, access.grants) == (True, ["global"])


def test_read_scoped_token_cannot_list_authorizations(fake):
    access = lookup(token(hk.READ_ONLY), fake.url)
    assert access.live is True
    assert access.grants == []
    assert access.capabilities == {"read"}
    assert access.facts["scope"] == "unknown (not global)"
    assert access.resources == APPS


def test_identity_scoped_token(fake):
    access = lookup(token(hk.IDENTITY), fake.url)
    assert access.live is True
    assert access.capabilities == set()
    assert access.reach == "account"
    assert access.resources == []


def test_revoked(fake):
    access = lookup(token(hk.REVOKED), fake.url)
    assert (access.live, access.evidence) == (False, "api")
    assert fake.sent() == ["GET /account"]


@pytest.mark.parametrize("secret", [hk.RATE_LIMITED, hk.SERVER_ERROR, hk.MALFORMED])
def test_failures_are_unknown(fake, secret):
    assert lookup(token(secret), fake.url, timeout=5).live is None


def test_rate_limit_names_429(fake):
    access = lookup(token(hk.RATE_LIMITED), fake.url, timeout=3)
    assert any("429" in n for n in access.notes)


def test_scope_capabilities():
    assert _scope_caps(["read-protected"]) == {"read", "secrets"}
    assert _scope_caps(["identity"]) == {"read"}
    assert _scope_caps(["write", "read"]) == {"read", "write", "delete"}
    assert _scope_caps(["made-up"]) == set()


def test_uuid_without_heroku_name_is_not_claimed():
    from tokenreach.scanner.engine import tokens_in

    assert [t for t in tokens_in(f"API_KEY={hk.API_KEY}") if t.provider == "heroku"] == []


def test_classify():
    access = detector.classify(token(hk.GLOBAL_AUTH))
    assert access.evidence == "prefix" and access.live is None


def test_authorizations_failure_keeps_liveness():
    from tests.fakes.server import FakeServer, Reply

    fake = FakeServer()
    fake.add("GET", "/account", lambda req: Reply(200, {"id": "u1", "email": "dev@example.com"}))
    fake.add("GET", "/oauth/authorizations", lambda req: Reply(503, {"id": "unavailable", "message": "x"}))
    with fake:
        access = lookup(token(hk.GLOBAL_AUTH), fake.url, timeout=5)
    assert access.live is True
    assert access.grants == []
    assert any("permissions incomplete" in n for n in access.notes)
