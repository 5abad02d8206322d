"""AWS access keys (an access key ID, and its secret access key when it sits nearby).

Format (providers.md B.4; IAM "unique ID prefixes" reference): a key ID is a 4-character type
prefix plus 16 base32 characters: ``AKIA`` long-term IAM user or root key, ``ASIA`` temporary STS
credentials (useless without their session token), ``ABIA`` STS service bearer token, ``ACCA``
context-specific credential. The secret access key is 40 characters of ``[A-Za-z0-9+/]``.

The finding is the key ID (``Token.secret``); the secret access key, and an STS session token
when one follows, ride along in ``Token.extras`` (``secret_access_key``, ``session_token``)
because a request can only be signed with the pair. The engine's single pass finds the pair with
one pattern per order (ID then secret, secret then ID); a lone ID is reported but never looked up.

Offline, the key ID alone gives the AWS account ID (AWS's STS ``GetAccessKeyInfo`` returns it for a
key ID; the base32 decoding is public research: Tal Be'ery, "A short note on AWS KEY ID",
medium.com/@TalBeerySec/a-short-note-on-aws-key-id-f88cc4317489), and the account ID recognises
canarytokens.org keys, which are never called: any authenticated use of a canary alerts its owner.

Lookup, SigV4-signed here with hmac/hashlib:

1. ``sts:GetCallerIdentity`` (``POST https://sts.amazonaws.com/``, documented to need no
   permission and to change nothing) gives liveness, account and ARN.
2. The IAM reads the key itself may be allowed, all ``GET https://iam.amazonaws.com/?Action=…``:
   ``ListAttachedUserPolicies``, ``ListUserPolicies``, ``ListGroupsForUser`` (+ the group
   equivalents), ``GetUserPolicy`` / ``GetGroupPolicy``, ``GetPolicy`` + ``GetPolicyVersion``; for a
   role session the ``…Role…`` equivalents. A root ARN needs no IAM read: root can do everything.

``TOKENREACH_AWS_API_URL`` replaces both the STS and the IAM endpoint with one base URL (requests
still carry ``Action=``, so one fake answers both).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from tokenreach.detectors.base import Detector, LookupUnavailable, Pattern
from tokenreach.detectors.http import ProviderHTTP
from tokenreach.scanner.model import CAPABILITY_ORDER, Access, Capability, Token

STS_HOST = "sts.amazonaws.com"
IAM_HOST = "iam.amazonaws.com"
REGION = "us-east-1"  # the global STS and IAM endpoints both sign for us-east-1

# Pieces of the patterns, kept apart so that the pair patterns read as sentences.
_KEY_ID = r"\b(?P<secret>(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})\b"
_SECRET = r"(?P<secret_access_key>[A-Za-z0-9+/]{40})"
_SECRET_WORD = r"[Ss][Ee][Cc][Rr][Ee][Tt]"
# Characters that never contain another key ID ("an A not followed by KI or SI", spelled out
# because neither engine may use lookahead), so two pairs in one file never swap secrets. Hyperscan
# refuses big bounded repeats of this group, hence 80 units (80 to 240 characters).
_NO_OTHER_ID = r"(?:[^A]|A[^KS]|A[KS][^I])"
_WORD_THEN_VALUE = r"[\w.-]*[^A-Za-z0-9+/\n]{1,6}"  # _access_key = " / AccessKey": "
# Between an ID and its secret: the word "secret" (…_ACCESS_KEY_ID=… then …_SECRET_ACCESS_KEY=…,
# "SecretAccessKey": "…"), or only a separator (the console's CSV download: AKIA…,secret).
_ID_THEN_SECRET = (
    _KEY_ID
    + r"(?:" + _NO_OTHER_ID + r"{0,80}?" + _SECRET_WORD + _WORD_THEN_VALUE + r"|[^A-Za-z0-9+/\n]{1,4})"
    + _SECRET
    # The secret ends the text or a non-base64 character does, then maybe an STS session token
    # (AWS_SESSION_TOKEN=…, "SessionToken": "…"). Hyperscan allows "$" only at the very end.
    + r"(?:[^A-Za-z0-9+/=](?:" + _NO_OTHER_ID + r"{0,40}?[Tt][Oo][Kk][Ee][Nn]" + _WORD_THEN_VALUE
    + r"(?P<session_token>[A-Za-z0-9+/=]{100,2000}))?|$)"
)
_SECRET_THEN_ID = (
    _SECRET_WORD + _WORD_THEN_VALUE + _SECRET + r"[^A-Za-z0-9+/=]"
    + r"[\s\S]{0,200}?" + _KEY_ID
)

_SYNTH_ID = "AKIARZPUZDIKJUQSYN2C"  # made up; decodes to account 123456789012
# AWS's documentation writes its example key IDs with the suffix EXAMPLE (AKIAIOSFODNN7EXAMPLE,
# AKIAI44QH8DHBEXAMPLE, ASIAIOSFODNN7EXAMPLE …): thousands of them ship in botocore and the AWS
# CLI. A random ID ends that way once in 32**7 (3e10).
_DOC_IDS = ("AKIAIOSFODNN7EXAMPLE", "AKIAI44QH8DHBEXAMPLE", "ASIAIOSFODNN7EXAMPLE")
_DOC_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"


def not_documentation(key_id: str) -> bool:
    return not key_id.endswith("EXAMPLE")

_SYNTH_SECRET = "wJalrXUtnFEMIxK7MDENGxbPxRfiCYzEXAMPLEKQ"

PATTERNS = (
    Pattern(
        id="aws.access_key_pair",
        name="AWS access key ID with its secret access key",
        regex=_ID_THEN_SECRET,
        keywords=("akia", "asia", "abia", "acca"),
        kind="access_key",
        validate=not_documentation,
        examples=(
            f"AWS_ACCESS_KEY_ID={_SYNTH_ID}\nAWS_SECRET_ACCESS_KEY={_SYNTH_SECRET}\n",
            f"[default]\naws_access_key_id = {_SYNTH_ID}\naws_secret_access_key = {_SYNTH_SECRET}\n",
            f'{{"AccessKeyId": "{_SYNTH_ID}", "SecretAccessKey": "{_SYNTH_SECRET}"}}',
            f"Access key ID,Secret access key\n{_SYNTH_ID},{_SYNTH_SECRET}\n",
        ),
        counterexamples=(
            # The 40-character run is one character too long: not a secret access key.
            f"AWS_ACCESS_KEY_ID={_SYNTH_ID}\nAWS_SECRET_ACCESS_KEY={_SYNTH_SECRET}Z\n",
            f"AWS_ACCESS_KEY_ID={_SYNTH_ID}\n",
            *(f"AWS_ACCESS_KEY_ID={i}\nAWS_SECRET_ACCESS_KEY={_DOC_SECRET}\n" for i in _DOC_IDS),
            f'"accessKeyId": "{_DOC_IDS[0]}",\n"secretAccessKey": "{_DOC_SECRET}"',  # AWS CLI examples
        ),
    ),
    Pattern(
        id="aws.secret_then_key_id",
        name="AWS secret access key followed by its access key ID",
        regex=_SECRET_THEN_ID,
        keywords=("akia", "asia", "abia", "acca"),
        kind="access_key",
        validate=not_documentation,
        examples=(f"aws_secret_access_key: {_SYNTH_SECRET}\naws_access_key_id: {_SYNTH_ID}\n",),
        counterexamples=(f"aws_secret_access_key: {_SYNTH_SECRET}\n",
                         f"aws_secret_access_key: {_DOC_SECRET}\naws_access_key_id: {_DOC_IDS[0]}\n"),
    ),
    Pattern(
        id="aws.access_key_id",
        name="AWS access key ID (no secret nearby)",
        regex=_KEY_ID,
        keywords=("akia", "asia", "abia", "acca"),
        kind="access_key_id",
        validate=not_documentation,
        examples=(f"aws_access_key_id={_SYNTH_ID}", "role creds: ASIAY34FZKBOKMUTVV7A"),
        counterexamples=(
            *(f"aws_access_key_id={i}" for i in _DOC_IDS),
            '"AccessKeyId": "ASIAI44QH8DHBEXAMPLE"',  # botocore's service examples
            "AKIARZPUZDIKJUQSYN2",  # 15 characters after the prefix
            "AIDARZPUZDIKJUQSYN2C",  # a user's unique ID, not a credential
            "XAKIARZPUZDIKJUQSYN2C",  # part of a longer word
            "AKIARZPUZDIKJUQSYN21",  # 1 is not base32
        ),
        # A key ID alone cannot sign a request, so classify() forbids the call, unless another
        # location of the same ID brought its secret: the pipeline merges the extras of one
        # finding's locations but keeps the first location's pattern id, so lookup=False here
        # would also silence a pair found later.
    ),
)

_KINDS = {
    "AKIA": "long-term access key (IAM user or root)",
    "ASIA": "temporary STS credentials",
    "ABIA": "STS service bearer token",
    "ACCA": "context-specific credential",
}

# Thinkst canarytokens.org accounts and look-alikes, as collected in public research on spotting
# canary keys by their account ID.
CANARY_ACCOUNTS = frozenset({
    "052310077262", "171436882533", "534261010715", "595918472158", "717712589309",
    "819147034852", "992382622183", "730335385048", "266735846894", "893192397702",
})
KNOCKOFF_CANARY_ACCOUNTS = frozenset({
    "044858866125", "251535659677", "344043088457", "351906852752", "390477818340",
    "426127672474", "427150556519", "439872796651", "445142720921", "465867158099",
    "637958123769", "693412236332", "732624840810", "735421457923", "959235150393",
    "982842642351",
})

ALL: frozenset[Capability] = frozenset(CAPABILITY_ORDER)
# AWS managed policies whose name says enough; anything else is read from its document.
_MANAGED: dict[str, frozenset[Capability]] = {
    "AdministratorAccess": ALL,
    "IAMFullAccess": frozenset({"read", "write", "delete", "admin"}),
    "PowerUserAccess": frozenset({"read", "write", "delete", "secrets"}),
    "ReadOnlyAccess": frozenset({"read"}),
    "ViewOnlyAccess": frozenset({"read"}),
    "SecurityAudit": frozenset({"read"}),
    "Billing": frozenset({"read", "billing"}),
    "AWSBillingReadOnlyAccess": frozenset({"read", "billing"}),
    "SecretsManagerReadWrite": frozenset({"read", "write", "delete", "secrets"}),
    "AWSOrganizationsFullAccess": frozenset({"read", "write", "delete", "admin"}),
}
_READ_VERBS = ("get", "list", "describe", "head", "select", "query", "scan", "batchget", "lookup", "search",
               "view", "check", "filter", "download")
# Actions whose verb reads as a write but whose access level the Service Authorization Reference
# (list_identityandaccessmanagementiam) documents as Read: the policy simulator evaluates
# policies and "does not perform the API operations", the Generate* calls start a report job.
_READ_ACTIONS = frozenset({
    "iam:simulateprincipalpolicy", "iam:simulatecustompolicy", "iam:generateservicelastaccesseddetails",
    "iam:generatecredentialreport", "iam:generateorganizationsaccessreport",
})
_DELETE_VERBS = ("delete", "terminate", "purge", "remove", "deregister", "detach")
_SECRET_ACTIONS = ("secretsmanager:getsecretvalue", "ssm:getparameter", "kms:decrypt",
                   "ssm:getparameters", "ssm:getparametersbypath", "secretsmanager:*", "kms:*", "ssm:*")
_BILLING_SERVICES = frozenset({"aws-portal", "billing", "ce", "budgets", "payments", "account", "cur",
                               "purchase-orders", "invoicing"})
_ADMIN_SERVICES = frozenset({"iam", "organizations", "sso", "identitystore"})

_MAX_GROUPS = 5
_MAX_DOCUMENTS = 6  # policy documents read per key (GetUserPolicy, GetPolicyVersion …)


# Offline ----------------------------------------------------------------------------------------


def account_id(key_id: str) -> str | None:
    """The 12-digit account a key ID belongs to, or None (old ``AKIAI…``/``AKIAJ…`` keys, junk)."""
    if not re.fullmatch(r"[A-Z]{4}[A-Z2-7]{16}", key_id or "") or key_id[4] in "IJ":
        return None
    try:
        raw = base64.b32decode(key_id[4:])
    except (binascii.Error, ValueError):
        return None
    return f"{(int.from_bytes(raw[:6], 'big') & 0x7FFFFFFFFF80) >> 7:012d}"


def canary_kind(account: str | None) -> str | None:
    if account in CANARY_ACCOUNTS:
        return "canarytokens.org"
    if account in KNOCKOFF_CANARY_ACCOUNTS:
        return "an off-brand canarytokens.org copy"
    return None


# SigV4 ------------------------------------------------------------------------------------------


def _hmac(key: bytes, msg: str) -> bytes:
    return hmac.new(key, msg.encode(), hashlib.sha256).digest()


def _enc(value: str) -> str:
    return quote(value, safe="-_.~")


def canonical_query(query: str) -> str:
    pairs = parse_qsl(query, keep_blank_values=True)
    return "&".join(f"{_enc(k)}={_enc(v)}" for k, v in sorted(pairs))


def sigv4_authorization(
    method: str,
    url: str,
    headers: Mapping[str, str],
    body: bytes,
    *,
    key_id: str,
    secret: str,
    region: str,
    service: str,
    amz_date: str,
) -> str:
    """The ``Authorization`` header of AWS Signature Version 4 over ``headers`` + Host.

    ``headers`` must hold ``X-Amz-Date`` (= ``amz_date``) and every other header to sign.
    """
    parts = urlsplit(url)
    signed = {k.lower(): " ".join(v.strip().split()) for k, v in headers.items()}
    signed["host"] = parts.netloc.lower()
    names = sorted(signed)
    canonical_request = "\n".join([
        method,
        quote(parts.path or "/", safe="/-_.~"),
        canonical_query(parts.query),
        "".join(f"{n}:{signed[n]}\n" for n in names),
        ";".join(names),
        hashlib.sha256(body).hexdigest(),
    ])
    scope = f"{amz_date[:8]}/{region}/{service}/aws4_request"
    to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope,
                         hashlib.sha256(canonical_request.encode()).hexdigest()])
    key = _hmac(("AWS4" + secret).encode(), amz_date[:8])
    for part in (region, service, "aws4_request"):
        key = _hmac(key, part)
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    return f"AWS4-HMAC-SHA256 Credential={key_id}/{scope}, SignedHeaders={';'.join(names)}, Signature={signature}"


# Responses (JSON when AWS honours Accept: application/json, else the documented XML) -----------


def _strip_ns(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _xml_value(el: ET.Element) -> Any:
    children = list(el)
    if not children:
        return (el.text or "").strip()
    if all(_strip_ns(c.tag) == "member" for c in children):
        return [_xml_value(c) for c in children]
    return {_strip_ns(c.tag): _xml_value(c) for c in children}


def parse_body(content: bytes) -> dict[str, Any]:
    """An AWS query-API answer as a dict (``{"GetCallerIdentityResponse": {...}}``)."""
    text = content.strip()
    if text.startswith(b"{"):
        try:
            body = json.loads(text)
        except (ValueError, UnicodeDecodeError):
            raise LookupUnavailable("AWS answered with malformed JSON") from None
        if isinstance(body, dict):
            return body
        raise LookupUnavailable("AWS answered with an unexpected JSON shape")
    if text.startswith(b"<"):
        try:
            root = ET.fromstring(text)
        except ET.ParseError:
            raise LookupUnavailable("AWS answered with malformed XML") from None
        value = _xml_value(root)
        return {_strip_ns(root.tag): value if isinstance(value, dict) else {}}
    raise LookupUnavailable("AWS answered with a body that is neither JSON nor XML")


def error_code(body: Mapping[str, Any]) -> tuple[str, str]:
    err = body.get("Error")
    if not isinstance(err, dict):
        err = (body.get("ErrorResponse") or {}).get("Error") if isinstance(body.get("ErrorResponse"), dict) else None
    if not isinstance(err, dict):
        return "", ""
    return str(err.get("Code") or ""), str(err.get("Message") or "")


def _result(body: Mapping[str, Any], action: str) -> dict[str, Any]:
    resp = body.get(f"{action}Response")
    result = resp.get(f"{action}Result") if isinstance(resp, dict) else None
    if not isinstance(result, dict):
        raise LookupUnavailable(f"{action} answer lacks {action}Result")
    return result


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


# Policies → capabilities --------------------------------------------------------------------


def action_capabilities(action: str) -> set[Capability]:
    """What one IAM action (wildcards allowed) lets a caller do."""
    a = action.strip().lower()
    if a in ("*", "*:*"):
        return set(ALL)
    service, _, name = a.partition(":")
    caps: set[Capability] = set()
    if name == "*" or name == "":
        caps |= {"read", "write", "delete"}
    elif name.startswith(_READ_VERBS) or a in _READ_ACTIONS:
        caps.add("read")
    elif name.startswith(_DELETE_VERBS):
        caps.add("delete")
    else:
        caps.add("write")
    if service in _ADMIN_SERVICES and caps - {"read"}:
        caps.add("admin")  # writing IAM or Organizations is an escalation path
    if a == "iam:passrole":
        caps.add("admin")
    if any(a == s or (s.endswith("*") and a.startswith(s[:-1])) for s in _SECRET_ACTIONS):
        caps.add("secrets")
    if service in _BILLING_SERVICES:
        caps.add("billing")
    return caps


def _listify(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [str(v) for v in value]
    return []


def policy_capabilities(document: Mapping[str, Any]) -> tuple[set[Capability], bool, list[str]]:
    """(capabilities, any Allow on Resource "*", actions) of the Allow statements of a policy."""
    statements = document.get("Statement")
    if isinstance(statements, dict):
        statements = [statements]
    caps: set[Capability] = set()
    account_wide = False
    actions: list[str] = []
    for st in statements if isinstance(statements, list) else []:
        if not isinstance(st, dict) or st.get("Effect") != "Allow":
            continue
        acts = _listify(st.get("Action"))
        if "NotAction" in st:
            acts = ["*"]  # "everything except …" is treated as everything
        resources = _listify(st.get("Resource")) or (["*"] if "NotResource" in st else [])
        if "*" in resources:
            account_wide = True
        for act in acts:
            actions.append(act)
            caps |= action_capabilities(act)
    return caps, account_wide, actions


def decode_policy_document(raw: Any) -> dict[str, Any] | None:
    """IAM returns policy documents URL-encoded (RFC 3986) JSON."""
    if isinstance(raw, dict):
        return raw
    if not isinstance(raw, str) or not raw:
        return None
    for text in (unquote(raw), raw):
        try:
            doc = json.loads(text)
        except ValueError:
            continue
        if isinstance(doc, dict):
            return doc
    return None


# The detector -------------------------------------------------------------------------------


class AWSDetector(Detector):
    provider = "aws"
    title = "AWS"
    patterns = PATTERNS
    api_url = f"https://{STS_HOST}"
    hosts = (STS_HOST, IAM_HOST)
    request_budget = 80
    revoke_url = "https://console.aws.amazon.com/iam/home#/security_credentials"
    # STS says what a refusal means in its error code (_sts_refusal), never by a status alone.
    dead_statuses = frozenset()

    def classify(self, token: Token) -> Access:
        access = Access(evidence="offline")
        key_id = token.secret.strip()
        prefix = key_id[:4]
        access.facts["key_type"] = prefix
        access.note(f"{prefix}: {_KINDS.get(prefix, 'unknown key type')}")
        account = account_id(key_id)
        if account:
            access.facts["account_id"] = account
            access.identity = f"AWS account {account}"
            access.note(f"account {account} decoded from the key ID")
        else:
            access.evidence = "prefix"
            access.note("the account ID cannot be decoded from this (old-format) key ID")
        canary = canary_kind(account)
        if canary:
            access.facts["canary"] = True
            access.facts["skip_lookup"] = True
            return access.note(f"account {account} issues {canary} canary keys: any use alerts its owner, "
                               "so it is never called")
        secret = token.extras.get("secret_access_key")
        if not secret:
            access.facts["skip_lookup"] = True
            return access.note("no secret access key found near the key ID: it cannot be looked up")
        if re.fullmatch(r"[0-9a-f]{40}", secret):
            access.facts["skip_lookup"] = True
            return access.note("the 40 characters next to the key ID are hex (a git SHA?), "
                               "not a secret access key: not looked up")
        if prefix in ("ABIA", "ACCA"):
            access.facts["skip_lookup"] = True
            return access.note(f"{prefix} credentials cannot sign a GetCallerIdentity call: not looked up")
        if prefix == "ASIA" and not token.extras.get("session_token"):
            # Without its session token STS answers InvalidClientTokenId, which would read as revoked.
            access.facts["skip_lookup"] = True
            return access.note("temporary credentials without their session token: not looked up")
        return access

    # Lookup ---------------------------------------------------------------------------------

    def lookup(self, token: Token, http: ProviderHTTP, offline: Access) -> Access:
        access = offline
        caller = _Caller(token, http)
        resp, body = caller.call(STS_HOST, "sts", "POST", {"Action": "GetCallerIdentity", "Version": "2011-06-15"})
        code = "" if resp.is_success else error_code(body)[0]
        if not http.settle(access, resp, "GetCallerIdentity", **_sts_refusal(code)):
            if code == "SignatureDoesNotMatch":
                access.facts["key_id_exists"] = True
            return access
        result = _result(body, "GetCallerIdentity")
        arn, account = str(result.get("Arn") or ""), str(result.get("Account") or "")
        if not arn or not account:
            return access.unknown("GetCallerIdentity answered 200 without an Arn and Account")
        access.identity = arn
        access.facts.update(account_id=account, arn=arn, user_id=str(result.get("UserId") or ""))
        access.note("GetCallerIdentity answered 200: the key pair is live")
        access.add_resources([f"account {account}"])
        kind, name = principal(arn)
        access.facts["principal_type"] = kind
        if kind == "root":
            access.reach = "account"
            access.capabilities = set(ALL)
            access.grants = ["root"]
            return access.note("the ARN is the account's root user: every action on every resource, "
                               "including billing and closing the account")
        if kind not in ("user", "assumed-role") or not name:
            return access.note(f"a {kind} principal: its permissions cannot be read with IAM list calls")
        try:
            _Permissions(caller, access, kind, name).read()
        except LookupUnavailable as exc:
            access.note(f"permissions unknown: {exc}")
        return access


def principal(arn: str) -> tuple[str, str]:
    """(principal type, IAM name) from a caller ARN: root, user, assumed-role, federated-user …"""
    m = re.fullmatch(r"arn:aws[\w-]*:(?:iam|sts)::\d{12}:(.+)", arn)
    if not m:
        return "unknown", ""
    resource = m.group(1)
    if resource == "root":
        return "root", ""
    kind, _, rest = resource.partition("/")
    if kind == "user":
        return "user", rest.rsplit("/", 1)[-1]  # user/<path>/<name>
    if kind == "assumed-role":
        return "assumed-role", rest.split("/", 1)[0]  # assumed-role/<role>/<session>
    return kind, rest


def _sts_refusal(code: str) -> dict[str, Any]:
    """ProviderHTTP.settle's arguments for a GetCallerIdentity error, from the error code STS sends."""
    if code == "InvalidClientTokenId":
        return {"dead": {403}, "detail": code, "why": {403: "the key ID does not exist or is deactivated "
                                                            "(in the commercial aws partition)"}}
    if code == "ExpiredToken":
        return {"dead": {400, 403}, "detail": code,
                "why": dict.fromkeys((400, 403), "the temporary credentials have expired")}
    if code == "SignatureDoesNotMatch":
        return {"detail": code, "why": {403: "the key ID exists but the secret found next to it is not its secret"}}
    return {"detail": code or None}


class _Caller:
    """Signs and sends one query-API action for one key pair."""

    def __init__(self, token: Token, http: ProviderHTTP) -> None:
        self.key_id = token.secret
        self.secret = token.extras.get("secret_access_key", "")
        self.session_token = token.extras.get("session_token")
        self.http = http

    def call(self, host: str, service: str, method: str, params: Mapping[str, str]) -> tuple[Any, dict[str, Any]]:
        query = "&".join(f"{_enc(k)}={_enc(v)}" for k, v in params.items())
        amz_date = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        headers = {"X-Amz-Date": amz_date}
        if self.session_token:
            headers["X-Amz-Security-Token"] = self.session_token
        if method == "POST":
            path, body = "/", query.encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8"
        else:
            path, body = f"/?{query}", b""
        url = self.http.url(path, host)
        headers["Authorization"] = sigv4_authorization(
            method, url, dict(headers), body, key_id=self.key_id, secret=self.secret,
            region=REGION, service=service, amz_date=amz_date)
        if method == "POST":
            resp = self.http.post_readonly(
                path, host=host, headers=headers, data=dict(params),
                why="sts:GetCallerIdentity is documented to change nothing and need no permission")
        else:
            resp = self.http.get(path, host=host, headers=headers)
        if resp.status_code >= 500:
            raise LookupUnavailable(f"{params.get('Action')} answered HTTP {resp.status_code}")
        return resp, parse_body(resp.content)

    def iam(self, action: str, **params: str) -> dict[str, Any] | None:
        """An IAM read's Result, or None when the key may not perform it (AccessDenied)."""
        resp, body = self.call(IAM_HOST, "iam", "GET", {"Action": action, "Version": "2010-05-08", **params})
        if resp.status_code == 200:
            return _result(body, action)
        code, _ = error_code(body)
        if resp.status_code == 403 and code in ("AccessDenied", "AccessDeniedException", "UnauthorizedOperation"):
            return None
        raise LookupUnavailable(f"{action} answered HTTP {resp.status_code}" + (f" {code}" if code else ""))


class _Permissions:
    """Reads what a user's or role session's policies allow, within the calls it may make."""

    def __init__(self, caller: _Caller, access: Access, kind: str, name: str) -> None:
        self.caller = caller
        self.access = access
        self.kind = kind
        self.name = name
        self.documents_left = _MAX_DOCUMENTS
        self.account_wide = False
        self.unread: list[str] = []
        self.actions: list[str] = []

    def read(self) -> None:
        access = self.access
        if self.kind == "user":
            sources = [("User", {"UserName": self.name})]
        else:
            sources = [("Role", {"RoleName": self.name})]
        managed: list[tuple[str, str]] = []
        inline: list[tuple[str, dict[str, str], str]] = []
        for i, (entity, ident) in enumerate(sources):
            listed = self.caller.iam(f"ListAttached{entity}Policies", **ident)
            if listed is None and i == 0:
                access.facts["permissions_unknown"] = True
                access.note("identity known, permissions unknown: the key may not list its own policies "
                            "(so it is not AdministratorAccess, unless a boundary says otherwise)")
                return
            for p in _as_list((listed or {}).get("AttachedPolicies")):
                if isinstance(p, dict) and p.get("PolicyName"):
                    managed.append((str(p["PolicyName"]), str(p.get("PolicyArn") or "")))
            names = self.caller.iam(f"List{entity}Policies", **ident)
            for n in _as_list((names or {}).get("PolicyNames")):
                inline.append((entity, ident, str(n)))
            if entity == "User":
                sources += self._groups()
        access.grants = list(dict.fromkeys([n for n, _ in managed] + [n for _, _, n in inline]))
        for name, arn in managed:
            self._managed(name, arn)
        for entity, ident, name in inline:
            if access.capabilities >= ALL:
                break
            self._inline(entity, ident, name)
        self._conclude(len(managed) + len(inline))

    def _groups(self) -> list[tuple[str, dict[str, str]]]:
        listed = self.caller.iam("ListGroupsForUser", UserName=self.name)
        names = [str(g.get("GroupName")) for g in _as_list((listed or {}).get("Groups"))
                 if isinstance(g, dict) and g.get("GroupName")]
        if names:
            self.access.facts["groups"] = names
        if len(names) > _MAX_GROUPS:
            self.access.note(f"only the first {_MAX_GROUPS} of {len(names)} groups were read")
        return [("Group", {"GroupName": g}) for g in names[:_MAX_GROUPS]]

    def _managed(self, name: str, arn: str) -> None:
        aws_managed = arn.startswith("arn:aws:iam::aws:policy/") or not arn
        if aws_managed and name in _MANAGED:
            caps = _MANAGED[name]
            self.access.capabilities |= caps
            self.account_wide = True  # AWS managed policies name no particular resource
            if name == "AdministratorAccess":
                self.access.note("AdministratorAccess is attached: every action on every resource")
            return
        if aws_managed and name.endswith("ReadOnlyAccess"):
            self.access.capabilities.add("read")
            self.account_wide = True
            return
        if aws_managed and name.endswith("FullAccess"):
            self.access.capabilities |= {"read", "write", "delete"}
            self.account_wide = True
            return
        if self.access.capabilities >= ALL or not arn or not self._take_document(name):
            return
        policy = self.caller.iam("GetPolicy", PolicyArn=arn)
        version = str(((policy or {}).get("Policy") or {}).get("DefaultVersionId") or "")
        if not version:
            self.unread.append(name)
            return
        got = self.caller.iam("GetPolicyVersion", PolicyArn=arn, VersionId=version)
        self._document(name, ((got or {}).get("PolicyVersion") or {}).get("Document"))

    def _inline(self, entity: str, ident: dict[str, str], name: str) -> None:
        if not self._take_document(name):
            return
        got = self.caller.iam(f"Get{entity}Policy", PolicyName=name, **ident)
        self._document(name, (got or {}).get("PolicyDocument"))

    def _take_document(self, name: str) -> bool:
        if self.documents_left <= 0:
            self.unread.append(name)
            return False
        self.documents_left -= 1
        return True

    def _document(self, name: str, raw: Any) -> None:
        doc = decode_policy_document(raw)
        if doc is None:
            self.unread.append(name)
            return
        caps, account_wide, actions = policy_capabilities(doc)
        self.access.capabilities |= caps
        self.account_wide |= account_wide
        self.actions += actions
        if caps >= ALL and account_wide:
            self.access.note(f'policy {name} allows "Action": "*" on "Resource": "*": full admin')

    def _conclude(self, policy_count: int) -> None:
        access = self.access
        if any(a.lower() == "organizations:*" for a in self.actions) or (
            "AWSOrganizationsFullAccess" in access.grants
        ):
            access.reach = "organization"
        elif self.account_wide:
            access.reach = "account"
        elif access.capabilities:
            access.reach = "resource"
        if self.unread:
            access.note(f"policies not read: {', '.join(sorted(set(self.unread)))}")
        if policy_count == 0:
            access.note(f"no policies attached to {self.kind} {self.name} or its groups: the key can do "
                        "next to nothing")
        elif access.capabilities:
            caps = ", ".join(c for c in CAPABILITY_ORDER if c in access.capabilities)
            access.note(f"{policy_count} polic{'y' if policy_count == 1 else 'ies'} read: {caps}"
                        " (Allow statements only; Deny statements and boundaries are not subtracted)")
        escalation = {a.lower() for a in self.actions} >= {"iam:passrole", "iam:createaccesskey"}
        if escalation:
            access.capabilities.add("admin")
            access.note("iam:PassRole with iam:CreateAccessKey is an escalation path to admin")


detector = AWSDetector()
