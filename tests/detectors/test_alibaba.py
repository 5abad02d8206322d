from __future__ import annotations

import pytest

from tests.fakes import alibaba as fa
from tests.helpers import lookup
from tokenreach.detectors.providers.alibaba import sign
from tokenreach.scanner.engine import tokens_in


@pytest.fixture
def fake():
    with fa.make() as server:
        yield server


def find(key_id: str | None, secret: str):
    id_line = f"ALIBABA_CLOUD_ACCESS_KEY_ID={key_id}\n" if key_id else ""
    (found,) = [t for t in tokens_in(f"{id_line}ALIBABA_CLOUD_ACCESS_KEY_SECRET={secret}\n")
                if t.kind == "access_key_secret"]
    return found


def test_signature_matches_alibabas_documented_example():
    # Alibaba Cloud's V1 signature walk-through (DescribeRegions, secret "testsecret").
    params = {"AccessKeyId": "testid", "Action": "DescribeRegions", "Format": "XML",
              "SignatureMethod": "HMAC-SHA1", "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
              "SignatureVersion": "1.0", "Timestamp": "2016-02-23T12:46:24Z", "Version": "2014-05-26"}
    assert sign(params, "testsecret") == "OLeaidS1JvxuMvnyHOwuJ+uX5qY="


def test_root_account_key_can_do_everything(fake):
    access = lookup(find(fa.ROOT_ID, fa.ROOT_SECRET), fake.url)
    assert (access.live, access.evidence) == (True, "api")
    assert access.facts["root"] is True
    assert access.capabilities == {"read", "write", "delete", "admin", "billing", "secrets"}
    assert access.reach == "account"
    assert fake.sent() == ["GET /"]
    fake.assert_read_only()


def test_ram_user_with_administrator_access_is_broad(fake):
    access = lookup(find(fa.ADMIN_ID, fa.ADMIN_SECRET), fake.url)
    assert access.identity == f"acs:ram::{fa.ACCOUNT}:user/deployer (account {fa.ACCOUNT})"
    assert access.grants == ["AdministratorAccess"]
    assert "admin" in access.capabilities
    hosts = [r.header("x-tokenreach-target-host") for r in fake.requests]
    assert hosts == [fa.STS, fa.RAM]


def test_ram_user_reading_oss_is_narrow(fake):
    access = lookup(find(fa.OSS_ID, fa.OSS_SECRET), fake.url)
    assert (access.grants, access.capabilities) == (["AliyunOSSReadOnlyAccess"], {"read"})
    assert access.facts["capabilities_lower_bound"] is True


def test_user_who_may_not_list_policies_is_live_with_rights_unknown(fake):
    access = lookup(find(fa.NOLIST_ID, fa.NOLIST_SECRET), fake.url)
    assert access.live is True
    assert access.capabilities == set()
    assert any("NoPermission" in n for n in access.notes)


@pytest.mark.parametrize(("key_id", "secret", "why"), [
    (fa.GONE_ID, fa.GONE_SECRET, "deleted"),
    (fa.ADMIN_ID, fa.WRONG_SECRET, "does not belong"),
])
def test_deleted_key_or_foreign_secret_is_dead(fake, key_id, secret, why):
    access = lookup(find(key_id, secret), fake.url)
    assert (access.live, access.evidence) == (False, "api")
    assert any(why in n for n in access.notes)


def test_server_failure_is_unknown(fake):
    access = lookup(find(fa.SLOW_ID, fa.SLOW_SECRET), fake.url, timeout=3)
    assert access.live is None


def test_secret_without_its_key_id_is_not_sent(fake):
    access = lookup(find(None, fa.ADMIN_SECRET), fake.url)
    assert access.live is None
    assert fake.requests == []


def test_the_secret_never_travels(fake):
    lookup(find(fa.ADMIN_ID, fa.ADMIN_SECRET), fake.url)
    for req in fake.requests:
        assert fa.ADMIN_SECRET not in req.path and fa.ADMIN_SECRET not in str(req.query)
        assert fa.ADMIN_SECRET not in str(req.headers) and not req.body
