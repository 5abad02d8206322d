from __future__ import annotations

import pytest

from tests.fakes import sendgrid as sg
from tests.helpers import lookup, token


@pytest.fixture
def fake():
    with sg.make() as server:
        yield server


def find(secret: str):
    return token(f"SENDGRID_API_KEY={secret}", provider="sendgrid")


def test_full_access_key(fake):
    access = lookup(find(sg.FULL), fake.url)
    assert access.live is True
    assert access.evidence == "api"
    assert access.grants == sorted(sg.FULL_SCOPES)
    assert access.capabilities == {"read", "write", "delete", "admin", "billing", "secrets"}
    assert access.reach == "organization"
    assert access.facts["full_access"] is True
    assert access.facts["can_send_mail"] is True
    assert fake.sent() == ["GET /v3/scopes"]
    fake.assert_read_only()


def test_mail_send_only_key(fake):
    access = lookup(find(sg.MAIL), fake.url)
    assert (access.live, access.reach, access.grants) == (True, "account", ["mail.send"])
    assert access.capabilities == {"write"}
    assert "full_access" not in access.facts


def test_read_only_stats_key(fake):
    access = lookup(find(sg.STATS), fake.url)
    assert access.capabilities == {"read"}
    assert access.grants == sg.STATS_SCOPES


def test_403_is_live_without_scopes(fake):
    access = lookup(find(sg.NO_SCOPES), fake.url)
    assert access.live is True
    assert access.grants == []
    assert any("403" in n for n in access.notes)


def test_revoked_is_not_live(fake):
    access = lookup(find(sg.REVOKED), fake.url)
    assert (access.live, access.evidence) == (False, "api")
    assert fake.sent() == ["GET /v3/scopes"]


@pytest.mark.parametrize("secret", [sg.RATE_LIMITED, sg.BROKEN, sg.MALFORMED])
def test_failures_are_unknown_never_revoked(fake, secret):
    access = lookup(find(secret), fake.url, timeout=3)
    assert access.live is None
    assert access.grants == []
    fake.assert_read_only()


def test_rate_limit_retry_after_is_reported(fake):
    access = lookup(find(sg.RATE_LIMITED), fake.url, timeout=3)
    assert any("429" in n for n in access.notes)


def test_key_is_never_in_the_url(fake):
    lookup(find(sg.FULL), fake.url)
    (req,) = fake.requests
    assert sg.FULL not in req.path and not req.query
    assert req.header("authorization") == f"Bearer {sg.FULL}"


def test_token_shape_and_kind():
    tok = find(sg.MAIL)
    assert (tok.kind, tok.secret, tok.variable) == ("api_key", sg.MAIL, "SENDGRID_API_KEY")
