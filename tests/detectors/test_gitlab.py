from __future__ import annotations

import zlib

import pytest

from tests.fakes import gitlab as gl
from tests.helpers import lookup, token
from tokenreach.detectors.providers.gitlab import (
    base36,
    decode_routing,
    detector,
    instance_prefix,
    routable_crc_ok,
    routable_token,
)
from tokenreach.scanner.engine import tokens_in
from tokenreach.scanner.model import Access, Token


@pytest.fixture
def fake():
    with gl.make() as server:
        yield server


def find(text: str) -> Token:
    return token(text, "gitlab")


SELF = "GET /api/v4/personal_access_tokens/self"
ASSOCIATIONS = "GET /api/v4/personal_access_tokens/self/associations"
USER = "GET /api/v4/user"


# Access tokens against the fake ---------------------------------------------------------------


def test_routable_personal_token_with_owner_role(fake):
    access = lookup(find(f"GITLAB_TOKEN={gl.PAT_BROAD}"), fake.url)
    assert access.live is True
    assert access.evidence == "api"
    assert access.identity == "alice"
    assert access.grants == ["api", "read_repository"]
    assert access.capabilities == {"read", "write", "delete", "secrets", "admin"}
    assert access.reach == "organization"
    assert access.resources == ["group acme", "group infra", "acme/api", "alice/dotfiles"]
    assert access.expires_at == "2026-12-31"
    assert access.facts["kind"] == "personal_access_token"
    assert access.facts["routing"] == {"cell": 1, "organization": 1, "user": 4821}
    assert access.facts["max_access_level"] == "owner"
    assert access.facts["owner_of_groups"] == ["acme"]
    assert fake.sent() == [SELF, USER, ASSOCIATIONS]
    fake.assert_read_only()


def test_requests_use_private_token_header_and_bounded_pages(fake):
    lookup(find(gl.PAT_BROAD), fake.url)
    for req in fake.requests:
        assert req.header("private-token") == gl.PAT_BROAD
        assert gl.PAT_BROAD not in req.path and gl.PAT_BROAD not in str(req.query)
    assert fake.requests[2].query == {"min_access_level": ["10"], "per_page": ["100"]}


def test_admin_token_reaches_the_whole_instance(fake):
    access = lookup(find(gl.PAT_ADMIN), fake.url)
    assert access.live is True
    assert access.identity == "root"
    assert access.grants == ["api", "sudo", "admin_mode"]
    assert access.reach == "organization"
    assert access.capabilities == {"read", "write", "delete", "admin", "secrets"}
    assert access.facts["is_admin"] is True
    assert access.facts["never_expires"] is True
    assert access.expires_at is None
    assert any("sudo acts as any user" in n for n in access.notes)


def test_read_repository_token_skips_the_user_call(fake):
    access = lookup(find(f"CLONE_TOKEN={gl.PAT_READ}"), fake.url)
    assert access.live is True
    assert access.identity == "user id 77"
    assert access.grants == ["read_repository"]
    assert access.capabilities == {"read"}
    assert access.reach == "account"
    assert access.resources == ["dave/notes"]
    assert fake.sent() == [SELF, ASSOCIATIONS]  # /user would 403 without read_user/api


def test_project_access_token(fake):
    access = lookup(find(gl.PROJECT_TOKEN), fake.url)
    assert access.live is True
    assert access.identity == "project_100_bot_5f3c2a"
    assert access.facts["kind"] == "project_access_token"
    assert access.reach == "project"
    assert access.capabilities == {"read", "write", "delete", "secrets"}  # maintainer, not owner
    assert access.resources == ["acme/api"]


def test_group_access_token(fake):
    access = lookup(find(gl.GROUP_TOKEN), fake.url)
    assert access.facts["kind"] == "group_access_token"
    assert access.reach == "organization"
    assert access.capabilities == {"read"}
    assert access.grants == ["read_api"]


def test_under_scoped_token_is_live(fake):
    access = lookup(find(gl.UNDERSCOPED), fake.url)
    assert access.live is True
    assert access.evidence == "api"
    assert access.facts["under_scoped"] is True
    assert access.identity is None
    assert fake.sent() == [SELF, USER]


def test_blocked_user_is_unknown_not_revoked(fake):
    access = lookup(find(gl.BLOCKED), fake.url)
    assert access.live is None
    assert access.facts["blocked"] is True
    assert fake.sent() == [SELF]


def test_instance_without_self_endpoint_falls_back_to_user(fake):
    access = lookup(find(gl.OLD_INSTANCE), fake.url)
    assert (access.live, access.identity) == (True, "erin")
    assert fake.sent() == [SELF, USER]


def test_instance_prefixed_token_on_the_configured_instance(fake):
    tok = find(f"TOKEN={gl.INSTANCE_PREFIXED}")
    assert tok.secret == gl.INSTANCE_PREFIXED
    access = lookup(tok, fake.url)
    assert access.live is True
    assert access.facts["instance_prefix"] == "SIE"
    assert access.facts["instance"] == "configured"
    assert access.identity == "user id 3"


def test_revoked_is_not_live(fake):
    access = lookup(find(gl.REVOKED), fake.url)
    assert (access.live, access.evidence) == (False, "api")
    assert fake.sent() == [SELF]


@pytest.mark.parametrize(
    ("tok", "reason"),
    [(gl.RATE_LIMITED, "429"), (gl.SERVER_ERROR, "500"), (gl.MALFORMED, "not JSON")],
)
def test_failures_are_unknown_never_revoked(fake, tok, reason):
    access = lookup(find(tok), fake.url, timeout=5)
    assert access.live is None
    assert any(reason in n for n in access.notes), access.notes
    assert all(tok not in n for n in access.notes)
    assert set(fake.sent()) == {SELF}
    fake.assert_read_only()


class _NoNetwork:
    """A ProviderHTTP stand-in for the default base URL that fails the test if used."""

    overridden = False

    def get(self, *args: object, **kwargs: object) -> None:
        raise AssertionError("no request may be sent")


def test_self_managed_tokens_are_not_sent_to_gitlab_com():
    tok = find(gl.INSTANCE_PREFIXED)
    access = detector.lookup(tok, _NoNetwork(), detector.classify(tok))  # type: ignore[arg-type]
    assert access.live is None
    assert any("TOKENREACH_GITLAB_API_URL" in n for n in access.notes)
    near = Token(provider="gitlab", secret=gl.PAT_READ, kind="access_token",
                 context={"CI_SERVER_URL": "https://gitlab.example.com"})
    access = detector.lookup(near, _NoNetwork(), Access())  # type: ignore[arg-type]
    assert access.live is None
    assert any("gitlab.example.com" in n for n in access.notes)


# Other token kinds: classified offline, never sent ---------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "caps"),
    [
        ('token = "glrt-t1_Zq8Rm3Vx7Np2Kw5Ts9Lb"', "runner_token", {"secrets"}),
        ("CI_DEPLOY_PASSWORD=gldt-Hn3kT7pQ2wXz9LbV4mRc", "deploy_token", {"read"}),
        ("TRIGGER_TOKEN=glptt-0a1b2c3d4e5f60718293a4b5c6d7e8f901234567", "trigger_token", {"write"}),
        ("feed_token=glft-Rk4Vn8Qx2Lp6Tz0Wb3Mc", "feed_token", {"read"}),
        ("SCIM_TOKEN=glsoat-Ab2Cd4Ef6Gh8Ij0Kl2Mn4", "scim_token", {"admin"}),
        ('--registration-token "GR1348941_iAgdMy7a3NhZaa5oNoH"', "runner_registration_token", {"secrets"}),
    ],
)
def test_other_kinds_are_classified_and_not_looked_up(fake, text, kind, caps):
    tok = find(text)
    assert tok.kind == kind
    access = lookup(tok, fake.url)
    assert access.live is None
    assert access.capabilities == caps
    assert access.facts["kind"] == kind
    assert fake.sent() == []


def test_routable_runner_token_is_decoded():
    secret = routable_token("glrt-t2_", {"o": 1, "g": 42, "u": 7}, b"\x01" * 16)
    tok = find(f"RUNNER_TOKEN={secret}")
    assert (tok.secret, tok.kind) == (secret, "runner_token")
    access = detector.classify(tok)
    assert access.evidence == "offline"
    assert access.facts["routing"] == {"group": 42, "organization": 1, "user": 7}


# Offline decoders -----------------------------------------------------------------------------


def test_routable_token_round_trip_and_crc():
    tok = routable_token("glpat-", {"o": 3, "u": 123456}, bytes(16))
    assert decode_routing(tok) == {"o": 3, "u": 123456}
    assert tok[-7:] == base36(zlib.crc32(tok[:-7].encode()), 7)
    assert routable_crc_ok(tok)
    broken = tok[:-1] + ("0" if tok[-1] != "0" else "1")
    assert not routable_crc_ok(broken)
    assert decode_routing(broken) is None


@pytest.mark.parametrize("garbage", ["", "glpat-", "glpat-abc.01.0", "é" * 20, "glpat-!!!!.01.zz0000000",
                                     "x" * 40, "glpat-AAAA.01.zz" + "0" * 7])
def test_decode_routing_garbage_never_raises(garbage):
    assert decode_routing(garbage) is None


def test_crc_valid_but_payload_invalid_is_none():
    body = "glpat-" + "A" * 30 + ".01.0u"  # length field claims 30 characters of zero bytes
    tok = body + base36(zlib.crc32(body.encode()), 7)
    assert routable_crc_ok(tok)
    assert decode_routing(tok) is None


def test_base36_and_generator_input_checks():
    assert base36(0) == "0"
    assert base36(35) == "z"
    assert base36(36, 2) == "10"
    with pytest.raises(ValueError):
        routable_token("glpat-", {"o": 1}, b"short")


def test_instance_prefix():
    assert instance_prefix("SIE-glpat-Inst4nceTok3nXXXZx9Q") == "SIE"
    assert instance_prefix("glpat-x7Kq2Lm9Np4Rs6Tv8Wy0") is None
    assert instance_prefix("") is None


def test_legacy_token_has_no_routing_and_prefix_evidence():
    access = detector.classify(find(gl.PAT_READ))
    assert access.evidence == "prefix"
    assert "routing" not in access.facts
    assert access.facts["kind"] == "access_token"


def test_routable_token_failing_crc_is_not_found():
    bad = gl.PAT_BROAD[:-1] + ("0" if gl.PAT_BROAD[-1] != "0" else "1")
    assert [t for t in tokens_in(f"GITLAB_TOKEN={bad}") if t.provider == "gitlab"] == []
