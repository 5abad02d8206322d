"""Fake STS + IAM query APIs (one base URL answers both, dispatching on ``Action=``).

It checks SigV4 for real, with its own small implementation (the module's signer is tested
against AWS's published vectors separately): a wrong secret gets ``SignatureDoesNotMatch``, an
unknown key ID ``InvalidClientTokenId``, as STS documents. STS answers JSON (the client sends
``Accept: application/json``), IAM answers the XML of the IAM API reference, so both parsers run.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, quote

from tests.fakes.server import FakeServer, Reply, Request

ACCOUNT = "123456789012"


def key_id(prefix: str, account: str, salt: int) -> str:
    """A synthetic key ID that decodes to ``account`` (top bit set, as real IDs have)."""
    value = (int(account) << 7) | 0x800000000000 | (salt & 0x7F)
    raw = value.to_bytes(6, "big") + bytes((salt * 37 + i * 11) & 0xFF for i in range(4))
    return prefix + base64.b32encode(raw).decode()


def secret(seed: str) -> str:
    return base64.b64encode(hashlib.sha256(seed.encode()).digest() * 2).decode()[:40]


@dataclass
class Principal:
    arn: str
    secret: str
    session_token: str | None = None
    attached: list[tuple[str, str]] = field(default_factory=list)  # (name, arn)
    inline: dict[str, dict] = field(default_factory=dict)
    groups: dict[str, tuple[list[tuple[str, str]], dict[str, dict]]] = field(default_factory=dict)
    iam_denied: bool = False
    sts: str = "ok"  # ok | expired | throttled | rate_limited | error | malformed
    iam_error: bool = False


def _session(seed: str) -> str:
    return "IQoJb3JpZ2luX2VjE" + base64.b64encode(hashlib.sha512(seed.encode()).digest() * 4).decode()[:300]


ADMIN = key_id("AKIA", ACCOUNT, 1)
ROOT = key_id("AKIA", ACCOUNT, 2)
SCOPED = key_id("AKIA", ACCOUNT, 3)
NO_IAM = key_id("AKIA", ACCOUNT, 4)
ROLE = key_id("ASIA", ACCOUNT, 5)
EXPIRED = key_id("ASIA", ACCOUNT, 6)
THROTTLED = key_id("AKIA", ACCOUNT, 7)
RATE_LIMITED = key_id("AKIA", ACCOUNT, 8)
SERVER_ERROR = key_id("AKIA", ACCOUNT, 9)
MALFORMED = key_id("AKIA", ACCOUNT, 10)
IAM_DOWN = key_id("AKIA", ACCOUNT, 11)
REVOKED = key_id("AKIA", ACCOUNT, 12)  # unknown to the fake
CANARY = key_id("AKIA", "052310077262", 13)  # a canarytokens.org account
SIMULATOR = key_id("AKIA", ACCOUNT, 14)  # reads one bucket and may simulate its own policy

_ADMIN_POLICY = ("AdministratorAccess", "arn:aws:iam::aws:policy/AdministratorAccess")
_BUILDERS_ARN = f"arn:aws:iam::{ACCOUNT}:policy/BuildersPolicy"
_UPLOAD = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": ["s3:PutObject", "s3:GetObject"], "Resource": "arn:aws:s3:::artifacts/*"},
    {"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"},
]}
_BUILDERS = {"Version": "2012-10-17", "Statement": {
    "Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
    "Resource": f"arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:ci-*"}}

_SIMULATE_OWN = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"],
     "Resource": ["arn:aws:s3:::reports", "arn:aws:s3:::reports/*"]},
    {"Effect": "Allow", "Action": ["iam:SimulatePrincipalPolicy", "iam:GetContextKeysForPrincipalPolicy"],
     "Resource": f"arn:aws:iam::{ACCOUNT}:user/report-reader"},
]}

PRINCIPALS: dict[str, Principal] = {
    ADMIN: Principal(f"arn:aws:iam::{ACCOUNT}:user/deploy-bot", secret("admin"), attached=[_ADMIN_POLICY]),
    ROOT: Principal(f"arn:aws:iam::{ACCOUNT}:root", secret("root")),
    SCOPED: Principal(f"arn:aws:iam::{ACCOUNT}:user/ci/ci-uploader", secret("scoped"),
                      inline={"upload-artifacts": _UPLOAD},
                      groups={"builders": ([("BuildersPolicy", _BUILDERS_ARN)], {})}),
    NO_IAM: Principal(f"arn:aws:iam::{ACCOUNT}:user/reader", secret("noiam"), iam_denied=True),
    ROLE: Principal(f"arn:aws:sts::{ACCOUNT}:assumed-role/deployer/gha-run-42", secret("role"),
                    session_token=_session("role"),
                    attached=[("PowerUserAccess", "arn:aws:iam::aws:policy/PowerUserAccess")]),
    EXPIRED: Principal(f"arn:aws:sts::{ACCOUNT}:assumed-role/deployer/old", secret("expired"),
                       session_token=_session("expired"), sts="expired"),
    THROTTLED: Principal(f"arn:aws:iam::{ACCOUNT}:user/t", secret("throttled"), sts="throttled"),
    RATE_LIMITED: Principal(f"arn:aws:iam::{ACCOUNT}:user/r", secret("rate"), sts="rate_limited"),
    SERVER_ERROR: Principal(f"arn:aws:iam::{ACCOUNT}:user/e", secret("error"), sts="error"),
    MALFORMED: Principal(f"arn:aws:iam::{ACCOUNT}:user/m", secret("malformed"), sts="malformed"),
    IAM_DOWN: Principal(f"arn:aws:iam::{ACCOUNT}:user/d", secret("iamdown"), iam_error=True),
    SIMULATOR: Principal(f"arn:aws:iam::{ACCOUNT}:user/report-reader", secret("simulator"),
                         inline={"read-reports": _SIMULATE_OWN}),
}
REVOKED_SECRET = secret("revoked")


def env_text(kid: str, secret_key: str | None = None, session_token: str | None = None) -> str:
    """The .env lines a developer would commit for this key."""
    p = PRINCIPALS.get(kid)
    secret_key = secret_key or (p.secret if p else REVOKED_SECRET)
    text = f"AWS_ACCESS_KEY_ID={kid}\nAWS_SECRET_ACCESS_KEY={secret_key}\n"
    token = session_token or (p.session_token if p else None)
    if token:
        text += f"AWS_SESSION_TOKEN={token}\n"
    return text


# Responses ----------------------------------------------------------------------------------


def _error(status: int, code: str, message: str, kind: str = "Sender") -> Reply:
    body = (f'<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>{kind}</Type>'
            f"<Code>{code}</Code><Message>{message}</Message></Error>"
            "<RequestId>4f1e2c3d-0000-4000-8000-000000000000</RequestId></ErrorResponse>")
    return Reply(status, body, headers={"Content-Type": "text/xml"})


def _iam(action: str, inner: str) -> Reply:
    body = (f'<{action}Response xmlns="https://iam.amazonaws.com/doc/2010-05-08/">'
            f"<{action}Result>{inner}</{action}Result>"
            "<ResponseMetadata><RequestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestId></ResponseMetadata>"
            f"</{action}Response>")
    return Reply(200, body, headers={"Content-Type": "text/xml"})


def _members(tag: str, items: list[str]) -> str:
    return f"<{tag}>" + "".join(f"<member>{i}</member>" for i in items) + f"</{tag}>"


def _attached(policies: list[tuple[str, str]]) -> str:
    return _members("AttachedPolicies", [f"<PolicyName>{n}</PolicyName><PolicyArn>{a}</PolicyArn>"
                                         for n, a in policies]) + "<IsTruncated>false</IsTruncated>"


# SigV4 check, written independently of detectors/providers/aws.py ---------------------------------------

_AUTH = re.compile(r"AWS4-HMAC-SHA256 Credential=(?P<kid>[A-Z0-9]+)/(?P<date>\d{8})/(?P<region>[\w-]+)/"
                   r"(?P<service>\w+)/aws4_request, SignedHeaders=(?P<signed>[a-z0-9;-]+), "
                   r"Signature=(?P<sig>[0-9a-f]{64})")


def _signature_ok(req: Request, secret_key: str, m: re.Match[str]) -> bool:
    names = m["signed"].split(";")
    if "host" not in names or "x-amz-date" not in names:
        return False
    query = "&".join(f"{quote(k, safe='-_.~')}={quote(v, safe='-_.~')}"
                     for k, v in sorted(parse_qsl("&".join(f"{k}={v}" for k, vs in req.query.items()
                                                           for v in vs), keep_blank_values=True)))
    canonical = "\n".join([
        req.method, req.path, query,
        "".join(f"{n}:{(req.header(n) or '').strip()}\n" for n in names),
        m["signed"], hashlib.sha256(req.body).hexdigest(),
    ])
    scope = f"{m['date']}/{m['region']}/{m['service']}/aws4_request"
    to_sign = f"AWS4-HMAC-SHA256\n{req.header('x-amz-date')}\n{scope}\n" + hashlib.sha256(
        canonical.encode()).hexdigest()
    key = ("AWS4" + secret_key).encode()
    for part in (m["date"], m["region"], m["service"], "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return hmac.compare_digest(hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest(), m["sig"])


def make() -> FakeServer:
    fake = FakeServer()

    def authenticate(req: Request, service: str) -> Principal | Reply:
        m = _AUTH.fullmatch(req.header("authorization") or "")
        if not m or m["service"] != service or m["region"] != "us-east-1":
            return _error(400, "IncompleteSignature", "Authorization header requires a valid Credential.")
        p = PRINCIPALS.get(m["kid"])
        if p is None:
            return _error(403, "InvalidClientTokenId", "The security token included in the request is invalid.")
        if p.session_token and req.header("x-amz-security-token") != p.session_token:
            return _error(403, "InvalidClientTokenId", "The security token included in the request is invalid.")
        if not _signature_ok(req, p.secret, m):
            return _error(403, "SignatureDoesNotMatch", "The request signature we calculated does not match "
                          "the signature you provided. Check your AWS Secret Access Key and signing method.")
        return p

    @fake.route("POST", "/")
    def sts(req: Request) -> Reply:
        form = req.form()
        if form.get("Action") != "GetCallerIdentity" or form.get("Version") != "2011-06-15":
            return _error(400, "InvalidAction", "Could not find operation")
        p = authenticate(req, "sts")
        if isinstance(p, Reply):
            return p
        if p.sts == "expired":
            return _error(403, "ExpiredToken", "The security token included in the request is expired")
        if p.sts == "throttled":
            return _error(400, "Throttling", "Rate exceeded")
        if p.sts == "rate_limited":
            return Reply(429, {"Error": {"Code": "Throttling"}}, headers={"Retry-After": "120"})
        if p.sts == "error":
            return _error(500, "InternalFailure", "internal error", kind="Receiver")
        if p.sts == "malformed":
            return Reply(200, "<html><body>Service Unavailable</body>")
        account = p.arn.split(":")[4]
        return Reply(200, {"GetCallerIdentityResponse": {
            "GetCallerIdentityResult": {"Account": account, "Arn": p.arn, "UserId": "AIDAEXAMPLEUSERID01"},
            "ResponseMetadata": {"RequestId": "01234567-89ab-cdef-0123-456789abcdef"}}})

    @fake.route("GET", "/")
    def iam(req: Request) -> Reply:
        q = {k: v[0] for k, v in req.query.items()}
        action = q.get("Action", "")
        if q.get("Version") != "2010-05-08":
            return _error(400, "InvalidAction", "Could not find operation")
        p = authenticate(req, "iam")
        if isinstance(p, Reply):
            return p
        if p.iam_error:
            return _error(503, "ServiceUnavailable", "Service is unavailable", kind="Receiver")
        if p.iam_denied:
            return _error(403, "AccessDenied", f"User: {p.arn} is not authorized to perform: iam:{action} on "
                          f"resource: {p.arn} because no identity-based policy allows the iam:{action} action")
        user = q.get("UserName") or q.get("RoleName")
        own = p.arn.rsplit("/", 1)[-1] if ":user/" in p.arn else p.arn.split("/")[1]
        group = q.get("GroupName")
        if group is not None:
            if group not in p.groups:
                return _error(404, "NoSuchEntity", f"The group with name {group} cannot be found.")
            attached, inline = p.groups[group]
        elif user is not None:
            if user != own:
                return _error(403, "AccessDenied", f"User: {p.arn} is not authorized to perform: iam:{action}")
            attached, inline = p.attached, p.inline
        else:
            attached, inline = [], {}
        if action in ("ListAttachedUserPolicies", "ListAttachedRolePolicies", "ListAttachedGroupPolicies"):
            return _iam(action, _attached(attached))
        if action in ("ListUserPolicies", "ListRolePolicies", "ListGroupPolicies"):
            return _iam(action, _members("PolicyNames", list(inline)) + "<IsTruncated>false</IsTruncated>")
        if action == "ListGroupsForUser":
            return _iam(action, _members("Groups", [
                f"<GroupName>{g}</GroupName><Arn>arn:aws:iam::{ACCOUNT}:group/{g}</Arn>" for g in p.groups
            ]) + "<IsTruncated>false</IsTruncated>")
        if action in ("GetUserPolicy", "GetRolePolicy", "GetGroupPolicy"):
            name = q.get("PolicyName", "")
            if name not in inline:
                return _error(404, "NoSuchEntity", f"The policy {name} cannot be found.")
            doc = quote(json.dumps(inline[name]), safe="")
            return _iam(action, f"<PolicyName>{name}</PolicyName><PolicyDocument>{doc}</PolicyDocument>")
        if action == "GetPolicy" and q.get("PolicyArn") == _BUILDERS_ARN:
            return _iam(action, f"<Policy><PolicyName>BuildersPolicy</PolicyName><Arn>{_BUILDERS_ARN}</Arn>"
                        "<DefaultVersionId>v3</DefaultVersionId></Policy>")
        if action == "GetPolicyVersion" and q.get("PolicyArn") == _BUILDERS_ARN and q.get("VersionId") == "v3":
            doc = quote(json.dumps(_BUILDERS), safe="")
            return _iam(action, f"<PolicyVersion><Document>{doc}</Document><VersionId>v3</VersionId>"
                        "<IsDefaultVersion>true</IsDefaultVersion></PolicyVersion>")
        return _error(400, "InvalidAction", f"Could not find operation {action}")

    return fake
