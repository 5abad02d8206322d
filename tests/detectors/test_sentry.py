from __future__ import annotations

import pytest

from tests.fakes import sentry as st
from tests.helpers import lookup, token
from tokenreach.scanner.lookup import LookupOptions, lookup_one


@pytest.fixture
def fake():
    with st.make() as server:
        yield server


def find(secret: str):
    return token(f"SENTRY_AUTH_TOKEN={secret}", provider="sentry")


def test_organization_token_is_decoded_offline_and_narrow(fake):
    tok = find(st.ORG_CI)
    access = lookup(tok, fake.url)
    assert (access.live, access.evidence, access.reach) == (True, "api", "organization")
    assert access.identity == "organization acme-robotics"
    assert access.grants == ["org:ci"] and access.capabilities == {"write"}
    assert access.resources == ["acme-robotics"]
    assert fake.sent() == ["GET /api/0/"]
    assert fake.requests[0].header("x-tokenreach-target-host") == "us.sentry.io"  # its region
    fake.assert_read_only()


def test_read_only_user_token(fake):
    access = lookup(find(st.USER_READ), fake.url)
    assert (access.live, access.reach) == (True, "account")
    assert access.capabilities == {"read"}
    assert access.identity == "Rita Reader <rita@acme.test>"
    assert access.resources == ["acme-robotics", "acme-labs"]
    assert fake.sent() == ["GET /api/0/", "GET /api/0/organizations/"]


def test_admin_user_token_is_broad(fake):
    access = lookup(find(st.USER_ADMIN), fake.url)
    assert (access.live, access.reach) == (True, "organization")
    assert access.capabilities == {"read", "write", "delete", "admin"}
    assert any(n.startswith("can delete projects and the organization") for n in access.notes)


def test_revoked_token_is_not_live(fake):
    access = lookup(find(st.REVOKED), fake.url)
    assert (access.live, access.evidence) == (False, "api")
    assert any("401 (Invalid token)" in n for n in access.notes)


@pytest.mark.parametrize("secret", [st.RATE_LIMITED, st.BROKEN])
def test_429_and_5xx_are_unknown_never_revoked(fake, secret, recorded_sleeps):
    access = lookup(find(secret), fake.url, timeout=3)
    assert access.live is None
    assert access.grants == []
    if secret == st.RATE_LIMITED:  # each retry waited the Retry-After (1 s), without the test waiting
        assert recorded_sleeps == [1.0, 1.0]


def test_self_hosted_tokens_are_not_sent_without_the_operator_switch():
    org = lookup_one(find(st.SELF_HOSTED), LookupOptions(environ={}))
    assert org.live is None and any("self-hosted instance" in n for n in org.notes)
    user = token(f"SENTRY_URL=https://sentry.acme.internal/\nSENTRY_AUTH_TOKEN={st.USER_READ}\n", provider="sentry")
    assert user.context["sentry_url"] == "https://sentry.acme.internal"
    access = lookup_one(user, LookupOptions(environ={}))
    assert access.live is None and any("self-hosted instance" in n for n in access.notes)


def test_the_token_is_only_in_the_authorization_header(fake):
    lookup(find(st.USER_ADMIN), fake.url)
    for req in fake.requests:
        assert st.USER_ADMIN not in req.path + str(req.query)
        assert req.header("authorization") == f"Bearer {st.USER_ADMIN}"
