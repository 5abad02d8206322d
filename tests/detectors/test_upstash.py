from __future__ import annotations

import pytest

from tests.fakes import upstash as fu
from tests.helpers import lookup, token


@pytest.fixture
def fake():
    with fu.make() as server:
        yield server


def find(secret: str, url: str | None = f"https://{fu.HOST}"):
    url_line = f"UPSTASH_REDIS_REST_URL={url}\n" if url else ""
    return token(f"{url_line}UPSTASH_REDIS_REST_TOKEN={secret}\n", provider="upstash")


def test_standard_token_reads_and_writes_the_database(fake):
    access = lookup(find(fu.STANDARD), fake.url)
    assert (access.live, access.evidence) == (True, "api")
    assert access.identity == f"user default on {fu.HOST}"
    assert access.grants == ["default"]
    assert access.capabilities == {"read", "write", "delete"}
    assert access.reach == "resource"
    assert access.facts["keys"] == 1234
    assert fake.sent() == ["GET /acl/whoami", "GET /dbsize"]
    assert all(r.header("x-tokenreach-target-host") == fu.HOST for r in fake.requests)
    fake.assert_read_only()


def test_read_only_token_is_narrow(fake):
    access = lookup(find(fu.READ_ONLY), fake.url)
    assert (access.grants, access.capabilities) == (["default_ro"], {"read"})


def test_acl_user_refused_whoami_is_live_with_an_upper_bound(fake):
    access = lookup(find(fu.ACL_USER), fake.url)
    assert (access.live, access.evidence) == (True, "api")
    assert access.facts["capabilities_upper_bound"] is True
    assert any("NOPERM" in n for n in access.notes)


def test_wrongpass_is_revoked(fake):
    access = lookup(find(fu.REVOKED), fake.url)
    assert (access.live, access.evidence) == (False, "api")
    assert fake.sent() == ["GET /acl/whoami"]


@pytest.mark.parametrize("secret", [fu.RATE_LIMITED, fu.BROKEN, fu.MALFORMED])
def test_failures_are_unknown_never_revoked(fake, secret):
    access = lookup(find(secret), fake.url, timeout=3)
    assert access.live is None


def test_without_a_bound_rest_url_the_token_is_not_sent(fake):
    access = lookup(find(fu.STANDARD, url=None), fake.url)
    assert access.live is None
    assert fake.requests == []


def test_a_url_outside_upstash_is_never_bound(fake):
    access = lookup(find(fu.STANDARD, url="https://upstash.io.evil.test"), fake.url)
    assert fake.requests == []
    assert access.live is None


def test_token_travels_in_the_authorization_header_only(fake):
    lookup(find(fu.STANDARD), fake.url)
    for req in fake.requests:
        assert fu.STANDARD not in req.path and not req.query
        assert req.header("authorization") == f"Bearer {fu.STANDARD}"


def qstash(secret: str, before: str = ""):
    return token(f"{before}QSTASH_TOKEN={secret}\n", provider="upstash")


def test_qstash_token_reaches_the_accounts_queues_and_signing_keys(fake):
    access = lookup(qstash(fu.QSTASH), fake.url)
    assert (access.live, access.evidence) == (True, "api")
    assert access.capabilities == {"read", "write", "delete", "secrets"}
    assert access.reach == "account"
    assert access.facts["schedules"] == 2
    assert [r.header("x-tokenreach-target-host") for r in fake.requests] == [fu.QSTASH_EU]
    fake.assert_read_only()


def test_qstash_token_of_the_us_region_is_found_there(fake):
    access = lookup(qstash(fu.QSTASH_US_TOKEN), fake.url)
    assert access.live is True
    assert [r.header("x-tokenreach-target-host") for r in fake.requests] == [fu.QSTASH_EU, fu.QSTASH_US]


def test_bound_qstash_url_is_the_only_region_asked(fake):
    access = lookup(qstash(fu.QSTASH_US_TOKEN, f"QSTASH_URL=https://{fu.QSTASH_US}\n"), fake.url)
    assert access.live is True
    assert [r.header("x-tokenreach-target-host") for r in fake.requests] == [fu.QSTASH_US]


def test_qstash_token_refused_by_every_region_is_revoked(fake):
    access = lookup(qstash(fu.QSTASH_REVOKED), fake.url)
    assert (access.live, access.evidence) == (False, "api")
    assert len(fake.requests) == 2
