"""Plaid API secrets.

Formats: ``detectors/rules/plaid.toml`` (access tokens ``access-<environment>-<uuid>``; the API
secret, 30 hex named Plaid). A secret works only with its ``client_id`` (24 hex), so it is looked up
only when ``PLAID_CLIENT_ID`` is assigned with it (the same line or configuration block). Access
tokens need both the client_id and the secret and are not sent.

Lookup (Plaid's API reference, plaid.com/docs/api/ and plaid.com/docs/api/institutions/; every
Plaid endpoint is a POST, so this is the documented read-only one that needs nothing but the keys):
``POST https://production.plaid.com/institutions/get`` with the keys in the ``PLAID-CLIENT-ID`` and
``PLAID-SECRET`` headers and ``{"count": 1, "offset": 0, "country_codes": ["US"]}``: it reads Plaid's
list of supported banks and changes nothing. A secret is issued per environment, so a secret
production refuses is asked on ``sandbox.plaid.com`` before it is called revoked. Wrong keys get 400
``{"error_type": "INVALID_INPUT", "error_code": "INVALID_API_KEYS", …}`` (plaid.com/docs/errors/invalid-input).

Rights: Plaid keys have no scopes. A production secret can call every product the client is enabled
for on every Item whose access token it holds (balances, transactions, identity, transfers) and
create new Link sessions; Plaid has no call that lists a client's Items, so reach is the account's.
"""

from __future__ import annotations

from typing import Any

from tokenreach.detectors.base import Detector, LookupUnavailable
from tokenreach.detectors.http import ProviderHTTP, json_object
from tokenreach.detectors.rule_files import builtin, rules_for
from tokenreach.scanner.model import Access, Token

PATTERNS = rules_for("plaid")
_SPEC = builtin("plaid")

PRODUCTION, SANDBOX = "production.plaid.com", "sandbox.plaid.com"
INSTITUTIONS = "/institutions/get"
BAD_KEYS = "INVALID_API_KEYS"


def _error_code(resp: Any) -> str | None:
    try:
        code = json_object(resp).get("error_code")
    except LookupUnavailable:
        return None
    return code if isinstance(code, str) else None


class PlaidDetector(Detector):
    provider = "plaid"
    title = _SPEC.name
    patterns = PATTERNS
    api_url = f"https://{PRODUCTION}"
    hosts = (PRODUCTION, SANDBOX)
    request_budget = 40
    revoke_url = _SPEC.revoke_url
    least_privilege = _SPEC.least_privilege
    # Starts at the value so that binding sees it assigned.
    context_patterns = {
        "client_id": (r"(?i)(?:(?<=PLAID_CLIENT_ID=)|(?<=PLAID_CLIENT_ID=[\"'])|(?<=PLAID_CLIENT_ID: )"
                      r"|(?<=PLAID_CLIENT_ID: [\"'])|(?<=client_id: [\"'])|(?<=client_id=[\"']))([0-9a-f]{24})\b"),
    }
    bound_context = frozenset({"client_id"})
    dead_statuses = frozenset()  # decided by error_code INVALID_API_KEYS, not by the status

    def classify(self, token: Token) -> Access:
        access = super().classify(token)
        if token.kind == "access_token":
            access.facts["skip_lookup"] = True
            env = token.extras.get("environment")
            if env:
                access.facts["environment"] = env
            access.note("an access token: usable only with the client's secret, so it is not sent; it reads "
                        "one bank connection (Item) with every product the client is enabled for")
        elif not token.context.get("client_id"):
            access.facts["skip_lookup"] = True
            access.note("not looked up: no PLAID_CLIENT_ID is assigned with the secret")
        return access

    def lookup(self, token: Token, http: ProviderHTTP, offline: Access) -> Access:
        access = offline
        client_id = token.context.get("client_id")
        if token.kind != "api_secret" or not client_id:
            return access
        headers = {"PLAID-CLIENT-ID": client_id, "PLAID-SECRET": token.secret}
        body = {"count": 1, "offset": 0, "country_codes": ["US"]}
        for n, host in enumerate((PRODUCTION, SANDBOX), 1):
            resp = http.post_readonly(INSTITUTIONS, host=host, headers=headers, json_body=body,
                                      why="institutions/get reads Plaid's list of supported institutions")
            code = _error_code(resp)
            if code == BAD_KEYS and n == 1:
                continue  # a secret of the other environment: ask there
            if not http.settle(access, resp, f"{INSTITUTIONS} on {host}", dead={400} if code == BAD_KEYS else set(),
                               detail=f"({code})" if code else None,
                               why={400: "refused by production and the sandbox: invalid or rotated"}):
                return access
            try:
                listed = json_object(resp).get("institutions")
            except LookupUnavailable:
                listed = None
            if not isinstance(listed, list):  # a proxy's page, not Plaid's answer
                return access.unknown(f"{INSTITUTIONS} answered 200 without an institution list")
            return _live(access, host, client_id)
        return access


def _live(access: Access, host: str, client_id: str) -> Access:
    sandbox = host == SANDBOX
    access.facts["environment"] = "sandbox" if sandbox else "production"
    access.facts["client_id"] = client_id
    access.identity = f"Plaid client {client_id} ({access.facts['environment']})"
    access.reach = "account"
    if sandbox:
        access.capabilities = {"read", "write"}
        return access.note("a sandbox secret: test Items and fake banks only")
    access.capabilities = {"read", "write", "delete", "billing"}
    access.note("a production secret: with any access token of the client, reads its users' bank balances, "
                "transactions and identity, and can move money where Transfer is enabled")
    return access


detector = PlaidDetector()
