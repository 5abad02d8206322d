"""GitHub tokens: classic and fine-grained PATs, OAuth, App user, installation and refresh tokens.

Formats (providers.md B.2; docs.github.com "About authentication to GitHub", token-format table;
github.blog 2021-04-05 "Behind GitHub's new authentication token formats"): ``ghp_`` classic PAT,
``gho_`` OAuth, ``ghu_`` App user, ``ghs_`` App installation (and Actions ``GITHUB_TOKEN``),
``ghr_`` App refresh token, each 36 characters of which the last 6 are a base62 CRC32 of the 30
before them; ``github_pat_`` + 22 + ``_`` + 59 fine-grained PAT; pre-2021 tokens are 40 hex
characters with nothing but the variable name to say they are GitHub's.

Lookups are GETs only: ``/user`` (its ``X-OAuth-Scopes`` header lists a classic token's scopes),
``/user/orgs`` and ``/user/repos`` for reach, ``/user/installations`` for App user tokens,
``/installation/repositories`` for installation tokens, and a few per-repository read probes whose
403 names the missing fine-grained permission in ``X-Accepted-GitHub-Permissions``. Write access
of fine-grained and installation tokens is never probed: only a write could prove it (A.1).
Refresh tokens are never redeemed: redeeming one rotates it.
"""

from __future__ import annotations

import re
import zlib
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from tokenreach.detectors.base import Detector, LookupUnavailable
from tokenreach.detectors.http import json_object, json_of
from tokenreach.detectors.rule_files import rules_for
from tokenreach.scanner.model import Access, Capability, Reach, Token

if TYPE_CHECKING:
    import httpx

    from tokenreach.detectors.http import ProviderHTTP

# Checksum of the gh?_ formats -----------------------------------------------------------------

BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_RANDOM_LEN = 30  # random characters between the prefix and the 6-character checksum
_CHECKSUM_LEN = 6


def base62(number: int, width: int = _CHECKSUM_LEN) -> str:
    """``number`` in base62 (pybase62's alphabet), left-padded with zeros to ``width``."""
    digits = ""
    while number:
        number, rem = divmod(number, 62)
        digits = BASE62[rem] + digits
    return digits.rjust(width, "0")


def checksum_ok(token: str) -> bool:
    """True when a ``gh?_`` token's last 6 characters are the base62 CRC32 of the 30 before them.

    Anything else (wrong length, other prefix, non-ASCII) is False; never raises.
    """
    if len(token) != 4 + _RANDOM_LEN + _CHECKSUM_LEN or not re.fullmatch(r"gh[a-z]_[A-Za-z0-9]+", token):
        return False
    body, check = token[4:-_CHECKSUM_LEN], token[-_CHECKSUM_LEN:]
    return base62(zlib.crc32(body.encode("ascii"))) == check


def with_checksum(prefix: str, random30: str) -> str:
    """A well-formed ``gh?_`` token from 30 random characters (for examples and fakes)."""
    if len(random30) != _RANDOM_LEN:
        raise ValueError("need exactly 30 characters")
    return f"{prefix}_{random30}{base62(zlib.crc32(random30.encode('ascii')))}"


def _refresh_ok(token: str) -> bool:
    # ghr_ + 36 carries the checksum; the 76-character form of issued refresh tokens has no known
    # rule (GitHub documents only the ghr_ prefix: docs.github.com "Refreshing user access tokens").
    return checksum_ok(token) if len(token) == 40 else True


# Patterns -----------------------------------------------------------------------------------

PATTERNS = rules_for("github", validate={"github.refresh": _refresh_ok})

# Classic scopes → capabilities (providers.md B.2 §4, docs "Scopes for OAuth apps"). Scopes not
# listed here still appear verbatim in grants.
_SCOPES: dict[str, tuple[Capability, ...]] = {
    "repo": ("read", "write"),
    "public_repo": ("read", "write"),
    "repo:status": ("read", "write"),
    "repo_deployment": ("read", "write"),
    "repo:invite": ("read", "write"),
    "security_events": ("read", "write"),
    "delete_repo": ("delete",),
    "workflow": ("write", "secrets"),  # edits workflows, which read every CI secret
    "admin:org": ("read", "write", "admin"),
    "write:org": ("read", "write"),
    "read:org": ("read",),
    "admin:repo_hook": ("read", "write", "delete"),
    "write:repo_hook": ("read", "write"),
    "read:repo_hook": ("read",),
    "admin:org_hook": ("read", "write", "delete", "admin"),
    "admin:public_key": ("read", "write", "delete", "admin"),  # an SSH key on the account
    "write:public_key": ("read", "write"),
    "read:public_key": ("read",),
    "admin:gpg_key": ("read", "write", "delete"),
    "write:gpg_key": ("read", "write"),
    "read:gpg_key": ("read",),
    "admin:ssh_signing_key": ("read", "write", "delete"),
    "gist": ("read", "write"),
    "notifications": ("read",),
    "user": ("read", "write"),
    "read:user": ("read",),
    "user:email": ("read",),
    "user:follow": ("write",),
    "project": ("read", "write"),
    "read:project": ("read",),
    "write:packages": ("read", "write"),
    "read:packages": ("read",),
    "delete:packages": ("delete",),
    "codespace": ("read", "write", "secrets"),
    "codespace:secrets": ("secrets",),
    "admin:enterprise": ("read", "write", "admin", "billing"),
    "manage_runners:enterprise": ("write", "secrets"),
    "manage_billing:enterprise": ("billing",),
    "read:enterprise": ("read",),
    "read:audit_log": ("read",),
    "audit_log": ("read",),
    "site_admin": ("admin",),  # GitHub Enterprise Server
    "copilot": ("read", "write"),
    "manage_billing:copilot": ("billing",),
}
# Scopes that act on organizations the user belongs to, not only on the user's own account.
_ORG_SCOPES = frozenset({
    "repo", "public_repo", "admin:org", "write:org", "read:org", "workflow", "delete_repo",
    "admin:repo_hook", "admin:org_hook", "write:packages", "delete:packages", "admin:enterprise",
})

# Read probes for tokens without a scopes header (fine-grained PAT, installation token):
# (fine-grained permission they evidence, path under /repos/{owner}/{repo}, params).
_PROBES: tuple[tuple[str, str, dict[str, Any]], ...] = (
    ("contents", "commits", {"per_page": 1}),
    ("administration", "actions/permissions", {}),
    ("secrets", "actions/secrets", {"per_page": 1}),
    ("repository_hooks", "hooks", {"per_page": 1}),
)

_API_HEADERS = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}
_PER_PAGE = 100


class GitHubDetector(Detector):
    provider = "github"
    title = "GitHub"
    patterns = PATTERNS
    api_url = "https://api.github.com"  # GitHub Enterprise: TOKENREACH_GITHUB_API_URL=https://host/api/v3
    hosts = ("api.github.com",)
    request_budget = 150  # at most 6 requests per token; 5,000/hour is the user's own quota
    revoke_url = "https://github.com/settings/tokens"
    least_privilege = (
        "create a fine-grained GitHub token on the one repository it needs, with only the permissions it "
        "uses (e.g. contents: read), and an expiry"
    )

    # Offline ---------------------------------------------------------------------------------

    def classify(self, token: Token) -> Access:
        secret = token.secret
        kind = _kind_of(secret) or token.kind or "unknown"
        access = Access(evidence="prefix")
        access.facts["kind"] = kind
        if re.match(r"gh[pousr]_", secret) and len(secret) == 40:
            if checksum_ok(secret):
                access.evidence = "offline"
                access.note(f"kind {kind} from the prefix; its CRC32 checksum verifies")
            else:
                access.note(f"kind {kind} from the prefix; its CRC32 checksum does NOT verify")
                access.facts["checksum_valid"] = False
        else:
            access.note(f"kind {kind} from the token's format")
        if kind == "refresh":
            access.note("App refresh token: never redeemed here, since redeeming rotates it; "
                        "it can mint user tokens for as long as it is valid (6 months)")
        if kind == "app_installation":
            access.note("installation tokens expire after an hour (Actions GITHUB_TOKEN at job end)")
        if kind == "classic_pat":
            # GitHub documents that a classic PAT acts as its user on everything the user can reach;
            # only its scopes narrow what it can do there, and only the API says which.
            access.reach = "account"
            access.note("a classic personal access token reaches everything its user can (account-wide)")
        return access

    # Lookup ----------------------------------------------------------------------------------

    def lookup(self, token: Token, http: ProviderHTTP, offline: Access) -> Access:
        kind = _kind_of(token.secret) or token.kind or "unknown"
        headers = {**_API_HEADERS, "Authorization": f"Bearer {token.secret}"}
        if kind == "refresh":
            return offline.note("refresh tokens are not looked up")
        enterprise = None if http.overridden else _enterprise_hint(token)
        if enterprise:
            # api.github.com answers 401 for a GitHub Enterprise Server token: that is not "revoked".
            return offline.unknown(f"looks like a GitHub Enterprise Server token ({enterprise}); set "
                                   "TOKENREACH_GITHUB_API_URL=https://<host>/api/v3 to look it up")
        if kind == "app_installation":
            return _installation(http, headers, offline)
        resp = http.get("/user", headers=headers)
        if not http.settle(offline, resp, "/user", why=_why(http, resp)):
            return offline
        user = json_object(resp)
        access = offline
        access.identity = str(user.get("login") or user.get("id") or "unknown user")
        if user.get("type") == "Bot":
            access.identity = f"bot {access.identity}"
        _expiry(access, resp, classic=kind in ("classic_pat", "legacy_token"))
        if kind == "app_user":
            return _app_user(http, headers, access)
        if kind == "fine_grained_pat":
            return _fine_grained(http, headers, access)
        return _classic(http, headers, access, resp, user)


_KINDS = {"ghp_": "classic_pat", "gho_": "oauth", "ghu_": "app_user", "ghs_": "app_installation",
                  "ghr_": "refresh", "github_pat_": "fine_grained_pat"}


def _enterprise_hint(token: Token) -> str | None:
    """Why the token seems to be for a GitHub Enterprise Server host, or None.

    gh CLI reads GH_ENTERPRISE_TOKEN / GITHUB_ENTERPRISE_TOKEN for GHES hosts; context found near
    the match may name a GitHub host that is not github.com. Such a host is never contacted.
    """
    if token.variable and "ENTERPRISE" in token.variable.upper():
        return f"variable {token.variable}"
    for key, value in token.context.items():
        if not re.search(r"github|gh_host|ghe", key, re.IGNORECASE) or "://" not in value:
            continue
        try:
            host = (urlsplit(value).hostname or "").lower()
        except ValueError:
            continue
        if host and host not in ("github.com", "api.github.com") and not host.endswith(".github.com"):
            return f"host {host}"
    return None


def _kind_of(secret: str) -> str | None:
    for prefix, kind in _KINDS.items():
        if secret.startswith(prefix):
            return kind
    if re.fullmatch(r"[0-9a-fA-F]{40}", secret):
        return "legacy_token"
    return None


# Classic PAT, OAuth and pre-2021 tokens ------------------------------------------------------


def _classic(http: ProviderHTTP, headers: dict[str, str], access: Access, resp: httpx.Response,
             user: dict[str, Any]) -> Access:
    raw = resp.headers.get("X-OAuth-Scopes")
    if raw is None:
        access.note("/user sent no X-OAuth-Scopes header: scopes unknown")
        scopes: list[str] = []
    else:
        scopes = [s.strip() for s in raw.split(",") if s.strip()]
        access.grants = scopes
        if scopes:
            access.note(f"scopes from the X-OAuth-Scopes header: {', '.join(scopes)}")
        else:
            access.note("X-OAuth-Scopes is empty: no scopes, read-only access to public data")
    access.capabilities = {"read"}
    for scope in scopes:
        access.capabilities.update(_SCOPES.get(scope, ()))

    orgs = _orgs(http, headers, access)
    repos = _repos(http, headers, access, owned_hint=_owned_count(user))
    org_wide = bool(orgs) and any(s in _ORG_SCOPES for s in scopes)
    access.reach = "organization" if org_wide else "account"
    if org_wide:
        access.note(f"scopes reach the {len(orgs)} organization(s) {access.identity} belongs to")
    if repos is not None:
        admin_repos = [r for r in repos if (r.get("permissions") or {}).get("admin")]
        if admin_repos and ("repo" in scopes or "public_repo" in scopes):
            # repo scope on a repository the user administers: settings, collaborators, deploy keys.
            access.capabilities.add("admin")
            access.note(f"repo scope and admin role on {len(admin_repos)} listed repositories")
    if "admin:org" in scopes:
        access.note("admin:org fully manages every organization the user administers")
    return access


def _owned_count(user: dict[str, Any]) -> int:
    total = 0
    for field in ("public_repos", "total_private_repos"):
        value = user.get(field)
        if isinstance(value, int):
            total += value
    return total


def _orgs(http: ProviderHTTP, headers: dict[str, str], access: Access) -> list[str]:
    try:
        resp = http.get("/user/orgs", headers=headers, params={"per_page": _PER_PAGE})
        if resp.status_code != 200:
            access.note(f"/user/orgs answered HTTP {resp.status_code}: organizations unknown")
            return []
        body = json_of(resp)
    except LookupUnavailable as exc:
        access.note(f"organizations unknown: {exc}")
        return []
    if not isinstance(body, list):
        access.note("/user/orgs sent an unexpected body: organizations unknown")
        return []
    orgs = [str(o.get("login")) for o in body if isinstance(o, dict) and o.get("login")]
    access.add_resources([f"org {o}" for o in orgs])
    access.facts["orgs"] = orgs
    _sso(resp, access)
    return orgs


def _repos(http: ProviderHTTP, headers: dict[str, str], access: Access,
           owned_hint: int = 0) -> list[dict[str, Any]] | None:
    """First page of the repositories the token sees; counts repos it could push to or administer."""
    try:
        resp = http.get("/user/repos", headers=headers, params={"per_page": _PER_PAGE, "sort": "pushed"})
        if resp.status_code != 200:
            access.note(f"/user/repos answered HTTP {resp.status_code}: repositories unknown")
            return None
        body = json_of(resp)
    except LookupUnavailable as exc:
        access.note(f"repositories unknown: {exc}")
        return None
    if not isinstance(body, list):
        access.note("/user/repos sent an unexpected body: repositories unknown")
        return None
    repos = [r for r in body if isinstance(r, dict) and r.get("full_name")]
    pages = _last_page(resp.headers.get("Link"))
    at_least = (pages - 1) * _PER_PAGE + 1 if pages > 1 else len(repos)
    access.add_resources([str(r["full_name"]) for r in repos], max(at_least, owned_hint))
    perms = [r.get("permissions") or {} for r in repos]
    access.facts["repos_admin"] = sum(1 for p in perms if p.get("admin"))
    access.facts["repos_push"] = sum(1 for p in perms if p.get("push"))
    more = f", first {len(repos)} of {pages} pages" if pages > 1 else ""
    access.note(f"/user/repos lists {len(repos)} repositories{more}; the user may push to "
                f"{access.facts['repos_push']} and administer {access.facts['repos_admin']}")
    _sso(resp, access)
    return repos


def _last_page(link: str | None) -> int:
    if not link:
        return 1
    m = re.search(r"[?&]page=(\d+)[^>]*>;\s*rel=\"last\"", link)
    return int(m.group(1)) if m else 1


def _sso(resp: httpx.Response, access: Access) -> None:
    # "X-GitHub-SSO: partial-results; organizations=21955855,20582480": orgs whose SAML SSO has
    # not authorised this token are left out of the list.
    value = resp.headers.get("X-GitHub-SSO")
    if not value:
        return
    ids = re.findall(r"\d+", value.partition("organizations=")[2])
    access.facts["sso_unauthorized_org_ids"] = ids
    access.note(f"{len(ids) or 'some'} organization(s) hidden: SAML SSO has not authorised this token")


# Fine-grained PAT --------------------------------------------------------------------------


def _fine_grained(http: ProviderHTTP, headers: dict[str, str], access: Access) -> Access:
    access.note("fine-grained token: GitHub exposes no scopes; permissions come from read probes")
    repos = _repos(http, headers, access)
    access.capabilities = {"read"}
    if repos is None:
        return access
    access.reach = _repo_reach(repos, access)
    if repos:
        access.grants = ["metadata=read"]  # every fine-grained token with repositories has it
        _probe(http, headers, access, _probe_target(repos))
    _write_unknown(access, repos)
    return access


def _repo_reach(repos: list[dict[str, Any]], access: Access) -> Reach:
    """One repository is resource reach; several are their owner's (user or organization) reach."""
    if len(repos) <= 1:
        access.note(f"token sees {len(repos)} repositor{'y' if len(repos) == 1 else 'ies'}: resource reach")
        return "resource"
    owners = {(r.get("owner") or {}).get("type") for r in repos}
    reach: Reach = "organization" if "Organization" in owners else "account"
    access.note(f"token sees {len(repos)} repositories: {reach} reach")
    return reach


def _probe_target(repos: list[dict[str, Any]]) -> dict[str, Any]:
    # A repository the user administers: there a 403 is the token's limit, not the user's role.
    for repo in repos:
        if (repo.get("permissions") or {}).get("admin"):
            return repo
    return repos[0]


def _probe(http: ProviderHTTP, headers: dict[str, str], access: Access, repo: dict[str, Any]) -> None:
    name = str(repo.get("full_name"))
    if not re.fullmatch(r"[\w.-]+/[\w.-]+", name):
        access.note("repository name unusable for probes")
        return
    missing: list[str] = []
    for permission, sub, params in _PROBES:
        try:
            resp = http.get(f"/repos/{name}/{sub}", headers=headers, params=params or None)
        except LookupUnavailable as exc:
            access.note(f"probe {permission} on {name} unavailable: {exc}")
            continue
        if resp.status_code == 200:
            access.grants.append(f"{permission}=read")
        elif resp.status_code == 403:
            needed = resp.headers.get("X-Accepted-GitHub-Permissions")
            if needed:
                missing.append(needed)
                access.note(f"{name}: 403 on {sub}; accepted permissions: {needed}")
            else:
                access.note(f"{name}: 403 on {sub} without X-Accepted-GitHub-Permissions")
        else:
            access.note(f"{name}: {sub} answered HTTP {resp.status_code}; {permission} undecided")
    held = [g.partition("=")[0] for g in access.grants]
    access.note(f"read probes on {name}: " + (", ".join(f"{p}=read" for p in held) or "none") + " granted")
    if missing:
        access.facts["not_granted"] = missing


def _write_unknown(access: Access, repos: list[dict[str, Any]]) -> None:
    # Only a write request could prove write access, and tokenreach sends none (providers.md A.1).
    # The user's role is an upper bound: without push on any repository there is no repo write.
    pushable = [str(r.get("full_name")) for r in repos if (r.get("permissions") or {}).get("push")]
    if pushable:
        access.facts["write"] = "unknown"
        access.note(f"write not probed (it would take a write request); possible on {len(pushable)} "
                    "repositories the user can push to")
    else:
        access.facts["write"] = "no repository write"
        access.note("the user cannot push to any repository the token sees: no repository write")


# App user token (ghu_) ---------------------------------------------------------------------

_APP_PERM_CAPS: dict[str, tuple[Capability, ...]] = {
    "administration=write": ("admin", "delete"),
    "organization_administration=write": ("admin",),
    "members=write": ("admin",),
    "secrets=write": ("secrets",),
    "secrets=read": (),  # secret names and the public key, never values
    "organization_secrets=write": ("secrets",),
    "dependabot_secrets=write": ("secrets",),
    "codespaces_secrets=write": ("secrets",),
    "environments=write": ("secrets",),
    "workflows=write": ("secrets",),
}


def _app_perm_caps(grant: str) -> set[Capability]:
    level = grant.partition("=")[2]
    caps: set[Capability] = set(_APP_PERM_CAPS.get(grant, ()))
    if level == "read":
        caps.add("read")
    elif level in ("write", "admin"):
        caps.update(("read", "write"))
        if level == "admin":
            caps.add("admin")
    return caps


def _app_user(http: ProviderHTTP, headers: dict[str, str], access: Access) -> Access:
    try:
        resp = http.get("/user/installations", headers=headers, params={"per_page": _PER_PAGE})
        body = json_object(resp) if resp.status_code == 200 else None
    except LookupUnavailable as exc:
        return access.note(f"installations unknown: {exc}")
    if body is None:
        return access.note(f"/user/installations answered HTTP {resp.status_code}: permissions unknown")
    installs = [i for i in body.get("installations") or [] if isinstance(i, dict)]
    grants: set[str] = set()
    reach_rank = 0
    for inst in installs:
        account = inst.get("account") or {}
        login, selection = account.get("login"), inst.get("repository_selection")
        access.add_resources([f"installation on {login} ({selection} repositories)"])
        for perm, level in (inst.get("permissions") or {}).items():
            grants.add(f"{perm}={level}")
        if selection == "all":
            reach_rank = max(reach_rank, 2 if account.get("type") == "Organization" else 1)
    access.grants = sorted(grants)
    access.capabilities = set()
    for grant in access.grants:
        access.capabilities |= _app_perm_caps(grant)
    access.reach = ("resource", "account", "organization")[reach_rank] if installs else "account"
    access.facts["installations"] = len(installs)
    access.note(f"acts for {access.identity} through {len(installs)} App installation(s); "
                "permissions are the app's, capped by the user's own access")
    return access


# Installation token (ghs_) -----------------------------------------------------------------


def _installation(http: ProviderHTTP, headers: dict[str, str], access: Access) -> Access:
    # /user answers 403 to installation tokens: they are not users (providers.md B.2 §2).
    resp = http.get("/installation/repositories", headers=headers, params={"per_page": _PER_PAGE})
    if not http.settle(access, resp, "/installation/repositories", why=_why(http, resp)):
        return access
    body = json_object(resp)
    repos = [r for r in body.get("repositories") or [] if isinstance(r, dict) and r.get("full_name")]
    total = body.get("total_count") if isinstance(body.get("total_count"), int) else len(repos)
    selection = body.get("repository_selection")
    access.live = True
    access.evidence = "api"
    owners = sorted({str((r.get("owner") or {}).get("login")) for r in repos})
    access.identity = f"app installation on {', '.join(owners)}" if owners else "app installation"
    access.add_resources([str(r["full_name"]) for r in repos], total)
    owner_is_org = any((r.get("owner") or {}).get("type") == "Organization" for r in repos)
    if selection == "all":
        access.reach = "organization" if owner_is_org else "account"
    else:
        access.reach = "resource"
    access.facts["repository_selection"] = selection
    access.note(f"installation covers {total} repositories (repository_selection: {selection})")
    _expiry(access, resp, classic=False)
    access.capabilities = {"read"}
    if repos:
        access.grants = ["metadata=read"]
        _probe(http, headers, access, repos[0])
        access.facts["write"] = "unknown"
        access.note("write not probed: the permission map is shown only when the token is minted")
    return access


# Shared --------------------------------------------------------------------------------------


def _why(http: ProviderHTTP, resp: httpx.Response) -> dict[int, str]:
    """What GitHub's refusals mean: 401 is Bad credentials on the API asked; a 403 with no request
    left is the rate limit, not the token (a 429 never gets here: ProviderHTTP raised it)."""
    where = "the configured GitHub Enterprise API" if http.overridden else "api.github.com"
    why = {401: f"invalid, revoked or expired (Bad credentials on {where})"}
    if resp.headers.get("X-RateLimit-Remaining") == "0":
        why[403] = "rate limit exhausted"
    return why


def _expiry(access: Access, resp: httpx.Response, *, classic: bool) -> None:
    value = resp.headers.get("github-authentication-token-expiration")
    if not value:
        if classic:
            access.facts["never_expires"] = True
            access.note("no expiration header: this token never expires")
        return
    parsed = parse_expiration(value)
    if parsed:
        access.expires_at = parsed
    else:
        access.note("expiration header in an unknown format")


def parse_expiration(value: str) -> str | None:
    """``2026-11-02 12:00:00 UTC`` or ``2026-11-02 12:00:00 +0200`` as ISO 8601; None if neither."""
    value = value.strip()
    for fmt, text in (("%Y-%m-%d %H:%M:%S %Z", value), ("%Y-%m-%d %H:%M:%S %z", value)):
        try:
            when = datetime.strptime(text, fmt)
        except ValueError:
            continue
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        return when.isoformat()
    return None


detector = GitHubDetector()
