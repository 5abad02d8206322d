from __future__ import annotations

import pytest

from tests.fakes import atlassian as at
from tests.helpers import lookup, token


@pytest.fixture
def fake():
    with at.make() as server:
        yield server


def env_block(secret: str, site: str = at.SITE, email: str = at.EMAIL):
    text = f"JIRA_URL=https://{site}\nJIRA_USERNAME={email}\nJIRA_API_TOKEN={secret}\n"
    return token(text, provider="atlassian")


def test_binds_the_site_and_the_email_of_its_block():
    tok = env_block(at.CLASSIC_READER)
    assert tok.context == {"site": "acme", "email": at.EMAIL}
    one_line = token(f'Confluence(url="https://{at.SITE}/wiki", username="{at.EMAIL}", password="{at.SCOPED}")',
                     provider="atlassian")
    assert one_line.context == {"site": "acme", "email": at.EMAIL}


def test_classic_token_of_a_reader_is_narrow(fake):
    access = lookup(env_block(at.CLASSIC_READER), fake.url)
    assert (access.live, access.evidence, access.reach) == (True, "api", "account")
    assert access.identity == f"Rita Reader <{at.EMAIL}>"
    assert access.grants == ["BROWSE_PROJECTS"]
    assert access.capabilities == {"read"}
    assert access.facts["token_type"] == "classic"
    assert fake.sent() == ["GET /rest/api/3/myself", "GET /rest/api/3/mypermissions"]
    assert all(r.header("x-tokenreach-target-host") == at.SITE for r in fake.requests)
    assert all(r.basic() == (at.EMAIL, at.CLASSIC_READER) for r in fake.requests)
    fake.assert_read_only()


def test_classic_token_of_a_jira_administrator_is_broad(fake):
    access = lookup(env_block(at.CLASSIC_ADMIN), fake.url)
    assert (access.live, access.reach) == (True, "organization")
    assert access.capabilities == {"read", "write", "delete", "admin"}
    assert "ADMINISTER" in access.grants and "SYSTEM_ADMIN" in access.grants
    assert any("administers Jira" in n for n in access.notes)


def test_scoped_token_is_asked_through_the_gateway(fake):
    access = lookup(env_block(at.SCOPED), fake.url)
    assert (access.live, access.evidence, access.reach) == (True, "api", "account")
    assert access.facts["token_type"] == "scoped" and access.facts["cloud_id"] == at.CLOUD_ID
    assert access.capabilities == {"read", "write"}
    assert access.identity == f"Sam Scoped <{at.EMAIL}>"
    assert fake.sent() == ["GET /rest/api/3/myself", "GET /_edge/tenant_info",
                           f"GET /ex/jira/{at.CLOUD_ID}/rest/api/3/myself",
                           f"GET /ex/jira/{at.CLOUD_ID}/rest/api/3/mypermissions"]
    assert fake.requests[1].header("authorization") is None
    fake.assert_read_only()


def test_gateway_url_names_the_cloud_id_itself(fake):
    text = (f"JIRA_URL=https://api.atlassian.com/ex/jira/{at.CLOUD_ID}\nJIRA_USERNAME={at.EMAIL}\n"
            f"JIRA_API_TOKEN={at.SCOPED}\n")
    access = lookup(token(text, provider="atlassian"), fake.url)
    assert access.live is True
    assert fake.sent()[0] == f"GET /ex/jira/{at.CLOUD_ID}/rest/api/3/myself"


def test_scoped_token_without_the_user_scope_is_live(fake):
    access = lookup(env_block(at.SCOPED_NO_USER), fake.url)
    assert (access.live, access.evidence) == (True, "api")
    assert access.grants == [] and access.capabilities == set()
    assert any("read:jira-user" in n for n in access.notes)


def test_revoked_token_is_refused_by_the_site_and_the_gateway(fake):
    access = lookup(env_block(at.REVOKED), fake.url)
    assert (access.live, access.evidence) == (False, "api")
    assert any("invalid, expired or revoked" in n for n in access.notes)


def test_confluence_only_site(fake):
    access = lookup(env_block(at.WIKI_EDITOR, site=at.WIKI_SITE), fake.url)
    assert (access.live, access.reach) == (True, "account")
    assert access.capabilities == {"read", "write"}
    assert access.grants == ["create:page", "create:space", "use:application"]
    assert access.identity == f"Wendy Wiki <{at.EMAIL}>"
    assert fake.sent() == ["GET /rest/api/3/myself", "GET /wiki/rest/api/user/current"]


@pytest.mark.parametrize("secret", [at.RATE_LIMITED, at.BROKEN])
def test_429_and_5xx_are_unknown_never_revoked(fake, secret):
    access = lookup(env_block(secret), fake.url, timeout=3)
    assert access.live is None
    fake.assert_read_only()


@pytest.mark.parametrize("text", [
    f"JIRA_API_TOKEN={at.CLASSIC_ADMIN}\nJIRA_URL=https://{at.SITE}\n",  # no e-mail
    f"JIRA_API_TOKEN={at.CLASSIC_ADMIN}\nJIRA_USERNAME={at.EMAIL}\n",  # no site
    f"# see https://{at.SITE} and write to {at.EMAIL}\n\nJIRA_API_TOKEN={at.CLASSIC_ADMIN}\n",  # not bound
])
def test_a_token_without_a_bound_site_and_email_is_not_sent(fake, text):
    access = lookup(token(text, provider="atlassian"), fake.url)
    assert access.live is None
    assert any(n.startswith("not looked up") for n in access.notes)
    assert fake.requests == []


def test_the_secret_is_never_in_a_url(fake):
    lookup(env_block(at.SCOPED), fake.url)
    for req in fake.requests:
        assert at.SCOPED not in req.path + str(req.query)
