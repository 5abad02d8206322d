from __future__ import annotations

import pytest

from tests.fakes import npm as fake_npm
from tests.helpers import lookup, token
from tokenreach.detectors.providers.npm import checksum, checksum_ok, detector, match_listed
from tokenreach.scanner.engine import tokens_in

FULL_LOOKUP = ["GET /-/whoami", "GET /-/user/alice/package", "GET /-/npm/v1/tokens"]


@pytest.fixture
def fake():
    with fake_npm.make() as server:
        yield server


def find(secret: str):
    return token(f"//registry.npmjs.org/:_authToken={secret}", provider="npm")


def test_checksum_is_githubs_scheme():
    # GitHub's published example token uses the same CRC32/base62 scheme as npm.
    assert checksum("M7H4jxUDDWHP4kZ6A4dxlQYsQIWJuq") == "11T4V4"
    assert checksum_ok(fake_npm.PUBLISH)
    assert not checksum_ok(fake_npm.PUBLISH[:-1] + "x")
    assert not checksum_ok("npm_short")


def test_bad_checksum_is_not_a_finding():
    bad = fake_npm.PUBLISH[:-1] + ("A" if fake_npm.PUBLISH[-1] != "A" else "B")
    assert [t for t in tokens_in(f"T={bad}") if t.provider == "npm"] == []


def test_publish_token(fake):
    access = lookup(find(fake_npm.PUBLISH), fake.url)
    assert access.live is True
    assert access.evidence == "api"
    assert access.identity == "alice"
    assert access.grants == ["publish"]
    assert access.capabilities == {"read", "write", "delete"}
    assert access.reach == "account"
    assert access.resources == ["@acme/core", "left-pad-ng"]
    assert access.resources_total == 2
    assert access.facts["cidr_whitelist"] == ["192.0.2.0/24"]
    assert fake.sent() == FULL_LOOKUP
    fake.assert_read_only()


def test_read_only_token(fake):
    access = lookup(find(fake_npm.READONLY), fake.url)
    assert (access.live, access.grants, access.capabilities) == (True, ["read-only"], {"read"})
    assert access.resources == []
    assert access.facts["owner_can_publish"] == 2


def test_automation_token_bypasses_2fa(fake):
    access = lookup(find(fake_npm.AUTOMATION), fake.url)
    assert access.grants == ["publish", "automation"]
    assert access.facts["bypasses_2fa"] is True
    assert "write" in access.capabilities


def test_granular_token_not_in_list_keeps_only_what_is_proven(fake):
    access = lookup(find(fake_npm.GRANULAR), fake.url)
    assert access.live is True
    assert access.capabilities == {"read"}
    assert access.grants == []
    assert access.reach is None
    assert any("not identifiable" in n for n in access.notes)


def test_token_list_denied_is_still_live(fake):
    access = lookup(find(fake_npm.LIST_DENIED), fake.url)
    assert access.live is True
    assert any("HTTP 403" in n for n in access.notes)


def test_revoked_stops_after_whoami(fake):
    access = lookup(find(fake_npm.REVOKED), fake.url)
    assert (access.live, access.evidence) == (False, "api")
    assert fake.sent() == ["GET /-/whoami"]


@pytest.mark.parametrize("secret", [fake_npm.RATE_LIMITED, fake_npm.BROKEN, fake_npm.MALFORMED])
def test_failures_are_unknown_never_revoked(fake, secret):
    access = lookup(find(secret), fake.url, timeout=3)
    assert access.live is None
    assert access.identity is None
    fake.assert_read_only()


def test_legacy_uuid_token_is_dead_offline_and_never_sent(fake):
    tok = token("//registry.npmjs.org/:_authToken=a73c9572-f1b9-4983-983d-ba3ac3cc913d", provider="npm")
    assert tok.kind == "legacy_token"
    access = lookup(tok, fake.url)
    assert (access.live, access.evidence) == (False, "offline")
    assert any("2025-12-09" in n for n in access.notes)
    assert fake.sent() == []


def test_match_listed_prefers_key_then_unique_prefix():
    secret = fake_npm.PUBLISH
    assert match_listed(secret, fake_npm.TOKENS)[0] is fake_npm.TOKENS[0]
    entry = {"token": secret[:8] + "…", "key": "x", "readonly": True}
    assert match_listed(secret, [entry, "junk", None]) == (entry, 1)
    assert match_listed(secret, [entry, dict(entry)]) == (None, 2)
    assert match_listed(secret, [{"token": "npm_"}]) == (None, 0)  # too short to identify


def test_classify_access_token():
    access = detector.classify(find(fake_npm.PUBLISH))
    assert access.live is None and access.evidence == "prefix"


def test_metadata_failures_keep_whoami_liveness(fake):
    access = lookup(find(fake_npm.METADATA_DOWN), fake.url, timeout=3)
    assert access.live is True
    assert access.identity == "alice"
    assert access.capabilities == {"read"}
    assert any("package list unavailable" in n for n in access.notes)
    assert any("token list unavailable" in n for n in access.notes)
    assert fake.sent() == FULL_LOOKUP
