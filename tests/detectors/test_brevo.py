from __future__ import annotations

import pytest

from tests.fakes import brevo as fb
from tests.helpers import lookup, token


@pytest.fixture
def fake():
    with fb.make() as server:
        yield server


def find(secret: str):
    return token(f"BREVO_API_KEY={secret}", provider="brevo")


def test_api_key_has_the_whole_account(fake):
    access = lookup(find(fb.LIVE), fake.url)
    assert (access.live, access.evidence) == (True, "api")
    assert access.identity == "Acme / owner@acme.test"
    assert access.capabilities == {"read", "write", "delete", "admin"}
    assert access.reach == "account"
    assert access.facts["plan"] == ["free"]
    assert fake.sent() == ["GET /v3/account"]
    fake.assert_read_only()


def test_enterprise_key_reaches_the_organization(fake):
    access = lookup(find(fb.ENTERPRISE), fake.url)
    assert access.reach == "organization"
    assert access.facts["enterprise"] is True


@pytest.mark.parametrize("secret", [fb.IP_BLOCKED, fb.NOT_VERIFIED])
def test_ip_authorization_refusal_is_live_never_revoked(fake, secret):
    access = lookup(find(secret), fake.url)
    assert (access.live, access.evidence) == (True, "api")
    assert access.facts["ip_restricted"] is True
    assert access.capabilities == set()  # nothing read: the rights stay unknown
    assert any("authorized IPs" in n for n in access.notes)


def test_unknown_key_is_revoked(fake):
    access = lookup(find(fb.REVOKED), fake.url)
    assert (access.live, access.evidence) == (False, "api")
    assert any("Key not found" in n for n in access.notes)


@pytest.mark.parametrize("secret", [fb.RATE_LIMITED, fb.BROKEN, fb.MALFORMED])
def test_failures_are_unknown_never_revoked(fake, secret):
    access = lookup(find(secret), fake.url, timeout=3)
    assert access.live is None
    assert access.capabilities == set()
    fake.assert_read_only()


def test_smtp_key_is_never_sent(fake):
    access = lookup(token(f"SMTP_PASSWORD={fb.SMTP}", provider="brevo"), fake.url)
    assert access.live is None
    assert access.facts["skip_lookup"] is True
    assert fake.requests == []


def test_key_travels_in_the_api_key_header_only(fake):
    lookup(find(fb.LIVE), fake.url)
    (req,) = fake.requests
    assert fb.LIVE not in req.path and not req.query
    assert req.header("api-key") == fb.LIVE
    assert req.header("authorization") is None
