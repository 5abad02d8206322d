"""Zendesk API tokens, looked up on the account (subdomain) and e-mail bound to them.

Format: ``detectors/rules/zendesk.toml``. An API token authenticates as HTTP Basic
``{email}/token:{api_token}`` on the account's own host ``https://<subdomain>.zendesk.com``, and
acts as the agent or admin whose e-mail goes with it, with that user's full role
(developer.zendesk.com/api-reference/introduction/security-and-auth/, "API token"). So a token is
looked up only when the text binds both an e-mail and its account to it: a
``<subdomain>.zendesk.com`` host, or a ``ZENDESK_SUBDOMAIN`` assignment, in the same URL or line or
assigned in its configuration block (scanner/binding.py). Another account, or another e-mail,
answers 401 as if the token were revoked.

Lookup: ``GET /api/v2/users/me.json`` (Users API, "Show self"): ``user.role`` (``end-user``,
``agent``, ``admin``), ``role_type`` (0 custom agent, 1 light agent, 2 chat agent, 3 contributor,
4 admin, 5 billing admin), ``custom_role_id``, ``restricted_agent``, ``suspended``. 401 ``{"error":
"Couldn't authenticate you"}`` is an invalid or revoked token (or a wrong e-mail). The endpoint
answers anyone, and a request whose credentials were not applied gets the anonymous user (``id``
null): that is unknown, never live. 429 carries ``Retry-After``.
"""

from __future__ import annotations

import re
from typing import Any

from tokenreach.detectors.base import Detector
from tokenreach.detectors.http import ProviderHTTP, json_object, refusal_detail
from tokenreach.detectors.rule_files import builtin, rules_for
from tokenreach.detectors.tenant import refuse_private
from tokenreach.scanner.model import Access, Capability, Token

PATTERNS = rules_for("zendesk")
_SPEC = builtin("zendesk")

_SUBDOMAIN = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,24}")
# Zendesk's own sites under zendesk.com, never a customer's account.
_NOT_ACCOUNTS = frozenset({"www", "developer", "support", "status", "api", "help", "static", "assets"})
USERS_ME = "/api/v2/users/me.json"

# role_type, for agents (Users API): what the role may do beyond its base role.
_ROLE_TYPES = {0: "custom agent", 1: "light agent", 2: "chat agent", 3: "contributor", 4: "admin",
               5: "billing admin"}


def _assigned(name: str) -> str:
    """A value assigned to ``name`` (``NAME=v``, ``NAME: v``, ``"name": "v"``), starting at the
    value: binding needs the match to start where the value does (scanner/binding.py)."""
    forms = [f"{name}=", f"{name}: ", f'{name}="', f'{name}: "', f'{name}\': \'', f'{name}": "', f"{name}='"]
    return "(?i)(?:" + "|".join(f"(?<={re.escape(f)})" for f in forms) + r")([a-z0-9][a-z0-9-]{0,62})\b"


def capabilities_of(user: dict[str, Any]) -> tuple[set[Capability], list[str]]:
    """What the token's user may do, and the role names behind it, verbatim."""
    role = user.get("role")
    role_type = user.get("role_type")
    grants = [role] if isinstance(role, str) else []
    kind = _ROLE_TYPES.get(role_type) if isinstance(role_type, int) and not isinstance(role_type, bool) else None
    if kind:
        grants.append(f"role_type:{kind}")
    if isinstance(user.get("custom_role_id"), int):
        grants.append(f"custom_role_id:{user['custom_role_id']}")
    caps: set[Capability] = set()
    if role == "admin":
        caps.update(("read", "write", "delete", "admin"))
        if role_type == 5:
            caps.add("billing")
    elif role == "agent":
        if kind in ("light agent", "contributor"):
            caps.update(("read", "write") if kind == "light agent" else ("read",))
        else:
            caps.update(("read", "write", "delete"))  # agents edit, merge and delete tickets by default
    elif role == "end-user":
        caps.add("read")
    return caps, grants


class ZendeskDetector(Detector):
    provider = "zendesk"
    title = _SPEC.name
    patterns = PATTERNS
    api_url = None  # every account has its own host
    host_suffixes = (".zendesk.com",)
    context_patterns = {
        "site": r"(?i)\b([a-z0-9][a-z0-9-]{0,62})\.zendesk\.com\b",
        "subdomain": _assigned("zendesk_subdomain"),
        "email": r"\b([A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,24})\b",
    }
    bound_context = frozenset({"site", "subdomain", "email"})
    request_budget = 40
    revoke_url = _SPEC.revoke_url
    least_privilege = _SPEC.least_privilege

    def classify(self, token: Token) -> Access:
        access = Access(evidence="prefix")
        access.note("a Zendesk API token: acts as the agent or admin whose e-mail goes with it, with that "
                    "user's full role; API tokens carry no scopes")
        return access

    def lookup(self, token: Token, http: ProviderHTTP, offline: Access) -> Access:
        access = offline
        email = token.context.get("email", "")
        site = token.context.get("site", "").lower()
        sub = token.context.get("subdomain", "").lower()
        if not _EMAIL.fullmatch(email):
            return access.unknown("not looked up: no e-mail address bound to the token (the same URL or line, "
                                  "or assigned in its configuration block)")
        if site and sub and site != sub:
            return access.unknown(f"not looked up: two accounts bound to the token ({site}, {sub})")
        name = site or sub
        if not _SUBDOMAIN.fullmatch(name):
            return access.unknown("not looked up: no <subdomain>.zendesk.com or ZENDESK_SUBDOMAIN bound to the "
                                  "token")
        if name in _NOT_ACCOUNTS:
            return access.unknown(f"not looked up: {name}.zendesk.com is Zendesk's own site, not an account")
        host = f"{name}.zendesk.com"
        access.facts["account"] = host
        if refuse_private(http, host, access):
            return access
        resp = http.get(USERS_ME, host=host, auth=(f"{email}/token", token.secret))
        why = {401: "invalid or revoked token, or not this e-mail's"}
        if not http.settle(access, resp, f"{USERS_ME} on {host}", why=why, detail=refusal_detail(resp, "error")):
            return access
        user = json_object(resp).get("user")
        if not isinstance(user, dict) or user.get("id") is None:
            return access.unknown(f"{USERS_ME} answered as the anonymous user: the credentials were not applied, "
                                  "liveness unknown")
        access.reach = "account"
        access.add_resources([host])
        who = user.get("email") or email
        access.identity = f"{user.get('name') or who} <{who}> on {host}"
        access.capabilities, access.grants = capabilities_of(user)
        access.note(f"its user's role: {', '.join(access.grants) or 'unknown'}")
        if user.get("restricted_agent") is True:
            access.note("a restricted agent: sees only the tickets its groups or organizations hold")
        if user.get("suspended") is True:
            access.note("its user is suspended")
        return access


detector = ZendeskDetector()
