"""Shopify Admin API access tokens, and app shared secrets.

Formats (providers.md C.3; Shopify developer changelog, "Length of the Shopify access token is
increasing", shopify.dev/changelog/length-of-the-shopify-access-token-is-increasing, and "App secret
key length has increased", shopify.dev/changelog/app-secret-key-length-has-increased): ``shpat_``
(Admin API access token), ``shpca_`` (custom app), ``shppa_`` (private app) and ``shpss_`` (an app's
shared secret for OAuth and webhook HMACs, not an access token), each + 32 characters; Shopify does
not document their alphabet, and hex is the shape they have in public code. A token is only usable
against its shop, and another shop answers it 401 as if it were revoked, so a
``<shop>.myshopify.com`` domain names the host to ask only when the text binds it to the token (the
same URL, the same line, or the one shop assigned in its configuration block: ``bound_context``,
scanner/binding.py). A token with no bound shop is reported, not looked up ("shop unknown").

Lookup, ``X-Shopify-Access-Token`` on ``https://<shop>.myshopify.com``: ``GET
/admin/oauth/access_scopes.json`` answers liveness and the token's scope handles in one call, then
``GET /admin/api/<version>/shop.json`` names the shop and its plan. Admin REST is a leaky bucket
(about 2 requests per second), hence the small budget.
"""

from __future__ import annotations

import re

from tokenreach.detectors.base import Detector, LookupUnavailable, Pattern
from tokenreach.detectors.http import ProviderHTTP, json_object
from tokenreach.detectors.tenant import refuse_private
from tokenreach.scanner.model import Access, Capability, Token

API_VERSION = "2025-10"  # Shopify answers an unsupported version with its oldest supported one
_SHOP_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,60}")

_TOKEN_KINDS = (
    ("shpat", "admin_api_token", "Shopify Admin API access token", "ab12cd34ef56ab78cd90ef12ab34cd56"),
    ("shpca", "custom_app_token", "Shopify custom app access token", "0f1e2d3c4b5a69788796a5b4c3d2e1f0"),
    ("shppa", "private_app_token", "Shopify private app access token", "ffeeddccbbaa99887766554433221100"),
)

PATTERNS = (
    *(
        Pattern(
            id=f"shopify.{kind}", name=name, kind=kind, keywords=(f"{prefix}_",),
            regex=rf"\b(?P<secret>{prefix}_[a-fA-F0-9]{{32}})\b",
            examples=(f"SHOPIFY_ACCESS_TOKEN={prefix}_{hexpart}",
                      f'{{"shop": "acme-store.myshopify.com", "token": "{prefix}_{hexpart}"}}'),
            counterexamples=(f"{prefix}_{hexpart[:31]}", f"{prefix}_{hexpart[:31]}g", f"x{prefix}_{hexpart}"),
        )
        for prefix, kind, name, hexpart in _TOKEN_KINDS
    ),
    Pattern(
        id="shopify.shared_secret", name="Shopify app shared secret", kind="shared_secret",
        keywords=("shpss_",), regex=r"\b(?P<secret>shpss_[a-fA-F0-9]{32})\b", lookup=False,
        examples=("SHOPIFY_API_SECRET=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",),
        counterexamples=("shpss_5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0",),
    ),
)

_ADMIN_SCOPES = {"write_themes", "write_script_tags", "write_users"}  # code injection, staff accounts
_PII_SCOPES = {"read_customers", "read_all_orders", "read_orders", "read_users"}


def capabilities_of(handles: list[str]) -> set[Capability]:
    caps: set[Capability] = set()
    for handle in handles:
        if handle.startswith("read_"):
            caps.add("read")
        elif handle.startswith("write_"):
            caps.update(("read", "write", "delete"))  # Admin write scopes also delete their resources
        if handle in _ADMIN_SCOPES:
            caps.add("admin")
        if "payment" in handle or "billing" in handle:
            caps.add("billing")
    return caps


# What a shop's refusals mean for the token asked.
_WHY = {
    401: "invalid or uninstalled token",
    402: "the shop is frozen",
    423: "the shop is locked",
    404: "no such shop, so the pairing may be wrong",
}


class ShopifyDetector(Detector):
    provider = "shopify"
    title = "Shopify"
    patterns = PATTERNS
    api_url = None  # every shop has its own host
    host_suffixes = (".myshopify.com",)
    # The shop a token belongs to: only one the text binds to the token, never merely one nearby.
    context_patterns = {"shop": r"\b([A-Za-z0-9][A-Za-z0-9-]{0,60})\.myshopify\.com\b"}
    bound_context = frozenset({"shop"})
    request_budget = 40
    revoke_url = "https://help.shopify.com/en/manual/apps/app-types/custom-apps"
    least_privilege = (
        "reinstall the custom app with only the access scopes it uses"
    )

    def classify(self, token: Token) -> Access:
        access = Access(evidence="prefix")
        if token.kind == "shared_secret":
            access.note("an app's shared secret: signs OAuth and webhook HMACs for the app, "
                        "not an API token; it lets someone forge webhooks and OAuth callbacks")
            return access
        access.note(f"kind {token.kind} from the {token.secret[:5]}_ prefix")
        shop = token.context.get("shop")
        if shop:
            access.identity = f"{shop.lower()}.myshopify.com"
        else:
            access.note("no <shop>.myshopify.com domain bound to the token (the same URL, line or "
                        "configuration block): not looked up, shop unknown")
        return access

    def lookup(self, token: Token, http: ProviderHTTP, offline: Access) -> Access:
        access = offline
        shop = token.context.get("shop", "").lower()
        if not _SHOP_NAME.fullmatch(shop):
            return access.unknown("not looked up: shop unknown (no usable shop domain bound to the token)")
        host = f"{shop}.myshopify.com"
        if refuse_private(http, host, access):  # the shop's name is the scanned data's
            return access
        headers = {"X-Shopify-Access-Token": token.secret}
        resp = http.get("/admin/oauth/access_scopes.json", host=host, headers=headers)
        if not http.settle(access, resp, f"access_scopes.json on {host}", why=_WHY):
            return access
        scopes = json_object(resp).get("access_scopes")
        if not isinstance(scopes, list):
            return access.unknown("access_scopes.json answered 200 without access_scopes")
        handles = [s["handle"] for s in scopes if isinstance(s, dict) and isinstance(s.get("handle"), str)]
        access.reach = "account"
        access.identity = host
        access.grants = handles
        access.capabilities = capabilities_of(handles)
        access.add_resources([host])
        access.note(f"access_scopes.json lists {len(handles)} scope(s) on {host}")
        if pii := sorted(_PII_SCOPES.intersection(handles)):
            access.facts["customer_data"] = pii
            access.note(f"reads customer or order data ({', '.join(pii)})")
        if inject := sorted({"write_themes", "write_script_tags"}.intersection(handles)):
            access.facts["storefront_code"] = inject
            access.note(f"can change storefront code ({', '.join(inject)})")
        self._shop_details(http, host, headers, access)
        return access

    def _shop_details(self, http: ProviderHTTP, host: str, headers: dict[str, str], access: Access) -> None:
        try:
            resp = http.get(f"/admin/api/{API_VERSION}/shop.json", host=host, headers=headers)
            shop = json_object(resp).get("shop") if resp.status_code == 200 else None
        except LookupUnavailable as exc:
            access.note(f"shop details unavailable: {exc}")
            return
        if not isinstance(shop, dict):
            access.note(f"shop.json answered HTTP {resp.status_code}: shop details unknown")
            return
        if isinstance(shop.get("name"), str):
            access.identity = f"{shop['name']} ({host})"
        plan = shop.get("plan_name")
        if isinstance(plan, str):
            access.facts["plan"] = plan
            if plan in ("partner_test", "affiliate", "plus_partner_sandbox", "staff", "staff_business"):
                access.facts["environment"] = "development"
                access.note(f"plan {plan}: a development or sandbox store")
            else:
                access.facts["environment"] = "production"


detector = ShopifyDetector()
