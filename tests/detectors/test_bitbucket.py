from __future__ import annotations

import pytest

from tests.fakes import bitbucket as bb
from tests.helpers import lookup, token


@pytest.fixture
def fake():
    with bb.make() as server:
        yield server


def access_token(secret: str):
    return token(f"BITBUCKET_ACCESS_TOKEN={secret}", provider="bitbucket")


def app_password_in_url(secret: str, user: str = bb.APP_USER):
    return token(f"git clone https://{user}:{secret}@bitbucket.org/acme/api.git", provider="bitbucket")


def test_repository_token_with_read_scope_is_narrow(fake):
    access = lookup(access_token(bb.REPO_READ), fake.url)
    assert (access.live, access.evidence, access.reach) == (True, "api", "resource")
    assert access.grants == ["repository"]
    assert access.capabilities == {"read"}
    assert access.resources == ["acme/api"]
    assert access.facts["credential_type"] == "repo_access_token"
    assert fake.sent() == ["GET /2.0/repositories"]
    (req,) = fake.requests
    assert req.query == {"role": ["member"], "pagelen": ["100"]}
    fake.assert_read_only()


def test_workspace_token_with_admin_and_variables_is_broad(fake):
    access = lookup(access_token(bb.WORKSPACE_ADMIN), fake.url)
    assert (access.live, access.reach) == (True, "organization")
    assert access.capabilities == {"read", "write", "delete", "admin", "secrets"}
    assert "pipeline:variable" in access.grants and "repository:admin" in access.grants
    assert access.resources == ["acme/api", "acme/web", "acme/infra"]
    assert access.identity == "workspace_access_token of acme"
    assert any("can delete repositories" in n for n in access.notes)


def test_token_without_repository_scope_is_live_with_its_scopes(fake):
    access = lookup(access_token(bb.PR_ONLY), fake.url)
    assert (access.live, access.evidence, access.reach) == (True, "api", "resource")
    assert access.grants == ["pullrequest"]
    assert access.capabilities == {"read"}
    assert access.resources == []
    assert any("403" in n and "repository scope" in n for n in access.notes)


def test_revoked_token_is_not_live(fake):
    access = lookup(access_token(bb.REVOKED), fake.url)
    assert (access.live, access.evidence) == (False, "api")
    assert access.grants == [] and access.capabilities == set()
    assert fake.sent() == ["GET /2.0/repositories"]


@pytest.mark.parametrize("secret", [bb.RATE_LIMITED, bb.BROKEN])
def test_429_and_5xx_are_unknown_never_revoked(fake, secret):
    access = lookup(access_token(secret), fake.url, timeout=3)
    assert access.live is None
    assert access.grants == []
    fake.assert_read_only()


def test_app_password_with_its_username_in_the_url(fake):
    access = lookup(app_password_in_url(bb.APP_PASSWORD), fake.url)
    assert (access.live, access.reach) == (True, "account")
    assert access.grants == ["account", "repository", "repository:write"]
    assert access.capabilities == {"read", "write"}
    assert access.identity == "Alice Dev (alice-dev)"
    assert access.resources == ["alice-dev/dotfiles", "acme/api"]
    assert fake.sent() == ["GET /2.0/repositories", "GET /2.0/user"]
    assert all(r.basic() == (bb.APP_USER, bb.APP_PASSWORD) for r in fake.requests)
    fake.assert_read_only()


def test_switched_off_app_password_bound_to_its_username_is_dead(fake):
    access = lookup(app_password_in_url(bb.APP_PASSWORD_OFF), fake.url)
    assert (access.live, access.evidence) == (False, "api")


def test_app_password_with_a_username_found_nearby_stays_unknown_on_401(fake):
    tok = token(f"BITBUCKET_USERNAME=alice-dev\nBITBUCKET_APP_PASSWORD={bb.APP_PASSWORD_OFF}\n", provider="bitbucket")
    access = lookup(tok, fake.url)
    assert access.live is None
    assert any("found near the password" in n for n in access.notes)
    live = lookup(token(f"BITBUCKET_USERNAME=alice-dev\nBITBUCKET_APP_PASSWORD={bb.APP_PASSWORD}\n",
                        provider="bitbucket"), fake.url)
    assert (live.live, live.identity) == (True, "Alice Dev (alice-dev)")


def test_app_password_without_a_username_is_not_sent(fake):
    access = lookup(token(f"BITBUCKET_APP_PASSWORD={bb.APP_PASSWORD}", provider="bitbucket"), fake.url)
    assert access.live is None
    assert any("needs its Bitbucket username" in n for n in access.notes)
    assert fake.requests == []


def test_the_secret_is_never_in_a_url(fake):
    lookup(access_token(bb.WORKSPACE_ADMIN), fake.url)
    lookup(app_password_in_url(bb.APP_PASSWORD), fake.url)
    for req in fake.requests:
        assert bb.WORKSPACE_ADMIN not in req.path + str(req.query)
        assert bb.APP_PASSWORD not in req.path + str(req.query)
    assert fake.requests[0].header("authorization") == f"Bearer {bb.WORKSPACE_ADMIN}"


def test_token_kinds():
    assert access_token(bb.REPO_READ).kind == "access_token"
    assert app_password_in_url(bb.APP_PASSWORD).kind == "app_password"
