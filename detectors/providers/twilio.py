"""Twilio credentials: an Account SID with its Auth Token, or an API Key SID with its secret.

Formats (providers.md C.2; trufflehog ``twilio``, ``twilioapikey`` and its analyzer; gitleaks
``twilio-api-key``): Account SID ``AC`` + 32 hex paired with a 32-hex Auth Token (account-owner
power); API Key SID ``SK`` + 32 hex paired with a 32-character secret. Each half is useless
alone, so the patterns capture a pair found close together: the secret is the token, the SID an
extra. Key types are Main, Standard and Restricted.

Lookup, HTTP Basic ``SID:secret``:
- API keys first ask ``GET https://verify.twilio.com/v2/Services``: 200 live; 401 (code 20003)
  invalid; 403 with code 70051 means authenticated but not permitted, i.e. a Restricted key.
- ``GET https://api.twilio.com/2010-04-01/Accounts.json``: 200 means an Auth Token or a Main key
  (it lists the account and its subaccounts); for a key that passed the first call, 401 means a
  Standard key (trufflehog's heuristic: Standard keys cannot reach the Accounts resource).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tokenreach.detectors.base import Detector, LookupUnavailable, Pattern
from tokenreach.detectors.http import ProviderHTTP, json_object
from tokenreach.scanner.model import Access, Capability, Token

if TYPE_CHECKING:
    import httpx

_NEAR = r"[\s\S]{0,200}?"  # how far apart the two halves of a pair may be

PATTERNS = (
    Pattern(
        id="twilio.auth_token",
        name="Twilio Account SID and Auth Token",
        regex=r"(?i:twilio|sid|account|client)[^\n]{0,40}?\b(?P<account_sid>AC[0-9a-f]{32})\b" + _NEAR
        + r"\b(?P<secret>[0-9a-f]{32})\b",
        keywords=("twilio", "sid", "account", "client"),
        kind="auth_token",
        examples=(
            "TWILIO_ACCOUNT_SID=AC5e3b9c0d1f2a4b6c8d0e1f2a3b4c5d6e\nTWILIO_AUTH_TOKEN=9f8e7d6c5b4a39281706f5e4d3c2b1a0",
            'client = Client("AC0123456789abcdef0123456789abcdef", "fedcba9876543210fedcba9876543210")',
        ),
        counterexamples=(
            "TWILIO_ACCOUNT_SID=AC5e3b9c0d1f2a4b6c8d0e1f2a3b4c5d6e",  # a SID alone is not a secret
            "TWILIO_ACCOUNT_SID=AC5e3b9c0d1f2a4b6c8d0e1f2a3b4c5d6e sha256="
            "9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a0",  # longer hex
        ),
    ),
    Pattern(
        id="twilio.auth_token_first",
        name="Twilio Auth Token and Account SID",
        regex=r"(?i:auth_?token)[^\n]{0,30}?\b(?P<secret>[0-9a-f]{32})\b" + _NEAR
        + r"\b(?P<account_sid>AC[0-9a-f]{32})\b",
        keywords=("auth_token", "authtoken"),
        kind="auth_token",
        examples=(
            "TWILIO_AUTH_TOKEN=9f8e7d6c5b4a39281706f5e4d3c2b1a0\nTWILIO_ACCOUNT_SID=AC5e3b9c0d1f2a4b6c8d0e1f2a3b4c5d6e",
        ),
        counterexamples=("TWILIO_AUTH_TOKEN=9f8e7d6c5b4a39281706f5e4d3c2b1a0",),
    ),
    Pattern(
        id="twilio.api_key",
        name="Twilio API Key SID and secret",
        regex=r"(?i:twilio|key|sid)[^\n]{0,40}?\b(?P<key_sid>SK[0-9a-fA-F]{32})\b" + _NEAR
        + r"\b(?P<secret>[0-9A-Za-z]{32})\b",
        keywords=("twilio", "key", "sid"),
        kind="api_key",
        examples=(
            "TWILIO_API_KEY=SK2b4d6f8a0c1e3b5d7f9a1c3e5b7d9f0a\nTWILIO_API_SECRET=q7Zr2LkW9xNc4VbT6yHs8JdP1mGf3Ra5",
        ),
        counterexamples=(
            "TWILIO_API_KEY=SK2b4d6f8a0c1e3b5d7f9a1c3e5b7d9f0a",
            "TWILIO_API_KEY=SK2b4d6f8a0c1e3b5d7f9a1c3e5b7d9f0a secret=short",
        ),
    ),
    Pattern(
        id="twilio.api_key_secret_first",
        name="Twilio API Key secret and SID",
        regex=r"(?i:secret)[^\n]{0,30}?\b(?P<secret>[0-9A-Za-z]{32})\b" + _NEAR
        + r"\b(?P<key_sid>SK[0-9a-fA-F]{32})\b",
        keywords=("secret",),
        kind="api_key",
        examples=(
            "TWILIO_API_SECRET=q7Zr2LkW9xNc4VbT6yHs8JdP1mGf3Ra5\nTWILIO_API_KEY=SK2b4d6f8a0c1e3b5d7f9a1c3e5b7d9f0a",
        ),
        counterexamples=("TWILIO_API_SECRET=q7Zr2LkW9xNc4VbT6yHs8JdP1mGf3Ra5",),
    ),
    # A named Twilio secret whose SID is further away: the SID then comes from context_patterns.
    Pattern(
        id="twilio.named_auth_token",
        name="Twilio Auth Token",
        regex=r"(?i)twilio[\w.-]{0,20}?auth[_-]?token[\"']?\s*[:=]\s*[\"']?(?P<secret>[0-9a-f]{32})\b",
        keywords=("twilio",),
        kind="auth_token",
        examples=("TWILIO_AUTH_TOKEN=9f8e7d6c5b4a39281706f5e4d3c2b1a0",),
        counterexamples=("AUTH_TOKEN=9f8e7d6c5b4a39281706f5e4d3c2b1a0", "TWILIO_AUTH_TOKEN=${TOKEN}"),
    ),
    Pattern(
        id="twilio.named_api_secret",
        name="Twilio API Key secret",
        regex=r"(?i)twilio[\w.-]{0,20}?(?:api[_-]?key[_-]?)?secret[\"']?\s*[:=]\s*[\"']?(?P<secret>[0-9A-Za-z]{32})\b",
        keywords=("twilio",),
        kind="api_key",
        examples=("TWILIO_API_SECRET=q7Zr2LkW9xNc4VbT6yHs8JdP1mGf3Ra5",),
        counterexamples=("API_SECRET=q7Zr2LkW9xNc4VbT6yHs8JdP1mGf3Ra5", "TWILIO_API_SECRET=short"),
    ),
)

_OWNER: set[Capability] = {"read", "write", "delete", "admin", "billing"}
_STANDARD: set[Capability] = {"read", "write", "delete"}
_INVALID_CREDENTIALS = 20003
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
