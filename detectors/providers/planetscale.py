"""PlanetScale service tokens.

Formats: ``detectors/rules/planetscale.toml`` (``pscale_tkn_`` service tokens, ``pscale_pw_`` database
passwords, ``pscale_oauth_`` OAuth tokens).

A service token is used together with its ID, ``Authorization: <SERVICE_TOKEN_ID>:<SERVICE_TOKEN>``
with no scheme (planetscale.com/docs/api/reference/service-tokens; the CLI reads them from
``PLANETSCALE_SERVICE_TOKEN`` and ``PLANETSCALE_SERVICE_TOKEN_ID``). So a token is looked up only
when its ID is assigned in the same configuration block; never paired with an ID merely nearby.

Lookup (PlanetScale API reference, planetscale.com/docs/api/reference):
``GET https://api.planetscale.com/v1/organizations`` (the organizations the token can access,
``{"data": [{"name": …}]}``; 401 for a wrong or deleted token), then
``GET /v1/organizations/{organization}/databases`` for the databases it can read.

Rights: a service token holds granular organization permissions (``create_databases``,
``delete_databases`` …) and per-database ones (``read_branch``, ``create_branch``,
``delete_branch``, ``connect_production_branch`` …). The API documents no call through which a token
reads its own permissions, so they stay unknown: only what it could list is reported. Database
passwords connect to a database host and OAuth tokens belong to an OAuth application: neither is
sent here.
"""

from __future__ import annotations

from urllib.parse import quote

from tokenreach.detectors.base import Detector, LookupUnavailable
from tokenreach.detectors.http import ProviderHTTP, json_object
from tokenreach.detectors.rule_files import builtin, rules_for
from tokenreach.scanner.model import Access, Token

PATTERNS = rules_for("planetscale")
_SPEC = builtin("planetscale")

ORGS = "/v1/organizations"
MAX_ORGS = 3  # databases are listed for at most this many organizations (budget)


class PlanetScaleDetector(Detector):
    provider = "planetscale"
    title = _SPEC.name
    patterns = PATTERNS
    api_url = "https://api.planetscale.com"
    hosts = ("api.planetscale.com",)
    request_budget = 40
    revoke_url = _SPEC.revoke_url
    least_privilege = _SPEC.least_privilege
    context_patterns = {
        # Starts at the value (a lookbehind per spelling), so that binding sees an assignment.
        "token_id": (r"(?i)(?:(?<=SERVICE_TOKEN_ID=)|(?<=SERVICE_TOKEN_ID=[\"'])|(?<=SERVICE_TOKEN_ID: )"
                     r"|(?<=SERVICE_TOKEN_ID: [\"'])|(?<=service_token_id = [\"'])|(?<=--service-token-id ))"
                     r"([a-z0-9]{8,40})\b"),
    }
    # A wrong ID would make a live token look revoked: only the one assigned with the token counts.
    bound_context = frozenset({"token_id"})

    def classify(self, token: Token) -> Access:
        access = super().classify(token)
        if token.kind in ("database_password", "oauth_token"):
            access.facts["skip_lookup"] = True
            access.note("a database password connects to its database host, an OAuth token belongs to an "
                        "OAuth application: not looked up")
        elif not token.context.get("token_id"):
            access.facts["skip_lookup"] = True
            access.note("not looked up: the service token's ID is not assigned with it "
                        "(PLANETSCALE_SERVICE_TOKEN_ID)")
        return access

    def lookup(self, token: Token, http: ProviderHTTP, offline: Access) -> Access:
        access = offline
        token_id = token.context.get("token_id")
        if token.kind != "service_token" or not token_id:
            return access
        headers = {"Authorization": f"{token_id}:{token.secret}"}
        resp = http.get(ORGS, headers=headers)
        if not http.settle(access, resp, ORGS, why={401: "invalid or deleted (with the ID assigned next to it)"}):
            return access
        data = json_object(resp).get("data")
        if not isinstance(data, list):
            return access.unknown(f"{ORGS} answered 200 without data")
        orgs = [str(o["name"]) for o in data if isinstance(o, dict) and isinstance(o.get("name"), str)]
        access.identity = f"service token {token_id}"
        access.reach = "organization" if len(orgs) > 1 else "account"
        access.add_resources([f"organization {o}" for o in orgs], len(orgs))
        access.facts["capabilities_unknown"] = True
        access.note(f"reaches {len(orgs)} organization(s); PlanetScale documents no call that shows a token "
                    "its own permissions, so only what it can list is reported")
        for org in orgs[:MAX_ORGS]:
            _databases(access, http, headers, org)
        return access


def _databases(access: Access, http: ProviderHTTP, headers: dict[str, str], org: str) -> None:
    path = f"{ORGS}/{quote(org, safe='')}/databases"
    try:
        resp = http.get(path, headers=headers)
        body = json_object(resp) if resp.status_code == 200 else {}
    except LookupUnavailable as exc:
        access.note(f"databases of {org} not listed: {exc}")
        return
    data = body.get("data")
    if not isinstance(data, list):
        access.note(f"databases of {org} not listed (HTTP {resp.status_code}): no read_databases permission")
        return
    names = [f"database {org}/{d['name']}" for d in data if isinstance(d, dict) and isinstance(d.get("name"), str)]
    access.add_resources(names)
    access.capabilities.add("read")
    access.note(f"lists {len(names)} database(s) of {org}")


detector = PlanetScaleDetector()
