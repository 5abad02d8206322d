"""CircleCI personal API tokens.

Formats: ``detectors/rules/circleci.toml`` (``CCIPAT_…`` personal, ``CCIPRJ_…`` project tokens, and
unprefixed 40-hex tokens next to a CircleCI name).

Lookup of a personal token, ``Circle-Token`` header, two GETs of API v2
(circleci.com/docs/api/v2/, "User"): ``/api/v2/me`` (``id``, ``login``, ``name``: the user the token
acts as) and ``/api/v2/me/collaborations`` (every organization the user belongs to or collaborates
in, with ``vcs-type``, ``name`` and ``slug``). Errors are ``{"message": …}``; 401 is an invalid,
expired or deleted token.

Rights (circleci.com/docs/guides/toolkit/managing-api-tokens/ and the "Scoped API tokens"
changelog): a personal token has its user's rights in every organization of theirs; tokens created
since scopes exist are Read, Write or Admin, older ones all act at admin level, and no API tells a
token its own scope. So the capabilities reported are the upper bound, said so in the notes.

Project tokens (Status, Read Only or Admin on one project) work on that project's API v1.1 only,
whose slug the token does not carry, and no endpoint describes them: they are not looked up
(sent to ``/me``, a live one would be refused as if it were revoked).
"""

from __future__ import annotations

from typing import Any

from tokenreach.detectors.base import Detector, LookupUnavailable
from tokenreach.detectors.http import ProviderHTTP, json_object, json_of, refusal_detail
from tokenreach.detectors.rule_files import builtin, rules_for
from tokenreach.scanner.model import Access, Token

PATTERNS = rules_for("circleci")
_SPEC = builtin("circleci")

ME = "/api/v2/me"
COLLABORATIONS = "/api/v2/me/collaborations"


class CircleCIDetector(Detector):
    provider = "circleci"
    title = _SPEC.name
    patterns = PATTERNS
    api_url = "https://circleci.com"
    hosts = ("circleci.com",)
    request_budget = 60
    revoke_url = _SPEC.revoke_url
    least_privilege = _SPEC.least_privilege

    def classify(self, token: Token) -> Access:
        access = Access(evidence="prefix")
        if token.kind == "project_token":
            access.reach = "project"
            access.note("a project API token (CCIPRJ_ prefix): Status, Read Only or Admin on one project's "
                        "API v1.1; no endpoint describes it, so it is not looked up")
        elif token.secret.startswith("CCIPAT_"):
            access.note("a personal API token (CCIPAT_ prefix): acts as its user in every organization of theirs")
        else:
            access.note("an unprefixed CircleCI token (found by its variable name), looked up as a personal token")
        return access

    def lookup(self, token: Token, http: ProviderHTTP, offline: Access) -> Access:
        access = offline
        if token.kind == "project_token":
            return access.unknown("not looked up: a project token answers only its own project's API, "
                                  "which the token does not name")
        headers = {"Circle-Token": token.secret}
        resp = http.get(ME, headers=headers)
        if not http.settle(access, resp, ME, detail=refusal_detail(resp)):
            return access
        user = json_object(resp)
        login = user.get("login")
        name = user.get("name")
        if not isinstance(login, str) or not login:
            return access.unknown(f"{ME} answered 200 without a login")
        access.identity = f"{name} ({login})" if isinstance(name, str) and name and name != login else login
        access.reach = "account"
        # What its user may do on the projects they can write to: environment variables, contexts,
        # pipelines. Whether the user administers an organization is not readable.
        access.capabilities = {"read", "write", "delete"}
        access.facts["capabilities_upper_bound"] = True
        access.note("no API tells a personal token its scope (Read, Write or Admin; tokens created before "
                    "scopes act at admin level): capabilities are the upper bound, its user's, and whether "
                    "the user administers an organization is not readable")
        access.note("can trigger pipelines, whose jobs run with the projects' environment variables and contexts")
        self._collaborations(http, headers, login, access)
        return access

    def _collaborations(self, http: ProviderHTTP, headers: dict[str, str], login: str, access: Access) -> None:
        """The organizations the token reaches. A failure here leaves liveness as it is."""
        try:
            resp = http.get(COLLABORATIONS, headers=headers)
            body = json_of(resp) if resp.status_code == 200 else None
        except LookupUnavailable as exc:
            access.note(f"organizations not listed: {exc}")
            return
        if not isinstance(body, list):
            access.note(f"{COLLABORATIONS} answered HTTP {resp.status_code}: organizations unknown")
            return
        orgs = [o for o in body if isinstance(o, dict) and isinstance(o.get("name"), str)]
        names = [_slug(o) for o in orgs]
        access.add_resources(names, len(names))
        others = [o for o in orgs if o["name"].lower() != login.lower()]
        if others:
            access.reach = "organization"
        access.note(f"{COLLABORATIONS} lists {len(names)} organization(s)"
                    + (f", {len(others)} besides the user's own" if others else ""))


def _slug(org: dict[str, Any]) -> str:
    slug = org.get("slug")
    return slug if isinstance(slug, str) and slug else f"{org.get('vcs-type', '?')}/{org['name']}"


detector = CircleCIDetector()
