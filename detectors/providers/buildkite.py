"""Buildkite API access tokens.

Formats: ``detectors/rules/buildkite.toml`` (``bkua_`` API access tokens; agent tokens ``bkaa_``,
``bkar_``, ``bkct_``, ``bkaj_`` and unprefixed ones are detection only: they talk to the agent API,
which has no read-only self-description).

Lookup, ``Authorization: Bearer``: ``GET https://api.buildkite.com/v2/access-token`` ("Access token
API", buildkite.com/docs/apis/rest-api/access-token: required scope none) answers the token's own
``uuid``, ``scopes``, ``description``, ``created_at`` and ``user`` (``name``, ``email``); then, with
``read_organizations``, ``GET /v2/organizations`` names the organizations it was granted. 401 is a
token that is invalid, revoked or expired; errors are ``{"message": …}``.

Scopes (buildkite.com/docs/apis/managing-api-tokens, "Token scopes"): ``read_*`` read,
``write_*`` modify (``write_builds`` starts builds, which run on the organization's agents with
their secrets; ``write_artifacts`` deletes artifacts), ``delete_*`` delete, ``read_job_env`` reads
jobs' environment variables (secrets among them), ``graphql``: the GraphQL API with the user's own
permissions, not limited by the REST scopes.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector
from tokenreach.detectors.http import ProviderHTTP, json_object, refusal_detail
from tokenreach.detectors.rule_files import builtin, rules_for
from tokenreach.scanner.model import Access, Capability, Token

PATTERNS = rules_for("buildkite")
_SPEC = builtin("buildkite")

ACCESS_TOKEN = "/v2/access-token"
ORGANIZATIONS = "/v2/organizations"

# Scopes whose effect goes beyond their verb.
_SPECIAL: dict[str, tuple[Capability, ...]] = {
    "read_job_env": ("read", "secrets"),
    "write_artifacts": ("write", "delete"),
    "write_pipelines": ("write", "delete"),
    "write_teams": ("write", "admin"),
    "read_audit_events": ("read", "admin"),
    "read_organization_settings": ("read", "admin"),
    "graphql": ("read", "write", "delete"),  # the user's own permissions, whatever the REST scopes
}


def capabilities_of(scopes: list[str]) -> set[Capability]:
    caps: set[Capability] = set()
    for scope in scopes:
        if scope in _SPECIAL:
            caps.update(_SPECIAL[scope])
        elif scope.startswith("read_"):
            caps.add("read")
        elif scope.startswith("write_"):
            caps.add("write")
        elif scope.startswith("delete_"):
            caps.add("delete")
        elif scope.startswith("retry_"):
            caps.add("write")
    return caps


class BuildkiteDetector(Detector):
    provider = "buildkite"
    title = _SPEC.name
    patterns = PATTERNS
    api_url = "https://api.buildkite.com"
    hosts = ("api.buildkite.com",)
    request_budget = 60
    revoke_url = _SPEC.revoke_url
    least_privilege = _SPEC.least_privilege

    def lookup(self, token: Token, http: ProviderHTTP, offline: Access) -> Access:
        access = offline
        headers = {"Authorization": f"Bearer {token.secret}"}
        resp = http.get(ACCESS_TOKEN, headers=headers)
        if not http.settle(access, resp, ACCESS_TOKEN, detail=refusal_detail(resp)):
            return access
        body = json_object(resp)
        scopes = body.get("scopes")
        if not isinstance(scopes, list) or not all(isinstance(s, str) for s in scopes):
            return access.unknown(f"{ACCESS_TOKEN} answered 200 without a scopes list")
        access.grants = sorted(scopes)
        access.capabilities = capabilities_of(scopes)
        user = body.get("user")
        user = user if isinstance(user, dict) else {}
        name, email = user.get("name"), user.get("email")
        if isinstance(name, str) and name:
            access.identity = f"{name} <{email}>" if isinstance(email, str) and email else name
        if isinstance(body.get("description"), str):
            access.facts["description"] = body["description"][:200]
        if isinstance(body.get("expires_at"), str):
            access.expires_at = body["expires_at"]
        listed = f": {', '.join(sorted(scopes))}" if scopes else ""
        access.note(f"{ACCESS_TOKEN} lists {len(scopes)} scope(s){listed}")
        # Every token is granted to one or more organizations; read_user alone reads only its user.
        access.reach = "organization" if set(scopes) - {"read_user"} else "account"
        if "read_job_env" in scopes:
            access.note("read_job_env: reads jobs' environment variables, the pipelines' secrets among them")
        if "write_builds" in scopes:
            access.note("write_builds: starts builds, which run on the organization's agents with their secrets")
        if "graphql" in scopes:
            access.note("graphql: the GraphQL API acts with the user's own permissions, beyond the REST scopes")
        if "read_organizations" in scopes:
            http.list_resources(access, ORGANIZATIONS, headers=headers)
        return access


detector = BuildkiteDetector()
