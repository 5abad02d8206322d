"""Fake Alibaba Cloud RPC endpoints (``sts.aliyuncs.com`` and ``ram.aliyuncs.com``, told apart by
``X-Tokenreach-Target-Host``) that check each request's V1 signature as Alibaba Cloud documents it
and answer ``GetCallerIdentity`` and ``ListPoliciesForUser`` in their documented JSON shapes; errors
are ``{"Code": …, "Message": …, "RequestId": …}``."""

from __future__ import annotations

import base64
import hashlib
import hmac
from urllib.parse import quote

from tests.fakes.server import FakeServer, Reply, Request

STS, RAM = "sts.aliyuncs.com", "ram.aliyuncs.com"
ACCOUNT = "1968132000123456"

# AccessKey ID -> (secret, identity, attached policies or None when the user may not list them)
ROOT_ID, ROOT_SECRET = "LTAI5tRootRootRootRoot12", "fcwvC5taj4vFWELBr2ZgU3YSqhq86g"
ADMIN_ID, ADMIN_SECRET = "LTAI5tAdminAdminAdmin123", "Qw3rTy9Zx7Vb1Nm2Kj4Hg8Fd2Sa6Lp"
OSS_ID, OSS_SECRET = "LTAI5tOssReaderOssRead12", "Uy5Tr1Ew3Qa7Zc8Xv2NPo9Iu7Yt5Re"
NOLIST_ID, NOLIST_SECRET = "LTAI5tNoListNoListNoLi12", "Wq1As2Df3GZx7Vb1Nm2Kj4Hg8Fd2Sa"
GONE_ID, GONE_SECRET = "LTAI5tGoneGoneGoneGone12", "Lp0OiUy5Tr1Ew3Qa7Zc8Xv2NPo9Iu7"
SLOW_ID, SLOW_SECRET = "LTAI5tSlowSlowSlowSlow12", "Yt5Re3Wq1As2Df3GZx7Vb1Nm2Kj4Hg"
WRONG_SECRET = "Zx7Vb1Nm2Kj4Hg8Fd2Sa6Lp0OiUy5T"

_KEYS = {
    ROOT_ID: (ROOT_SECRET, "Account", f"acs:ram::{ACCOUNT}:root", None),
    ADMIN_ID: (ADMIN_SECRET, "RAMUser", f"acs:ram::{ACCOUNT}:user/deployer", ["AdministratorAccess"]),
    OSS_ID: (OSS_SECRET, "RAMUser", f"acs:ram::{ACCOUNT}:user/backup", ["AliyunOSSReadOnlyAccess"]),
    NOLIST_ID: (NOLIST_SECRET, "RAMUser", f"acs:ram::{ACCOUNT}:user/ci", None),
    SLOW_ID: (SLOW_SECRET, "RAMUser", f"acs:ram::{ACCOUNT}:user/slow", None),
}


def _percent(value: str) -> str:
    return quote(value, safe="~")


def _signature(params: dict[str, str], secret: str) -> str:
    canonical = "&".join(f"{_percent(k)}={_percent(v)}" for k, v in sorted(params.items()))
    to_sign = f"GET&{_percent('/')}&{_percent(canonical)}"
    return base64.b64encode(hmac.new(f"{secret}&".encode(), to_sign.encode(), hashlib.sha1).digest()).decode()


def _error(status: int, code: str, message: str) -> Reply:
    return Reply(status, {"Code": code, "Message": message, "RequestId": "3C87BF47-3724-5443-ADC1-5AEAD9A03EB1"})


def make() -> FakeServer:
    fake = FakeServer()

    @fake.route("GET", "/")
    def rpc(req: Request) -> Reply:
        params = {k: v[0] for k, v in req.query.items()}
        key_id = params.get("AccessKeyId", "")
        if key_id == GONE_ID:
            return _error(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")
        if key_id not in _KEYS:
            return _error(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")
        secret, kind, arn, policies = _KEYS[key_id]
        signature = params.pop("Signature", "")
        if signature != _signature(params, secret):
            return _error(400, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation.")
        if key_id == SLOW_ID:
            return _error(503, "ServiceUnavailable", "The request has failed due to a temporary failure.")
        host = req.header("x-tokenreach-target-host")
        action = params.get("Action")
        if host == STS and action == "GetCallerIdentity":
            user_id = ACCOUNT if kind == "Account" else "216959339000123"
            return Reply(200, {"IdentityType": kind, "AccountId": ACCOUNT, "RequestId": "r-1",
                               "PrincipalId": "288774244375211", "UserId": user_id, "Arn": arn})
        if host == RAM and action == "ListPoliciesForUser":
            if policies is None:
                return _error(403, "NoPermission", "You are not authorized to do this action.")
            return Reply(200, {"RequestId": "r-2", "Policies": {"Policy": [
                {"PolicyName": p, "PolicyType": "System", "DefaultVersion": "v1",
                 "AttachDate": "2026-01-01T00:00:00Z", "Description": ""} for p in policies]}})
        return _error(400, "InvalidAction.NotFound", "Specified api is not found.")

    return fake
