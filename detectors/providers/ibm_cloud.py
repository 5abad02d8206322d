"""IBM Cloud IAM API keys.

Format: ``detectors/rules/ibm_cloud.toml`` (44 base64url characters named IBM Cloud in their
assignment).

Lookup (IBM Cloud IAM API reference, cloud.ibm.com/apidocs/iam-identity-token-api, "Create an IAM
access token for a user or service ID using an API key", …/iam-identity-token-api#get-api-keys-details
and cloud.ibm.com/apidocs/iam-policy-management#list-policies):

1. ``POST https://iam.cloud.ibm.com/identity/token`` with ``grant_type=urn:ibm:params:oauth:grant-type:apikey``:
   the API key grant every IBM Cloud client starts with. It mints a one-hour access token and changes
   nothing. A key IAM does not know gets 400 ``BXNIM0415E`` ("Provided API key could not be found"):
   revoked. The access token is a JWT whose claims name the identity (``iam_id``, ``sub``,
   ``sub_type`` user or ServiceId) and the account (``account.bss``).
2. ``GET https://iam.cloud.ibm.com/v1/apikeys/details`` with the key in the ``IAM-Apikey`` header
   ("Get details of an API key by its value"): its ``name``, ``locked``, ``iam_id`` and ``account_id``.
3. ``GET https://iam.cloud.ibm.com/v1/policies?account_id=…&iam_id=…&type=access``: the access
   policies assigned to that identity directly, each with ``roles`` (platform roles Viewer, Operator,
   Editor, Administrator; service roles Reader, Writer, Manager) on ``resources`` (an account, a
   service, a resource group). Policies reached through access groups are not in this list, so the
   capabilities are a lower bound; a 403 leaves them unknown.
"""

from __future__ import annotations

from typing import Any

from tokenreach.detectors import jwt
from tokenreach.detectors.base import Detector, LookupUnavailable
from tokenreach.detectors.http import ProviderHTTP, json_object
from tokenreach.detectors.rule_files import builtin, rules_for
from tokenreach.scanner.model import Access, Capability, Token

PATTERNS = rules_for("ibm_cloud")
_SPEC = builtin("ibm_cloud")

TOKEN = "/identity/token"
DETAILS = "/v1/apikeys/details"
POLICIES = "/v1/policies"
GRANT = "urn:ibm:params:oauth:grant-type:apikey"
NOT_FOUND = "BXNIM0415E"

_ROLE_CAPS: dict[str, frozenset[Capability]] = {
    "Viewer": frozenset({"read"}),
    "Reader": frozenset({"read"}),
    "Operator": frozenset({"read", "write"}),
    "Writer": frozenset({"read", "write"}),
    "Editor": frozenset({"read", "write", "delete"}),
    "Manager": frozenset({"read", "write", "delete"}),
    "Administrator": frozenset({"read", "write", "delete", "admin"}),
}
# Services whose administration hands out credentials or access.
_SECRET_SERVICES = frozenset({"iam-identity", "secrets-manager", "kms", "hs-crypto"})


def _role_name(role: dict[str, Any]) -> str:
    rid = str(role.get("role_id") or "")
    return str(role.get("display_name") or rid.rsplit(":", 1)[-1])


def _attrs(items: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    for res in items or []:
        for attr in (res.get("attributes") or []) if isinstance(res, dict) else []:
            if isinstance(attr, dict) and isinstance(attr.get("name"), str):
                out[attr["name"]] = str(attr.get("value"))
    return out


def capabilities_of(policies: list[dict[str, Any]]) -> tuple[set[Capability], list[str], bool]:
    """(capabilities, "role on scope" grants, whether any policy covers the whole account)."""
    caps: set[Capability] = set()
    grants: list[str] = []
    account_wide = False
    for policy in policies:
        scope = _attrs(policy.get("resources"))
        service = scope.get("serviceName")
        if service:
            where = service
        elif scope.get("resourceGroupId"):
            where = f"resource group {scope['resourceGroupId']}"
        else:  # serviceType "service" (every IAM-enabled service) or "platform_service", or none
            where = {"service": "all IAM-enabled services", "platform_service": "all account management services"}.get(
                scope.get("serviceType", ""), "the whole account")
        if not service and not scope.get("resourceGroupId") and not scope.get("resource"):
            account_wide = True
        for role in policy.get("roles") or []:
            if not isinstance(role, dict):
                continue
            name = _role_name(role)
            role_caps = _ROLE_CAPS.get(name, frozenset())
            caps |= role_caps
            if "admin" in role_caps and (service in _SECRET_SERVICES or not service):
                caps.add("secrets")
            grants.append(f"{name} on {where}")
    return caps, sorted(set(grants)), account_wide


class IBMCloudDetector(Detector):
    provider = "ibm_cloud"
    title = _SPEC.name
    patterns = PATTERNS
    api_url = "https://iam.cloud.ibm.com"
    hosts = ("iam.cloud.ibm.com",)
    request_budget = 60
    revoke_url = _SPEC.revoke_url
    least_privilege = _SPEC.least_privilege

    def lookup(self, token: Token, http: ProviderHTTP, offline: Access) -> Access:
        access = offline
        resp = http.post_readonly(TOKEN, data={"grant_type": GRANT, "apikey": token.secret},
                                  headers={"Content-Type": "application/x-www-form-urlencoded"},
                                  why="IAM API key grant: mints a one-hour access token, changes nothing")
        code = _error_code(resp)
        dead = resp.status_code == 400 and code == NOT_FOUND
        if not http.settle(access, resp, TOKEN, dead={400} if dead else set(), detail=f"({code})" if code else None,
                           why={400: "IAM does not know the key: deleted or never valid"}):
            return access
        access_token = json_object(resp).get("access_token")
        claims = jwt.claims(access_token) if isinstance(access_token, str) else None
        if not isinstance(access_token, str) or claims is None:
            return access.unknown(f"{TOKEN} answered 200 without an access token")
        iam_id = str(claims.get("iam_id") or "")
        account_v = claims.get("account")
        account: dict[str, Any] = account_v if isinstance(account_v, dict) else {}
        account_id = str(account.get("bss") or "")
        kind = str(claims.get("sub_type") or "")
        who = claims.get("email") or claims.get("name") or claims.get("sub") or iam_id
        access.identity = f"{'service ID' if kind.lower() == 'serviceid' else 'user'} {who}"
        if account_id:
            access.identity += f" in account {account_id}"
            access.facts["account_id"] = account_id
        access.facts["iam_id"] = iam_id
        access.reach = "account"
        auth = {"Authorization": f"Bearer {access_token}"}
        _details(access, http, auth, token.secret)
        if iam_id and account_id:
            _policies(access, http, auth, account_id, iam_id)
        return access


def _error_code(resp: Any) -> str | None:
    try:
        code = json_object(resp).get("errorCode")
    except LookupUnavailable:
        return None
    return code if isinstance(code, str) else None


def _details(access: Access, http: ProviderHTTP, auth: dict[str, str], secret: str) -> None:
    try:
        resp = http.get(DETAILS, headers={**auth, "IAM-Apikey": secret})
        body = json_object(resp) if resp.status_code == 200 else {}
    except LookupUnavailable as exc:
        access.note(f"key details not read: {exc}")
        return
    if not body:
        access.note(f"{DETAILS} answered HTTP {resp.status_code}: key details unknown")
        return
    if isinstance(body.get("name"), str):
        access.facts["key_name"] = body["name"]
    if body.get("locked") is True:
        access.facts["locked"] = True
        access.note("the key is locked against deletion, not against use")


def _policies(access: Access, http: ProviderHTTP, auth: dict[str, str], account_id: str, iam_id: str) -> None:
    try:
        resp = http.get(POLICIES, headers=auth,
                        params={"account_id": account_id, "iam_id": iam_id, "type": "access"})
        body = json_object(resp) if resp.status_code == 200 else {}
    except LookupUnavailable as exc:
        access.note(f"policies not listed: {exc}")
        return
    policies = body.get("policies")
    if not isinstance(policies, list):
        access.note(f"{POLICIES} answered HTTP {resp.status_code}: access policies unknown")
        return
    caps, grants, account_wide = capabilities_of([p for p in policies if isinstance(p, dict)])
    access.capabilities |= caps
    access.grants = grants
    access.facts["capabilities_lower_bound"] = True
    access.note(f"{len(grants)} role(s) from policies assigned directly; access groups may add more")
    if account_wide and "admin" in caps:
        access.note("Administrator on every service of the account")


detector = IBMCloudDetector()
