from __future__ import annotations

import pytest

from tests.fakes import huggingface as hf
from tests.helpers import lookup, token


@pytest.fixture
def fake():
    with hf.make() as server:
        yield server


def test_write_token_reaches_every_org(fake):
    access = lookup(token(f"HF_TOKEN={hf.WRITE}"), fake.url)
    assert access.live is True
    assert access.identity == "alice"
    assert access.grants == ["write"]
    assert access.capabilities == {"read", "write", "delete"}
    assert access.reach == "organization"
    assert access.resources == ["user alice", "org acme", "org labs"]
    assert access.facts["admin_of"] == ["acme"]
    assert fake.sent() == ["GET /api/whoami-v2"]


def test_read_token(fake):
    access = lookup(token(hf.READ), fake.url)
    assert (access.live, access.capabilities, access.grants) == (True, {"read"}, ["read"])


def test_fine_grained_single_repo_is_resource_reach(fake):
    access = lookup(token(hf.FINE), fake.url)
    assert access.live is True
    assert access.reach == "resource"
    assert access.grants == ["alice/tiny:repo.content.read"]
    assert access.capabilities == {"read"}


def test_revoked_is_not_live(fake):
    access = lookup(token(hf.REVOKED), fake.url)
    assert access.live is False
    assert access.evidence == "api"


def test_rate_limit_is_unknown_never_revoked(fake):
    access = lookup(token(hf.RATE_LIMITED), fake.url, timeout=3)
    assert access.live is None
    assert any("429" in n for n in access.notes)
    fake.assert_read_only()


def test_org_token_kind_from_prefix():
    tok = token("api_org_ZxYwVuTsRqPoNmLkJiHgFeDcBa98765432")
    assert tok.kind == "org_token"
