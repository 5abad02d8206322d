from __future__ import annotations

import pytest

from tests.fakes import turso as ft
from tests.helpers import lookup, token


@pytest.fixture
def fake():
    with ft.make() as server:
        yield server


def find(secret: str, name: str = "TURSO_API_TOKEN"):
    return token(f"{name}={secret}", provider="turso")


def test_platform_token_reaches_every_organization(fake):
    access = lookup(find(ft.PLATFORM), fake.url)
    assert (access.live, access.evidence) == (True, "api")
    assert access.capabilities == {"read", "write", "delete", "admin", "secrets"}
    assert access.reach == "organization"
    assert access.resources == ["ada", "acme"]
    assert access.facts["never_expires"] is True
    assert fake.sent() == ["GET /v1/auth/validate", "GET /v1/organizations"]
    fake.assert_read_only()


def test_expiring_platform_token_says_when(fake):
    access = lookup(find(ft.EXPIRING), fake.url)
    assert access.expires_at == "2027-01-01T00:00:00Z"


@pytest.mark.parametrize("secret", [ft.READ_ONLY_DB, ft.READ_WRITE_DB])
def test_database_tokens_are_classified_offline_and_never_sent(fake, secret):
    access = lookup(find(secret, "TURSO_AUTH_TOKEN"), fake.url)
    assert access.live is None
    assert access.facts["database_token"] is True
    assert access.reach == "resource"
    assert fake.requests == []


def test_read_only_database_token_is_narrow():
    from tokenreach.detectors.providers.turso import detector
    access = detector.classify(find(ft.READ_ONLY_DB, "TURSO_AUTH_TOKEN"))
    assert (access.capabilities, access.grants) == ({"read"}, ["a:ro"])
    rw = detector.classify(find(ft.READ_WRITE_DB, "TURSO_AUTH_TOKEN"))
    assert rw.capabilities == {"read", "write", "delete"}
    assert rw.expires_at == "2027-01-01T00:00:00Z"


def test_refused_token_named_as_a_platform_token_is_revoked(fake):
    access = lookup(find(ft.REVOKED), fake.url)
    assert (access.live, access.evidence) == (False, "api")
    assert fake.sent() == ["GET /v1/auth/validate"]


def test_refused_token_of_unknown_kind_stays_unknown(fake):
    access = lookup(find(ft.REVOKED, "TURSO_AUTH_TOKEN"), fake.url)
    assert access.live is None
    assert any("database token" in n for n in access.notes)


@pytest.mark.parametrize("secret", [ft.RATE_LIMITED, ft.BROKEN])
def test_failures_are_unknown_never_revoked(fake, secret):
    access = lookup(find(secret), fake.url, timeout=3)
    assert access.live is None
    fake.assert_read_only()


def test_token_travels_in_the_authorization_header_only(fake):
    lookup(find(ft.PLATFORM), fake.url)
    for req in fake.requests:
        assert ft.PLATFORM not in req.path and not req.query
        assert req.header("authorization") == f"Bearer {ft.PLATFORM}"
