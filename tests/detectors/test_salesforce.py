from __future__ import annotations

import pytest

from tests.fakes import salesforce as sf
from tests.helpers import lookup, token

QUERY = "GET /services/data/v60.0/query"


@pytest.fixture
def fake():
    with sf.make() as server:
        yield server


def find(secret: str, instance: str | None = sf.INSTANCE):
    head = f"SF_INSTANCE_URL=https://{instance}\n" if instance else ""
    return token(f"{head}SF_ACCESS_TOKEN={secret}\n", provider="salesforce")


def hosts(fake) -> list[str | None]:
    return [r.header("x-tokenreach-target-host") for r in fake.requests]


def test_system_administrator_token_is_broad(fake):
    access = lookup(find(sf.ADMIN), fake.url)
    assert (access.live, access.evidence, access.reach) == (True, "api", "organization")
    assert access.identity == f"admin@acme.test in org {sf.ORG}"
    assert access.capabilities == {"read", "write", "delete", "admin"}
    assert access.grants == ["PermissionsAuthorApex", "PermissionsCustomizeApplication", "PermissionsManageUsers",
                             "PermissionsModifyAllData", "PermissionsViewAllData", "profile:System Administrator"]
    assert access.resources == [sf.INSTANCE]
    assert fake.sent() == ["GET /services/oauth2/userinfo", QUERY]
    assert hosts(fake) == [sf.INSTANCE, sf.INSTANCE]
    for req in fake.requests:
        assert req.header("authorization") == f"Bearer {sf.ADMIN}"
        assert sf.ADMIN not in req.path and sf.ADMIN not in str(req.query)
    fake.assert_read_only()


def test_integration_reader_is_narrow(fake):
    access = lookup(find(sf.READER), fake.url)
    assert (access.live, access.reach) == (True, "account")
    assert access.capabilities == {"read", "write"}
    assert access.grants == ["permission_set:Reports_Read", "profile:Integration Reader"]


def test_no_bound_instance_asks_the_identity_host_then_the_org_it_names(fake):
    access = lookup(find(sf.ADMIN, instance=None), fake.url)
    assert access.live is True and access.reach == "organization"
    assert hosts(fake) == ["login.salesforce.com", sf.INSTANCE]


def test_sandbox_token_is_asked_on_test_salesforce_com(fake):
    access = lookup(find(sf.SANDBOX, instance=None), fake.url)
    assert (access.live, access.facts["environment"]) == (True, "sandbox")
    assert hosts(fake) == ["login.salesforce.com", "test.salesforce.com", sf.SANDBOX_INSTANCE]
    assert "PermissionsModifyAllData" in access.grants


def test_user_who_may_not_read_permission_sets_is_live_with_permissions_unknown(fake):
    access = lookup(find(sf.NO_SETUP), fake.url)
    assert (access.live, access.evidence) == (True, "api")
    assert access.grants == [] and access.capabilities == {"read", "write"}
    assert access.reach == "account"
    assert any("INVALID_TYPE" in n for n in access.notes)


def test_revoked_token_is_not_live(fake):
    access = lookup(find(sf.REVOKED, instance=None), fake.url)
    assert (access.live, access.evidence) == (False, "api")
    assert any("Bad_OAuth_Token" in n for n in access.notes)
    assert fake.sent() == ["GET /services/oauth2/userinfo"] * 2


def test_revoked_on_its_bound_instance_and_the_identity_hosts(fake):
    access = lookup(find(sf.REVOKED), fake.url)
    assert access.live is False
    assert hosts(fake) == [sf.INSTANCE, "login.salesforce.com", "test.salesforce.com"]


def test_a_wrongly_bound_instance_is_not_taken_for_a_revocation(fake):
    access = lookup(find(sf.ADMIN, instance="other.my.salesforce.com"), fake.url)
    assert (access.live, access.reach) == (True, "organization")
    assert hosts(fake) == ["other.my.salesforce.com", "login.salesforce.com", sf.INSTANCE]
    assert any(f"but {sf.INSTANCE} is its org's instance" in n for n in access.notes)


def test_bound_sandbox_instance_is_a_sandbox(fake):
    access = lookup(find(sf.SANDBOX, instance=sf.SANDBOX_INSTANCE), fake.url)
    assert (access.live, access.facts["environment"]) == (True, "sandbox")
    assert hosts(fake) == [sf.SANDBOX_INSTANCE, sf.SANDBOX_INSTANCE]


def test_api_request_limit_is_not_a_refusal(fake):
    access = lookup(find(sf.LIMITED), fake.url)
    assert access.live is True  # UserInfo answered; the query's 403 REQUEST_LIMIT_EXCEEDED decides nothing
    assert access.grants == []
    assert any("REQUEST_LIMIT_EXCEEDED" in n for n in access.notes)


def test_server_error_is_unknown_never_revoked(fake):
    access = lookup(find(sf.BROKEN), fake.url, timeout=3, max_retries=0)
    assert access.live is None
    fake.assert_read_only()


def test_refresh_tokens_are_never_sent(fake):
    refresh = "5Aep861ewBkviSH0PeiJGZNoLlakHuOXLUphfWsbDFNHbD3.3vlSlt4E39Uyk3ITTDICvq3v40u"
    tok = token(f"SALESFORCE_REFRESH_TOKEN={refresh}\n", provider="salesforce")
    access = lookup(tok, fake.url)
    assert access.live is None and fake.requests == []


def test_org_id_from_the_prefix():
    assert find(sf.ADMIN).context == {"instance": sf.INSTANCE}
