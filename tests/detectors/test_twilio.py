from __future__ import annotations

import pytest

from tests.fakes import twilio as tw
from tests.helpers import lookup, token


@pytest.fixture
def fake():
    with tw.make() as server:
        yield server


def auth_pair(sid: str, secret: str):
    return token(f"TWILIO_ACCOUNT_SID={sid}\nTWILIO_AUTH_TOKEN={secret}\n", provider="twilio")


def key_pair(pair: tuple[str, str]):
    return token(f"TWILIO_API_KEY={pair[0]}\nTWILIO_API_SECRET={pair[1]}\n", provider="twilio")


def test_pairs_are_found_in_either_order_and_in_code():
    tok = auth_pair(tw.PARENT_SID, tw.AUTH_TOKEN)
    assert (tok.kind, tok.secret, tok.extras) == ("auth_token", tw.AUTH_TOKEN, {"account_sid": tw.PARENT_SID})
    tok = token(f"TWILIO_AUTH_TOKEN={tw.AUTH_TOKEN}\nTWILIO_ACCOUNT_SID={tw.PARENT_SID}", provider="twilio")
    assert (tok.secret, tok.extras["account_sid"]) == (tw.AUTH_TOKEN, tw.PARENT_SID)
    tok = token(f'client = Client("{tw.PARENT_SID}", "{tw.AUTH_TOKEN}")', provider="twilio")
    assert tok.extras["account_sid"] == tw.PARENT_SID
    tok = token(f"TWILIO_API_SECRET={tw.MAIN_KEY[1]}\nTWILIO_API_KEY={tw.MAIN_KEY[0]}", provider="twilio")
    assert (tok.kind, tok.secret, tok.extras) == ("api_key", tw.MAIN_KEY[1], {"key_sid": tw.MAIN_KEY[0]})


def test_auth_token_is_owner_of_account_and_subaccounts(fake):
    access = lookup(auth_pair(tw.PARENT_SID, tw.AUTH_TOKEN), fake.url)
    assert access.live is True
    assert access.evidence == "api"
    assert access.identity == f"Acme Production ({tw.PARENT_SID})"
    assert access.capabilities == {"read", "write", "delete", "admin", "billing"}
    assert access.reach == "organization"
    assert access.grants == []
    assert access.resources == [tw.PARENT_SID, tw.SUB_SID]
    assert access.facts["account_type"] == "Full"
    assert fake.sent() == ["GET /2010-04-01/Accounts.json"]
    assert fake.requests[0].basic() == (tw.PARENT_SID, tw.AUTH_TOKEN)
    assert "ffffffff" not in repr(access.to_json())  # subaccount auth tokens are never kept
    fake.assert_read_only()


def test_trial_account_alone(fake):
    access = lookup(auth_pair(tw.TRIAL_SID, tw.TRIAL_TOKEN), fake.url)
    assert (access.live, access.reach) == (True, "account")
    assert access.facts["environment"] == "trial"


def test_wrong_auth_token_is_not_live(fake):
    access = lookup(auth_pair(tw.PARENT_SID, tw.WRONG_TOKEN), fake.url)
    assert (access.live, access.evidence) == (False, "api")


def test_main_key(fake):
    access = lookup(key_pair(tw.MAIN_KEY), fake.url)
    assert access.live is True
    assert access.grants == ["Main"]
    assert access.capabilities == {"read", "write", "delete", "admin", "billing"}
    assert access.reach == "organization"
    assert fake.sent() == ["GET /v2/Services", "GET /2010-04-01/Accounts.json"]
    assert [r.basic() for r in fake.requests] == [tw.MAIN_KEY, tw.MAIN_KEY]


def test_standard_key(fake):
    access = lookup(key_pair(tw.STANDARD_KEY), fake.url)
    assert access.live is True
    assert access.grants == ["Standard"]
    assert access.capabilities == {"read", "write", "delete"}
    assert access.reach == "account"
    assert fake.sent() == ["GET /v2/Services", "GET /2010-04-01/Accounts.json"]


def test_restricted_key(fake):
    access = lookup(key_pair(tw.RESTRICTED_KEY), fake.url)
    assert (access.live, access.grants, access.capabilities) == (True, ["Restricted"], set())
    assert fake.sent() == ["GET /v2/Services"]


def test_revoked_key(fake):
    access = lookup(key_pair(tw.REVOKED_KEY), fake.url)
    assert (access.live, access.evidence) == (False, "api")
    assert fake.sent() == ["GET /v2/Services"]


@pytest.mark.parametrize("pair", [tw.RATE_LIMITED_KEY, tw.BROKEN_KEY, tw.MALFORMED_KEY])
def test_failures_are_unknown_never_revoked(fake, pair):
    access = lookup(key_pair(pair), fake.url, timeout=3)
    assert access.live is None
    assert access.grants == []
    fake.assert_read_only()


def test_offline_facts():
    from tokenreach.detectors.providers.twilio import detector

    access = detector.classify(key_pair(tw.MAIN_KEY))
    assert access.facts["key_sid"] == tw.MAIN_KEY[0]
    assert access.live is None


def test_key_stays_live_when_only_the_type_probe_fails(fake):
    access = lookup(key_pair(tw.FLAKY_ACCOUNTS_KEY), fake.url, timeout=3)
    assert access.live is True
    assert access.grants == []
    assert any("key type unknown" in n for n in access.notes)
    assert fake.sent() == ["GET /v2/Services", "GET /2010-04-01/Accounts.json"]


def test_sid_far_from_the_secret_comes_from_context(fake):
    text = f"TWILIO_ACCOUNT_SID={tw.PARENT_SID}\n# {'-' * 400}\nTWILIO_AUTH_TOKEN={tw.AUTH_TOKEN}\n"
    tok = token(text, provider="twilio")
    assert (tok.pattern_id, tok.extras, tok.context["account_sid"]) == (
        "twilio.named_auth_token", {}, tw.PARENT_SID)
    access = lookup(tok, fake.url)
    assert access.live is True and access.reach == "organization"
    assert fake.requests[0].basic() == (tw.PARENT_SID, tw.AUTH_TOKEN)


def test_named_api_secret_with_key_sid_in_context(fake):
    text = f"TWILIO_API_KEY={tw.STANDARD_KEY[0]}\n# {'-' * 400}\nTWILIO_API_SECRET={tw.STANDARD_KEY[1]}\n"
    access = lookup(token(text, provider="twilio"), fake.url)
    assert (access.live, access.grants) == (True, ["Standard"])


def test_secret_without_any_sid_is_never_sent(fake):
    tok = token(f"TWILIO_AUTH_TOKEN={tw.AUTH_TOKEN}", provider="twilio")
    access = lookup(tok, fake.url)
    assert access.live is None
    assert fake.sent() == []
    assert any("no AC… SID nearby" in n for n in access.notes)
