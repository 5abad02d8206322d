from __future__ import annotations

import pytest

from tests.fakes import paypal_braintree as fb
from tests.helpers import lookup, token


@pytest.fixture
def fake():
    with fb.make() as server:
        yield server


def find(secret: str):
    return token(f"BRAINTREE_ACCESS_TOKEN={secret}", provider="paypal_braintree")


def test_account_admin_token_is_broad(fake):
    access = lookup(find(fb.ADMIN), fake.url)
    assert (access.live, access.evidence) == (True, "api")
    assert access.identity == "Acme Coffee as ops@acme.test"
    assert access.grants == ["Create Transactions", "Manage Users", "Refund Transactions"]
    assert access.capabilities == {"read", "write", "delete", "admin", "billing"}
    assert access.facts["account_admin"] is True
    assert fake.sent() == ["POST /graphql"]
    assert "viewer" in fake.requests[0].json()["query"]
    fake.assert_read_only()


def test_reporting_token_is_narrow(fake):
    access = lookup(find(fb.REPORTER), fake.url)
    assert access.capabilities == {"read"}
    assert access.grants == ["Download Transactions", "View Reports"]


def test_sandbox_token_is_asked_on_the_sandbox(fake):
    access = lookup(find(fb.SANDBOX_TOKEN), fake.url)
    assert access.live is True
    assert fake.requests[0].header("x-tokenreach-target-host") == fb.SANDBOX
    assert access.facts["environment"] == "sandbox"


def test_authorization_error_is_live_without_rights(fake):
    access = lookup(find(fb.NOT_ALLOWED), fake.url)
    assert (access.live, access.grants) == (True, [])


@pytest.mark.parametrize("secret", [fb.REVOKED, fb.AUTH_IN_200])
def test_authentication_failure_is_revoked(fake, secret):
    access = lookup(find(secret), fake.url)
    assert (access.live, access.evidence) == (False, "api")


@pytest.mark.parametrize("secret", [fb.RATE_LIMITED, fb.BROKEN])
def test_failures_are_unknown_never_revoked(fake, secret):
    access = lookup(find(secret), fake.url, timeout=3)
    assert access.live is None


def test_token_travels_in_the_authorization_header_only(fake):
    lookup(find(fb.ADMIN), fake.url)
    (req,) = fake.requests
    assert fb.ADMIN not in req.path and not req.query and fb.ADMIN.encode() not in req.body
    assert req.header("authorization") == f"Bearer {fb.ADMIN}"


def key_pair(public: str | None, private: str):
    public_line = f"BRAINTREE_PUBLIC_KEY={public}\n" if public else ""
    return token(f"{public_line}BRAINTREE_PRIVATE_KEY={private}\n", provider="paypal_braintree")


def test_private_key_with_its_public_key_is_looked_up_in_basic_auth(fake):
    access = lookup(key_pair(fb.PUBLIC_KEY, fb.PRIVATE_KEY), fake.url)
    assert (access.live, access.facts["account_admin"]) == (True, True)
    (req,) = fake.requests
    assert req.basic() == (fb.PUBLIC_KEY, fb.PRIVATE_KEY)
    assert req.header("x-tokenreach-target-host") == fb.PRODUCTION


def test_sandbox_key_pair_is_found_on_the_sandbox(fake):
    access = lookup(key_pair(fb.SANDBOX_PUBLIC_KEY, fb.SANDBOX_PRIVATE_KEY), fake.url)
    assert (access.live, access.capabilities) == (True, {"read"})
    assert [r.header("x-tokenreach-target-host") for r in fake.requests] == [fb.PRODUCTION, fb.SANDBOX]


def test_private_key_without_its_public_key_is_not_sent(fake):
    access = lookup(key_pair(None, fb.PRIVATE_KEY), fake.url)
    assert access.live is None
    assert fake.requests == []
