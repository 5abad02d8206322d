from __future__ import annotations

import hashlib

import pytest

from tests.fakes import stripe as fk
from tests.helpers import lookup, token
from tokenreach.detectors.providers import stripe as stripe_module
from tokenreach.detectors.providers.stripe import _PERMISSION_IN_MESSAGE, detector, key_mode
from tokenreach.scanner.model import Token

PROBES = [
    "GET /v1/balance", "GET /v1/charges", "GET /v1/customers", "GET /v1/payment_intents",
    "GET /v1/payouts", "GET /v1/transfers", "GET /v1/subscriptions", "GET /v1/invoices",
    "GET /v1/webhook_endpoints", "GET /v1/account",
]


@pytest.fixture
def fake():
    with fk.make() as server:
        yield server


def _only_gets_without_secret(fake, secret: str) -> None:
    fake.assert_read_only()
    for req in fake.requests:
        assert req.method == "GET"
        assert secret not in req.path and secret not in str(req.query)
        assert req.header("authorization") == f"Bearer {secret}"


def test_live_secret_key_is_full_account_access(fake):
    access = lookup(token(f"STRIPE_SECRET_KEY={fk.LIVE_SECRET}"), fake.url)
    assert access.live is True
    assert access.evidence == "api"
    assert access.identity == f"Acme ({fk.ACCOUNT})"
    assert access.reach == "account"
    assert access.capabilities == {"read", "write", "delete", "billing"}
    assert access.grants == ["secret_key"]
    assert access.resources == [f"account {fk.ACCOUNT}"]
    assert access.facts["environment"] == "production"
    assert access.facts["livemode"] is True
    assert access.facts["account_email"] == "billing@acme.example"
    assert fake.sent() == ["GET /v1/balance", "GET /v1/account"]
    _only_gets_without_secret(fake, fk.LIVE_SECRET)


def test_test_mode_key_reaches_test_data_only(fake):
    access = lookup(token(fk.TEST_SECRET), fake.url)
    assert access.live is True
    assert access.facts["environment"] == "test"
    assert access.facts["livemode"] is False
    assert "billing" not in access.capabilities  # no real money moves in test mode
    assert access.capabilities == {"read", "write", "delete"}
    assert access.reach == "project"  # the account's isolated test data
    assert any("test mode" in n for n in access.notes)


def test_restricted_key_permissions_mapped_from_reads_and_403_bodies(fake):
    access = lookup(token(f"STRIPE_KEY={fk.RAK_CHARGES}"), fake.url)
    assert access.live is True
    assert access.reach == "account"
    assert access.grants == ["rak_charge_read", "rak_customer_read"]
    assert access.capabilities == {"read"}
    assert access.identity == fk.ACCOUNT  # the 403 bodies name the account
    assert access.facts["account"] == fk.ACCOUNT
    assert access.facts["missing_permissions"] == [
        "rak_balance_read", "rak_invoice_read", "rak_payment_intent_read", "rak_payout_read",
        "rak_subscription_read", "rak_transfer_read", "rak_webhook_read",
    ]
    assert access.facts["write_possible"] == ["rak_charge_write", "rak_customer_write"]
    assert access.facts["possible_capabilities"] == ["write", "delete"]
    assert access.facts["reads_personal_data"] is True
    assert any("not available to restricted keys" in n for n in access.notes)
    assert fake.sent() == PROBES
    # Lists are read one object at a time; the balance has no list to limit.
    assert all(r.query == {"limit": ["1"]} for r in fake.requests[1:-1])
    _only_gets_without_secret(fake, fk.RAK_CHARGES)
    assert fk.RAK_CHARGES not in str(access.to_json())


def test_restricted_key_with_balance_read_only(fake):
    access = lookup(token(fk.RAK_BALANCE), fake.url)
    assert access.live is True
    assert access.grants == ["rak_balance_read"]
    assert access.facts["possible_capabilities"] == ["write", "delete", "billing"]
    assert "reads_personal_data" not in access.facts
    assert any("move money" in n for n in access.notes)
    assert fake.sent() == PROBES


def test_org_key_without_account_context_is_unknown_not_revoked(fake):
    access = lookup(token(f"STRIPE_ORG_KEY={fk.ORG_KEY}"), fake.url)
    assert access.live is None
    assert access.reach == "organization"
    assert access.facts["needs_stripe_context"] is True
    assert fake.sent() == ["GET /v1/balance"]
    assert fake.requests[0].header("stripe-version")


def test_org_key_uses_an_account_id_found_near_it(fake):
    text = f"STRIPE_ORG_KEY={fk.ORG_KEY}\nSTRIPE_ACCOUNT_ID={fk.ACCOUNT}\n"
    tok = token(text)
    assert tok.context == {"account": fk.ACCOUNT}
    access = lookup(tok, fake.url)
    assert access.live is True
    assert access.reach == "organization"
    assert access.identity == f"Acme ({fk.ACCOUNT})"
    assert access.grants == ["rak_balance_read", "rak_charge_read", "rak_customer_read",
                             "rak_payment_intent_read", "rak_payout_read", "rak_transfer_read",
                             "rak_subscription_read", "rak_invoice_read", "rak_webhook_read"]
    assert access.capabilities == {"read"}
    assert fake.sent() == PROBES
    assert all(r.header("stripe-context") == fk.ACCOUNT for r in fake.requests)
    assert all(r.header("stripe-version") for r in fake.requests)
    _only_gets_without_secret(fake, fk.ORG_KEY)


def test_org_key_refused_for_a_foreign_account_is_unknown(fake):
    access = lookup(token(f"STRIPE_ORG_KEY={fk.ORG_KEY}\nSTRIPE_ACCOUNT=acct_1SomeoneElse99"), fake.url)
    assert access.live is None
    assert any("wrong one" in n for n in access.notes)
    assert fake.sent() == ["GET /v1/balance"]


def test_revoked_key_is_not_live(fake):
    access = lookup(token(fk.REVOKED), fake.url)
    assert access.live is False
    assert access.evidence == "api"
    assert fake.sent() == ["GET /v1/balance"]


def test_ip_allowlist_refusal_is_unknown_not_revoked(fake):
    access = lookup(token(fk.IP_RESTRICTED), fake.url)
    assert access.live is None
    assert any("IP allowlist" in n for n in access.notes)
    assert fake.sent() == ["GET /v1/balance"]


def test_rate_limit_is_unknown_never_revoked(fake):
    access = lookup(token(fk.RATE_LIMITED), fake.url, timeout=3)
    assert access.live is None
    assert any("429" in n for n in access.notes)
    fake.assert_read_only()


def test_server_error_is_unknown(fake):
    access = lookup(token(fk.SERVER_ERROR), fake.url, timeout=3, max_retries=0)
    assert access.live is None
    assert any("500" in n for n in access.notes)


def test_malformed_body_is_unknown(fake):
    access = lookup(token(fk.MALFORMED), fake.url)
    assert access.live is None
    assert fake.sent() == ["GET /v1/balance"]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("NEXT_PUBLIC_STRIPE_KEY=pk_live_51HbQxYzAbCdEfGhIjKlMnOpQrStUv", "publishable_key"),
        ("STRIPE_WEBHOOK_SECRET=whsec_Mx8Q2vLp4Rt6Yw0Ze3Ua5Ib7Oc9Nd1Kf", "webhook_secret"),
    ],
)
def test_publishable_key_and_webhook_secret_are_never_sent(fake, text, kind):
    tok = token(text)
    assert tok.kind == kind
    access = lookup(tok, fake.url)
    assert access.live is None
    assert fake.sent() == []


def test_stripe_documentation_sample_key_is_never_looked_up(fake, monkeypatch):
    # The module knows Stripe's public sample keys by hash only; stand a synthetic key in for one.
    sample = "sk_test_51FakeDocsSampleKeyAbCdEfGhIj"
    monkeypatch.setattr(stripe_module, "_PUBLIC_SAMPLES",
                        frozenset({hashlib.sha256(sample.encode()).hexdigest()}))
    access = lookup(token(f'stripe.api_key = "{sample}"'), fake.url)
    assert access.live is None
    assert access.facts["public_sample"] is True
    assert fake.sent() == []


def test_offline_kinds_and_modes():
    secret = detector.classify(token(fk.LIVE_SECRET))
    assert (secret.reach, secret.facts["mode"], secret.evidence) == ("account", "live", "prefix")
    rak = detector.classify(token("rk_test_9aB8cD7eF6gH5iJ4kL3mN2oP1qR0sTuV"))
    assert rak.capabilities == set() and rak.facts["environment"] == "test"
    assert rak.reach == "project"
    org = detector.classify(token(fk.ORG_KEY))
    assert org.reach == "organization" and org.facts["mode"] == "live"
    pk = detector.classify(token("pk_live_51HbQxYzAbCdEfGhIjKlMnOpQrStUv"))
    assert pk.facts["public_by_design"] is True
    assert (pk.reach, pk.capabilities) == ("resource", {"read"})
    whsec = detector.classify(token("whsec_Mx8Q2vLp4Rt6Yw0Ze3Ua5Ib7Oc9Nd1Kf"))
    assert (whsec.reach, whsec.capabilities) == ("resource", {"write"})


def test_org_key_mode_may_be_absent():
    tok = Token(provider="stripe", secret="sk_org_FakeModelessOrganizationKey01", kind="org_key")
    assert key_mode(tok) is None
    access = detector.classify(tok)
    assert "mode" not in access.facts and access.reach == "organization"


@pytest.mark.parametrize("secret", ["", "sk_", "garbage", "\x00\xff", "rk_live_" + "x" * 400])
def test_classify_never_raises_on_garbage(secret):
    for kind in (None, "secret_key", "restricted_key", "org_key", "publishable_key", "webhook_secret"):
        detector.classify(Token(provider="stripe", secret=secret, kind=kind))


def test_permission_message_with_typographic_quotes():
    message = ("The provided key ‘rk_test_Cb3gph’ does not have the required permissions for this endpoint "
               "on account ‘acct_1NuzflB0DBR1HOyc’. Having the ‘rak_subscription_read’ permission would "
               "allow this request to continue.")
    match = _PERMISSION_IN_MESSAGE.search(message)
    assert match and match.group("perm") == "rak_subscription_read"


def test_sk_org_is_not_mistaken_for_a_secret_key():
    tok = token(f"key={fk.ORG_KEY}")
    assert tok.pattern_id == "stripe.org_key"
