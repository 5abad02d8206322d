"""GitLab tokens: personal, project and group access tokens, and the other ``gl*-`` token kinds.

Formats (providers.md B.3; gitlab ``doc/security/tokens/_index.md`` prefix table): ``glpat-`` is
shared by personal, impersonation, project and group access tokens, legacy ones being 20
characters. Routable tokens (``lib/authn/token_field/generator/routable_token.rb``) are
``<prefix><base64url(16 random bytes + "k:v" routing lines + length byte)>.<version>.<length>``
followed by a 7-character base36 CRC32 of everything before it; the routing lines carry base36
ids (``o`` organization, ``u`` user, ``g`` group, ``p`` project, ``c`` cell, ``t`` type).
Self-managed instances may put ``<INSTANCE>-`` in front of any prefix.

Only ``glpat-`` tokens are looked up, all with GETs: ``/api/v4/personal_access_tokens/self``
(scopes, expiry; any scope may read it), ``…/self/associations`` (groups and projects it reaches)
and ``/api/v4/user`` (admin, bot). Deploy, runner, job, trigger and feed tokens have no safe
self-inspection endpoint, so they are classified from the prefix. Never rotate or revoke: both
are endpoints under ``…/self`` too (providers.md A.1).
"""

from __future__ import annotations

import base64
import binascii
import re
import zlib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from tokenreach.detectors.base import Detector, LookupUnavailable, Pattern
from tokenreach.detectors.http import json_object
from tokenreach.scanner.model import Access, Capability, Reach, Token

if TYPE_CHECKING:
    import httpx

    from tokenreach.detectors.http import ProviderHTTP

# Routable tokens --------------------------------------------------------------------------------

_BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz"
_CRC_LEN = 7
_RANDOM_BYTES = 16
_ROUTING_KEYS = {"c": "cell", "g": "group", "o": "organization", "p": "project", "u": "user", "t": "type"}


def base36(number: int, width: int = 0) -> str:
    digits = ""
    while number:
        number, rem = divmod(number, 36)
        digits = _BASE36[rem] + digits
    return (digits or "0").rjust(width, "0")


def routable_crc_ok(token: str) -> bool:
    """True when the last 7 characters are the base36 CRC32 of the rest. Never raises."""
    if len(token) <= _CRC_LEN or not token.isascii():
        return False
    return base36(zlib.crc32(token[:-_CRC_LEN].encode()), _CRC_LEN) == token[-_CRC_LEN:]


def decode_routing(token: str) -> dict[str, int] | None:
    """The routing payload of a routable token ({"o": 1, "u": 42, …}), None when not decodable."""
    if not routable_crc_ok(token):
        return None
    head, _, length = token[:-_CRC_LEN].rpartition(".")
    encoded, dot, _version = head.rpartition(".")
    try:
        size = int(length, 36)
    except ValueError:
        return None
    if not dot or not 0 < size <= len(encoded):
        return None
    b64 = encoded[-size:]
    try:
        raw = base64.urlsafe_b64decode(b64 + "=" * (-len(b64) % 4))
    except (binascii.Error, ValueError):
        return None
    if len(raw) < _RANDOM_BYTES + 2 or raw[-1] != len(raw) - _RANDOM_BYTES - 1:
        return None
    try:
        text = raw[_RANDOM_BYTES:-1].decode("ascii")
    except UnicodeDecodeError:
        return None
    routing: dict[str, int] = {}
    for line in filter(None, text.split("\n")):
        key, sep, value = line.partition(":")
        if not sep or not re.fullmatch(r"[0-9a-z]{1,13}", value):
            return None
        routing[key] = int(value, 36)
    return routing or None


def routable_token(prefix: str, routing: Mapping[str, int], random16: bytes) -> str:
    """Build a routable token as GitLab's generator does (for examples and fakes)."""
    if len(random16) != _RANDOM_BYTES:
        raise ValueError("need 16 random bytes")
    payload = "\n".join(f"{k}:{base36(v)}" for k, v in sorted(routing.items())).encode()
    encoded = base64.urlsafe_b64encode(random16 + payload + bytes([len(payload)])).decode().rstrip("=")
    body = f"{prefix}{encoded}.{base36(1, 2)}.{base36(len(encoded), 2)}"
    return body + base36(zlib.crc32(body.encode()), _CRC_LEN)


def _crc_if_routable(token: str) -> bool:
    # A "." means the routable form, whose CRC is published; legacy tokens have no checksum.
    return routable_crc_ok(token) if "." in token else True


# Patterns -----------------------------------------------------------------------------------

_INSTANCE = r"(?:[A-Za-z0-9]{1,20}-)?"  # self-managed instance prefix, e.g. "SIE-"
_END = r"(?:[^0-9A-Za-z_-]|$)"  # \b would fail after a trailing "-", which these alphabets allow
_ROUTABLE_TAIL = r"\.[0-9a-z]{2}\.[0-9a-z]{9}"

_ROUTABLE_PAT = "glpat-AAECAwQFBgcICQoLDA0OD2M6MQpvOjEKdTozcHgN.01.14086xxyh"
_LEGACY_PAT = "glpat-x7Kq2Lm9Np4Rs6Tv8Wy0"


def _other(kind: str, prefix: str, name: str, example: str, counter: str, body: str = r"[0-9A-Za-z_-]{20,300}",
           routable: bool = True) -> Pattern:
    tail = f"(?:{_ROUTABLE_TAIL})?" if routable else ""
    return Pattern(
        id=f"gitlab.{kind}",
        name=name,
        regex=rf"\b(?P<secret>{_INSTANCE}{re.escape(prefix)}{body}{tail}){_END}",
        keywords=(prefix.lower(),),
        kind=kind,
        validate=_crc_if_routable,
        lookup=False,  # no read-only self-inspection endpoint for this kind
        examples=(example,),
        counterexamples=(counter,),
    )


PATTERNS = (
    Pattern(
        id="gitlab.access_token_routable",
        name="GitLab personal/project/group access token (routable)",
        regex=rf"\b(?P<secret>{_INSTANCE}glpat-[0-9A-Za-z_-]{{27,300}}{_ROUTABLE_TAIL})\b",
        keywords=("glpat-",),
        kind="access_token",
        validate=routable_crc_ok,
        examples=(f"GITLAB_TOKEN={_ROUTABLE_PAT}", f'--header "PRIVATE-TOKEN: {_ROUTABLE_PAT}"'),
        counterexamples=(
            _ROUTABLE_PAT[:-1] + "e",  # CRC does not verify
            "glpat-AAECAwQFBgcICQoLDA0OD2M6MQpvOjEKdTozcHgN.01",  # no length and CRC
        ),
    ),
    Pattern(
        id="gitlab.access_token",
        name="GitLab personal/project/group access token",
        regex=rf"\b(?P<secret>{_INSTANCE}glpat-[0-9A-Za-z_-]{{20}}){_END}",
        keywords=("glpat-",),
        kind="access_token",
        examples=(
            f"GITLAB_TOKEN={_LEGACY_PAT}",
            "git remote add origin https://oauth2:glpat-x7Kq2Lm9Np4Rs6Tv8Wy0@gitlab.com/acme/api.git",
            "CI_TOKEN: SIE-glpat-x7Kq2Lm9Np4Rs6Tv8Wy0",  # self-managed instance prefix
        ),
        counterexamples=(
            "glpat-x7Kq2Lm9Np4Rs6Tv8Wy",  # 19 characters
            "glpat-x7Kq2Lm9Np4Rs6Tv8Wy0abc",  # 23 characters
            "glpat-xxxxxxxxxxxxxxxxxxxxxxxx-placeholder",
        ),
    ),
    _other("deploy_token", "gldt-", "GitLab deploy token",
           "CI_DEPLOY_PASSWORD=gldt-Hn3kT7pQ2wXz9LbV4mRc", "gldt-short"),
    _other("runner_token", "glrt-", "GitLab runner authentication token",
           'token = "glrt-t1_Zq8Rm3Vx7Np2Kw5Ts9Lb"', "glrt-tooshort"),
    _other("runner_token_registered", "glrtr-", "GitLab runner token (created by registration token)",
           'token = "glrtr-Zq8Rm3Vx7Np2Kw5Ts9Lb4"', "glrtr-nope"),
    Pattern(
        id="gitlab.runner_registration_token",
        name="GitLab runner registration token (deprecated)",
        regex=rf"\b(?P<secret>GR1348941[0-9A-Za-z_-]{{20}}){_END}",
        keywords=("gr1348941",),
        kind="runner_registration_token",
        lookup=False,
        examples=('--registration-token "GR1348941_iAgdMy7a3NhZaa5oNoH"',),
        counterexamples=("GR1348941short",),
    ),
    _other("job_token", "glcbt-", "GitLab CI/CD job token",
           "CI_JOB_TOKEN=glcbt-64_Ab3dE5gH7jK9mN1pQ3sT", "glcbt-x"),
    _other("trigger_token", "glptt-", "GitLab pipeline trigger token",
           "TRIGGER_TOKEN=glptt-0a1b2c3d4e5f60718293a4b5c6d7e8f901234567", "glptt-0a1b2c"),
    _other("feed_token", "glft-", "GitLab feed token",
           "https://gitlab.com/dashboard/projects.atom?feed_token=glft-Rk4Vn8Qx2Lp6Tz0Wb3Mc", "glft-123"),
    _other("incoming_mail_token", "glimt-", "GitLab incoming mail token",
           "incoming: glimt-3kd8fn2mx9qp7zt5vb1wy6rc4", "glimt-abc"),
    _other("agent_token", "glagent-", "GitLab agent for Kubernetes token",
           "token: glagent-Wx3yZ5aB7cD9eF1gH3iJ5kL7mN9oP1qR3sT5uV7wX9yZ1aB3cD5eF",
           "glagent-abc"),
    _other("workspace_token", "glwt-", "GitLab workspace token",
           "WORKSPACE_TOKEN=glwt-Lm3Np5Qr7St9Uv1Wx3Yz5", "glwt-a"),
    _other("scim_token", "glsoat-", "GitLab SCIM token",
           "SCIM_TOKEN=glsoat-Ab2Cd4Ef6Gh8Ij0Kl2Mn4", "glsoat-x"),
    _other("feature_flags_client_token", "glffct-", "GitLab feature flags client token",
           "UNLEASH_API_TOKEN=glffct-Pq7Rs9Tu1Vw3Xy5Za7Bc9", "glffct-1"),
    _other("oauth_app_secret", "gloas-", "GitLab OAuth application secret",
           "GITLAB_OAUTH_SECRET=gloas-" + "9f8e7d6c5b4a" * 5 + "3f2e",
           "gloas-0123"),
    Pattern(
        id="gitlab.session_cookie",
        name="GitLab session cookie",
        regex=r"\b_gitlab_session=(?P<secret>[0-9a-f]{32})\b",
        keywords=("_gitlab_session=",),
        kind="session_cookie",
        lookup=False,
        examples=("Cookie: _gitlab_session=0a1b2c3d4e5f60718293a4b5c6d7e8f9",),
        counterexamples=("_gitlab_session=expired",),
    ),
)

# What the bytes say about the kinds that are not looked up: capability hints, reach, a note.
_OFFLINE_KINDS: dict[str, tuple[tuple[Capability, ...], Reach | None, str]] = {
    "runner_token": (("secrets",), None, "a runner token picks up CI jobs, and with them their CI/CD "
                     "variables; runners can be cloned and jobs intercepted"),
    "runner_token_registered": (("secrets",), None, "a runner token picks up CI jobs, and with them "
                                "their CI/CD variables"),
    "runner_registration_token": (("secrets",), None, "registers new runners, which receive CI jobs "
                                  "and their CI/CD variables"),
    "deploy_token": (("read",), "project", "deploy token of a project or group; its scopes "
                     "(read/write repository, registry, package registry) are not visible read-only"),
    "job_token": (("read",), "project", "CI/CD job token: valid only while its job runs"),
    "trigger_token": (("write",), "project", "starts pipelines of its project with chosen variables"),
    "feed_token": (("read",), "account", "reads the user's RSS/Atom feeds and calendar, confidential "
                   "issue activity included"),
    "incoming_mail_token": (("write",), "account", "creates issues and merge requests by email as the user"),
    "agent_token": ((), None, "authenticates a GitLab agent for Kubernetes to the instance"),
    "workspace_token": ((), None, "authenticates a GitLab workspace"),
    "scim_token": (("admin",), "organization", "SCIM provisioning: creates and removes group members"),
    "feature_flags_client_token": (("read",), "project", "reads a project's feature flag configuration"),
    "oauth_app_secret": ((), None, "OAuth application secret: with its client id it can complete "
                         "OAuth flows as the application"),
    "session_cookie": ((), "account", "a signed-in browser session: the user's full web access while "
                       "it lasts"),
}

# Scopes → capabilities (docs.gitlab.com "Access token scopes",
# https://docs.gitlab.com/security/tokens/access_token_scopes/).
_SCOPES: dict[str, tuple[Capability, ...]] = {
    "api": ("read", "write", "delete"),
    "read_api": ("read",),
    "read_user": ("read",),
    "read_repository": ("read",),
    "write_repository": ("read", "write"),
    "read_registry": ("read",),
    "write_registry": ("read", "write"),
    "read_virtual_registry": ("read",),
    "write_virtual_registry": ("read", "write"),
    "create_runner": ("write", "secrets"),  # runners execute jobs that see CI/CD variables
    "manage_runner": ("write", "secrets"),
    "k8s_proxy": ("read", "write"),  # Kubernetes API calls through the agent
    "ai_features": ("read",),
    "read_service_ping": ("read",),
    "read_observability": ("read",),
    "write_observability": ("read", "write"),
}
_ADMIN_SCOPES = frozenset({"sudo", "admin_mode"})  # effective only for an instance administrator
_API_SCOPES = frozenset({"api", "read_api"})
_USER_READABLE = frozenset({"api", "read_api", "read_user", "sudo"})  # scopes that may read /user
_LEVELS = {0: "none", 5: "minimal", 10: "guest", 15: "planner", 20: "reporter", 30: "developer",
           40: "maintainer", 50: "owner"}
_MAINTAINER, _OWNER = 40, 50
_PER_PAGE = 100


class GitLabDetector(Detector):
    provider = "gitlab"
    title = "GitLab"
    patterns = PATTERNS
    api_url = "https://gitlab.com"  # self-managed: TOKENREACH_GITLAB_API_URL=https://gitlab.example.com
    hosts = ("gitlab.com",)
    request_budget = 90  # three requests per access token
    revoke_url = "https://gitlab.com/-/user_settings/personal_access_tokens"
    least_privilege = (
        "create a project access token on the one project, with the narrowest role and scope it needs "
        "(e.g. read_repository) and an expiry"
    )
    # Where a token found in a file says it belongs: GitLab CI's predefined variables, the names
    # clients read (python-gitlab, glab, terraform, renovate), and any URL of a host named gitlab
    # other than gitlab.com. Such a host is never contacted; it only stops the token going to
    # gitlab.com, which is not its issuer.
    context_patterns = {
        "server_url": (r"(?i)\b(?:CI_SERVER_URL|CI_API_V4_URL|CI_SERVER_HOST|CI_SERVER_FQDN|CI_PROJECT_URL"
                       r"|(?:GITLAB|GL)_(?:URL|HOST|HOSTNAME|API_URL|API_V4_URL|BASE_URL|SERVER|SERVER_URL|INSTANCE"
                       r"|ENDPOINT|ADDRESS|DOMAIN)|gitlab[_-]?(?:url|host|base_?url|api_?url|server|endpoint))"
                       r"[\"']?\s*[:=]\s*[\"']?([^\s\"',;]{3,200})"),
        "gitlab_url": r"(?i)\b(?:https?|ssh)://(?:[^@/\s\"']{1,100}@)?((?!gitlab\.com(?![a-z0-9.-]))[a-z0-9.-]*gitlab[a-z0-9.-]*)",
    }
    # GitLab answers 403 (insufficient_scope) to a token that authenticated but lacks the scope.
    forbidden_statuses = frozenset({403})

    # Offline ---------------------------------------------------------------------------------

    def classify(self, token: Token) -> Access:
        access = Access(evidence="prefix")
        kind = token.kind or "unknown"
        access.facts["kind"] = kind
        instance = instance_prefix(token.secret)
        if instance:
            access.facts["instance_prefix"] = instance
            access.note(f"instance prefix {instance}-: issued by a self-managed GitLab, not gitlab.com")
        if kind == "access_token":
            access.note("glpat- is shared by personal, impersonation, project and group access tokens")
        else:
            access.note(f"kind {kind} from the prefix")
        hint = _OFFLINE_KINDS.get(kind)
        if hint:
            caps, reach, text = hint
            access.capabilities.update(caps)
            access.reach = reach
            access.note(text)
        routing = decode_routing(token.secret) if "." in token.secret else None
        if routing:
            access.evidence = "offline"
            access.facts["routing"] = {_ROUTING_KEYS.get(k, k): v for k, v in routing.items()}
            access.note("routable token, CRC verifies; routing payload: " +
                        ", ".join(f"{_ROUTING_KEYS.get(k, k)} id {v}" for k, v in sorted(routing.items())))
        return access

    # Lookup ----------------------------------------------------------------------------------

    def lookup(self, token: Token, http: ProviderHTTP, offline: Access) -> Access:
        access = offline
        if not http.overridden:
            elsewhere = instance_prefix(token.secret) or _self_managed_host(token)
            if elsewhere:
                # gitlab.com would answer 401 for another instance's token: that is not "revoked".
                return access.unknown(f"not looked up: self-managed instance ({elsewhere}); set "
                                      "TOKENREACH_GITLAB_API_URL to that instance to look it up")
        where = "the configured GitLab instance" if http.overridden else "gitlab.com"
        access.facts["instance"] = "configured" if http.overridden else "gitlab.com"
        headers = {"PRIVATE-TOKEN": token.secret}
        resp = http.get("/api/v4/personal_access_tokens/self", headers=headers)
        if resp.status_code == 404:  # no verdict: an instance without this endpoint
            access.note("personal_access_tokens/self not found (GitLab before 15.5?): liveness from /user")
            return _user_only(http, headers, access, where)
        message = _message(resp) if resp.status_code == 403 else ""
        blocked = "blocked" in message.lower() or "deactivated" in message.lower()
        if not http.settle(access, resp, "personal_access_tokens/self", forbidden=() if blocked else None,
                           why=_why(where, blocked), detail=f"({message})" if message else None):
            return _refused(http, headers, access, blocked)
        info = json_object(resp)
        if info.get("revoked") is True or info.get("active") is False:
            access.live = False
            return access.note(f"{where} reports the token revoked or inactive")
        scopes = [str(s) for s in info.get("scopes") or []]
        access.grants = scopes
        if isinstance(info.get("expires_at"), str):
            access.expires_at = info["expires_at"]
        else:
            access.facts["never_expires"] = True
            access.note("the token has no expiry date")
        for key in ("name", "id", "user_id", "last_used_at", "created_at"):
            if info.get(key) is not None:
                access.facts[f"token_{key}" if key in ("name", "id") else key] = info[key]
        access.note(f"scopes from personal_access_tokens/self: {', '.join(scopes) or 'none'}")
        for scope in scopes:
            access.capabilities.update(_SCOPES.get(scope, ()))

        user = _user(http, headers, access) if _USER_READABLE & set(scopes) else None
        if user is None:
            access.identity = f"user id {info.get('user_id')}" if info.get("user_id") is not None else None
        groups, projects = _associations(http, headers, access)
        _conclude(access, scopes, user, groups, projects)
        return access


def instance_prefix(secret: str) -> str | None:
    """``SIE`` for ``SIE-glpat-…``; None for a token with GitLab's own prefix first."""
    m = re.match(r"([A-Za-z0-9]{1,20})-(?:gl[a-z]{2,7}-|GR1348941)", secret)
    return m.group(1) if m and not secret.startswith("gl") else None


def _self_managed_host(token: Token) -> str | None:
    """A host other than gitlab.com that the text around the token names as its GitLab
    (``context_patterns``). Only used to *not* send the token to gitlab.com; never contacted."""
    for value in token.context.values():
        try:
            host = (urlsplit(value).hostname or "") if "://" in value else value.split("/")[0].rsplit(":", 1)[0]
        except ValueError:  # a malformed URL in the scanned text
            continue
        host = host.lower().strip(".")
        if host and "$" not in host and "{" not in host and host != "gitlab.com" and not host.endswith(".gitlab.com"):
            return host
    return None


def _why(where: str, blocked: bool = False) -> dict[int, str]:
    """What GitLab's refusals mean: 401 on the instance asked is a token that does not exist,
    expired or was revoked; 403 a live token without the scope, unless its user is blocked."""
    return {401: f"the token does not exist, expired or was revoked (on {where})",
            403: "the token's user is blocked or deactivated" if blocked else "live, under-scoped"}


def _refused(http: ProviderHTTP, headers: dict[str, str], access: Access, blocked: bool) -> Access:
    """After personal_access_tokens/self refused the token: a blocked user's token stays unknown; an
    under-scoped one is live, and /user may still say who it is."""
    if blocked:
        access.facts["blocked"] = True
    elif access.live:
        access.facts["under_scoped"] = True
        _user(http, headers, access)
    return access


def _user_only(http: ProviderHTTP, headers: dict[str, str], access: Access, where: str) -> Access:
    resp = http.get("/api/v4/user", headers=headers)
    why = {**_why(where), 403: "live, without read_user or api scope"}
    if not http.settle(access, resp, "/api/v4/user", why=why):
        return access
    _apply_user(access, json_object(resp))
    return access.note("scopes unknown: this instance has no personal_access_tokens/self")


def _user(http: ProviderHTTP, headers: dict[str, str], access: Access) -> dict[str, Any] | None:
    try:
        resp = http.get("/api/v4/user", headers=headers)
        if resp.status_code != 200:
            access.note(f"/api/v4/user answered HTTP {resp.status_code}: admin and bot status unknown")
            return None
        body = json_object(resp)
    except LookupUnavailable as exc:
        access.note(f"user unknown: {exc}")
        return None
    _apply_user(access, body)
    return body


def _apply_user(access: Access, user: dict[str, Any]) -> None:
    access.identity = str(user.get("username") or user.get("id") or "unknown user")
    if user.get("is_admin") is True:
        access.facts["is_admin"] = True
    if user.get("bot") is True:
        access.facts["bot"] = True
    if user.get("state") and user.get("state") != "active":
        access.facts["user_state"] = user["state"]


def _associations(http: ProviderHTTP, headers: dict[str, str],
                  access: Access) -> tuple[list[dict[str, Any]], list[dict[str, Any]]] | tuple[None, None]:
    try:
        resp = http.get("/api/v4/personal_access_tokens/self/associations", headers=headers,
                        params={"min_access_level": 10, "per_page": _PER_PAGE})
        if resp.status_code != 200:
            access.note(f"associations answered HTTP {resp.status_code} (GitLab before 17.4?): reach unknown")
            return None, None
        body = json_object(resp)
    except LookupUnavailable as exc:
        access.note(f"reach unknown: {exc}")
        return None, None
    groups = [g for g in body.get("groups") or [] if isinstance(g, dict)]
    projects = [p for p in body.get("projects") or [] if isinstance(p, dict)]
    return groups, projects


def _project_level(project: dict[str, Any]) -> int:
    levels = project.get("access_levels") or {}
    values = [levels.get("project_access_level"), levels.get("group_access_level")] if isinstance(
        levels, dict) else []
    return max([v for v in values if isinstance(v, int)], default=0)


def _group_level(group: dict[str, Any]) -> int:
    level = group.get("access_levels")
    return level if isinstance(level, int) else 0


def _conclude(access: Access, scopes: list[str], user: dict[str, Any] | None,
              groups: list[dict[str, Any]] | None, projects: list[dict[str, Any]] | None) -> None:
    """Kind, reach and role-dependent capabilities from scopes, associations and the user."""
    scope_set = set(scopes)
    is_admin = access.facts.get("is_admin") is True
    if groups is not None and projects is not None:
        access.add_resources([f"group {g.get('name')}" for g in groups]
                             + [str(p.get("path_with_namespace") or p.get("name")) for p in projects])
        top = max([_group_level(g) for g in groups] + [_project_level(p) for p in projects], default=0)
        access.facts["max_access_level"] = _LEVELS.get(top, str(top))
        owner_of = [str(g.get("name")) for g in groups if _group_level(g) >= _OWNER]
        if owner_of:
            access.facts["owner_of_groups"] = owner_of
        access.note(f"associations: {len(groups)} group(s), {len(projects)} project(s); highest role "
                    f"{_LEVELS.get(top, top)}" + (" (first page)" if _PER_PAGE in (len(groups), len(projects))
                                                  else ""))
        if scope_set & _API_SCOPES and top >= _MAINTAINER:
            access.capabilities.add("secrets")
            access.note("API scope with maintainer role or higher: can read CI/CD variables")
        if "api" in scope_set and top >= _OWNER:
            access.capabilities.add("admin")
            access.note("api scope with owner role: manages members and settings")
        if "write_repository" in scope_set and top >= _MAINTAINER:
            access.note("write_repository with maintainer role: can push to protected branches")
    else:
        top = 0

    # Project and group access tokens act as a bot user: the kind glpat- alone cannot tell.
    bot_name = str((user or {}).get("username") or "")
    if access.facts.get("bot") or re.match(r"(project|group)_\d+_bot", bot_name):
        kind = "group_access_token" if (groups or bot_name.startswith("group_")) else "project_access_token"
    else:
        kind = "personal_access_token"
    access.facts["kind"] = kind

    if is_admin and scope_set & (_API_SCOPES | _ADMIN_SCOPES):
        access.reach = "organization"
        access.capabilities.update(("read", "admin"))
        if scope_set & ({"api"} | _ADMIN_SCOPES):
            access.capabilities.update(("write", "delete", "secrets"))
        access.note("the token's user is an instance administrator: reach is the whole instance"
                    + ("; sudo acts as any user" if "sudo" in scope_set else ""))
    elif kind == "group_access_token":
        access.reach = "organization"
        access.note("group access token: limited to its group and the group's projects")
    elif kind == "project_access_token":
        access.reach = "project"
        access.note("project access token: limited to its one project")
    elif not scope_set - {"read_user", "read_service_ping", "ai_features"}:
        access.reach = "account"
    elif groups:
        access.reach = "organization"
    else:
        access.reach = "account"
    if scope_set & _ADMIN_SCOPES and not is_admin:
        access.note(f"{', '.join(sorted(scope_set & _ADMIN_SCOPES))} granted, but effective only "
                    "for an instance administrator" + ("" if user else " (admin status unknown)"))


def _message(resp: httpx.Response) -> str:
    try:
        body = json_object(resp)
    except LookupUnavailable:
        return ""
    value = body.get("message") or body.get("error_description") or body.get("error") or ""
    return str(value)[:120]


detector = GitLabDetector()
