from __future__ import annotations

import pytest

from tests.fakes import square as sq
from tests.helpers import lookup, token


@pytest.fixture
def fake():
    with sq.make() as server:
        yield server


def find(secret: str, before: str = ""):
    return token(f"{before}SQUARE_ACCESS_TOKEN={secret}", provider="square")


def test_personal_access_token_is_broad_and_never_expires(fake):
    access = lookup(find(sq.PERSONAL), fake.url)
    assert (access.live, access.evidence) == (True, "api")
    assert access.grants == sorted(sq.ALL_SCOPES)
    assert access.capabilities == {"read", "write", "delete", "admin", "billing", "secrets"}
    assert access.reach == "account"
    assert access.identity == "Acme Coffee (US)"
    assert access.facts["never_expires"] is True
    assert access.facts["environment"] == "production"
    assert access.expires_at is None
    assert fake.sent() == ["POST /oauth2/token/status", "GET /v2/merchants/me"]
    assert fake.requests[0].body == b""  # introspection takes no body
    fake.assert_read_only()


def test_oauth_token_with_payments_read_only_is_narrow(fake):
    access = lookup(find(sq.NARROW), fake.url)
    assert access.live is True
    assert access.grants == ["PAYMENTS_READ"]
    assert access.capabilities == {"read"}
    assert access.expires_at == "2026-12-30T10:00:00Z"
    assert access.identity == "merchant ML7B5VQ1ABCDE"
    assert fake.sent() == ["POST /oauth2/token/status"]  # no MERCHANT_PROFILE_READ: not asked


def test_legacy_personal_token_is_looked_up_too(fake):
    access = lookup(token(f"SQUARE_TOKEN={sq.LEGACY}", provider="square"), fake.url)
    assert (access.live, access.grants) == (True, ["PAYMENTS_READ"])


def test_token_without_permissions_is_live_with_none(fake):
    access = lookup(find(sq.NO_SCOPES), fake.url)
    assert access.live is True
    assert access.grants == [] and access.capabilities == set()


def test_sandbox_token_is_found_on_the_sandbox_after_production_refuses_it(fake):
    access = lookup(find(sq.SANDBOX_TOKEN), fake.url)
    assert access.live is True
    assert access.facts["environment"] == "sandbox"
    hosts = [r.header("x-tokenreach-target-host") for r in fake.requests]
    assert hosts == [sq.PRODUCTION, sq.SANDBOX]


def test_sandbox_named_near_the_token_is_asked_first(fake):
    access = lookup(find(sq.SANDBOX_TOKEN, before="SQUARE_ENVIRONMENT=sandbox\n"), fake.url)
    assert access.live is True
    assert [r.header("x-tokenreach-target-host") for r in fake.requests] == [sq.SANDBOX]


def test_revoked_is_refused_by_both_environments(fake):
    access = lookup(find(sq.REVOKED), fake.url)
    assert (access.live, access.evidence) == (False, "api")
    assert fake.sent() == ["POST /oauth2/token/status", "POST /oauth2/token/status"]
    assert any("401" in n and "both" in n for n in access.notes)


@pytest.mark.parametrize("secret", [sq.RATE_LIMITED, sq.BROKEN, sq.MALFORMED])
def test_failures_are_unknown_never_revoked(fake, secret):
    access = lookup(find(secret), fake.url, timeout=3)
    assert access.live is None
    assert access.grants == []
    fake.assert_read_only()


def test_application_secret_is_never_sent(fake):
    secret = "sq0csp-CGGeUmtZV2JVwkv3aimTL96yEgLMzeuBbtdzd_HtjAp"
    access = lookup(token(f"SQUARE_APPLICATION_SECRET={secret}", provider="square"), fake.url)
    assert access.live is None
    assert access.facts["skip_lookup"] is True
    assert fake.requests == []


def test_token_travels_in_the_authorization_header_only(fake):
    lookup(find(sq.PERSONAL), fake.url)
    for req in fake.requests:
        assert sq.PERSONAL not in req.path and not req.query
        assert req.header("authorization") == f"Bearer {sq.PERSONAL}"
