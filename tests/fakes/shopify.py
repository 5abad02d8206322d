"""Fake <shop>.myshopify.com Admin API: access_scopes.json and shop.json as Shopify documents
them. (Under TOKENREACH_SHOPIFY_API_URL every shop host maps to this one server, which reads the
shop asked from the X-Tokenreach-Target-Host header.) Every token here belongs to one shop,
:data:`SHOP`; like Shopify, any other shop answers it 401, exactly as it answers a revoked token."""

from __future__ import annotations

from tests.fakes.server import FakeServer, Reply, Request

SHOP = "acme-store.myshopify.com"
BROAD = "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"
NARROW = "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"
DEV_STORE = "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"
NO_SHOP_DETAILS = "shpat_0000000000000000000000000000beef"
REVOKED = "shpat_deaddeaddeaddeaddeaddeaddeaddead"
WRONG_SHOP = "shpat_404404404404404404404404404404ab"
FROZEN = "shpat_402402402402402402402402402402ab"
RATE_LIMITED = "shpat_429429429429429429429429429429ab"
BROKEN = "shpat_500500500500500500500500500500ab"
MALFORMED = "shpat_111111111111111111111111111111ab"

BROAD_SCOPES = ["read_products", "write_products", "read_customers", "write_orders", "read_all_orders",
                "write_themes", "write_script_tags", "read_shopify_payments_payouts"]
_SCOPES = {BROAD: BROAD_SCOPES, NARROW: ["read_products"], DEV_STORE: ["read_products", "write_products"],
           NO_SHOP_DETAILS: ["read_products"]}
_PLANS = {BROAD: ("Acme Store", "shopify_plus"), NARROW: ("Acme Store", "basic"),
          DEV_STORE: ("Acme Dev", "partner_test")}

_UNAUTHORIZED = {"errors": "[API] Invalid API key or access token (unrecognized login or wrong password)"}


def _other_shop(req: Request) -> bool:
    host = req.header("x-tokenreach-target-host")
    return host is not None and host != SHOP


def make() -> FakeServer:
    fake = FakeServer()

    @fake.route("GET", "/admin/oauth/access_scopes.json")
    def access_scopes(req: Request) -> Reply:
        tok = req.header("x-shopify-access-token")
        if _other_shop(req):
            return Reply(401, _UNAUTHORIZED)
        if tok in _SCOPES:
            return Reply(200, {"access_scopes": [{"handle": h} for h in _SCOPES[tok]]})
        if tok == WRONG_SHOP:
            return Reply(404, {"errors": "Not Found"})
        if tok == FROZEN:
            return Reply(402, {"errors": "Unavailable Shop"})
        if tok == RATE_LIMITED:
            return Reply(429, {"errors": "Exceeded 2 calls per second for api client. Reduce request rates."},
                         headers={"Retry-After": "2.0"})
        if tok == BROKEN:
            return Reply(500, {"errors": "Internal Server Error"})
        if tok == MALFORMED:
            return Reply(200, {"scopes": "read_products"})
        return Reply(401, _UNAUTHORIZED)

    @fake.route("GET", r"/admin/api/\d{4}-\d{2}/shop\.json")
    def shop(req: Request) -> Reply:
        tok = req.header("x-shopify-access-token")
        if _other_shop(req):
            return Reply(401, _UNAUTHORIZED)
        if tok in _PLANS:
            name, plan = _PLANS[tok]
            return Reply(200, {"shop": {"id": 548380009, "name": name, "myshopify_domain": "acme-store.myshopify.com",
                                        "plan_name": plan, "plan_display_name": plan.title(),
                                        "domain": "shop.acme.example", "currency": "EUR"}})
        if tok == NO_SHOP_DETAILS:
            return Reply(503, "unavailable", headers={"Retry-After": "60"})
        return Reply(401, _UNAUTHORIZED)

    return fake
