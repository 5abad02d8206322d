from __future__ import annotations

import pytest

from tests.fakes import terraform_cloud as tfc
from tests.helpers import lookup, token


@pytest.fixture
def fake():
    with tfc.make() as server:
        yield server


def find(secret: str, host: str = "app_terraform_io"):
    return token(f"TF_TOKEN_{host}={secret}", provider="terraform_cloud")


def test_member_user_token_is_narrow(fake):
    access = lookup(find(tfc.MEMBER_USER), fake.url)
    assert (access.live, access.evidence, access.reach) == (True, "api", "project")
    assert access.facts["token_type"] == "user"
    assert access.identity == "bob <bob@acme.test>"
    assert access.capabilities == {"read"}
    assert access.resources == ["acme"]
    assert fake.sent() == ["GET /api/v2/account/details", "GET /api/v2/organizations"]
    fake.assert_read_only()


def test_owner_user_token_is_broad(fake):
    access = lookup(find(tfc.OWNER_USER), fake.url)
    assert (access.live, access.reach) == (True, "organization")
    assert access.capabilities == {"read", "write", "delete", "admin", "billing", "secrets"}
    assert "can-destroy" in access.grants and "can-manage-users" in access.grants


def test_team_token_reads_its_team(fake):
    access = lookup(find(tfc.DEV_TEAM), fake.url)
    assert (access.live, access.reach) == (True, "project")
    assert access.facts["token_type"] == "team"
    assert access.identity == "team token of developers (team-DeV5jTwJQXwqZBnc)"
    assert access.capabilities == {"read"}
    assert access.grants == ["read-projects", "read-workspaces"]
    assert fake.sent()[-1] == "GET /api/v2/teams/team-DeV5jTwJQXwqZBnc"


def test_owners_team_and_organization_tokens_administer_the_organization(fake):
    owners = lookup(find(tfc.OWNERS_TEAM), fake.url)
    assert (owners.reach, "admin" in owners.capabilities) == ("organization", True)
    org = lookup(find(tfc.ORG_TOKEN), fake.url)
    assert (org.live, org.reach, org.facts["token_type"]) == (True, "organization", "organization")
    assert org.identity == "organization token of acme"
    assert {"admin", "secrets"} <= org.capabilities


def test_revoked_token_named_for_app_terraform_io_is_dead(fake):
    access = lookup(find(tfc.REVOKED), fake.url)
    assert (access.live, access.evidence) == (False, "api")


def test_credentials_file_names_the_host():
    tok = token('{"credentials": {"app.terraform.io": {"token": "' + tfc.MEMBER_USER + '"}}}',
                provider="terraform_cloud")
    assert tok.context.get("credentials_host") == "app.terraform.io"


@pytest.mark.parametrize("secret", [tfc.RATE_LIMITED, tfc.BROKEN])
def test_429_and_5xx_are_unknown_never_revoked(fake, secret):
    access = lookup(find(secret), fake.url, timeout=3)
    assert access.live is None


def test_terraform_enterprise_token_is_not_sent(fake, monkeypatch):
    # Without the operator's override, a token named for another host is never sent anywhere.
    from tokenreach.scanner.lookup import LookupOptions, lookup_one

    access = lookup_one(find(tfc.MEMBER_USER, host="tfe_acme__corp_example"), LookupOptions(environ={}))
    assert access.live is None
    assert any("self-hosted instance" in n for n in access.notes)
    assert fake.requests == []


def test_host_names_decode_like_the_cli():
    from tokenreach.detectors.providers.terraform_cloud import host_named

    assert host_named({"tf_token_var": "tfe_acme__corp_example"}) == "tfe.acme-corp.example"
    assert host_named({"tf_token_var": "app_eu_terraform_io"}) == "app.eu.terraform.io"
    assert host_named({}) is None


def test_token_with_no_host_named_stays_unknown_on_401(fake):
    access = lookup(token(f"TF_API_TOKEN={tfc.REVOKED}", provider="terraform_cloud"), fake.url)
    assert access.live is None
    assert any("Terraform Enterprise token" in n for n in access.notes)
    live = lookup(token(f"TF_API_TOKEN={tfc.MEMBER_USER}", provider="terraform_cloud"), fake.url)
    assert live.live is True


def test_hcp_europe_token_goes_to_its_host(fake):
    lookup(find(tfc.MEMBER_USER, host="app_eu_terraform_io"), fake.url)
    assert {r.header("x-tokenreach-target-host") for r in fake.requests} == {"app.eu.terraform.io"}


def test_the_token_is_only_in_the_authorization_header(fake):
    lookup(find(tfc.DEV_TEAM), fake.url)
    for req in fake.requests:
        assert tfc.DEV_TEAM not in req.path + str(req.query)
        assert req.header("authorization") == f"Bearer {tfc.DEV_TEAM}"
