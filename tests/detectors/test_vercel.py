from __future__ import annotations

import zlib

import pytest

from tests.fakes import vercel as vc
from tests.helpers import lookup, token
from tokenreach.detectors.checksums import _BASE62, _encode, crc32_base62
from tokenreach.detectors.providers.vercel import _iso, checksum, detector, valid_checksum

BASE_CAPS = {"read", "write", "delete", "secrets"}
FULL_CALLS = ["GET /v5/user/tokens/current", "GET /v2/user", "GET /v2/teams"]


@pytest.fixture
def fake():
    with vc.make() as server:
        yield server
        server.assert_read_only()
        assert not any(r.method == "DELETE" for r in server.requests)


def test_full_account_token_reaches_every_team(fake):
    access = lookup(token(f"VERCEL_TOKEN={vc.FULL}"), fake.url)
    assert access.live is True
    assert access.evidence == "api"
    assert access.identity == "dev@example.com"
    assert access.grants == ["user"]
    assert access.reach == "organization"
    assert access.capabilities == BASE_CAPS | {"admin", "billing"}
    assert access.resources == ["personal account", "team acme", "team acme-labs"]
    assert access.facts["owner_of"] == ["acme"]
    assert access.facts["no_expiry"] is True
    assert access.expires_at is None
    assert fake.sent() == FULL_CALLS


def test_single_team_token_with_expiry(fake):
    access = lookup(token(vc.TEAM), fake.url)
    assert access.live is True
    assert access.grants == [f"team:{vc.LABS}"]
    assert access.reach == "account"
    assert access.capabilities == BASE_CAPS  # MEMBER, not OWNER
    assert access.resources == ["team acme-labs"]
    assert access.expires_at == "2027-01-01T00:00:00Z"


def test_integration_token_on_an_owned_team(fake):
    access = lookup(token(f"token: {vc.INTEGRATION}"), fake.url)
    assert access.grants == [f"team:{vc.ACME}"]
    assert access.capabilities == BASE_CAPS | {"admin", "billing"}
    assert access.facts["sudo"] is True


def test_legacy_token(fake):
    access = lookup(token(f"VERCEL_TOKEN={vc.LEGACY}"), fake.url)
    assert (access.live, access.grants, access.reach) == (True, ["user"], "organization")


@pytest.mark.parametrize("secret", [vc.REVOKED, vc.EXPIRED])
def test_revoked_or_expired_token(fake, secret):
    access = lookup(token(secret), fake.url)
    assert (access.live, access.evidence) == (False, "api")
    assert fake.sent() == ["GET /v5/user/tokens/current"]


def test_plain_403_is_not_revoked(fake):
    access = lookup(token(vc.FORBIDDEN_ONLY), fake.url)
    assert access.live is None
    assert any("403" in n for n in access.notes)


def test_app_access_token_uses_userinfo(fake):
    access = lookup(token(vc.APP), fake.url)
    assert access.live is True
    assert access.identity == "dev@example.com"
    assert fake.sent() == ["GET /login/oauth/userinfo"]


def test_app_access_token_userinfo_post_fallback(fake):
    access = lookup(token(vc.APP_POST_ONLY), fake.url)
    assert access.live is True
    assert fake.sent() == ["GET /login/oauth/userinfo", "POST /login/oauth/userinfo"]
    assert fake.requests[1].body == b""


def test_app_access_token_revoked(fake):
    assert lookup(token(vc.APP_REVOKED), fake.url).live is False


@pytest.mark.parametrize("secret", [vc.REFRESH, vc.AI_KEY])
def test_refresh_and_gateway_keys_are_never_sent(fake, secret):
    access = lookup(token(secret), fake.url)
    assert access.live is None
    assert fake.sent() == []


@pytest.mark.parametrize("secret", [vc.RATE_LIMITED, vc.SERVER_ERROR, vc.MALFORMED])
def test_failures_are_unknown(fake, secret):
    assert lookup(token(secret), fake.url, timeout=5).live is None


def test_rate_limit_names_429(fake):
    access = lookup(token(vc.RATE_LIMITED), fake.url, timeout=3)
    assert any("429" in n for n in access.notes)


# Offline -----------------------------------------------------------------------------------


def test_checksum_is_base62_of_the_bodys_crc32():
    # Computed here from the scheme (Base62(CRC32(body)), left-padded to 6), and by the rule files'
    # own crc32_base62: the provider module and the shared check must agree.
    for prefix, body in (("vcp", "Rk4Vn8Qx2Lp6Tz0Wb3Mc7Hy1Js5Pa9Fd2Gk6Nq0Xt4Zw8Bv3Cm"),
                         ("vck", "a9F3kQ7mZ2xW5pL8nR1vT4yB6cH0dJ_gS-uE2iO7qM5wK3eY1t")):
        tok = f"{prefix}_{body}{_encode(zlib.crc32(body.encode()), _BASE62, 6)}"
        assert valid_checksum(tok) and crc32_base62(tok[4:])
        assert not valid_checksum(tok[:-1] + ("0" if tok[-1] != "0" else "1"))
    assert checksum("") == "000000"


@pytest.mark.parametrize("garbage", ["", "vcp_", "vcp_short", "x" * 200, "vcp_" + "é" * 56])
def test_checksum_garbage_never_raises(garbage):
    assert valid_checksum(garbage) is False


def test_bad_checksum_is_not_a_token():
    from tokenreach.scanner.engine import tokens_in

    assert tokens_in("VERCEL_TOKEN=" + vc.FULL[:-1] + ("A" if vc.FULL[-1] != "A" else "B")) == []


def test_iso_edges():
    assert _iso(1798761600000) == "2027-01-01T00:00:00Z"
    assert _iso(True) is None and _iso("soon") is None and _iso(10**30) is None


def test_classify():
    ai = detector.classify(token(vc.AI_KEY))
    assert ai.capabilities == {"billing"} and ai.evidence == "offline"
    assert detector.classify(token(vc.REFRESH)).facts["refresh_token"] is True


def test_teams_failure_keeps_scopes():
    from tests.fakes.server import FakeServer, Reply

    fake = FakeServer()
    fake.add("GET", "/v5/user/tokens/current", lambda req: Reply(200, {"token": vc._TOKENS[vc.TEAM]}))
    fake.add("GET", "/v2/user", lambda req: Reply(500, "boom"))
    with fake:
        access = lookup(token(vc.TEAM), fake.url, timeout=5)
    assert access.live is True
    assert access.grants == [f"team:{vc.LABS}"]
    assert access.resources == [f"team {vc.LABS}"]  # no team names without /v2/teams
    assert any("user or teams unknown" in n for n in access.notes)
