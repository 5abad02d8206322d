from __future__ import annotations

import pytest

from tests.fakes import pinecone as pc
from tests.helpers import lookup, token


@pytest.fixture
def fake():
    with pc.make() as server:
        yield server


def find(secret: str):
    return token(f"PINECONE_API_KEY={secret}", provider="pinecone")


def test_broad_key_reaches_indexes_without_deletion_protection(fake):
    access = lookup(find(pc.BROAD), fake.url)
    assert (access.live, access.evidence, access.reach) == (True, "api", "project")
    assert access.capabilities == {"read", "write", "delete"}
    assert access.facts["capabilities_upper_bound"] is True
    assert access.resources == ["index docs-prod", "index support-rag", "index search"]
    assert access.facts["indexes_without_deletion_protection"] == 2
    assert any("2 index(es) without deletion protection" in n for n in access.notes)
    assert fake.sent() == ["GET /indexes"]
    fake.assert_read_only()


def test_narrow_key_one_protected_index(fake):
    access = lookup(find(pc.NARROW), fake.url)
    assert (access.live, access.resources) == (True, ["index faq"])
    assert access.facts["indexes_without_deletion_protection"] == 0


def test_legacy_uuid_key(fake):
    tok = find(pc.LEGACY)
    assert tok.pattern_id == "pinecone.legacy_api_key"
    access = lookup(tok, fake.url)
    assert (access.live, access.resources_total) == (True, 0)


def test_revoked_is_not_live(fake):
    access = lookup(find(pc.REVOKED), fake.url)
    assert (access.live, access.evidence) == (False, "api")
    assert any("401 (UNAUTHENTICATED)" in n for n in access.notes)


def test_a_quota_403_is_no_verdict(fake):
    access = lookup(find(pc.QUOTA), fake.url)
    assert access.live is None
    assert any("403 (FORBIDDEN)" in n and "quota" in n for n in access.notes)


@pytest.mark.parametrize("secret", [pc.RATE_LIMITED, pc.BROKEN, pc.MALFORMED])
def test_failures_are_unknown_never_revoked(fake, secret):
    access = lookup(find(secret), fake.url, timeout=3)
    assert access.live is None
    assert access.capabilities == set()
    fake.assert_read_only()


def test_key_only_in_its_header(fake):
    lookup(find(pc.BROAD), fake.url)
    (req,) = fake.requests
    assert req.header("api-key") == pc.BROAD
    assert req.header("x-pinecone-api-version") == "2025-04"
    assert pc.BROAD not in req.path and not req.query and req.header("authorization") is None
