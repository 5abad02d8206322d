from __future__ import annotations

import pytest

from tests.fakes import azure_devops as ado
from tests.helpers import lookup, token

ORG_CALLS = [f"GET /{ado.ORG}/_apis/connectionData", f"GET /{ado.ORG}/_apis/projects",
             "GET /_apis/profile/profiles/me"]


@pytest.fixture
def fake():
    with ado.make() as server:
        yield server


def with_org(secret: str):
    return token(f"git clone https://pat:{secret}@dev.azure.com/{ado.ORG}/Fabrikam-Fiber/_git/app\n",
                 provider="azure_devops")


def alone(secret: str):
    return token(f"AZURE_DEVOPS_EXT_PAT={secret}\n", provider="azure_devops")


def test_organization_bound_in_the_same_url_or_block():
    assert with_org(ado.BROAD).context == {"organization": ado.ORG}
    tok = token(f"AZURE_DEVOPS_ORG_URL=https://dev.azure.com/{ado.ORG}\nAZURE_DEVOPS_EXT_PAT={ado.LEGACY}\n",
                provider="azure_devops")
    assert (tok.kind, tok.context) == ("personal_access_token", {"organization": ado.ORG})
    assert alone(ado.BROAD).context == {}


def test_broad_pat_reads_the_organization_projects(fake):
    access = lookup(with_org(ado.BROAD), fake.url)
    assert (access.live, access.evidence, access.reach) == (True, "api", "organization")
    assert access.identity == f"Alice Smith in dev.azure.com/{ado.ORG}"
    assert access.grants == ["vso.project", "vso.profile"]
    assert access.resources == [f"{ado.ORG}/Fabrikam-Fiber", f"{ado.ORG}/Infra"]
    assert access.capabilities == {"read"}
    assert access.facts["capabilities_upper_bound"] is True
    assert access.facts["email"] == "alice@fabrikam.test"
    assert fake.sent() == ORG_CALLS
    fake.assert_read_only()


def test_narrow_pat_is_live_without_scopes_it_lacks(fake):
    access = lookup(with_org(ado.NARROW), fake.url)
    assert (access.live, access.reach, access.grants, access.resources) == (True, "organization", [], [])
    assert any("vso.project" in n for n in access.notes)
    assert any("profiles/me answered HTTP 401" in n for n in access.notes)


def test_profile_alone_names_the_user(fake):
    access = lookup(alone(ado.LEGACY), fake.url)
    assert (access.live, access.reach, access.grants) == (True, "account", ["vso.profile"])
    assert access.identity == "Alice Smith <alice@fabrikam.test>"
    assert fake.sent() == ["GET /_apis/profile/profiles/me"]


@pytest.mark.parametrize("secret", [ado.REVOKED, ado.SIGN_IN])
def test_revoked_or_sign_in_page_is_dead_in_its_organization(fake, secret):
    access = lookup(with_org(secret), fake.url)
    assert (access.live, access.evidence) == (False, "api")
    assert fake.sent() == ORG_CALLS[:1]


@pytest.mark.parametrize("secret", [ado.REVOKED, ado.SIGN_IN])
def test_profile_refusal_without_organization_is_unknown(fake, secret):
    access = lookup(alone(secret), fake.url)
    assert access.live is None
    assert any("not conclusive" in n for n in access.notes)


@pytest.mark.parametrize("secret", [ado.RATE_LIMITED, ado.BROKEN, ado.FORBIDDEN])
@pytest.mark.parametrize("find", [with_org, alone])
def test_failures_are_unknown_never_revoked(fake, secret, find):
    access = lookup(find(secret), fake.url, timeout=3)
    assert access.live is None
    assert access.grants == []
    fake.assert_read_only()


def test_pat_is_basic_auth_never_in_the_url(fake):
    lookup(with_org(ado.BROAD), fake.url)
    for req in fake.requests:
        assert ado.BROAD not in req.path and ado.BROAD not in str(req.query)
        assert req.basic() == ("", ado.BROAD)
        assert req.method == "GET"


def test_only_fixed_hosts():
    from tokenreach.detectors.providers.azure_devops import detector
    assert detector.hosts == ("app.vssps.visualstudio.com", "dev.azure.com")
    assert detector.host_suffixes == ()
