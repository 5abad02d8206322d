from __future__ import annotations

import pytest

from tests.fakes import notion as nt
from tests.helpers import lookup, token


@pytest.fixture
def fake():
    with nt.make() as server:
        yield server


def find(secret: str):
    return token(f"NOTION_TOKEN={secret}", provider="notion")


def test_broad_integration_reads_pages_and_members_emails(fake):
    access = lookup(find(nt.BROAD), fake.url)
    assert (access.live, access.evidence, access.reach) == (True, "api", "project")
    assert access.identity == "integration Deploy sync in workspace Acme"
    assert access.grants == ["read content", "read user information including email addresses"]
    assert access.capabilities == {"read", "write", "delete"}
    assert access.facts["capabilities_upper_bound"] is True
    assert access.facts["integration"] == "internal"
    assert access.facts["workspace_members"] == 1
    assert access.resources == ["page Engineering wiki", "page Runbooks", "database Customers"]
    assert fake.sent() == ["GET /v1/users/me", "POST /v1/search", "GET /v1/users"]
    fake.assert_read_only()


def test_narrow_integration_sees_one_page_and_no_users(fake):
    access = lookup(find(nt.NARROW), fake.url)
    assert access.live is True
    assert access.grants == ["read content"]
    assert (access.resources, access.resources_total) == (["page Release notes"], 1)
    assert "workspace_members" not in access.facts
    assert any("no user-information capability" in n for n in access.notes)


def test_without_read_content_is_live_and_reads_nothing(fake):
    access = lookup(find(nt.NO_READ), fake.url)
    assert access.live is True
    assert access.grants == []
    assert "read" not in access.capabilities
    assert access.resources == []
    assert any("no read-content capability" in n for n in access.notes)
    assert any("read content is not granted" in n for n in access.notes)


def test_public_integration_token_names_its_user(fake):
    access = lookup(find(nt.PUBLIC), fake.url)
    assert access.live is True
    assert access.facts["integration"] == "public"
    assert any("ada@acme.test" in n for n in access.notes)


def test_revoked_is_not_live(fake):
    access = lookup(find(nt.REVOKED), fake.url)
    assert (access.live, access.evidence) == (False, "api")
    assert any("401 (unauthorized)" in n for n in access.notes)
    assert fake.sent() == ["GET /v1/users/me"]


@pytest.mark.parametrize("secret", [nt.RATE_LIMITED, nt.BROKEN, nt.MALFORMED])
def test_failures_are_unknown_never_revoked(fake, secret):
    access = lookup(find(secret), fake.url, timeout=3)
    assert access.live is None
    assert access.grants == []
    fake.assert_read_only()


def test_every_request_names_the_api_version_and_keeps_the_token_out_of_urls(fake):
    lookup(find(nt.BROAD), fake.url)
    assert len(fake.requests) == 3
    for req in fake.requests:
        assert req.header("notion-version") == "2022-06-28"
        assert req.header("authorization") == f"Bearer {nt.BROAD}"
        assert nt.BROAD not in req.path and nt.BROAD not in str(req.query)
    search = fake.requests[1]
    assert search.json() == {"page_size": 100}


def test_token_shapes():
    assert find(nt.BROAD).pattern_id == "notion.integration_token"
    legacy = find(nt.PUBLIC)
    assert (legacy.pattern_id, legacy.kind, legacy.variable) == (
        "notion.legacy_integration_token", "integration_token", "NOTION_TOKEN")
