from __future__ import annotations

import pytest

from tests.fakes import buildkite as bk
from tests.helpers import lookup, token


@pytest.fixture
def fake():
    with bk.make() as server:
        yield server


def find(secret: str):
    return token(f"BUILDKITE_API_TOKEN={secret}", provider="buildkite")


def test_read_only_token_is_narrow(fake):
    access = lookup(find(bk.READER), fake.url)
    assert (access.live, access.evidence, access.reach) == (True, "api", "organization")
    assert access.grants == ["read_builds", "read_organizations", "read_pipelines"]
    assert access.capabilities == {"read"}
    assert access.identity == "Ada Lovelace <ada@acme.test>"
    assert access.resources == ["acme"]
    assert fake.sent() == ["GET /v2/access-token", "GET /v2/organizations"]
    fake.assert_read_only()


def test_token_that_reads_job_env_and_starts_builds_is_broad(fake):
    access = lookup(find(bk.DEPLOYER), fake.url)
    assert access.live is True
    assert access.capabilities == {"read", "write", "delete", "secrets"}
    assert access.resources == ["acme", "acme-oss"]
    assert any(n.startswith("read_job_env") for n in access.notes)
    assert any(n.startswith("graphql") for n in access.notes)


def test_read_user_token_reaches_its_user_only(fake):
    access = lookup(find(bk.USER_ONLY), fake.url)
    assert (access.live, access.reach, access.capabilities) == (True, "account", {"read"})
    assert fake.sent() == ["GET /v2/access-token"]  # no read_organizations: not asked


def test_revoked_token_is_not_live(fake):
    access = lookup(find(bk.REVOKED), fake.url)
    assert (access.live, access.evidence) == (False, "api")
    assert any("401 (Authentication required." in n for n in access.notes)


@pytest.mark.parametrize("secret", [bk.RATE_LIMITED, bk.BROKEN])
def test_429_and_5xx_are_unknown_never_revoked(fake, secret):
    access = lookup(find(secret), fake.url, timeout=3)
    assert access.live is None
    assert access.grants == []


def test_agent_tokens_are_never_sent(fake):
    tok = token("BUILDKITE_AGENT_TOKEN=bkar_K4u8kFhpnaPz4fyV5Oz9lCp06xUiIMLlAG81jMMPpuHoii2DYlNRRLQHmCx3",
                provider="buildkite")
    access = lookup(tok, fake.url)
    assert access.live is None
    assert fake.requests == []


def test_the_token_is_only_in_the_authorization_header(fake):
    lookup(find(bk.DEPLOYER), fake.url)
    for req in fake.requests:
        assert bk.DEPLOYER not in req.path + str(req.query)
        assert req.header("authorization") == f"Bearer {bk.DEPLOYER}"
