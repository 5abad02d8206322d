from __future__ import annotations

import pytest

from tests.fakes import datadog as fd
from tests.helpers import lookup, token
from tokenreach.detectors.providers.datadog import SITES, detector, site_host
from tokenreach.scanner.engine import tokens_in
from tokenreach.scanner.model import Token

US1 = "api.datadoghq.com"
EU = "api.datadoghq.eu"


@pytest.fixture
def fake():
    with fd.make() as server:
        yield server


def app_token(text: str) -> Token:
    found = [t for t in tokens_in(text) if t.kind == "app_key"]
    assert len(found) == 1, found
    return found[0]


# API keys --------------------------------------------------------------------------------------


def test_api_key_valid_on_the_first_site(fake):
    access = lookup(token(f"DD_API_KEY={fd.API}"), fake.url)
    assert access.live is True
    assert access.evidence == "api"
    assert access.reach == "organization"
    assert access.capabilities == {"write"}
    assert access.grants == []
    assert access.identity == f"a Datadog organization on {US1}"
    assert access.facts["site"] == US1
    assert fake.sent() == ["GET /api/v1/validate"]
    assert fake.requests[0].header("dd-api-key") == fd.API
    fake.assert_read_only()


def test_site_named_near_the_key_is_tried_first(fake):
    tok = token(f"DD_SITE=datadoghq.eu\nDD_API_KEY={fd.API}\n")
    assert tok.context["site"] == "datadoghq.eu"
    access = lookup(tok, fake.url)
    assert access.live is True
    assert access.facts["site"] == EU
    assert access.facts["named_site"] == EU
    assert fake.sent() == ["GET /api/v1/validate"]


def test_unknown_site_tries_each_site_in_order(fake):
    access = lookup(token(f"datadog_api_key: {fd.ROAMING}"), fake.url)
    assert access.live is True
    assert access.facts["site"] == EU  # fourth in SITES
    assert list(SITES.values())[3] == EU
    assert fake.sent() == ["GET /api/v1/validate"] * 4


def test_revoked_api_key_is_refused_by_every_site(fake):
    access = lookup(token(f"DD_API_KEY={fd.API_REVOKED}"), fake.url)
    assert access.live is False
    assert access.evidence == "api"
    assert fake.sent() == ["GET /api/v1/validate"] * len(SITES)
    assert any(f"all {len(SITES)} Datadog sites" in n for n in access.notes)


def test_a_named_site_never_makes_a_key_read_as_revoked_alone(fake):
    # The URL may be stale or unrelated: a 403 there is followed by every other site.
    access = lookup(token(f"DD_API_KEY={fd.API_REVOKED}  # https://app.datadoghq.eu/apm"), fake.url)
    assert access.live is False
    assert fake.sent() == ["GET /api/v1/validate"] * len(SITES)


@pytest.mark.parametrize("key", [fd.API_RATE_LIMITED, fd.API_BROKEN, fd.API_MALFORMED])
def test_api_key_failures_are_unknown(fake, key):
    access = lookup(token(f"DD_API_KEY={key}"), fake.url, timeout=3)
    assert access.live is None
    fake.assert_read_only()


# Application keys ------------------------------------------------------------------------------


def test_admin_application_key_paired_with_the_api_key_before_it(fake):
    tok = app_token(f"DD_API_KEY={fd.API}\nDD_APP_KEY={fd.APP_ADMIN}\n")
    assert tok.context["api_key"] == fd.API
    access = lookup(tok, fake.url)
    assert access.live is True
    assert access.identity == f"alice@acme.test in Acme on {US1}"
    assert access.reach == "organization"
    assert access.grants == ["Datadog Admin Role"]
    assert access.capabilities == {"read", "write", "delete", "admin", "secrets"}
    assert access.resources == ["org Acme"]
    assert fake.sent() == ["GET /api/v1/validate", "GET /api/v2/current_user"]
    sent = fake.requests[1]
    assert (sent.header("dd-api-key"), sent.header("dd-application-key")) == (fd.API, fd.APP_ADMIN)
    fake.assert_read_only()


def test_read_only_application_key_with_the_api_key_after_it(fake):
    tok = app_token(f"DD_APPLICATION_KEY={fd.APP_READ_ONLY}\n# other settings\nDD_API_KEY={fd.API}\n")
    assert tok.context["api_key"] == fd.API
    access = lookup(tok, fake.url)
    assert access.live is True
    assert access.grants == ["Datadog Read Only Role"]
    assert access.capabilities == {"read"}


def test_service_account_with_a_custom_role(fake):
    tok = app_token(f"DD_API_KEY={fd.API}\nDD_APP_KEY={fd.APP_SERVICE}")
    access = lookup(tok, fake.url)
    assert access.live is True
    assert access.identity == f"service account ci-bot in Acme on {US1}"
    assert access.grants == ["SRE on-call"]
    assert access.capabilities == {"read"}
    assert access.facts["service_account"] is True


def test_application_key_alone_is_not_sent_anywhere(fake):
    access = lookup(app_token(f"DD_APP_KEY={fd.APP_ADMIN}"), fake.url)
    assert access.live is None
    assert fake.sent() == []


def test_application_key_with_a_dead_api_key_stays_unknown(fake):
    access = lookup(app_token(f"DD_API_KEY={fd.API_REVOKED}\nDD_APP_KEY={fd.APP_ADMIN}"), fake.url)
    assert access.live is None  # the API key's 403 says nothing about the application key
    assert fake.sent() == ["GET /api/v1/validate"] * len(SITES)


def test_revoked_application_key(fake):
    access = lookup(app_token(f"DD_API_KEY={fd.API}\nDD_APP_KEY={fd.APP_REVOKED}"), fake.url)
    assert access.live is False
    assert access.evidence == "api"
    assert fake.sent() == ["GET /api/v1/validate", "GET /api/v2/current_user"]


def test_application_key_rate_limited_is_unknown(fake):
    access = lookup(app_token(f"DD_API_KEY={fd.API}\nDD_APP_KEY={fd.APP_RATE_LIMITED}"), fake.url, timeout=3)
    assert access.live is None
    assert any("429" in n for n in access.notes)


def test_api_key_from_context_pairs_too(fake):
    tok = Token(provider="datadog", secret=fd.APP_ADMIN, kind="app_key", pattern_id="datadog.app_key",
                context={"api_key": fd.API, "site": "https://app.datadoghq.com"})
    access = lookup(tok, fake.url)
    assert access.live is True
    assert fake.sent() == ["GET /api/v1/validate", "GET /api/v2/current_user"]


# Offline ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "host"), [
    ("https://app.datadoghq.eu/dashboard/abc", EU),
    ("datadoghq.eu", EU),
    ("us3.datadoghq.com", "api.us3.datadoghq.com"),
    ("https://api.us5.datadoghq.com", "api.us5.datadoghq.com"),
    ("app.ddog-gov.com", "api.ddog-gov.com"),
    ("datadoghq.com", US1),
    ("docs.datadoghq.com", None),  # documentation, not a site
    ("api.datadoghq.eu", EU),
    ("datadoghq.com.evil.test", None),
    ("evil.test", None),
    ("", None),
    (None, None),
    ("://::://", None),
])
def test_site_host_accepts_only_documented_sites(value, host):
    assert site_host(value) == host


def test_classify_notes_site_and_missing_pair():
    tok = app_token(f"DD_APP_KEY={fd.APP_ADMIN} # site: us5.datadoghq.com")
    access = detector.classify(tok)
    assert access.facts["named_site"] == "api.us5.datadoghq.com"
    assert any("no API key" in n for n in access.notes)
    assert access.live is None


def test_hosts_are_the_documented_api_hosts():
    assert set(detector.hosts) == set(SITES.values())


def test_look_alike_hosts_are_not_a_site():
    tok = token(f"# https://api.datadoghq.eu.evil.test/\nDD_API_KEY={fd.API}")
    assert "site" not in tok.context


def test_documentation_links_are_not_a_site():
    tok = token(f"# see https://docs.datadoghq.com/account_management/api-app-keys/\nDD_API_KEY={fd.API}")
    assert "site" not in tok.context
    assert "named_site" not in detector.classify(tok).facts


def test_placeholder_api_key_near_an_application_key_is_not_paired():
    tok = app_token(f"DD_API_KEY=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\nDD_APP_KEY={fd.APP_ADMIN}")
    assert any("no API key" in n for n in detector.classify(tok).notes)
