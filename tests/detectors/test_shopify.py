from __future__ import annotations

import pytest

from tests.fakes import shopify as sh
from tests.helpers import lookup, token
from tokenreach.detectors.providers.shopify import API_VERSION, detector

SHOP_CALLS = ["GET /admin/oauth/access_scopes.json", f"GET /admin/api/{API_VERSION}/shop.json"]


@pytest.fixture
def fake():
    with sh.make() as server:
        yield server


def find(secret: str, shop: str = "acme-store"):
    return token(f"SHOPIFY_SHOP={shop}.myshopify.com\nSHOPIFY_TOKEN={secret}\n", provider="shopify")


def test_shop_found_near_the_token_either_side_and_kinds():
    tok = find(sh.BROAD)
    assert (tok.kind, tok.context) == ("admin_api_token", {"shop": "acme-store"})
    tok = token(f'{{"token": "{sh.NARROW}", "url": "https://Acme-Store.myshopify.com/admin"}}', provider="shopify")
    assert (tok.kind, tok.context) == ("custom_app_token", {"shop": "Acme-Store"})
    assert find(sh.DEV_STORE).kind == "private_app_token"


def test_broad_token(fake):
    access = lookup(find(sh.BROAD), fake.url)
    assert access.live is True
    assert access.evidence == "api"
    assert access.identity == "Acme Store (acme-store.myshopify.com)"
    assert access.grants == sh.BROAD_SCOPES
    assert access.capabilities == {"read", "write", "delete", "admin", "billing"}
    assert access.reach == "account"
    assert access.resources == ["acme-store.myshopify.com"]
    assert access.facts["customer_data"] == ["read_all_orders", "read_customers"]
    assert access.facts["storefront_code"] == ["write_script_tags", "write_themes"]
    assert access.facts["environment"] == "production"
    assert fake.sent() == SHOP_CALLS
    assert all(r.header("x-shopify-access-token") == sh.BROAD for r in fake.requests)
    fake.assert_read_only()


def test_narrow_read_products_token(fake):
    access = lookup(find(sh.NARROW), fake.url)
    assert (access.live, access.grants, access.capabilities) == (True, ["read_products"], {"read"})
    assert "customer_data" not in access.facts


def test_development_store(fake):
    access = lookup(find(sh.DEV_STORE), fake.url)
    assert access.facts["environment"] == "development"
    assert access.facts["plan"] == "partner_test"


def test_shop_details_failure_keeps_liveness(fake):
    access = lookup(find(sh.NO_SHOP_DETAILS), fake.url, timeout=3)
    assert access.live is True
    assert access.identity == "acme-store.myshopify.com"
    assert any("shop details unavailable" in n for n in access.notes)


def test_revoked(fake):
    access = lookup(find(sh.REVOKED), fake.url)
    assert (access.live, access.evidence) == (False, "api")
    assert fake.sent() == SHOP_CALLS[:1]


@pytest.mark.parametrize("secret", [sh.WRONG_SHOP, sh.FROZEN, sh.RATE_LIMITED, sh.BROKEN, sh.MALFORMED])
def test_failures_are_unknown_never_revoked(fake, secret, recorded_sleeps):
    access = lookup(find(secret), fake.url, timeout=3)
    assert access.live is None
    assert access.grants == []
    fake.assert_read_only()
    if secret == sh.RATE_LIMITED:  # each retry waited the Retry-After (2.0 s), without the test waiting
        assert recorded_sleeps == [2.0, 2.0]


def test_token_without_shop_is_reported_not_looked_up(fake):
    tok = token(f"SHOPIFY_TOKEN={sh.BROAD}", provider="shopify")
    assert tok.pattern_id == "shopify.admin_api_token" and tok.context == {}
    access = lookup(tok, fake.url)
    assert access.live is None
    assert fake.sent() == []
    assert any("no <shop>.myshopify.com" in n for n in access.notes)


def test_shared_secret_is_never_sent(fake):
    tok = token("SHOPIFY_API_SECRET=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", provider="shopify")
    assert tok.kind == "shared_secret"
    access = lookup(tok, fake.url)
    assert access.live is None and fake.sent() == []
    assert any("shared secret" in n for n in access.notes)


def test_hostile_shop_name_never_leaves_myshopify(fake):
    from tokenreach.scanner.model import Token

    tok = Token("shopify", sh.BROAD, kind="admin_api_token", pattern_id="shopify.admin_api_token",
                context={"shop": "evil.example.com/x"})
    access = detector.lookup(tok, None, detector.classify(tok))  # type: ignore[arg-type]
    assert access.live is None
    assert any("no usable shop domain" in n for n in access.notes)
