from __future__ import annotations

import pytest

from tests.fakes import weights_biases as fw
from tests.helpers import lookup, token


@pytest.fixture
def fake():
    with fw.make() as server:
        yield server


def find(secret: str):
    return token(f"WANDB_API_KEY={secret}", provider="weights_biases")


def test_live_key_is_reported_at_a_personal_keys_reach(fake):
    access = lookup(find(fw.LIVE), fake.url)
    assert (access.live, access.evidence) == (True, "api")
    assert access.reach == "organization"
    assert access.capabilities == {"read", "write", "delete"}
    assert access.facts["capabilities_upper_bound"] is True
    assert fake.sent() == ["GET /v1/models"]
    fake.assert_read_only()


@pytest.mark.parametrize("secret", [fw.NO_CREDITS, fw.ORG_OFF])
def test_refusals_that_name_the_account_are_live(fake, secret):
    access = lookup(find(secret), fake.url)
    assert (access.live, access.evidence) == (True, "api")
    assert access.capabilities == {"read", "write", "delete"}


def test_country_refusal_says_nothing_about_the_key(fake):
    access = lookup(find(fw.COUNTRY), fake.url)
    assert access.live is None
    assert any("Country" in n for n in access.notes)


def test_authentication_failure_is_revoked(fake):
    access = lookup(find(fw.REVOKED), fake.url)
    assert (access.live, access.evidence) == (False, "api")
    assert any("Authentication failed" in n for n in access.notes)


@pytest.mark.parametrize("secret", [fw.RATE_LIMITED, fw.BROKEN, fw.MALFORMED])
def test_failures_are_unknown_never_revoked(fake, secret):
    access = lookup(find(secret), fake.url, timeout=3)
    assert access.live is None


def test_self_hosted_key_is_not_sent_to_wandb_cloud():
    from tokenreach.detectors.providers.weights_biases import detector

    class NoOverride:  # the operator set no TOKENREACH_WEIGHTS_BIASES_API_URL
        overridden = False

        def get(self, *args: object, **kwargs: object) -> None:
            raise AssertionError("a self-hosted key was sent to W&B's cloud")

    tok = find(fw.SELF_HOSTED)
    access = detector.lookup(tok, NoOverride(), detector.classify(tok))  # type: ignore[arg-type]
    assert access.facts["self_hosted"] is True
    assert access.live is None
    assert "not looked up: self-hosted instance" in access.notes


def test_key_travels_in_the_authorization_header_only(fake):
    lookup(find(fw.LIVE), fake.url)
    (req,) = fake.requests
    assert fw.LIVE not in req.path and not req.query
    assert req.header("authorization") == f"Bearer {fw.LIVE}"
