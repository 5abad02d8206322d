from __future__ import annotations

import json

import pytest

from tests.fakes import render as rf
from tests.helpers import lookup, token
from tokenreach.detectors.providers import render

OWNERS = "GET /v1/owners"
SERVICES = "GET /v1/services"


@pytest.fixture
def fake():
    with rf.make() as server:
        yield server


def test_classic_key_acts_in_every_workspace(fake):
    access = lookup(token(f"RENDER_API_KEY={rf.CLASSIC}"), fake.url)
    assert access.live is True
    assert access.evidence == "api"
    assert access.identity == "ada@example.com"
    assert access.reach == "organization"
    assert access.capabilities == {"read", "write", "delete", "secrets"}
    assert access.grants == []
    assert access.resources == ["Ada", "acme"]
    assert access.resources_total == 2
    assert access.facts["token_kind"] == "classic"
    assert access.facts["workspaces"] == 2
    assert access.facts["services"] == 3
    assert access.facts["no_2fa"] == ["acme"]
    assert fake.sent() == [OWNERS, SERVICES]
    assert all(r.query == {"limit": ["100"]} for r in fake.requests)
    assert all(r.bearer() == rf.CLASSIC for r in fake.requests)
    fake.assert_read_only()
    assert rf.CLASSIC not in json.dumps(access.to_json())


def test_single_workspace_key_is_classic_or_scoped(fake):
    access = lookup(token(rf.SINGLE), fake.url)
    assert access.live is True
    assert access.identity == "ops@acme.example"
    assert access.reach == "organization"
    assert access.facts["token_kind"] == "classic_or_scoped"
    assert access.facts["services"] == 2
    assert any("scoped key" in n for n in access.notes)


def test_forbidden_owners_is_unknown_not_revoked(fake):
    access = lookup(token(rf.AUDIT), fake.url)
    assert access.live is None
    assert any("403" in n for n in access.notes)
    assert fake.sent() == [OWNERS]


def test_revoked_is_not_live(fake):
    access = lookup(token(rf.REVOKED), fake.url)
    assert access.live is False
    assert access.evidence == "api"
    assert fake.sent() == [OWNERS]


def test_rate_limit_is_unknown_never_revoked(fake):
    access = lookup(token(rf.RATE_LIMITED), fake.url, timeout=3)
    assert access.live is None
    assert any("429" in n for n in access.notes)
    assert fake.sent() == [OWNERS]


def test_server_error_is_unknown(fake):
    access = lookup(token(rf.SERVER_ERROR), fake.url, timeout=8)
    assert access.live is None
    assert any("502" in n for n in access.notes)


def test_malformed_body_is_unknown(fake):
    access = lookup(token(rf.MALFORMED), fake.url)
    assert access.live is None
    assert any("unexpected JSON shape" in n for n in access.notes)


# Offline ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("secret", "ok"), [
    (rf.CLASSIC, True),
    ("rnd_" + "x" * 28, False),
    ("rnd_abcdefghijklmnopqrstuvwxyz", True),  # letters only can still be random
    ("rnd_" + "ab12" * 7, False),  # four distinct characters
    ("rnd_", False),
])
def test_placeholders_are_dropped(secret, ok):
    assert render._random_enough(secret) is ok


@pytest.mark.parametrize("garbage", [None, 1, "x", {}, {"owner": {}}, [None, 1, {"owner": "x"}, {"owner": {}}]])
def test_owner_lists_never_raise(garbage):
    owners = render._owners(garbage)
    assert owners is None or owners == []


def test_services_shape():
    assert render._services([{"service": {"id": "srv-1"}}, {"service": None}, 3]) == ["srv-1"]
    with pytest.raises(render.LookupUnavailable):
        render._services({"services": []})


def test_prefix_only_offline():
    tok = token(f"RENDER_API_KEY={rf.SINGLE}")
    access = render.detector.classify(tok)
    assert access.live is None
    assert access.evidence == "prefix"
