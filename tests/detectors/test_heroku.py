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


def _assessed(tok, access):
    from tokenreach.scanner.assess import assess
    from tokenreach.scanner.model import Finding, Location

    finding = Finding(tok, "Heroku API key", [Location(".env", 1, 1, "ignored")], access=access)
    assess(finding)
    return finding


@pytest.mark.parametrize("secret", [hk.READ_ONLY, hk.WRITE])
def test_app_scope_without_protected_data(fake, secret):
    # read and write exclude account information: /account is refused, /apps answers.
    access = lookup(token(secret), fake.url)
    assert (access.live, access.evidence) == (True, "api")
    assert access.identity is None
    assert access.grants == []
    assert access.capabilities == {"read", "write", "delete"}  # read and write look alike to reads
    assert access.facts["scope"] == "read or write"
    assert access.reach == "organization"  # one app belongs to team acme
    assert access.resources == APPS
    assert fake.sent() == ["GET /account", "GET /apps", "GET /apps/shop-web/config-vars"]


@pytest.mark.parametrize("secret", [hk.READ_PROTECTED, hk.WRITE_PROTECTED])
def test_protected_scope_reads_every_config_var(fake, secret):
    tok = token(secret)
    access = lookup(tok, fake.url)
    assert access.live is True
    assert access.capabilities == {"read", "write", "delete", "secrets"}
    assert access.facts["scope"] == "read-protected or write-protected"
    assert access.reach == "organization"
    assert any(n.startswith("can read every app's config vars") for n in access.notes)
    assert not any("fake-config-secret" in n for n in access.notes)  # the body is never read
    finding = _assessed(tok, access)
    assert finding.over_privileged is True and finding.severity == "critical"


def test_identity_scoped_token(fake):
    tok = token(hk.IDENTITY)
    access = lookup(tok, fake.url)
    assert access.live is True
    assert access.identity == "dev@example.com"
    assert access.grants == ["identity"]
    assert access.capabilities == {"read"}
    assert access.reach == "resource"
    assert access.resources == ["account dev@example.com"]
    assert fake.sent() == CALLS
    finding = _assessed(tok, access)
    assert finding.over_privileged is False and finding.severity == "low"


def test_identity_with_an_app_scope(fake):
    access = lookup(token(hk.IDENTITY_READ), fake.url)
    assert access.live is True
    assert access.identity == "dev@example.com"
    assert access.capabilities == {"read", "write", "delete"}
    assert access.resources == APPS
    assert fake.sent() == [*CALLS, "GET /apps/shop-web/config-vars"]


def test_refused_everywhere_is_unknown():
    from tests.fakes.server import FakeServer, Reply

    fake = FakeServer()
    fake.add("GET", "/account", lambda req: Reply(403, hk.FORBIDDEN))
    fake.add("GET", "/apps", lambda req: Reply(403, hk.FORBIDDEN))
    with fake:
        access = lookup(token(hk.READ_ONLY), fake.url, timeout=5)
    assert access.live is None
    assert fake.sent() == ["GET /account", "GET /apps"]


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
