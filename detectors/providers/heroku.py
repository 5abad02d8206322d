"""Heroku Platform API tokens.

Formats (providers.md B.12): ``HRKU-AA`` + 58 characters ``[0-9A-Za-z_-]`` (not documented by
Heroku; the shape its keys have in public code). Older API keys and OAuth tokens are bare UUIDs,
found next to a ``heroku`` name or as the ``api.heroku.com`` password in a ``.netrc`` (where
``heroku login`` writes it).

Lookup, read-only (Accept ``application/vnd.heroku+json; version=3``): ``GET /account`` for
liveness and who; ``GET /oauth/authorizations`` to find this token's authorization and its
``scope`` list (``global``, ``identity``, ``read``, ``write``, ``read-protected``,
``write-protected``); ``GET /apps`` for reach. Never
``POST /oauth/authorizations/{id}/actions/regenerate-tokens`` nor any DELETE.

What each scope may call (devcenter.heroku.com/articles/oauth#scopes): ``identity`` reads the
account's profile and nothing else (403 on ``/apps``); ``read`` and ``write`` reach every app
"excluding account information, configuration variables and other protected data" (403 on
``/account``); ``read-protected`` and ``write-protected`` add the config vars; only ``global``
lists OAuth authorizations. So a 403 on ``/account`` is not the end: ``/apps`` tells a live app
token, and the status of one app's ``/config-vars`` (its body is never read) tells whether the
token sees protected data. Read and write cannot be told apart without writing, so an app token
is reported with what its scope may at most do, and says so.
"""

from __future__ import annotations

import hmac
from typing import TYPE_CHECKING
from urllib.parse import quote

from tokenreach.detectors.base import Detector, LookupUnavailable
from tokenreach.detectors.http import ProviderHTTP, json_object, json_of
from tokenreach.detectors.rule_files import rules_for
from tokenreach.scanner.model import Access, Capability, Token

if TYPE_CHECKING:
    import httpx

_UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"

PATTERNS = rules_for("heroku")

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
        if resp.status_code == 403:
            # read, write, read-protected and write-protected exclude account information.
            access.note("/account answered 403: the token's scope excludes account information "
                        "(read, write, read-protected or write-protected); asking /apps")
            return _app_token(http, headers, access)
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
            status = _apps(http, headers, access)
            if access.facts.get("scope") == _NOT_GLOBAL:
                _narrow_scope(http, headers, access, status)
        except LookupUnavailable as exc:  # liveness is settled; only scope or reach stay open
            access.note(f"permissions incomplete: {exc}")
        return access


_NOT_GLOBAL = "unknown (not global)"
_APP_SCOPES = ("read", "write", "read-protected", "write-protected")


def _app_token(http: ProviderHTTP, headers: dict[str, str], access: Access) -> Access:
    """A token refused account information: ``/apps`` decides whether it is live."""
    resp = http.get("/apps", headers={**headers, "Range": "name ..; max=200"})
    if not http.settle(access, resp, "/apps", why={401: "invalid, revoked or expired"}):  # 206: a page
        if access.live is None:
            access.note("refused both /account and /apps: no scope Heroku documents does that")
        return access
    access.reach = "account"
    access.facts["scope"] = "one of " + ", ".join(_APP_SCOPES)
    try:
        _read_apps(resp, access)
        _protected(http, headers, access)
    except LookupUnavailable as exc:
        access.note(f"permissions incomplete: {exc}")
    return access


def _narrow_scope(http: ProviderHTTP, headers: dict[str, str], access: Access, apps_status: int) -> None:
    """Account information readable, authorizations not: identity, maybe with an app scope."""
    if apps_status == 403:
        access.grants = ["identity"]
        access.capabilities = {"read"}
        access.reach = "resource"
        access.facts["scope"] = "identity"
        access.add_resources([f"account {access.identity}"])
        access.note("identity scope: can read the account's own profile (email, name) and nothing else; "
                    "no app, config var or add-on")
        return
    if apps_status in (200, 206):
        access.facts["scope"] = "identity and one of " + ", ".join(_APP_SCOPES)
        _protected(http, headers, access)


def _protected(http: ProviderHTTP, headers: dict[str, str], access: Access) -> None:
    """Whether the token may read protected data, from the status of one app's config vars. The
    body (the app's secrets) is dropped unread. Read and write look alike to every read-only call,
    so the capabilities are the most the remaining scopes allow."""
    app = next((r.split(" ", 1)[1] for r in access.resources if r.startswith("app ")), None)
    if app is None:
        access.capabilities |= _SCOPE_CAPS["write-protected"]
        access.note("no app to tell read from read-protected: assuming write-protected, the most an app "
                    "scope allows")
        return
    resp = http.get(f"/apps/{quote(app, safe='')}/config-vars", headers=headers)
    if resp.status_code == 200:
        access.capabilities |= _SCOPE_CAPS["write-protected"]
        access.facts["scope"] = "read-protected or write-protected"
        access.note(f"can read every app's config vars (secrets): /apps/{app}/config-vars answered 200; "
                    "with write-protected it can also change them (read-only calls cannot tell which)")
    elif resp.status_code == 403:
        access.capabilities |= _SCOPE_CAPS["write"]
        access.facts["scope"] = "read or write"
        access.note(f"/apps/{app}/config-vars answered 403: no protected data; with the write scope it can "
                    "change, scale and deploy every app (read-only calls cannot tell read from write)")
    else:
        access.capabilities |= _SCOPE_CAPS["write-protected"]
        access.note(f"/apps/{app}/config-vars answered HTTP {resp.status_code}: assuming write-protected, "
                    "the most an app scope allows")


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
        access.facts["scope"] = _NOT_GLOBAL
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


def _apps(http: ProviderHTTP, headers: dict[str, str], access: Access) -> int:
    resp = http.get("/apps", headers={**headers, "Range": "name ..; max=200"})
    if resp.status_code not in (200, 206):
        access.note(f"/apps answered HTTP {resp.status_code}")
        return resp.status_code
    _read_apps(resp, access)
    return resp.status_code


def _read_apps(resp: httpx.Response, access: Access) -> None:
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
