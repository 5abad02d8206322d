from __future__ import annotations

import pytest

from tests.fakes import ibm_cloud as fi
from tests.helpers import lookup, token


@pytest.fixture
def fake():
    with fi.make() as server:
        yield server


def find(secret: str):
    return token(f"IBMCLOUD_API_KEY={secret}", provider="ibm_cloud")


def test_user_key_with_account_wide_administrator_is_broad(fake):
    access = lookup(find(fi.ADMIN), fake.url)
    assert (access.live, access.evidence) == (True, "api")
    assert access.identity == f"user ops@acme.test in account {fi.ACCOUNT}"
    assert access.reach == "account"
    assert access.capabilities == {"read", "write", "delete", "admin", "secrets"}
    assert "Administrator on all IAM-enabled services" in access.grants
    assert "Administrator on iam-identity" in access.grants
    assert access.facts["locked"] is True
    assert fake.sent() == ["POST /identity/token", "GET /v1/apikeys/details", "GET /v1/policies"]
    fake.assert_read_only()


def test_service_id_reading_one_service_is_narrow(fake):
    access = lookup(find(fi.READER), fake.url)
    assert access.identity == f"service ID ci-reader in account {fi.ACCOUNT}"
    assert access.grants == ["Reader on cloud-object-storage"]
    assert access.capabilities == {"read"}
    assert access.facts["capabilities_lower_bound"] is True


def test_policies_refused_is_live_with_rights_unknown(fake):
    access = lookup(find(fi.NO_POLICY_READ), fake.url)
    assert access.live is True
    assert access.capabilities == set()
    assert any("403" in n for n in access.notes)


def test_unknown_key_is_revoked(fake):
    access = lookup(find(fi.REVOKED), fake.url)
    assert (access.live, access.evidence) == (False, "api")
    assert any("BXNIM0415E" in n for n in access.notes)
    assert fake.sent() == ["POST /identity/token"]


@pytest.mark.parametrize("secret", [fi.RATE_LIMITED, fi.BROKEN])
def test_failures_are_unknown_never_revoked(fake, secret):
    access = lookup(find(secret), fake.url, timeout=3)
    assert access.live is None


def test_key_travels_only_in_the_grant_body_and_the_apikey_header(fake):
    access = lookup(find(fi.ADMIN), fake.url)
    grant, details, policies = fake.requests
    assert grant.form() == {"grant_type": "urn:ibm:params:oauth:grant-type:apikey", "apikey": fi.ADMIN}
    assert details.header("iam-apikey") == fi.ADMIN
    assert policies.header("iam-apikey") is None
    for req in fake.requests:
        assert fi.ADMIN not in req.path and fi.ADMIN not in str(req.query)
    assert "eyJ" not in " ".join(access.notes)  # the minted access token is never reported
