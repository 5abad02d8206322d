from __future__ import annotations

import pytest

from tests.fakes import hashicorp_vault as hv
from tests.helpers import lookup, token
from tokenreach.scanner.lookup import LookupOptions, lookup_one


@pytest.fixture
def fake():
    with hv.make() as server:
        yield server


def find(secret: str, extra: str = ""):
    return token(f"{extra}VAULT_TOKEN={secret}\n", provider="hashicorp_vault")


def test_never_sent_without_the_operator_url(fake):
    access = lookup_one(find(hv.APP), LookupOptions(environ={}))
    assert access.live is None
    assert any("self-hosted instance" in n for n in access.notes)
    assert fake.requests == []


def test_app_token_that_reads_one_kv_mount_is_narrow(fake):
    access = lookup(find(hv.APP), fake.url)
    assert (access.live, access.evidence, access.reach) == (True, "api", "project")
    assert access.grants == ["billing-read", "default"]
    assert access.capabilities == {"read", "secrets"}
    assert access.identity == "approle-billing"
    assert access.expires_at == "2026-12-31T00:00:00Z"
    assert fake.sent() == ["GET /v1/auth/token/lookup-self", "POST /v1/sys/capabilities-self"]
    assert fake.requests[1].json() == {"paths": ["sys/policies/acl/tokenreach-probe", "sys/mounts/tokenreach-probe",
                                                 "sys/auth/tokenreach-probe", "auth/token/create",
                                                 "secret/data/tokenreach-probe"]}
    fake.assert_read_only()


def test_token_that_manages_policies_and_mounts_administers_the_vault(fake):
    access = lookup(find(hv.OPS), fake.url)
    assert (access.live, access.reach) == (True, "organization")
    assert access.capabilities == {"read", "write", "delete", "admin", "secrets"}
    assert any(n.startswith("can create tokens") and "sudo" in n for n in access.notes)


def test_root_token_is_everything(fake):
    access = lookup(find(hv.ROOT), fake.url)
    assert (access.live, access.reach, access.grants) == (True, "organization", ["root"])
    assert access.capabilities == {"read", "write", "delete", "admin", "secrets"}
    assert fake.sent() == ["GET /v1/auth/token/lookup-self"]


def test_invalid_token_is_dead(fake):
    access = lookup(find(hv.REVOKED), fake.url)
    assert (access.live, access.evidence) == (False, "api")


def test_bare_permission_denied_stays_unknown(fake):
    access = lookup(find(hv.NO_LOOKUP), fake.url)
    assert access.live is None
    assert any("leave out lookup-self" in n for n in access.notes)


@pytest.mark.parametrize("secret", [hv.RATE_LIMITED, hv.SEALED])
def test_429_and_a_sealed_vault_are_unknown_never_revoked(fake, secret, recorded_sleeps):
    access = lookup(find(secret), fake.url, timeout=3)
    assert access.live is None
    if secret == hv.RATE_LIMITED:  # each retry waited the Retry-After (1 s), without the test waiting
        assert recorded_sleeps == [1.0, 1.0]


def test_namespace_is_sent_when_named(fake):
    lookup(find(hv.APP, "VAULT_NAMESPACE=admin/billing\n"), fake.url)
    assert fake.requests[0].header("x-vault-namespace") == "admin/billing"


def test_the_token_is_only_in_its_header(fake):
    lookup(find(hv.OPS), fake.url)
    for req in fake.requests:
        assert hv.OPS not in req.path + str(req.query) + req.body.decode()
        assert req.header("x-vault-token") == hv.OPS
