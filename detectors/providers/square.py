"""Square access tokens.

Formats: ``detectors/rules/square.toml`` (``EAAA`` access tokens, legacy ``sq0atp-`` personal access
tokens, ``sq0csp-`` OAuth application secrets).

Lookup, ``Authorization: Bearer`` (Square's OAuth API reference, "RetrieveTokenStatus",
developer.squareup.com/reference/square/o-auth-api/RetrieveTokenStatus, and "Token Introspection",
developer.squareup.com/docs/oauth-api/token-introspection):

- ``POST https://connect.squareup.com/oauth2/token/status``: token introspection of an OAuth access
  token or an application's personal access token. It takes no body and changes nothing; it answers
  ``scopes``, ``expires_at`` (empty when the token never expires, as a personal access token),
  ``client_id`` and ``merchant_id``. An expired or invalid token gets 401 ``UNAUTHORIZED``
  (``{"errors": [{"category": "AUTHENTICATION_ERROR", "code": "UNAUTHORIZED", …}]}``). Square has no
  GET that says a token's scopes, hence this documented read-only POST.
- ``GET /v2/merchants/me`` (Merchants API, needs ``MERCHANT_PROFILE_READ``): the business behind
  the token, asked only when the token holds that scope.

Sandbox tokens have the same shape and work only on ``connect.squareupsandbox.com``: a token
refused by production is asked there before it is called revoked (first when a sandbox environment
is named near it). An application secret (``sq0csp-``) is used only to mint tokens, so it is never
sent anywhere.

Vocabulary: OAuth permissions ``<AREA>_READ`` / ``<AREA>_WRITE`` (``PAYMENTS_WRITE``,
``CUSTOMERS_READ``, ``MERCHANT_PROFILE_WRITE`` …, developer.squareup.com/docs/oauth-api/square-permissions).
A ``_WRITE`` permission also covers the area's delete endpoints.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, LookupUnavailable
from tokenreach.detectors.http import ProviderHTTP, json_object
from tokenreach.detectors.rule_files import builtin, rules_for
from tokenreach.scanner.model import Access, Capability, Token

PATTERNS = rules_for("square")
_SPEC = builtin("square")

PRODUCTION, SANDBOX = "connect.squareup.com", "connect.squareupsandbox.com"
STATUS = "/oauth2/token/status"
MERCHANT = "/v2/merchants/me"

# Permissions that move or expose money: refunds and payments, payouts, bank accounts.
_BILLING_PREFIXES = ("PAYMENTS_WRITE", "BANK_ACCOUNTS_", "PAYOUTS_", "DISPUTES_WRITE", "GIFTCARDS_WRITE",
                     "INVOICES_WRITE", "SUBSCRIPTIONS_WRITE")
# Permissions that change who runs the business and with what rights.
_ADMIN = frozenset({"MERCHANT_PROFILE_WRITE", "EMPLOYEES_WRITE", "PERMISSION_SETS_WRITE",
                    "DEVICE_CREDENTIAL_MANAGEMENT"})
# Mints the codes that sign a point-of-sale device in to the seller's account.
_SECRETS = frozenset({"DEVICE_CREDENTIAL_MANAGEMENT"})


def capabilities_of(scopes: list[str]) -> set[Capability]:
    caps: set[Capability] = set()
    for scope in scopes:
        if scope.endswith("_READ") or "_READ_" in scope:
            caps.add("read")
        if "_WRITE" in scope or scope in _ADMIN:
            caps.update(("write", "delete"))
        if scope.startswith(_BILLING_PREFIXES):
            caps.add("billing")
        if scope in _ADMIN:
            caps.add("admin")
        if scope in _SECRETS:
            caps.add("secrets")
    return caps


class SquareDetector(Detector):
    provider = "square"
    title = _SPEC.name
    patterns = PATTERNS
    api_url = f"https://{PRODUCTION}"
    hosts = (PRODUCTION, SANDBOX)
    request_budget = 60
    revoke_url = _SPEC.revoke_url
    least_privilege = _SPEC.least_privilege
    # Only orders the two fixed Square hosts: a sandbox named near the token is asked first.
    context_patterns = {
        "sandbox": r"(?i)(squareupsandbox\.com|(?:square_)?environment\s*[=:]\s*['\"]?sandbox\b)",
    }

    def classify(self, token: Token) -> Access:
        access = super().classify(token)
        if token.kind == "application_secret":
            access.facts["skip_lookup"] = True
            access.note("an OAuth application secret: it only mints tokens, so it is not looked up")
        if token.context.get("sandbox"):
            access.facts["named_environment"] = "sandbox"
            access.note("a Square sandbox is named near the token: the sandbox is asked first")
        return access

    def lookup(self, token: Token, http: ProviderHTTP, offline: Access) -> Access:
        access = offline
        if token.kind == "application_secret":
            return access
        headers = {"Authorization": f"Bearer {token.secret}"}
        hosts = [PRODUCTION, SANDBOX]
        if access.facts.get("named_environment") == "sandbox":
            hosts.reverse()
        why = {401: "invalid, expired or revoked (refused by both production and the sandbox)"}
        for n, host in enumerate(hosts, 1):
            resp = http.post_readonly(STATUS, host=host, headers=headers,
                                      why="RetrieveTokenStatus: documented token introspection")
            if resp.status_code in self.dead_statuses and n < len(hosts):
                continue  # a token of the other environment: ask there
            if not http.settle(access, resp, f"{STATUS} on {host}", why=why):
                return access
            return _status(access, json_object(resp), host, http, headers)
        return access


def _status(access: Access, body: dict[str, object], host: str, http: ProviderHTTP,
            headers: dict[str, str]) -> Access:
    scopes = body.get("scopes")
    if not isinstance(scopes, list) or not all(isinstance(s, str) for s in scopes):
        return access.unknown(f"{STATUS} answered 200 without a scopes list")
    access.grants = sorted(scopes)
    access.capabilities = capabilities_of(scopes)
    access.reach = "account"  # a token acts for one seller's whole business
    sandbox = host == SANDBOX
    access.facts["environment"] = "sandbox" if sandbox else "production"
    if sandbox:
        access.note("a sandbox token: reaches test data only, no real money")
    merchant = body.get("merchant_id")
    if isinstance(merchant, str) and merchant:
        access.facts["merchant_id"] = merchant
        access.identity = f"merchant {merchant}"
    expires = body.get("expires_at")
    if isinstance(expires, str) and expires:
        access.expires_at = expires
        access.note("expires: an OAuth access token")
    else:
        access.facts["never_expires"] = True
        access.note("never expires: a personal access token, with every permission of the account")
    access.note(f"{STATUS} lists {len(scopes)} permission(s)")
    if "billing" in access.capabilities and not sandbox:
        access.note("can take payments and issue refunds on the seller's account")
    if "MERCHANT_PROFILE_READ" in scopes:
        _merchant(access, host, http, headers)
    return access


def _merchant(access: Access, host: str, http: ProviderHTTP, headers: dict[str, str]) -> None:
    """The seller's business name. A failure here leaves liveness as it is."""
    try:
        resp = http.get(MERCHANT, host=host, headers=headers)
        body = json_object(resp) if resp.status_code == 200 else {}
    except LookupUnavailable as exc:
        access.note(f"merchant not read: {exc}")
        return
    merchant = body.get("merchant")
    if not isinstance(merchant, dict):
        access.note(f"{MERCHANT} answered HTTP {resp.status_code}: merchant unknown")
        return
    name = merchant.get("business_name")
    if isinstance(name, str) and name:
        country = merchant.get("country")
        access.identity = f"{name} ({country})" if isinstance(country, str) else name
        access.add_resources([f"merchant {name}"])


detector = SquareDetector()
