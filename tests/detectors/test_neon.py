from __future__ import annotations

import json

import pytest

from tests.fakes import neon as nf
from tests.helpers import lookup, token
from tokenreach.detectors.providers import neon
from tokenreach.scanner.model import Token

ME = "GET /api/v2/users/me"
ORGS = "GET /api/v2/users/me/organizations"
PROJECTS = "GET /api/v2/projects"


@pytest.fixture
def fake():
    with nf.make() as server:
        yield server


def test_personal_key_reaches_the_users_organizations(fake):
    access = lookup(token(f"NEON_API_KEY={nf.PERSONAL}"), fake.url)
    assert access.live is True
    assert access.evidence == "api"
    assert access.identity == "ada@example.com"
    assert access.reach == "organization"
    assert access.capabilities == {"read", "write", "delete", "admin", "secrets"}
    assert access.grants == []
    assert access.resources == ["side-project", "org Ocean Art"]
    assert access.facts["token_kind"] == "personal"
    assert access.facts["organizations"] == 1
    assert access.facts["projects"] == 1
    assert any("last_used_from_addr" in n for n in access.notes)
    assert fake.sent() == [ME, ORGS, PROJECTS]
    assert fake.requests[2].query == {"limit": ["400"]}
    assert all(r.bearer() == nf.PERSONAL for r in fake.requests)
    fake.assert_read_only()
    assert nf.PERSONAL not in json.dumps(access.to_json())


def test_unprefixed_personal_key_without_organizations_is_account_reach(fake):
    tok = token(f"NEON_API_KEY={nf.PERSONAL_SOLO}")
    assert tok.pattern_id == "neon.api_key_unprefixed"
    access = lookup(tok, fake.url)
    assert access.live is True
    assert access.reach == "account"
    assert access.identity == "solo@example.com"
    assert access.facts["variable"] == "NEON_API_KEY"
    assert access.facts["organizations"] == 0


def test_organization_key_is_admin_over_every_project(fake):
    access = lookup(token(nf.ORG), fake.url)
    assert access.live is True
    assert access.reach == "organization"
    assert access.identity == f"organization {nf.ORG_ID}"
    assert access.capabilities == {"read", "write", "delete", "admin", "secrets"}
    assert access.resources == ["spring-example", "billing-db", "analytics"]
    assert access.resources_total == 3
    assert access.facts["token_kind"] == "organization"
    assert access.facts["org_id"] == nf.ORG_ID
    assert fake.sent() == [ME, PROJECTS]
    fake.assert_read_only()


def test_organization_key_with_one_project_is_told_apart_by_members(fake):
    access = lookup(token(nf.ORG_ONE_PROJECT), fake.url)
    assert access.facts["token_kind"] == "organization"
    assert access.reach == "organization"
    assert access.facts["org_members"] == 2
    assert fake.sent() == [ME, PROJECTS, f"GET /api/v2/organizations/{nf.SOLO_ORG_ID}/members"]


def test_project_scoped_key_is_one_project_without_project_deletion(fake):
    access = lookup(token(nf.PROJECT), fake.url)
    assert access.live is True
    assert access.reach == "project"
    assert access.identity == "project billing-db"
    assert access.capabilities == {"read", "write", "delete", "secrets"}
    assert "admin" not in access.capabilities
    assert access.resources == ["billing-db"]
    assert access.facts["token_kind"] == "project"
    assert access.facts["project_id"] == "ancient-sea-104858"
    assert any("cannot delete the project" in n for n in access.notes)
    assert fake.sent() == [ME, PROJECTS, f"GET /api/v2/organizations/{nf.ORG_ID}/members"]
    fake.assert_read_only()


def test_revoked_is_not_live(fake):
    access = lookup(token(nf.REVOKED), fake.url)
    assert access.live is False
    assert access.evidence == "api"
    assert fake.sent() == [ME, PROJECTS]


def test_rate_limit_is_unknown_never_revoked(fake):
    access = lookup(token(nf.RATE_LIMITED), fake.url, timeout=3)
    assert access.live is None
    assert any("429" in n for n in access.notes)
    assert fake.sent() == [ME]


def test_server_error_is_unknown(fake):
    access = lookup(token(nf.SERVER_ERROR), fake.url, timeout=8)
    assert access.live is None
    assert any("500" in n for n in access.notes)
    assert set(fake.sent()) == {ME}


def test_malformed_body_is_unknown(fake):
    access = lookup(token(nf.MALFORMED), fake.url)
    assert access.live is None
    assert any("not JSON" in n for n in access.notes)


# Offline ---------------------------------------------------------------------------------------


def test_classify_says_the_kind_needs_the_api():
    access = neon.detector.classify(token(nf.PERSONAL))
    assert access.live is None
    assert "token_kind" not in access.facts
    assert any("only the API" in n for n in access.notes)


@pytest.mark.parametrize("garbage", [None, 1, "x", [], {"projects": None}, {"projects": [None, 3, {}]},
                                     {"projects": "nope"}, {"projects": [{"name": "no id"}]}])
def test_project_lists_never_raise(garbage):
    assert neon._projects(garbage) == []
    assert neon._list(garbage, "organizations") == []


def test_projects_keep_org_ids():
    body = {"projects": [{"id": "a-1", "name": "a", "org_id": "org-x-1"}, {"id": "b-2"}]}
    assert neon._projects(body) == [{"id": "a-1", "name": "a", "org_id": "org-x-1"},
                                    {"id": "b-2", "name": "b-2", "org_id": ""}]


def test_classify_garbage_token_never_raises():
    assert neon.detector.classify(Token(provider="neon", secret="")).live is None
