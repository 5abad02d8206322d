from __future__ import annotations

import pytest

from tests.fakes import mailgun as fm
from tests.helpers import lookup, token
from tokenreach.detectors.providers.mailgun import detector

DOMAINS = ["domain mg.acme.test", "domain sandbox1.mailgun.org"]


@pytest.fixture
def fake():
    with fm.make() as server:
        yield server


def test_admin_key_reads_domains_and_keys(fake):
    access = lookup(token(f"MAILGUN_API_KEY={fm.ADMIN}"), fake.url)
    assert access.live is True
    assert access.evidence == "api"
    assert access.identity == "Mailgun account (US) with 2 domain(s)"
    assert access.reach == "account"
    assert access.capabilities == {"read", "write", "delete", "admin"}
    assert access.grants == []  # /v1/keys cannot say which listed key this one is
    assert access.resources == DOMAINS
    assert access.resources_total == 2
    assert access.facts["active_domains"] == ["mg.acme.test"]
    assert access.facts["keys_visible"] == 2
    assert access.facts["key_roles_seen"] == ["admin", "sending"]
    assert access.facts["key_owners"] == ["alice@acme.test"]
    assert fake.sent() == ["GET /v3/domains", "GET /v1/keys"]
    assert fake.requests[0].basic() == ("api", fm.ADMIN)
    assert fake.requests[0].query == {"limit": ["100"]}
    fake.assert_read_only()


def test_key_that_cannot_manage_keys(fake):
    access = lookup(token(f"curl --user 'api:{fm.DEVELOPER}' https://api.mailgun.net/v3/domains"), fake.url)
    assert access.live is True
    assert access.capabilities == {"read", "write"}
    assert "keys_visible" not in access.facts
    assert any("cannot manage API keys" in n for n in access.notes)


def test_eu_key_is_found_on_the_second_host(fake):
    access = lookup(token(f"mailgun_secret = '{fm.EU}'"), fake.url)
    assert access.live is True
    assert access.facts["region"] == "eu"
    assert access.identity == "Mailgun account (EU) with 2 domain(s)"
    assert fake.sent() == ["GET /v3/domains", "GET /v3/domains", "GET /v1/keys"]


def test_region_named_near_the_key_is_asked_first(fake):
    tok = token(f"MAILGUN_ENDPOINT=api.eu.mailgun.net\nMAILGUN_API_KEY={fm.DEVELOPER}\n")
    assert tok.context["host"] == "api.eu.mailgun.net"
    access = lookup(tok, fake.url)
    assert access.live is True
    assert access.facts["region"] == "eu"  # the first host asked answered
    assert fake.sent() == ["GET /v3/domains", "GET /v1/keys"]


def test_a_named_region_never_makes_a_key_read_as_revoked_alone(fake):
    access = lookup(token(f"MAILGUN_API_KEY={fm.REVOKED}\nMAILGUN_ENDPOINT=api.eu.mailgun.net\n"), fake.url)
    assert access.live is False
    assert fake.sent() == ["GET /v3/domains", "GET /v3/domains"]


def test_revoked_key_is_refused_by_both_regions(fake):
    access = lookup(token(f'auth=("api", "{fm.REVOKED}")'), fake.url)
    assert access.live is False
    assert access.evidence == "api"
    assert fake.sent() == ["GET /v3/domains", "GET /v3/domains"]


def test_sending_key_403_is_unknown_not_revoked(fake):
    access = lookup(token(f"MAILGUN_SENDING_KEY={fm.SENDING}"), fake.url)
    assert access.live is None
    assert fake.sent() == ["GET /v3/domains"]
    assert any("403" in n for n in access.notes)


@pytest.mark.parametrize(("key", "why"), [(fm.RATE_LIMITED, "429"), (fm.BROKEN, "502"),
                                          (fm.MALFORMED, "not JSON")])
def test_failures_are_unknown(fake, key, why):
    access = lookup(token(f"MAILGUN_API_KEY={key}"), fake.url, timeout=3)
    assert access.live is None
    assert any(why in n for n in access.notes)
    fake.assert_read_only()


def test_classify_reads_the_region_only_from_mailgun_hosts():
    eu = token(f"MAILGUN_API_KEY={fm.ADMIN} # https://api.eu.mailgun.net/v3")
    assert detector.classify(eu).facts["named_region"] == "eu"
    plain = token(f"MAILGUN_API_KEY={fm.ADMIN} # https://api.mailgun.net.evil.test/v3")
    assert "named_region" not in detector.classify(plain).facts


def test_legacy_key_needs_mailgun_context():
    from tokenreach.scanner.engine import tokens_in

    assert [t.provider for t in tokens_in(f"cache-{fm.ADMIN}")] == []
    assert token(f"MG_KEY={fm.ADMIN}").kind == "private_key_legacy"
