"""PayPal Braintree access tokens.

Formats: ``detectors/rules/paypal_braintree.toml`` (access tokens
``access_token$<production|sandbox>$<merchant id>$<32 hex>``; API private keys, 32 hex named
Braintree). A private key works only with its public key, ``Authorization: Basic
base64(public_key:private_key)`` (Braintree's "Making API Calls", API Keys), so it is looked up only
when ``BRAINTREE_PUBLIC_KEY`` is assigned with it (the same line or configuration block); its
environment is not in the key, so production is asked first, then the sandbox.

Lookup (Braintree's GraphQL API, developer.paypal.com/braintree/graphql/guides/making_api_calls and
…/reference/queries/viewer): one GraphQL *query*, never a mutation, to
``https://payments.braintree-api.com/graphql`` or ``https://payments.sandbox.braintree-api.com/graphql``
as the token's own environment says, with ``Authorization: Bearer <token>`` and a
``Braintree-Version`` header: ``viewer { user { … roles { name isAccountAdmin } } merchant { … }
rights { name } }``, the authenticated user and merchant and the rights of this authentication.
HTTP 401, or an error of class ``AUTHENTICATION``, means the token is invalid or the merchant revoked
the grant; an ``AUTHORIZATION`` error means live but not allowed to read the viewer.

Rights are human-readable names ("Create Transactions", "Manage Users" …), recorded verbatim in the
grants and mapped by their words; an account-admin role is admin.
"""

from __future__ import annotations

import base64
from typing import Any

from tokenreach.detectors.base import Detector, LookupUnavailable
from tokenreach.detectors.http import ProviderHTTP, json_object
from tokenreach.detectors.rule_files import builtin, rules_for
from tokenreach.scanner.model import Access, Capability, Token

PATTERNS = rules_for("paypal_braintree")
_SPEC = builtin("paypal_braintree")

PRODUCTION, SANDBOX = "payments.braintree-api.com", "payments.sandbox.braintree-api.com"
VERSION = "2019-01-01"
VIEWER = ("query Viewer { viewer { user { id email name roles { name isAccountAdmin } } "
          "merchant { id companyName status } rights { name } } }")

# Words in a right's name -> what it lets the token do.
_WORDS: tuple[tuple[tuple[str, ...], frozenset[Capability]], ...] = (
    (("refund", "transaction", "sale", "charge", "settle", "void", "payout", "dispute"),
     frozenset({"write", "billing"})),
    (("delete", "remove", "cancel"), frozenset({"delete"})),
    (("user", "role", "api key", "account admin", "setting", "webhook"), frozenset({"admin"})),
    (("create", "update", "edit", "manage", "vault"), frozenset({"write"})),
    (("view", "search", "read", "download", "report"), frozenset({"read"})),
)


_READ_VERBS = ("view", "download", "search", "read", "export", "see")


def capabilities_of(rights: list[str]) -> set[Capability]:
    caps: set[Capability] = set()
    for right in rights:
        lower = right.lower()
        if lower.startswith(_READ_VERBS):  # "Download Transactions" reads them
            caps.add("read")
            continue
        for words, right_caps in _WORDS:
            if any(w in lower for w in words):
                caps |= right_caps
    return caps


def _errors(body: dict[str, Any]) -> list[str]:
    classes = []
    for err in body.get("errors") or []:
        ext = err.get("extensions") if isinstance(err, dict) else None
        if isinstance(ext, dict) and isinstance(ext.get("errorClass"), str):
            classes.append(ext["errorClass"])
    return classes


class BraintreeDetector(Detector):
    provider = "paypal_braintree"
    title = _SPEC.name
    patterns = PATTERNS
    api_url = f"https://{PRODUCTION}"
    hosts = (PRODUCTION, SANDBOX)
    request_budget = 40
    revoke_url = _SPEC.revoke_url
    least_privilege = _SPEC.least_privilege

    # Starts at the value so that binding sees it assigned.
    context_patterns = {
        "public_key": (r"(?i)(?:(?<=BRAINTREE_PUBLIC_KEY=)|(?<=BRAINTREE_PUBLIC_KEY=[\"'])"
                       r"|(?<=BRAINTREE_PUBLIC_KEY: )|(?<=BRAINTREE_PUBLIC_KEY: [\"'])|(?<=public_key: [\"'])"
                       r"|(?<=public_key=[\"'])|(?<=public_key = [\"']))([0-9a-z]{16})\b"),
    }
    bound_context = frozenset({"public_key"})

    def classify(self, token: Token) -> Access:
        access = super().classify(token)
        env = token.extras.get("environment")
        if env:
            access.facts["environment"] = env
        if token.extras.get("merchant_id"):
            access.facts["merchant_id"] = token.extras["merchant_id"]
        if token.kind == "private_key" and not token.context.get("public_key"):
            access.facts["skip_lookup"] = True
            access.note("not looked up: an API private key works only with its public key, and no "
                        "BRAINTREE_PUBLIC_KEY is assigned with it")
        return access

    def lookup(self, token: Token, http: ProviderHTTP, offline: Access) -> Access:
        access = offline
        if token.kind == "access_token":
            host = SANDBOX if token.extras.get("environment") == "sandbox" else PRODUCTION
            hosts = [host]
            auth = f"Bearer {token.secret}"
        elif token.kind == "private_key" and token.context.get("public_key"):
            hosts = [PRODUCTION, SANDBOX]  # the key does not say its environment
            pair = f"{token.context['public_key']}:{token.secret}".encode()
            auth = "Basic " + base64.b64encode(pair).decode()
        else:
            return access
        headers = {"Authorization": auth, "Braintree-Version": VERSION}
        for n, host in enumerate(hosts, 1):
            resp = http.graphql("/graphql", VIEWER, headers=headers, host=host)
            if resp.status_code == 401 and n < len(hosts):
                continue  # a key of the other environment: ask there
            return _answer(access, http, resp, host)
        return access


def _answer(access: Access, http: ProviderHTTP, resp: Any, host: str) -> Access:
    if not http.settle(access, resp, f"viewer query on {host}",
                       why={401: "invalid, or the merchant revoked the grant"}):
        return access
    try:
        body = json_object(resp)
    except LookupUnavailable as exc:
        return access.unknown(str(exc))
    classes = _errors(body)
    if "AUTHENTICATION" in classes:
        access.live = False
        return access.note("viewer query: AUTHENTICATION error: invalid, or the merchant revoked the grant")
    data = body.get("data")
    viewer = data.get("viewer") if isinstance(data, dict) else None
    if not isinstance(viewer, dict):
        if "AUTHORIZATION" in classes:
            return access.note("viewer query: AUTHORIZATION error: live, but may not read who it acts as")
        return access.unknown("viewer query returned errors or no data")
    _viewer(access, viewer, host)
    return access


def _viewer(access: Access, viewer: dict[str, Any], host: str) -> None:
    merchant_v, user_v = viewer.get("merchant"), viewer.get("user")
    merchant: dict[str, Any] = merchant_v if isinstance(merchant_v, dict) else {}
    user: dict[str, Any] = user_v if isinstance(user_v, dict) else {}
    name = merchant.get("companyName") or merchant.get("id") or "merchant"
    access.identity = f"{name}" + (f" as {user['email']}" if isinstance(user.get("email"), str) else "")
    access.reach = "account"
    rights = sorted({str(r["name"]) for r in viewer.get("rights") or [] if isinstance(r, dict) and r.get("name")})
    access.grants = rights
    access.capabilities = capabilities_of(rights)
    access.capabilities.add("read")
    roles = [r for r in user.get("roles") or [] if isinstance(r, dict)]
    if any(r.get("isAccountAdmin") is True for r in roles):
        access.capabilities |= {"admin", "write", "delete", "billing"}
        access.facts["account_admin"] = True
        access.note("its user holds an account admin role")
    access.note(f"{len(rights)} right(s) for this authentication")
    if host == SANDBOX:
        access.note("a sandbox token: test data only, no real money")
    elif "billing" in access.capabilities:
        access.note("can charge and refund on the merchant's account")


detector = BraintreeDetector()
