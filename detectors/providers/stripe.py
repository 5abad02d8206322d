"""Stripe API keys.

Formats (providers.md B.6; docs.stripe.com/keys, docs.stripe.com/keys/organization-api-keys):
``sk_live_``/``sk_test_`` secret keys (everything in one account, in one mode), ``rk_live_``/
``rk_test_`` restricted keys (per-resource ``rak_*`` permissions), ``sk_org`` organization keys
(any account of the organization; every request needs a ``Stripe-Context`` account), ``pk_live_``
publishable keys (public by design) and ``whsec_`` webhook signing secrets (no API at all).

The prefix tells kind and mode. Liveness is one read, ``GET /v1/balance``: 200 live, 401 invalid,
deleted or expired, 403 a live restricted key without that permission. No endpoint lists a
restricted key's permissions, but its 403 bodies name the missing ``rak_*`` permission and the
``acct_`` id, so a few ``GET ?limit=1`` reads map what it can read. Write access cannot be shown
without a write, and tokenreach never sends one (providers.md A.1).
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from tokenreach.detectors.base import Detector, LookupUnavailable, Pattern
from tokenreach.detectors.http import ProviderHTTP, json_object
from tokenreach.scanner.model import Access, Capability, Reach, Token


def _not_workos(secret: str) -> bool:
    # WorkOS secret keys are sk_test_/sk_live_ + base64 of "key_01…", which always starts a2V5XzAx
    # (workos.com/docs/reference/api-keys); a random Stripe body starts so once in 62^8.
    return not secret.split("_", 2)[2].startswith("a2V5XzAx")


PATTERNS = (
    Pattern(
        id="stripe.secret_key",
        name="Stripe secret key",
        regex=r"\b(?P<secret>sk_(?P<mode>live|test)_[A-Za-z0-9]{20,247})\b",
        keywords=("sk_live_", "sk_test_"),
        kind="secret_key",
        validate=_not_workos,
        examples=(
            "STRIPE_SECRET_KEY=sk_live_9xQ27WmLpRtZsNvKb4HdYc3FgJe8TuAiOk5",
            'stripe.api_key = "sk_test_51NzQpLmKjHgFdSaPoIuYtReWqAsDfGhJkLzXcVbNm"',
        ),
        counterexamples=(
            "sk_live_shortkey",  # too short to be a key
            "sk_prod_9xQ27WmLpRtZsNvKb4HdYc3FgJe8TuAiOk5",  # no such mode
            "mask_live_9xQ27WmLpRtZsNvKb4HdYc3FgJe8TuAiOk5",  # part of a longer word
            # A WorkOS key (base64 of "key_01…"): same prefix and alphabet, detectors/rules/workos.toml claims it.
            "WORKOS_API_KEY=sk_test_a2V5XzAxSDdKM1FHNUIyWjhYNFQ2TjBWOUNGV0UxUixYa2JzV1pFNTFmdmJGWUpH",
        ),
    ),
    Pattern(
        id="stripe.restricted_key",
        name="Stripe restricted API key",
        regex=r"\b(?P<secret>rk_(?P<mode>live|test)_[A-Za-z0-9]{20,247})\b",
        keywords=("rk_live_", "rk_test_"),
        kind="restricted_key",
        examples=(
            "STRIPE_RESTRICTED_KEY=rk_live_51QaZwSxEdCrFvTgByHnUjMiKoLpQwErTyUi",
            "rk_test_9aB8cD7eF6gH5iJ4kL3mN2oP1qR0sTuV",
        ),
        counterexamples=("rk_live_", "work_live_9aB8cD7eF6gH5iJ4kL3mN2oP1qR0sTuV"),
    ),
    Pattern(
        # Multi-account organization keys; the body after ``sk_org`` is not documented
        # (providers.md B.6 marks it unverified), so the rule is lenient about underscores.
        id="stripe.org_key",
        name="Stripe organization API key",
        regex=r"\b(?P<secret>sk_org_[A-Za-z0-9_]{20,247})\b",
        keywords=("sk_org_",),
        kind="org_key",
        examples=(
            "STRIPE_ORG_KEY=sk_org_live_7Hq2LmNpRsTuVwXyZa1B3c5D7e9F",
            "export STRIPE_KEY='sk_org_test_Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2'",
        ),
        counterexamples=("sk_org_settings", "sk_organization"),
    ),
    Pattern(
        id="stripe.publishable_key",
        name="Stripe publishable key (live)",
        regex=r"\b(?P<secret>pk_live_[A-Za-z0-9]{20,247})\b",
        keywords=("pk_live_",),
        kind="publishable_key",
        examples=("NEXT_PUBLIC_STRIPE_KEY=pk_live_51HbQxYzAbCdEfGhIjKlMnOpQrStUv",),
        # Test publishable keys are printed in every Stripe tutorial: noise, never a risk.
        counterexamples=("pk_test_51HbQxYzAbCdEfGhIjKlMnOpQrStUv", "pk_live_abc"),
        lookup=False,
        public=True,
    ),
    Pattern(
        id="stripe.webhook_secret",
        name="Stripe webhook signing secret",
        regex=r"\b(?P<secret>whsec_[A-Za-z0-9+/]{32,100}={0,2})",
        keywords=("whsec_",),
        kind="webhook_secret",
        examples=(
            "STRIPE_WEBHOOK_SECRET=whsec_Mx8Q2vLp4Rt6Yw0Ze3Ua5Ib7Oc9Nd1Kf",
            "endpoint_secret = 'whsec_1f2e3d4c5b6a79880f1e2d3c4b5a69788f9e0d1c2b3a49586f7e8d9c0b1a2938'",
        ),
        counterexamples=("whsec_placeholder", "whsec_..."),
        lookup=False,
    ),
)

# One GET per resource, with the permission a 200 proves (restricted.yaml GET rows, providers.md
# B.6). /v1/balance comes first: it is also the liveness call.
_READ_PROBES: tuple[tuple[str, str], ...] = (
    ("/v1/balance", "rak_balance_read"),
    ("/v1/charges", "rak_charge_read"),
    ("/v1/customers", "rak_customer_read"),
    ("/v1/payment_intents", "rak_payment_intent_read"),
    ("/v1/payouts", "rak_payout_read"),
    ("/v1/transfers", "rak_transfer_read"),
    ("/v1/subscriptions", "rak_subscription_read"),
    ("/v1/invoices", "rak_invoice_read"),
    ("/v1/webhook_endpoints", "rak_webhook_read"),
)
# Reads that expose personal data, and reads of the money-moving resources.
_PII = frozenset({"rak_customer_read", "rak_charge_read", "rak_payment_intent_read", "rak_invoice_read"})
_MONEY = frozenset({"rak_payout_read", "rak_transfer_read", "rak_balance_read"})

# Organization keys must pin an API version (docs.stripe.com/keys/organization-api-keys).
_ORG_API_VERSION = "2025-03-31.basil"

# "The provided key 'rk_live_…AbCd' does not have the required permissions for this endpoint on
# account 'acct_1Pxx…'. Having the 'rak_charge_read' permission would allow this request to continue."
_ACCOUNT_ID = re.compile(r"acct_[A-Za-z0-9]{8,32}")
_Q = "['\u2018\u2019\"]"
_ACCOUNT_IN_MESSAGE = re.compile(rf"on account {_Q}(?P<account>acct_[A-Za-z0-9]+){_Q}")
_PERMISSION_IN_MESSAGE = re.compile(rf"Having the {_Q}(?P<perm>rak_[a-z0-9_]+){_Q} permission")
_NOT_FOR_RAKS = "not available for use by restricted keys"

# SHA-256 of the test keys Stripe prints in its public API documentation for anyone to try (one
# shared sandbox). Kept as hashes so that no real key, even a public one, lives in this repository.
_PUBLIC_SAMPLES = frozenset({
    "2cafc0970149a84f3b9e62eaf169f36f59907a3b3e31f7b82e68c69cd27f7326",
    "f2d6ca16515033e5dce14eba840b979d27b5cbae24bb3e5bf484339667f86397",
})

_FULL: frozenset[Capability] = frozenset({"read", "write", "delete", "billing"})


def key_mode(token: Token) -> str | None:
    """'live' or 'test' from the token's text, None when the format does not say."""
    mode = token.extras.get("mode")
    if mode in ("live", "test"):
        return mode
    for candidate in ("live", "test"):
        if f"_{candidate}_" in token.secret:
            return candidate
    return None


class StripeDetector(Detector):
    provider = "stripe"
    title = "Stripe"
    patterns = PATTERNS
    api_url = "https://api.stripe.com"
    hosts = ("api.stripe.com",)
    request_budget = 150  # a restricted key costs up to 10 reads
    revoke_url = "https://dashboard.stripe.com/apikeys"
    least_privilege = (
        "create a restricted key (rk_live_) with only the resources and read/write levels the integration"
        " uses"
    )
    # An organization key needs an account to act on; configs often name one beside the key.
    context_patterns = {"account": r"\b(acct_[A-Za-z0-9]{8,32})\b"}

    # Offline -----------------------------------------------------------------------------------

    def classify(self, token: Token) -> Access:
        access = Access(evidence="prefix")
        kind = token.kind or "secret_key"
        mode = key_mode(token)
        access.facts["key_type"] = kind
        if mode:
            access.facts["mode"] = mode
            access.facts["environment"] = "production" if mode == "live" else "test"
        test = mode == "test"
        # A test-mode key reaches one isolated sandbox of the account, much like a project.
        account_reach: Reach = "project" if test else "account"
        if kind == "secret_key":
            access.reach = account_reach
            access.capabilities = set(_FULL - {"billing"} if test else _FULL)
            access.note("sk_ secret key: full API access to one Stripe account (from the prefix)")
        elif kind == "restricted_key":
            access.reach = account_reach
            access.note("rk_ restricted key: per-resource permissions that only the API can reveal")
        elif kind == "org_key":
            access.reach = "organization"
            access.note("sk_org organization key: reaches every account of a Stripe organization "
                        "(its permissions may be restricted; the format does not say)")
        elif kind == "publishable_key":
            # Public by design: tokenises cards and reads what a browser checkout may read.
            access.reach = "resource"
            access.capabilities = {"read"}
            access.facts["public_by_design"] = True
            access.note("pk_live_ publishable key: meant to be public; it only creates tokens and "
                        "confirms payments from a browser")
        elif kind == "webhook_secret":
            access.reach = "resource"
            access.capabilities = {"write"}  # forged events are writes into one endpoint
            access.note("whsec_ webhook signing secret: lets someone forge Stripe events to one "
                        "webhook endpoint; no API can check it")
        if hashlib.sha256(token.secret.encode("utf-8", "replace")).hexdigest() in _PUBLIC_SAMPLES:
            access.facts["public_sample"] = True
            access.facts["skip_lookup"] = True  # everyone's key: its answer says nothing about this repo
            access.note("Stripe's public documentation sample key, shared by everyone; not a leak")
        if test:
            access.note("test mode key: reaches the account's test data only, no real money or customers")
        return access

    # Online ------------------------------------------------------------------------------------

    def lookup(self, token: Token, http: ProviderHTTP, offline: Access) -> Access:
        access = offline
        kind = token.kind or "secret_key"
        headers = {"Authorization": f"Bearer {token.secret}"}
        if kind == "org_key":
            headers["Stripe-Version"] = _ORG_API_VERSION
            account = token.context.get("account", "")
            if _ACCOUNT_ID.fullmatch(account):  # only ever a header value, never a host
                headers["Stripe-Context"] = account
                access.note(f"asked in the context of {account}, found near the key")
        resp = http.get("/v1/balance", headers=headers)
        if resp.status_code == 400 and kind == "org_key":
            access.facts["needs_stripe_context"] = True
            return access.unknown("organization key: Stripe wants a Stripe-Context account id for every "
                                  "request, and none was found near the key, so liveness is unknown")
        balance: dict[str, Any] | None = None
        missing: dict[str, str] = {}  # permission -> endpoint, from 403 bodies
        denial, rules = _refusal(resp, "Stripe-Context" in headers)
        if http.settle(access, resp, "GET /v1/balance", **rules):
            balance = json_object(resp)
        elif denial is not None:  # live: a restricted key without this permission
            _apply_denial(access, denial, "/v1/balance", "rak_balance_read", missing)
        else:
            return access
        if balance is not None:
            livemode = balance.get("livemode")
            if isinstance(livemode, bool):
                access.facts["livemode"] = livemode
                access.facts["environment"] = "production" if livemode else "test"
        if kind == "secret_key" and balance is not None:
            access.grants = ["secret_key"]
            access.note("GET /v1/balance answered 200: a live secret key with every permission")
        else:
            # Restricted and organization keys: only reads, one per resource, tell what they reach.
            self._restricted(access, http, headers, balance is not None, missing)
        self._account(access, http, headers)
        return access

    def _restricted(self, access: Access, http: ProviderHTTP, headers: dict[str, str],
                    balance_ok: bool, missing: dict[str, str]) -> None:
        """Map a restricted key's read permissions with GET ?limit=1 reads, one per resource."""
        granted: list[str] = ["rak_balance_read"] if balance_ok else []
        unprobed: list[str] = []
        for path, perm in _READ_PROBES[1:]:
            try:
                resp = http.get(path, headers=headers, params={"limit": 1})
            except LookupUnavailable as exc:  # rate limit or budget: keep what is known
                unprobed.append(path)
                access.note(f"stopped mapping permissions at {path}: {exc}")
                break
            if resp.status_code == 200:
                granted.append(perm)
            elif resp.status_code == 403 and (denial := _denial(resp)) is not None:
                _apply_denial(access, denial, path, perm, missing)
            else:
                unprobed.append(path)
        access.grants = granted
        if granted:
            access.capabilities.add("read")
        access.facts["missing_permissions"] = sorted(missing)
        if unprobed:
            access.facts["unprobed"] = unprobed
        access.note(f"permission map: can read {len(granted)} of {len(_READ_PROBES)} probed resources"
                    + (f"; denied {', '.join(sorted(missing))}" if missing else ""))
        if granted:
            # "Write permissions imply read permissions": each granted read may be a write.
            access.facts["write_possible"] = [g.removesuffix("_read") + "_write" for g in granted]
            possible = ["write", "delete"] + (["billing"] if _MONEY & set(granted) else [])
            access.facts["possible_capabilities"] = possible
            access.note("write permission cannot be shown without a write request, which tokenreach "
                        "never sends; each readable resource may also be writable")
        if _PII & set(granted):
            access.facts["reads_personal_data"] = True
            access.note("can read customer or payment records (personal data)")
        if _MONEY & set(granted):
            access.note("can see balances, payouts or transfers; with write it could move money")

    def _account(self, access: Access, http: ProviderHTTP, headers: dict[str, str]) -> None:
        """Who the key acts as: GET /v1/account (a restricted key's 403 still names the account)."""
        account = access.facts.get("account")
        try:
            resp = http.get("/v1/account", headers=headers)
        except LookupUnavailable as exc:
            access.note(f"account details unknown: {exc}")
            resp = None
        if resp is not None and resp.status_code == 200:
            body = json_object(resp)
            account = str(body.get("id") or account or "") or None
            name = _account_name(body)
            if account:
                access.facts["account"] = account
            access.identity = f"{name} ({account})" if name and account else (name or account)
            if body.get("email"):
                access.facts["account_email"] = str(body["email"])
            if body.get("country"):
                access.facts["country"] = str(body["country"])
        elif resp is not None and resp.status_code == 403 and (denial := _denial(resp)) is not None:
            account = denial.get("account") or account
            if account:
                access.facts["account"] = account
            if denial.get("not_for_restricted_keys"):
                access.note("GET /v1/account is not available to restricted keys; the account id "
                            "comes from the 403 body")
        if not access.identity and account:
            access.identity = account
        if account:
            access.add_resources([f"account {account}"])


def _account_name(body: dict[str, Any]) -> str | None:
    """settings.dashboard.display_name, else business_profile.name."""
    settings = body.get("settings")
    dashboard = settings.get("dashboard") if isinstance(settings, dict) else None
    profile = body.get("business_profile")
    for source, key in ((dashboard, "display_name"), (profile, "name")):
        if isinstance(source, dict) and source.get(key):
            return str(source[key])
    return None


def _refusal(resp: Any, context_sent: bool) -> tuple[dict[str, str] | None, dict[str, Any]]:
    """Stripe's 403 permission error (None without one), and ProviderHTTP.settle's arguments for
    the answer: a 401 is an invalid, deleted or expired key unless its message is about something
    else; a 403 is a live restricted key only with Stripe's own permission error in the body."""
    if resp.status_code == 401:
        reason = _refusal_not_about_the_key(resp, context_sent)
        if reason:
            return None, {"dead": (), "detail": reason}
        return None, {"why": {401: "the key is invalid, deleted or expired"}}
    if resp.status_code == 403:
        denial = _denial(resp)
        if denial is None:  # a proxy's 403 proves nothing
            return None, {"detail": "without Stripe's permission error"}
        return denial, {"forbidden": {403}, "why": {403: "live, a restricted key without this permission"}}
    return None, {}


def _refusal_not_about_the_key(resp: Any, context_sent: bool) -> str | None:
    """Why a 401 may not mean a dead key: the key is IP-restricted, or (organization keys) the
    account context was missing or wrong. None when the 401 is the plain invalid-key answer."""
    try:
        error = json_object(resp).get("error")
    except LookupUnavailable:
        error = None
    message = str(error.get("message") or "") if isinstance(error, dict) else ""
    if "IP address" in message:
        return "because of the key's IP allowlist, so it may still be live"
    if "Stripe-Context" in message:
        return "asking for a Stripe-Context account, so it may still be live"
    if context_sent and "Invalid API Key" not in message:
        return "to a request in the context of an account found near the key, which may be the wrong one"
    return None


def _denial(resp: Any) -> dict[str, str] | None:
    """A Stripe 403 permission error as {'account', 'permission', 'message'}; None when the body is
    not one (then the 403 proves nothing)."""
    try:
        body = json_object(resp)
    except LookupUnavailable:
        return None
    error = body.get("error")
    if not isinstance(error, dict):
        return None
    message = str(error.get("message") or "")
    account = _ACCOUNT_IN_MESSAGE.search(message)
    perm = _PERMISSION_IN_MESSAGE.search(message)
    out: dict[str, str] = {}
    if account:
        out["account"] = account.group("account")
    if perm:
        out["permission"] = perm.group("perm")
    if _NOT_FOR_RAKS in message:
        out["not_for_restricted_keys"] = "1"
    if not out and error.get("type") != "permission_error":
        return None
    return out


def _apply_denial(access: Access, denial: dict[str, str], path: str, expected: str,
                  missing: dict[str, str]) -> None:
    if denial.get("account"):
        access.facts["account"] = denial["account"]
    if denial.get("not_for_restricted_keys"):
        access.note(f"{path} is not available to restricted keys at all")
        return
    missing[denial.get("permission") or expected] = path


detector = StripeDetector()
