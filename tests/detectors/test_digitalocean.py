from __future__ import annotations

import pytest

from tests.fakes import digitalocean as do
from tests.helpers import lookup, token
from tokenreach.detectors.providers.digitalocean import _count, detector

ALL_PROBES = ["GET /v2/droplets", "GET /v2/databases", "GET /v2/apps", "GET /v2/kubernetes/clusters",
              "GET /v2/volumes", "GET /v2/domains", "GET /v2/firewalls", "GET /v2/customers/my/balance"]
ALL_SCOPES = ["account:read", "droplet:read", "database:read", "app:read", "kubernetes:read",
              "block_storage:read", "domain:read", "firewall:read", "billing:read"]


@pytest.fixture
def fake():
    with do.make() as server:
        yield server
        server.assert_read_only()
        assert all(r.method == "GET" for r in server.requests)


def test_full_access_token(fake):
    access = lookup(token(f"DIGITALOCEAN_ACCESS_TOKEN={do.FULL}"), fake.url)
    assert access.live is True
    assert access.evidence == "api"
    assert access.identity == "sammy@example.com (team My Team)"
    assert access.reach == "account"
    assert access.grants == ALL_SCOPES
    assert access.capabilities == {"read", "billing", "secrets"}
    assert access.resources == ["2 droplets", "1 database cluster", "1 kubernetes cluster", "3 domains"]
    assert access.resources_total == 7
    assert access.facts["write"] == "unknown"
    assert fake.sent() == ["GET /v2/account", *ALL_PROBES]
    assert all(r.query.get("per_page") == ["1"] for r in fake.requests[1:])


def test_custom_scoped_token(fake):
    access = lookup(token(do.SCOPED), fake.url)
    assert access.live is True
    assert access.grants == ["account:read", "droplet:read", "domain:read"]
    assert access.capabilities == {"read"}
    assert access.resources == ["2 droplets", "3 domains"]
    assert any("denied database:read" in n for n in access.notes)


def test_token_without_account_read_is_live(fake):
    access = lookup(token(do.NO_ACCOUNT_READ), fake.url)
    assert access.live is True
    assert access.identity is None
    assert access.grants == ["droplet:read"]


def test_oauth_and_legacy_tokens(fake):
    for text in (f'"access_token": "{do.OAUTH}"', f"DO_TOKEN={do.LEGACY}"):
        access = lookup(token(text), fake.url)
        assert access.live is True
        assert access.grants == ALL_SCOPES


def test_low_rate_limit_skips_probes(fake):
    access = lookup(token(do.LOW_LIMIT), fake.url)
    assert access.live is True
    assert fake.sent() == ["GET /v2/account"]


def test_revoked(fake):
    access = lookup(token(do.REVOKED), fake.url)
    assert (access.live, access.evidence) == (False, "api")
    assert fake.sent() == ["GET /v2/account"]


def test_refresh_token_is_never_sent(fake):
    tok = token(f'"refresh_token": "{do.REFRESH}"')
    assert tok.kind == "refresh_token"
    access = lookup(tok, fake.url)
    assert access.live is None
    assert access.facts["refresh_token"] is True
    assert fake.sent() == []


@pytest.mark.parametrize("secret", [do.RATE_LIMITED, do.SERVER_ERROR, do.MALFORMED])
def test_failures_are_unknown(fake, secret):
    access = lookup(token(secret), fake.url, timeout=5)
    assert access.live is None


def test_rate_limit_names_429(fake):
    access = lookup(token(do.RATE_LIMITED), fake.url, timeout=3)
    assert any("429" in n for n in access.notes)


def test_proxy_403_is_unknown():
    from tests.fakes.server import FakeServer, Reply

    fake = FakeServer()
    fake.add("GET", "/v2/account", lambda req: Reply(403, "<html>blocked</html>"))
    with fake:
        assert lookup(token(do.FULL), fake.url).live is None


@pytest.mark.parametrize(("body", "n"), [({}, 0), ({"meta": {"total": 4}}, 4), ({"droplets": [1, 2]}, 2),
                                         ({"meta": "x", "droplets": "y"}, 0), ({"meta": {"total": True}}, 0)])
def test_count(body, n):
    assert _count(body, "droplets") == n


def test_classify_kinds():
    assert "refresh" in detector.classify(token(do.REFRESH)).notes[0]
    assert detector.classify(token(do.OAUTH)).evidence == "prefix"


def test_probe_failure_keeps_liveness_and_what_was_learned(monkeypatch):
    from tokenreach.detectors.providers.digitalocean import DigitalOceanDetector

    monkeypatch.setattr(DigitalOceanDetector, "request_budget", 3)  # account + 2 probes
    with do.make() as fake:
        access = lookup(token(do.FULL), fake.url)
        assert fake.sent() == ["GET /v2/account", "GET /v2/droplets", "GET /v2/databases"]
    assert access.live is True
    assert access.grants == ["account:read", "droplet:read", "database:read"]
    assert any("app:read and later probes" in n and "budget" in n for n in access.notes)
