"""Alibaba Cloud AccessKey pairs.

Format: ``detectors/rules/alibaba.toml`` (AccessKey IDs ``LTAI…``; AccessKey Secrets, 30
alphanumerics named Alibaba/Aliyun). A secret is looked up only with the AccessKey ID assigned next
to it (the same line or configuration block): an ID merely nearby may be another key's, and the
pair would then read as invalid.

Lookup: RPC API calls signed with the pair (Alibaba Cloud "Request syntax and signature method V1
for RPC APIs": HMAC-SHA1 over the sorted, percent-encoded query, keyed with ``secret + "&"``); the
secret itself never travels.

1. ``GET https://sts.aliyuncs.com/?Action=GetCallerIdentity&Version=2015-04-01`` ("GetCallerIdentity",
   alibabacloud.com/help/en/ram/developer-reference/api-sts-2015-04-01-getcalleridentity; needs no
   permission): ``IdentityType`` (``Account``, ``RAMUser``, ``AssumedRoleUser``), ``AccountId``,
   ``UserId``, ``Arn``. ``InvalidAccessKeyId.NotFound`` (404), ``InvalidAccessKeyId.Inactive`` and
   ``SignatureDoesNotMatch`` mean the pair does not work: revoked, disabled, or a secret that is not
   this ID's.
2. For a RAM user, ``GET https://ram.aliyuncs.com/?Action=ListPoliciesForUser&Version=2015-05-01``
   (needs ``ram:ListPoliciesForUser``; ``NoPermission`` otherwise): the policies attached to the user
   directly. System policies are named for what they grant (``AdministratorAccess``,
   ``AliyunOSSReadOnlyAccess``, ``AliyunECSFullAccess`` …); a custom policy's document is not read,
   and policies of the user's groups are not listed, so the capabilities are a lower bound.

An AccessKey of the Alibaba Cloud account itself (``IdentityType`` ``Account``, an ARN ending
``:root``) can do everything in the account.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
import uuid
from datetime import datetime, timezone
from typing import Any
from urllib.parse import quote

from tokenreach.detectors.base import Detector, LookupUnavailable
from tokenreach.detectors.http import ProviderHTTP, json_object
from tokenreach.detectors.rule_files import builtin, rules_for
from tokenreach.scanner.model import Access, Capability, Token

PATTERNS = rules_for("alibaba")
_SPEC = builtin("alibaba")

STS, RAM = "sts.aliyuncs.com", "ram.aliyuncs.com"
_DEAD_CODES = {"InvalidAccessKeyId.NotFound": "the AccessKey was deleted",
               "InvalidAccessKeyId.Inactive": "the AccessKey is disabled",
               "SignatureDoesNotMatch": "the secret does not belong to the AccessKey ID assigned with it"}
_ALL: frozenset[Capability] = frozenset({"read", "write", "delete", "admin", "billing", "secrets"})


def percent(value: str) -> str:
    """RFC 3986 encoding as the V1 signature wants it (``~`` kept, space as ``%20``)."""
    return quote(value, safe="~")


def sign(params: dict[str, str], secret: str, method: str = "GET") -> str:
    canonical = "&".join(f"{percent(k)}={percent(v)}" for k, v in sorted(params.items()))
    to_sign = f"{method}&{percent('/')}&{percent(canonical)}"
    digest = hmac.new(f"{secret}&".encode(), to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def signed(action: str, version: str, key_id: str, secret: str, **extra: str) -> dict[str, str]:
    params = {"Action": action, "Version": version, "Format": "JSON", "AccessKeyId": key_id,
              "SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0", "SignatureNonce": uuid.uuid4().hex,
              "Timestamp": datetime.fromtimestamp(time.time(), tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
              **extra}
    params["Signature"] = sign(params, secret)
    return params


def capabilities_of(policy_names: list[str]) -> tuple[set[Capability], bool]:
    """(capabilities, whether a custom policy left them open)."""
    caps: set[Capability] = set()
    custom = False
    for name in policy_names:
        if name == "AdministratorAccess":
            caps |= _ALL
        elif name.endswith("ReadOnlyAccess"):
            caps.add("read")
        elif name.endswith("FullAccess"):
            caps |= {"read", "write", "delete"}
            if "RAM" in name or "KMS" in name:
                caps |= {"admin", "secrets"}
            if "BSS" in name or "Billing" in name:
                caps.add("billing")
        else:
            custom = True
    return caps, custom


class AlibabaDetector(Detector):
    provider = "alibaba"
    title = _SPEC.name
    patterns = PATTERNS
    api_url = f"https://{STS}"
    hosts = (STS, RAM)
    request_budget = 60
    revoke_url = _SPEC.revoke_url
    least_privilege = _SPEC.least_privilege
    # Starts at the ID itself so that binding sees it assigned.
    context_patterns = {"key_id": r"(?<![A-Za-z0-9])(LTAI[A-Za-z0-9]{12,20})(?![A-Za-z0-9])"}
    bound_context = frozenset({"key_id"})
    dead_statuses = frozenset()  # decided by the error Code, not by the status

    def classify(self, token: Token) -> Access:
        access = super().classify(token)
        if token.kind == "access_key_secret" and not token.context.get("key_id"):
            access.facts["skip_lookup"] = True
            access.note("not looked up: no AccessKey ID is assigned with the secret")
        return access

    def lookup(self, token: Token, http: ProviderHTTP, offline: Access) -> Access:
        access = offline
        key_id = token.context.get("key_id")
        if token.kind != "access_key_secret" or not key_id:
            return access
        resp = http.get("/", host=STS, params=signed("GetCallerIdentity", "2015-04-01", key_id, token.secret))
        code = _code(resp)
        why = {resp.status_code: _DEAD_CODES[code]} if code in _DEAD_CODES else None
        if not http.settle(access, resp, "GetCallerIdentity", dead={resp.status_code} if why else set(),
                           detail=f"({code})" if code else None, why=why):
            return access
        body = json_object(resp)
        kind, arn = str(body.get("IdentityType") or ""), str(body.get("Arn") or "")
        account = str(body.get("AccountId") or "")
        access.identity = f"{arn or kind} (account {account})" if account else arn or kind
        access.facts["account_id"] = account
        access.facts["access_key_id"] = key_id
        access.reach = "account"
        if kind == "Account" or arn.endswith(":root"):
            access.capabilities = set(_ALL)
            access.facts["root"] = True
            return access.note("an AccessKey of the Alibaba Cloud account itself: can do everything in it, "
                               "billing included")
        user = arn.rsplit(":user/", 1)[-1] if ":user/" in arn else None
        if user:
            _policies(access, http, key_id, token.secret, user)
        return access


def _code(resp: Any) -> str | None:
    try:
        code = json_object(resp).get("Code")
    except LookupUnavailable:
        return None
    return code if isinstance(code, str) else None


def _policies(access: Access, http: ProviderHTTP, key_id: str, secret: str, user: str) -> None:
    try:
        resp = http.get("/", host=RAM, params=signed("ListPoliciesForUser", "2015-05-01", key_id, secret,
                                                     UserName=user))
        body = json_object(resp) if resp.status_code == 200 else {}
    except LookupUnavailable as exc:
        access.note(f"policies not listed: {exc}")
        return
    items = (body.get("Policies") or {}).get("Policy") if isinstance(body.get("Policies"), dict) else None
    if not isinstance(items, list):
        access.note(f"ListPoliciesForUser answered HTTP {resp.status_code}"
                    + (f" ({_code(resp)})" if _code(resp) else "") + ": attached policies unknown")
        return
    names = sorted(str(p["PolicyName"]) for p in items if isinstance(p, dict) and p.get("PolicyName"))
    caps, custom = capabilities_of(names)
    access.grants = names
    access.capabilities |= caps
    access.facts["capabilities_lower_bound"] = True
    access.note(f"{len(names)} policy(ies) attached to the RAM user {user}; its groups' policies are not listed"
                + ("; a custom policy's document is not read" if custom else ""))
    if "AdministratorAccess" in names:
        access.note("AdministratorAccess: can do everything in the account")


detector = AlibabaDetector()
