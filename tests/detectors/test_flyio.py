from __future__ import annotations

import base64

import pytest

from tests.fakes import flyio as fly
from tests.helpers import lookup, token
from tokenreach.detectors.macaroon import encode_fly
from tokenreach.detectors.providers.flyio import decode_bundle, detector
from tokenreach.scanner.model import Token

CALL = ["GET /v1/apps"]


@pytest.fixture
def fake():
    with fly.make() as server:
        yield server


def find(secret: str):
    return token(f'FLY_API_TOKEN="FlyV1 {secret}"', provider="flyio")


def test_bundle_is_one_token():
    tok = find(fly.ORG_TOKEN)
    assert (tok.kind, tok.secret) == ("macaroon", fly.ORG_TOKEN)
    assert token(f"FLY_API_TOKEN={fly.DEPLOY_TOKEN}\n", provider="flyio").secret == fly.DEPLOY_TOKEN


def test_org_token_offline_and_live(fake):
    access = lookup(find(fly.ORG_TOKEN), fake.url)
    assert access.live is True
    assert access.evidence == "api"
    assert access.reach == "organization"
    assert access.capabilities == {"read", "write", "delete", "admin", "billing"}
    assert access.identity == "org 4321 (user 77)"
    assert access.grants == ["Organization 4321:*", f"3P {fly.AUTH}", "ValidityWindow", "FlyioUserID 77"]
    assert access.expires_at == "2100-01-01T00:00:00Z"
    assert access.resources == ["org 4321"]
    assert "needs_discharge" not in access.facts
    assert fake.sent() == CALL
    req = fake.requests[0]
    assert req.header("authorization") == f"FlyV1 {fly.ORG_TOKEN}"
    assert fly.ORG_TOKEN not in req.path
    fake.assert_read_only()


def test_deploy_token_is_one_app(fake):
    access = lookup(find(fly.DEPLOY_TOKEN), fake.url)
    assert access.live is True
    assert access.reach == "project"
    assert access.resources == [f"app {fly.APP_ID}"]
    assert access.capabilities == {"read", "write", "delete"}
    assert "admin" not in access.capabilities
    assert access.grants == ["Organization 4321:*", f"IfPresent(Apps {fly.APP_ID}:*; else r)", "NoAdminFeatures"]


def test_apps_caveat(fake):
    access = lookup(find(fly.APPS_TOKEN), fake.url)
    assert access.reach == "project"
    assert access.resources == ["app 111", "app 222"]
    assert access.capabilities == {"read", "write", "delete"}


def test_read_only_org_token(fake):
    access = lookup(find(fly.READ_ONLY), fake.url)
    assert (access.reach, access.capabilities) == ("organization", {"read"})


def test_expired_is_dead_offline_and_never_sent(fake):
    access = lookup(find(fly.EXPIRED), fake.url)
    assert (access.live, access.evidence) == (False, "offline")
    assert access.expires_at == "2020-09-13T12:26:40Z"
    assert fake.sent() == []


def test_missing_discharge_is_reported(fake):
    access = lookup(find(fly.NEEDS_LOGIN), fake.url)
    assert access.facts["needs_discharge"] == [fly.AUTH]


def test_revoked(fake):
    access = lookup(find(fly.REVOKED), fake.url)
    assert (access.live, access.evidence) == (False, "api")
    assert access.reach == "organization"  # offline facts stay


@pytest.mark.parametrize("secret", [fly.RATE_LIMITED, fly.BROKEN, fly.ODD_STATUS, fly.MALFORMED])
def test_failures_are_unknown_never_revoked(fake, secret):
    access = lookup(find(secret), fake.url, timeout=3)
    assert access.live is None
    assert access.evidence == "offline"
    fake.assert_read_only()


def test_legacy_personal_token(fake):
    tok = token(f"FLY_ACCESS_TOKEN={fly.OAUTH}", provider="flyio")
    access = lookup(tok, fake.url)
    assert (tok.kind, access.live) == ("oauth_token", True)
    assert fake.requests[0].header("authorization") == f"Bearer {fly.OAUTH}"


def test_two_apps_caveats_intersect():
    raw = encode_fly(fly.API, b"k", [(3, [{1: 31, 2: 31}]), (3, [{2: 1, 3: 31}])])
    scope = decode_bundle("fm2_" + base64.b64encode(raw).decode())
    assert scope is not None and scope.apps == {"2": 1}


def test_conflicting_orgs_reach_nothing():
    raw = encode_fly(fly.API, b"k", [(0, [1, 0xFFFF]), (0, [2, 0xFFFF])])
    access = detector.classify(Token("flyio", "fm2_" + base64.b64encode(raw).decode(), kind="macaroon"))
    assert access.capabilities == set()


def test_garbage_never_raises():
    for junk in ["fm2_" + "A" * 120, "fm2_" + base64.b64encode(b"\x94" + b"\xff" * 90).decode(), "fm2_", "x"]:
        access = detector.classify(Token("flyio", junk, kind="macaroon"))
        assert access.evidence == "prefix" and access.live is None
    odd = encode_fly(fly.API, b"k", [(0, "not a list"), (3, [[1, 2]]), (13, [5, "x"]), (99, None), (4, [1])])
    access = detector.classify(Token("flyio", "fm2_" + base64.b64encode(odd).decode(), kind="macaroon"))
    assert access.evidence == "offline"
    assert access.facts["unknown_caveats"] == ["Organization", "Apps", "type 99", "ValidityWindow"]
