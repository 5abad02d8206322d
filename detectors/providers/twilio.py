"""Twilio credentials: an Account SID with its Auth Token, or an API Key SID with its secret.

Formats (providers.md C.2; "What is a String Identifier (SID)?", twilio.com/docs/glossary/what-is-a-sid:
a two-letter prefix + 32 hex; "REST API: Key Resource v1", twilio.com/docs/iam/api-keys/key-resource-v1:
``^SK[0-9a-fA-F]{32}$`` and the key types; the Auth Token's and the key secret's length and alphabet
are not documented by Twilio, and are the shapes they have in public code): Account SID ``AC`` + 32
hex paired with a 32-hex Auth Token (account-owner power); API Key SID ``SK`` + 32 hex paired with a
32-character secret. Each half is useless alone, so the patterns capture a pair found close
together: the secret is the token, the SID an extra. Key types are Main, Standard and Restricted.

Lookup, HTTP Basic ``SID:secret``:
- API keys first ask ``GET https://verify.twilio.com/v2/Services``: 200 live; 401 (code 20003)
  invalid; 403 with code 70051 means authenticated but not permitted, i.e. a Restricted key.
- ``GET https://api.twilio.com/2010-04-01/Accounts.json``: 200 means an Auth Token or a Main key
  (it lists the account and its subaccounts); for a key that passed the first call, 401 means a
  Standard key (Twilio's key types table, twilio.com/docs/iam/api-keys/keys-in-console: Standard
  keys may not use the Accounts resource, ``/Accounts``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tokenreach.detectors.base import Detector, LookupUnavailable
from tokenreach.detectors.http import ProviderHTTP, json_object
from tokenreach.detectors.rule_files import rules_for
from tokenreach.scanner.model import Access, Capability, Token

if TYPE_CHECKING:
    import httpx


PATTERNS = rules_for("twilio")

_OWNER: set[Capability] = {"read", "write", "delete", "admin", "billing"}
_STANDARD: set[Capability] = {"read", "write", "delete"}
_AUTHENTICATED_NO_PERMISSION = 70051


def _sid(token: Token, field: str) -> str:
    """The SID captured with the secret, else one found near it."""
    return token.extras.get(field) or token.context.get(field) or ""


def _paired_elsewhere(token: Token, field: str) -> bool:
    """The SID came from the text around the secret, not from the match itself: it may be another
    account's or key's, and Twilio answers a wrong pair 401 just as it answers a revoked secret."""
    return not token.extras.get(field) and bool(token.context.get(field))


def _verify_refusal(resp: httpx.Response, paired_elsewhere: bool) -> dict[str, Any]:
    """ProviderHTTP.settle's arguments for Verify's answer to an API key: 401 is a bad SID/secret
    pair, unless the SID was found away from the secret (then it may be another key's); 403 code
    70051 is a key that authenticated but may not use Verify."""
    if resp.status_code == 401 and paired_elsewhere:
        return {"dead": (), "why": {401: "revoked, or not this SID's secret (the SK… SID was found away from it)"}}
    if resp.status_code == 401:
        return {"why": {401: "invalid key SID/secret pair or revoked key"}}
    if resp.status_code == 403 and _code(resp) == _AUTHENTICATED_NO_PERMISSION:
        return {"forbidden": {403}, "detail": f"code {_AUTHENTICATED_NO_PERMISSION}",
                "why": {403: "authenticated, not permitted: a Restricted key; its permissions cannot be "
                             "listed read-only"}}
    return {}


def _code(resp: httpx.Response) -> int | None:
    try:
        code = json_object(resp).get("code")
    except LookupUnavailable:  # an error body that is not JSON says nothing more
        return None
    return code if isinstance(code, int) else None


class TwilioDetector(Detector):
    provider = "twilio"
    title = "Twilio"
    patterns = PATTERNS
    api_url = "https://api.twilio.com"
    hosts = ("api.twilio.com", "verify.twilio.com")
    # The other half of a pair, when it is not right next to the secret.
    context_patterns = {"account_sid": r"\b(AC[0-9a-f]{32})\b", "key_sid": r"\b(SK[0-9a-fA-F]{32})\b"}
    request_budget = 60
    revoke_url = "https://console.twilio.com/us1/account/keys-credentials/api-keys"
    least_privilege = (
        "create a Standard or Restricted API key (SK…) instead of using the Account auth token"
    )

    def classify(self, token: Token) -> Access:
        access = Access(evidence="prefix")
        field = "account_sid" if token.kind == "auth_token" else "key_sid"
        if token.kind == "auth_token":
            access.note("Account SID with an Auth Token: the account owner's credential")
        else:
            access.note("API Key SID with its secret (Main, Standard or Restricted)")
        if sid := _sid(token, field):
            access.facts[field] = sid
        else:
            access.note(f"no {'AC' if field == 'account_sid' else 'SK'}… SID nearby: cannot be looked up")
        return access

    def lookup(self, token: Token, http: ProviderHTTP, offline: Access) -> Access:
        access = offline
        if token.kind == "auth_token":
            sid = _sid(token, "account_sid")
            if not sid:
                return access.unknown("no Account SID to pair the Auth Token with")
            return self._accounts(http, (sid, token.secret), access, key_type=None, want=sid,
                                  sid_nearby=_paired_elsewhere(token, "account_sid"))
        sid = _sid(token, "key_sid")
        if not sid:
            return access.unknown("no API Key SID to pair the secret with")
        auth = (sid, token.secret)
        resp = http.get("/v2/Services", host="verify.twilio.com", auth=auth)
        if not http.settle(access, resp, "Verify /v2/Services",
                           **_verify_refusal(resp, _paired_elsewhere(token, "key_sid"))):
            if access.live:  # authenticated, but may not use Verify: a Restricted key
                access.grants = ["Restricted"]
                access.reach = "account"
                access.facts["key_type"] = "Restricted"
            return access
        json_object(resp)  # a 200 that is not JSON is not Twilio
        try:
            return self._accounts(http, auth, access, key_type="Main", want=None)
        except LookupUnavailable as exc:  # live already; only the key type stays unknown
            return access.note(f"key type unknown: {exc}")

    def _accounts(self, http: ProviderHTTP, auth: tuple[str, str], access: Access, *,
                  key_type: str | None, want: str | None, sid_nearby: bool = False) -> Access:
        resp = http.get("/2010-04-01/Accounts.json", auth=auth)
        if key_type is None:  # an Auth Token: this answer decides its liveness
            # Paired with an Account SID found away from it, the token may be another account's.
            why = {401: "revoked, or not this account's token (the Account SID was found away from it)"
                   if sid_nearby else "this Account SID and Auth Token do not authenticate together "
                   "(revoked, rotated or not a pair)"}
            if not http.settle(access, resp, "Accounts.json", dead=() if sid_nearby else None, why=why):
                return access
        elif resp.status_code == 401:
            access.grants = ["Standard"]
            access.facts["key_type"] = "Standard"
            access.capabilities = set(_STANDARD)
            access.reach = "account"
            return access.note("Accounts.json answered 401 to a working key: a Standard key (everything "
                               "except key management and account configuration)")
        body = json_object(resp) if resp.status_code == 200 else {}
        accounts = [a for a in body.get("accounts") or [] if isinstance(a, dict)]
        if not accounts:
            reason = f"Accounts.json answered HTTP {resp.status_code}" + (" without accounts" if body else "")
            if key_type:  # the key is live already (Verify said so); only its type is unknown
                return access.note(f"{reason}: key type unknown")
            return access.unknown(reason)
        access.live = True
        access.evidence = "api"
        access.capabilities = set(_OWNER)
        if key_type:
            access.grants = [key_type]
            access.facts["key_type"] = key_type
            access.note("Accounts.json answered 200: a Main key, which can manage keys and subaccounts")
        else:
            access.note("Accounts.json answered 200: the Auth Token has full owner access to the account")
        own = next((a for a in accounts if a.get("sid") == want), accounts[0])
        name, sid = own.get("friendly_name"), own.get("sid")
        access.identity = f"{name} ({sid})" if name else str(sid)
        for field in ("type", "status"):
            if isinstance(own.get(field), str):
                access.facts[f"account_{field}"] = own[field]
        if own.get("status") not in (None, "active"):
            access.note(f"the account is {own.get('status')}")
        if own.get("type") == "Trial":
            access.facts["environment"] = "trial"
        more = body.get("next_page_uri") is not None
        names = [str(a.get("sid")) for a in accounts]
        access.add_resources(names, len(names) + (1 if more else 0))
        sub = len(accounts) - 1
        access.reach = "organization" if sub > 0 or more else "account"
        if sub > 0 or more:
            access.note(f"reaches {sub}{'+' if more else ''} subaccount(s) as well")
        return access


detector = TwilioDetector()
