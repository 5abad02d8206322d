"""Heroku Platform API tokens.

Formats (providers.md B.12; gitleaks ``heroku-api-key-v2``, trufflehog): ``HRKU-AA`` + 58
characters ``[0-9A-Za-z_-]``. Older API keys and OAuth tokens are bare UUIDs, found next to a
``heroku`` name or as the ``api.heroku.com`` password in a ``.netrc`` (where ``heroku login``
writes it).

Lookup, read-only (Accept ``application/vnd.heroku+json; version=3``): ``GET /account`` for
liveness and who; ``GET /oauth/authorizations`` to find this token's authorization and its
``scope`` list (``global``, ``identity``, ``read``, ``write``, ``read-protected``,
``write-protected``); ``GET /apps`` for reach. Never
``POST /oauth/authorizations/{id}/actions/regenerate-tokens`` nor any DELETE.
"""

from __future__ import annotations

import hmac

from tokenreach.detectors.base import Detector, LookupUnavailable, Pattern
from tokenreach.detectors.http import ProviderHTTP, json_object, json_of
from tokenreach.scanner.model import Access, Capability, Token

_UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
_V2 = r"HRKU-AA[0-9a-zA-Z_-]{58}"
_V2_EXAMPLE = "HRKU-AA" + "k2Jd9_xQ-7mWp4ZtLr0Vb3Nc8Hs1Fy6Ge5Ua2Io9Tq7Ek4Rw0Ym3Xn6Bv8"

PATTERNS = (
    # ~/.netrc as written by `heroku login`: the password is the CLI's token.
    Pattern(
        id="heroku.netrc",
        name="Heroku token in .netrc",
        regex=(r"machine\s+api\.heroku\.com\s+login\s+(?P<login>\S{1,100})\s+password\s+"
               rf"(?P<secret>{_V2}|{_UUID})\b"),
        keywords=("api.heroku.com",),
        kind="api_token",
        examples=("machine api.heroku.com\n  login dev@example.com\n"
                  "  password 01234567-89ab-cdef-0123-456789abcdef",),
        counterexamples=("machine git.heroku.com\n  login dev@example.com\n  password hunter2",),
    ),
    Pattern(
        id="heroku.api_key_v2",
        name="Heroku API key",
        regex=rf"\b(?P<secret>{_V2})\b",
        keywords=("hrku-aa",),
        kind="api_token",
        examples=(f"HEROKU_API_KEY={_V2_EXAMPLE}",),
        counterexamples=(_V2_EXAMPLE[:-1], "HRKU-AB" + _V2_EXAMPLE[7:]),
    ),
    Pattern(
        id="heroku.api_key_legacy",
        name="Heroku API key or OAuth token (UUID)",
        regex=rf"(?i:heroku)[\w.-]{{0,40}}?['\"]?\s*[:=]\s*['\"]?(?P<secret>{_UUID})\b",
        keywords=("heroku",),
        kind="legacy_token",
        examples=("HEROKU_API_KEY=cf0e05d9-4eca-4948-a012-b91fe9704bab",
                  'heroku_token: "a6e98151-f242-4592-b107-25fbac5ab410"'),
        counterexamples=("HEROKU_APP_ID=a6e98151-f242-4592-b107", "API_KEY=cf0e05d9-4eca-4948-a012-b91fe9704bab"),
    ),
)

_ACCEPT = "application/vnd.heroku+json; version=3"
# OAuth scopes (devcenter.heroku.com/articles/oauth#scopes) → capabilities.
_SCOPE_CAPS: dict[str, set[Capability]] = {
    "global": {"read", "write", "delete", "admin", "billing", "secrets"},
    "write-protected": {"read", "write", "delete", "secrets"},
    "read-protected": {"read", "secrets"},
    "write": {"read", "write", "delete"},
    "read": {"read"},
    "identity": {"read"},  # the account's own profile
}


class HerokuDetector(Detector):
    provider = "heroku"
    title = "Heroku"
    patterns = PATTERNS
    api_url = "https://api.heroku.com"
    hosts = ("api.heroku.com",)
    request_budget = 60  # Heroku allows 4,500 requests an hour per account
    revoke_url = "https://dashboard.heroku.com/account/applications"
    least_privilege = ("create an OAuth authorization with the narrowest scope its job needs (read or write, "
                       "never global) and an expiry: heroku authorizations:create --scope read")

    def classify(self, token: Token) -> Access:
        access = Access(evidence="prefix")
        if token.secret.startswith("HRKU-"):
            access.note("HRKU- prefix: Heroku API key or OAuth token; scope is not encoded")
        else:
            access.note("UUID Heroku token: an older API key or an OAuth token")
        if token.extras.get("login"):
            access.note("found in .netrc: the Heroku CLI's login, a global-scope token")
        return access

    def lookup(self, token: Token, http: ProviderHTTP, offline: Access) -> Access:
        headers = {"Authorization": f"Bearer {token.secret}", "Accept": _ACCEPT}
        access = offline
        resp = http.get("/account", headers=headers)
        if not http.settle(access, resp, "/account", why={401: "invalid, revoked or expired"}):
            return access
        account = json_object(resp)
        if not account.get("id") and not account.get("email"):
            return access.unknown("/account answered 200 without an account")
        access.identity = str(account.get("email") or account.get("id"))
        access.reach = "account"
        if account.get("two_factor_authentication") is False:
            access.facts["two_factor"] = False
        try:
            _scope(token, http, headers, access)
            _apps(http, headers, access)
        except LookupUnavailable as exc:  # liveness is settled; only scope or reach stay open
            access.note(f"permissions incomplete: {exc}")
        return access


def _impact(access: Access) -> None:
    if "global" in access.grants:
        access.note("can read every app's config vars (secrets), deploy and delete apps, and change "
                    "add-ons and billing")
    elif "write-protected" in access.grants or "read-protected" in access.grants:
        access.note("can read every app's config vars (secrets)")


def _scope(token: Token, http: ProviderHTTP, headers: dict[str, str], access: Access) -> None:
    resp = http.get("/oauth/authorizations", headers=headers)
    if resp.status_code != 200:
        # Listing authorizations needs a global token; anything narrower is refused here.
        access.note(f"/oauth/authorizations answered HTTP {resp.status_code}: narrower than global, "
                    "exact scope unknown")
        access.facts["scope"] = "unknown (not global)"
        return
    rows = json_of(resp)
    mine = None
    for row in rows if isinstance(rows, list) else []:
        tok = (row.get("access_token") or {}).get("token") if isinstance(row, dict) else None
        if isinstance(tok, str) and hmac.compare_digest(tok.encode(), token.secret.encode()):
            mine = row
            break
    if mine is not None:
        scopes = [str(s) for s in mine.get("scope") or []]
        access.grants = scopes
        access.capabilities |= _scope_caps(scopes)
        expires_in = (mine.get("access_token") or {}).get("expires_in")
        if expires_in is None:
            access.facts["no_expiry"] = True
        desc = mine.get("description") or (mine.get("client") or {}).get("name") or "no description"
        access.note(f"matches OAuth authorization {desc!r} with scope {', '.join(scopes) or 'none'}")
        _impact(access)
        return
    # Authorizations are listed only for global tokens, and this one is not among them: the
    # account's API key or a CLI session, both acting as the whole user.
    access.grants = ["global"]
    access.capabilities |= _SCOPE_CAPS["global"]
    access.note("lists the account's OAuth authorizations (needs global scope) and is not one of "
                "them: the API key or a CLI session, with global scope")
    _impact(access)


def _apps(http: ProviderHTTP, headers: dict[str, str], access: Access) -> None:
    resp = http.get("/apps", headers={**headers, "Range": "name ..; max=200"})
    if resp.status_code not in (200, 206):
        access.note(f"/apps answered HTTP {resp.status_code}")
        return
    rows = json_of(resp)
    apps = [a for a in rows if isinstance(a, dict)] if isinstance(rows, list) else []
    names = [str(a.get("name")) for a in apps if a.get("name")]
    teams = sorted({str((a.get("team") or {}).get("name")) for a in apps if isinstance(a.get("team"), dict)})
    access.add_resources([f"app {n}" for n in names])
    if teams:
        access.facts["teams"] = teams
        access.reach = "organization"
    if names and "read" not in access.capabilities and not access.grants:
        access.capabilities.add("read")  # listing apps needs at least the read scope
    access.note(f"sees {len(names)} app(s)" + (f" across team(s) {', '.join(teams)}" if teams else "")
                + (" (first page)" if resp.status_code == 206 else ""))


def _scope_caps(scopes: list[str]) -> set[Capability]:
    caps: set[Capability] = set()
    for s in scopes:
        caps |= _SCOPE_CAPS.get(s, set())
    return caps


detector = HerokuDetector()
