"""Sonatype Nexus Repository passwords and user-token pass codes, looked up only on the instance the
operator names.

Format: ``detectors/rules/sonatype_nexus.toml`` (a value assigned to a Nexus password or token name).
A pass code or password authenticates only with its name code or username (HTTP Basic,
help.sonatype.com/en/user-tokens.html), read from a Nexus username assigned nearby. Every Nexus is
self-hosted: credentials go only to ``TOKENREACH_SONATYPE_NEXUS_API_URL``; without it, "not looked
up: self-hosted instance".

Lookup, GETs of the REST API (help.sonatype.com/en/rest-api.html):
- ``/service/rest/v1/repositories`` ("List repositories": those the user may browse). 401 is a
  refused username and password pair: revoked, or not this username's, since the name was found
  near the password rather than with it, so it stays unknown.
- ``/service/rest/v1/security/users?userId=<name>`` ("Security management: users", needs
  ``nx-users-read``): the user's ``roles``; ``nx-admin`` administers the whole instance. 403 "The user
  does not have permission to perform the operation" says the user cannot read users.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, LookupUnavailable
from tokenreach.detectors.http import ProviderHTTP, json_of
from tokenreach.detectors.rule_files import builtin, rules_for
from tokenreach.scanner.model import Access, Token

PATTERNS = rules_for("sonatype_nexus")
_SPEC = builtin("sonatype_nexus")

REPOSITORIES = "/service/rest/v1/repositories"
USERS = "/service/rest/v1/security/users"


class NexusDetector(Detector):
    provider = "sonatype_nexus"
    title = _SPEC.name
    patterns = PATTERNS
    api_url = None
    self_hosted = True  # only TOKENREACH_SONATYPE_NEXUS_API_URL
    request_budget = 40
    revoke_url = _SPEC.revoke_url
    least_privilege = _SPEC.least_privilege
    context_patterns = {
        "username": (r"(?i:nexus)[\w.-]{0,20}?(?i:user(?:_?name)?|login|name[_.-]?code)[\"']?\s*(?::=|=>|[:=])"
                     r"\s*[\"']?([A-Za-z0-9._@-]{1,100})"),
    }

    def lookup(self, token: Token, http: ProviderHTTP, offline: Access) -> Access:
        access = offline
        if not http.overridden:
            return access.unknown("not looked up: self-hosted instance (set TOKENREACH_SONATYPE_NEXUS_API_URL "
                                  "to the Nexus these credentials belong to)")
        user = token.context.get("username", "")
        if not user:
            return access.unknown("not looked up: a Nexus password or pass code needs its username or name "
                                  "code, and none is assigned near it")
        auth = (user, token.secret)
        resp = http.get(REPOSITORIES, auth=auth)
        why = {401: f"revoked, or not {user}'s (the username was found near the password, not with it)"}
        if not http.settle(access, resp, REPOSITORIES, dead=(), why=why):
            return access
        body = json_of(resp)
        if not isinstance(body, list):
            return access.unknown(f"{REPOSITORIES} answered 200 without a list")
        names = [str(r["name"]) for r in body if isinstance(r, dict) and isinstance(r.get("name"), str)]
        access.identity = user
        access.reach = "account"
        access.capabilities = {"read"}
        access.add_resources(names, len(names))
        access.note(f"{REPOSITORIES} lists {len(names)} repositories {user} may browse")
        self._roles(http, user, auth, access)
        return access

    def _roles(self, http: ProviderHTTP, user: str, auth: tuple[str, str], access: Access) -> None:
        try:
            resp = http.get(USERS, auth=auth, params={"userId": user})
            body = json_of(resp) if resp.status_code == 200 else None
        except LookupUnavailable as exc:
            access.note(f"roles not read: {exc}")
            return
        if resp.status_code == 403:
            access.note(f"{USERS} refused (403): {user} cannot read users, so is no administrator; what it "
                        "may deploy is not readable")
            return
        me = next((u for u in body or [] if isinstance(u, dict) and u.get("userId") == user), None)
        if me is None:
            access.note(f"{USERS} answered HTTP {resp.status_code} without {user}: roles unknown")
            return
        roles = sorted(r for r in me.get("roles") or [] if isinstance(r, str))
        access.grants = roles
        if "nx-admin" in roles:
            access.reach = "organization"
            access.capabilities.update(("write", "delete", "admin"))
            access.note("nx-admin: administers the whole Nexus instance (repositories, users, scripts)")
        else:
            access.note(f"{user} can read users (nx-users-read) with roles {', '.join(roles) or 'none'}")


detector = NexusDetector()
