"""Azure Storage: account keys (alone or in connection strings) and shared access signatures.

Formats (providers.md C.8; learn.microsoft.com "Configure Azure Storage connection strings",
"Create an account SAS", "Create a service SAS"):

- an account key is 64 random bytes in base64 (88 characters ending ``==``), usually inside a
  connection string ``DefaultEndpointsProtocol=https;AccountName=<3-24 a-z0-9>;AccountKey=…``. It is
  full control of the account: every container, every delete, and minting SAS tokens;
- a SAS is a URL query: ``sv`` (version), ``sig`` (HMAC), and either ``ss`` + ``srt`` (account SAS)
  or ``sr`` (service SAS), with ``sp`` permissions, ``se`` expiry, optional ``st``, ``sip``,
  ``spr``; a user-delegation SAS adds ``skoid``/``sktid``/…; ``si`` names a stored access policy.

Offline: the SAS parameters are the permissions (capabilities, reach, expiry; an expired SAS is
dead without a call). Lookup, list operations only, never a PUT or DELETE:

- account key: SharedKey-signed ``GET https://<account>.blob.core.windows.net/?comp=list``
  (List Containers);
- SAS: the same listing with the SAS as the query (account SAS), List Blobs on a container SAS,
  or ``?comp=metadata`` (Get Blob Metadata, no content) on a blob SAS. The signature lives in the
  URL by nature, the only place tokenreach sends a token in a URL.

Hosts are built from the account name and must end with ``.blob.core.windows.net``; sovereign
clouds (``core.chinacloudapi.cn`` …) are reported, not called. ``TOKENREACH_AZURE_API_URL`` replaces
the account's host.
"""

from __future__ import annotations

import base64
import binascii
import email.utils
import hashlib
import hmac
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any
from urllib.parse import parse_qsl, quote, unquote

from tokenreach.detectors.base import Detector, LookupUnavailable, Pattern
from tokenreach.detectors.http import ProviderHTTP
from tokenreach.detectors.tenant import refuse_private
from tokenreach.scanner.model import Access, Capability, Token

BLOB_SUFFIX = ".blob.core.windows.net"
API_VERSION = "2021-08-06"
LIST_LIMIT = 25

_KEY = r"(?P<secret>[A-Za-z0-9+/]{86}==)"
_ACCOUNT = r"(?P<account>[a-z0-9]{3,24})"
_KEY_NAME = r"(?i:(?:access|account|storage)[_-]?key)"
_PARAM = r"[a-z]{2,6}=[\w%:.+/-]+"  # one SAS query parameter other than sig
_SIG = r"sig=[A-Za-z0-9%+/=]{40,100}"
_SAS_QUERY = r"(?:" + _PARAM + r"&)*" + _SIG + r"(?:&" + _PARAM + r")*"

def parse_sas(query: str) -> dict[str, str]:
    """SAS parameters by name (URL-decoded); junk gives {}."""
    try:
        return {k: v for k, v in parse_qsl(query.lstrip("?"), keep_blank_values=True)}
    except (ValueError, TypeError):
        return {}


def _has_sas_shape(secret: str) -> bool:
    """A SAS names its version (a date) and carries a signature."""
    params = parse_sas(secret)
    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", params.get("sv", ""))) and bool(params.get("sig"))


# Synthetic examples (random bytes, not keys of any account).
_EX_KEY = "1J/UPBZjUKEb9o0T2lBucOaWy92U+QHhB6cZ21xHSx62Ymbv8jaBquzXeinAfPnM0jc/6JOhqlaqE130kTdfOA=="
_EX_SIG = "Igv%2FdL5ONW8jziS3x07myrRuNQVQHbFnBY9NdSn2huE%3D"

PATTERNS = (
    Pattern(
        id="azure.connection_string",
        name="Azure Storage connection string",
        regex=(r"(?i:AccountName)=" + _ACCOUNT + r";(?i:AccountKey)=" + _KEY
               + r"(?:;(?i:EndpointSuffix)=(?P<endpoint_suffix>[A-Za-z0-9.-]{3,60}))?"),
        keywords=("accountkey=",),
        kind="account_key",
        examples=(
            "AZURE_STORAGE_CONNECTION_STRING=DefaultEndpointsProtocol=https;AccountName=acmeprod;"
            f"AccountKey={_EX_KEY};EndpointSuffix=core.windows.net",
            f'"StorageConnection": "DefaultEndpointsProtocol=https;AccountName=logs2026;AccountKey={_EX_KEY}"',
        ),
        counterexamples=(
            "DefaultEndpointsProtocol=https;AccountName=acmeprod;AccountKey=<your key here>",
            f"AccountName=Acme_Prod;AccountKey={_EX_KEY}",  # not a storage account name
            "UseDevelopmentStorage=true",
        ),
    ),
    Pattern(
        id="azure.account_key_pair",
        name="Azure Storage account name and account key",
        regex=(r"(?i:storage[_.-]?account(?:[_.-]?name)?|account[_.-]?name)[\"']?\s*[:=]\s*[\"']?"
               + _ACCOUNT + r"\b[\s\S]{0,200}?" + _KEY_NAME + r"[\"']?\s*[:=]\s*[\"']?" + _KEY),
        keywords=("account", "storage"),
        kind="account_key",
        examples=(
            f"AZURE_STORAGE_ACCOUNT=acmeprod\nAZURE_STORAGE_KEY={_EX_KEY}\n",
            f'storage_account_name = "acmeprod"\nstorage_account_key = "{_EX_KEY}"',
        ),
        counterexamples=(f"AZURE_STORAGE_ACCOUNT=acmeprod\nAZURE_STORAGE_KEY={_EX_KEY[:-4]}\n",),
    ),
    Pattern(
        id="azure.account_key",
        name="Azure Storage account key (no account name nearby)",
        regex=_KEY_NAME + r"[\"']?\s*[:=]\s*[\"']?" + _KEY,
        keywords=("accesskey", "access_key", "access-key", "accountkey", "account_key", "account-key",
                  "storagekey", "storage_key", "storage-key"),
        kind="account_key",
        examples=(f"AZURE_STORAGE_ACCESS_KEY={_EX_KEY}",),
        counterexamples=(f"AZURE_STORAGE_ACCESS_KEY={_EX_KEY[:40]}",),
        # No account, so no host to ask: classify() forbids the call unless another location of
        # the same secret named the account (see ``_no_account``).
    ),
    Pattern(
        id="azure.sas_url",
        name="Azure Storage SAS URL",
        regex=(r"https://" + _ACCOUNT + r"\.(?P<service>blob|file|queue|table|dfs)\.core\.windows\.net"
               + r"(?P<resource_path>/[^\s?\"'<>#]{0,400})?\?(?P<secret>" + _SAS_QUERY + r")"),
        keywords=("core.windows.net",),
        kind="sas",
        validate=_has_sas_shape,
        examples=(
            "BACKUP_URL=https://acmeprod.blob.core.windows.net/backups?sv=2022-11-02&ss=b&srt=sco&sp=rwdlac"
            f"&se=2030-01-01T00:00:00Z&st=2024-01-01T00:00:00Z&spr=https&sig={_EX_SIG}",
            "https://acmeprod.blob.core.windows.net/reports/q3.pdf?sp=r&st=2024-05-01T08:00:00Z"
            f"&se=2024-05-01T16:00:00Z&spr=https&sv=2022-11-02&sr=b&sig={_EX_SIG}",
        ),
        counterexamples=(
            "https://acmeprod.blob.core.windows.net/public/logo.png",
            "https://acmeprod.blob.core.windows.net/c?sv=2022-11-02&sr=c&sp=r&sig=short",
            # A SAS needs a version: a query that merely has a sig parameter is not one.
            f"https://acmeprod.blob.core.windows.net/c?sr=c&sp=r&sig={_EX_SIG}",
        ),
    ),
    Pattern(
        id="azure.sas_token",
        name="Azure Storage SAS token (no URL)",
        regex=r"(?P<secret>(?:" + _PARAM + r"&)*sv=\d{4}-\d{2}-\d{2}&" + _SAS_QUERY + r")",
        keywords=("sig=",),
        kind="sas",
        validate=_has_sas_shape,
        examples=(
            f'AZURE_SAS_TOKEN="?sv=2022-11-02&ss=bfqt&srt=sco&sp=rwdlacupiytfx&se=2031-01-01T00:00:00Z'
            f'&spr=https&sig={_EX_SIG}"',
        ),
        counterexamples=("sv=2022-11-02&sp=r", "?sig=abc&sv=2022-11-02"),
        # No account, so no host to ask: classify() forbids the call unless another location of
        # the same secret named the account (see ``_no_account``).
    ),
)


# Letters of ``sp``. Account SAS "p" is Process (queue messages: read and delete); in a service SAS
# on Blob/ADLS it is Permissions (set ACLs), like "o" (ownership): admin.
_SP_CAPS: dict[str, tuple[Capability, ...]] = {
    "r": ("read",), "l": ("read",), "f": ("read",),
    "a": ("write",), "c": ("write",), "w": ("write",), "u": ("write",), "t": ("write",), "m": ("write",),
    "i": ("write",), "e": ("write",),
    "d": ("delete",), "x": ("delete",), "y": ("delete",),
    "o": ("admin",),
}
_SP_NAMES = {
    "r": "read", "a": "add", "c": "create", "w": "write", "d": "delete", "x": "delete version",
    "y": "permanent delete", "l": "list", "t": "tags", "f": "find", "m": "move", "e": "execute",
    "o": "ownership", "p": "permissions/process", "u": "update", "i": "set immutability policy",
}
_SERVICES = {"b": "blob", "f": "file", "q": "queue", "t": "table"}
_RESOURCE_TYPES = {"s": "service", "c": "container", "o": "object"}
_SR = {"b": "blob", "c": "container", "d": "directory", "f": "file", "s": "share", "bs": "blob snapshot",
       "bv": "blob version"}


# Offline ----------------------------------------------------------------------------------------


def sas_time(value: str) -> datetime | None:
    """``se``/``st`` as an aware datetime: ISO 8601 UTC, date only, or minutes only."""
    value = value.strip()
    if not value:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        value += "T00:00:00Z"
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def sas_capabilities(sp: str, *, account_sas: bool, blob_like: bool) -> set[Capability]:
    caps: set[Capability] = set()
    for letter in sp:
        if letter == "p":
            caps.update(("read", "delete") if account_sas or not blob_like else ("admin",))
        else:
            caps.update(_SP_CAPS.get(letter, ()))
    return caps


def classify_sas(access: Access, params: Mapping[str, str], account: str | None, service: str | None,
                 resource_path: str | None, now: datetime | None = None) -> Access:
    now = now or datetime.now(timezone.utc)
    sp = params.get("sp", "")
    account_sas = "ss" in params and "srt" in params
    sr = params.get("sr", "")
    blob_like = service in (None, "blob", "dfs") and sr in ("", "b", "c", "d", "bs", "bv")
    access.evidence = "offline"
    access.grants = [f"{k}={params[k]}" for k in ("sp", "ss", "srt", "sr", "si") if k in params]
    access.capabilities = sas_capabilities(sp, account_sas=account_sas, blob_like=blob_like)
    names = ", ".join(_SP_NAMES.get(c, c) for c in sp)
    if account_sas:
        services = ", ".join(_SERVICES.get(c, c) for c in params["ss"])
        types = ", ".join(_RESOURCE_TYPES.get(c, c) for c in params["srt"])
        access.reach = "account"
        access.facts["sas_type"] = "account"
        access.note(f"account SAS: {names or 'no permissions'} on every {types} of the {services} service(s)")
    else:
        access.reach = "resource"
        access.facts["sas_type"] = "user delegation" if "skoid" in params else "service"
        what = _SR.get(sr, sr or "resource")
        access.note(f"{access.facts['sas_type']} SAS: {names or 'no permissions'} on one {what}"
                    + (f" ({resource_path.lstrip('/')})" if resource_path and resource_path != "/" else ""))
    if "si" in params:
        access.note(f"stored access policy {params['si']!r} may add permissions or expiry not in the URL")
    if account:
        access.identity = f"storage account {account}"
        target = account + (resource_path.rstrip("/") if resource_path and not account_sas else "")
        access.add_resources([target])
    if params.get("sip"):
        access.facts["allowed_ips"] = params["sip"]
        access.note(f"usable only from {params['sip']}")
    if params.get("spr"):
        access.facts["protocols"] = params["spr"]
    start = sas_time(params.get("st", ""))
    if start and start > now:
        access.note(f"not valid before {start.isoformat()}")
    expiry = sas_time(params.get("se", ""))
    if expiry is None:
        if "si" not in params:
            access.note("no readable expiry (se)")
        return access
    try:
        access.expires_at = expiry.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")
    except OverflowError:  # year 9999 at a negative offset is past year 9999 in UTC
        access.expires_at = expiry.isoformat()
    if expiry <= now:
        access.live = False
        access.note(f"expired at {access.expires_at} (se): dead without asking Azure")
    elif (expiry - now).days > 365:
        access.facts["long_lived"] = True
        access.note(f"valid for {(expiry - now).days} more days")
    return access


# SharedKey --------------------------------------------------------------------------------------


def shared_key_signature(account: str, key: str, method: str, path: str, query: Mapping[str, str],
                         headers: Mapping[str, str]) -> str:
    """Base64 HMAC-SHA256 of the Blob service's SharedKey string-to-sign (version 2015-02-21+)."""
    lower = {k.lower(): v.strip() for k, v in headers.items()}
    standard = ["content-encoding", "content-language", "content-length", "content-md5", "content-type", "date",
                "if-modified-since", "if-match", "if-none-match", "if-unmodified-since", "range"]
    values = [lower.get(h, "") for h in standard]
    if values[2] == "0":
        values[2] = ""
    canonical_headers = "".join(f"{k}:{lower[k]}\n" for k in sorted(lower) if k.startswith("x-ms-"))
    resource = f"/{account}{path}" + "".join(f"\n{k.lower()}:{query[k]}" for k in sorted(query, key=str.lower))
    to_sign = method + "\n" + "\n".join(values) + "\n" + canonical_headers + resource
    digest = hmac.new(base64.b64decode(key), to_sign.encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


# Responses --------------------------------------------------------------------------------------


def error_code(resp: Any) -> str:
    code = resp.headers.get("x-ms-error-code")
    if code:
        return str(code)
    m = re.search(rb"<Code>([A-Za-z]+)</Code>", resp.content or b"")
    return m.group(1).decode() if m else ""


def listed_names(content: bytes) -> tuple[list[str], bool]:
    """(names, more) from an EnumerationResults body (containers or blobs)."""
    try:
        root = ET.fromstring(content)
    except (ET.ParseError, LookupError, ValueError):  # LookupError: an unknown encoding declared
        raise LookupUnavailable("the listing answered 200 with a body that is not XML") from None
    if root.tag != "EnumerationResults":
        raise LookupUnavailable("the listing answered 200 without EnumerationResults")
    names = [el.text or "" for el in root.iter("Name")]
    more = bool((root.findtext("NextMarker") or "").strip())
    return names, more


# The detector -------------------------------------------------------------------------------


class AzureStorageDetector(Detector):
    provider = "azure"
    title = "Azure Storage"
    patterns = PATTERNS
    api_url = None  # every account has its own host
    host_suffixes = (BLOB_SUFFIX,)
    request_budget = 60
    revoke_url = "https://portal.azure.com/#view/HubsExtension/BrowseResource/resourceType/Microsoft.Storage%2FStorageAccounts"
    # Azure Storage says what a refusal means in its 403 error code (_refusal), never by a 401.
    dead_statuses = frozenset()

    def classify(self, token: Token) -> Access:
        access = Access(evidence="offline")
        account = token.extras.get("account")
        if token.kind == "sas":
            classify_sas(access, parse_sas(token.secret), account, token.extras.get("service"),
                         token.extras.get("resource_path"))
            return access if account else _no_account(access)
        access.reach = "account"
        access.capabilities = {"read", "write", "delete", "admin"}
        access.grants = ["AccountKey"]
        access.note("an account key is full control of the storage account: every container, delete, and "
                    "minting SAS tokens")
        if account:
            access.identity = f"storage account {account}"
            access.add_resources([account])
        else:
            _no_account(access)
        try:
            if len(base64.b64decode(token.secret, validate=True)) != 64:
                access.note("the key does not decode to 64 bytes: probably not a storage account key")
        except (binascii.Error, ValueError):
            access.note("the key is not valid base64")
        suffix = token.extras.get("endpoint_suffix", "core.windows.net").lower()
        if suffix != "core.windows.net":
            access.facts["endpoint_suffix"] = suffix
            access.facts["skip_lookup"] = True
            access.note(f"endpoint suffix {suffix} is a sovereign or custom cloud: not looked up")
        return access

    def lookup(self, token: Token, http: ProviderHTTP, offline: Access) -> Access:
        account = token.extras.get("account", "")
        if not re.fullmatch(r"[a-z0-9]{3,24}", account):
            return offline.unknown("no valid storage account name to ask")
        if refuse_private(http, account + BLOB_SUFFIX, offline):  # the account's name is the scanned data's
            return offline
        if token.kind == "sas":
            return _lookup_sas(token, http, offline, account)
        return _lookup_key(token, http, offline, account)


def _no_account(access: Access) -> Access:
    """No account name, so no host to ask. (Not ``Pattern.lookup=False``: the pipeline keeps the
    first location's pattern id when it merges a later location that named the account.)"""
    access.facts["skip_lookup"] = True
    return access.note("no storage account named nearby: not looked up")


def _lookup_key(token: Token, http: ProviderHTTP, access: Access, account: str) -> Access:
    query = {"comp": "list", "maxresults": str(LIST_LIMIT)}
    headers = {"x-ms-date": email.utils.formatdate(usegmt=True), "x-ms-version": API_VERSION}
    try:
        signature = shared_key_signature(account, token.secret, "GET", "/", query, headers)
    except (binascii.Error, ValueError):
        return access.unknown("the key is not valid base64, so no request can be signed")
    headers["Authorization"] = f"SharedKey {account}:{signature}"
    resp = http.get("/?comp=list&maxresults=" + str(LIST_LIMIT), host=account + BLOB_SUFFIX, headers=headers)
    if not http.settle(access, resp, "List Containers", **_refusal(resp)):
        return access
    names, more = listed_names(resp.content)
    access.resources = []  # the containers say more than the account name alone
    access.add_resources([f"{account}/{n}" for n in names], None if more else len(names))
    access.note(f"List Containers signed with the key answered 200: live, {len(names)}"
                f"{'+' if more else ''} container(s)")
    if more:
        access.facts["more_containers"] = True
    return access


def _sas_request(params: Mapping[str, str], service: str | None, resource_path: str) -> tuple[str, str] | None:
    """(path with our own query, the operation's name) for the list or metadata call this SAS allows."""
    sp = params.get("sp", "")
    if "ss" in params and "srt" in params:
        if "b" in params["ss"] and "s" in params["srt"] and "l" in sp:
            return f"/?comp=list&maxresults={LIST_LIMIT}", "List Containers"
        return None
    if service not in ("blob", "dfs"):
        return None
    parts = [p for p in resource_path.split("/") if p]
    sr = params.get("sr", "")
    if sr == "c" and "l" in sp and len(parts) >= 1:
        return f"/{parts[0]}?restype=container&comp=list&maxresults={LIST_LIMIT}", "List Blobs"
    if sr == "b" and "r" in sp and len(parts) >= 2:
        return "/" + "/".join(parts) + "?comp=metadata", "Get Blob Metadata"
    return None


def _lookup_sas(token: Token, http: ProviderHTTP, access: Access, account: str) -> Access:
    params = parse_sas(token.secret)
    path = token.extras.get("resource_path") or "/"
    # Keep the path as found (already URL-encoded) but never let it carry a query or fragment.
    path = quote(unquote(path), safe="/-_.~!$'()*+,;=:@")
    request = _sas_request(params, token.extras.get("service"), path)
    if request is None:
        return access.unknown("no list or metadata call fits this SAS's permissions and resource: not called")
    target, operation = request
    resp = http.get(f"{target}&{token.secret.lstrip('?')}", host=account + BLOB_SUFFIX,
                    headers={"x-ms-version": API_VERSION}, secret_in_url=True)
    if not http.settle(access, resp, operation, **_refusal(resp)):
        return access
    if operation != "Get Blob Metadata":
        names, more = listed_names(resp.content)
        prefix = account if operation == "List Containers" else f"{account}{path.rstrip('/')}"
        access.resources = []  # what the listing shows replaces the offline guess
        access.add_resources([f"{prefix}/{n}" for n in names])
        access.note(f"{operation} with the SAS answered 200: live, {len(names)}{'+' if more else ''} "
                    f"{'container' if operation == 'List Containers' else 'blob'}(s)")
    else:
        access.note("Get Blob Metadata with the SAS answered 200: live")
    return access


# Azure authenticates the signature before it checks the operation: these 403 codes come only
# after a signature was accepted.
_OUTSIDE_WHAT_IT_ALLOWS = frozenset({"AuthorizationPermissionMismatch", "AuthorizationResourceTypeMismatch",
                                     "AuthorizationServiceMismatch"})


def _refusal(resp: Any) -> dict[str, Any]:
    """ProviderHTTP.settle's arguments for an Azure Storage answer: a 403 means what its error
    code says. AuthorizationFailure (a firewall), AuthorizationSourceIPMismatch (sip), 404 … decide
    nothing."""
    if resp.is_success:
        return {}
    code = error_code(resp)
    if code == "AuthenticationFailed":
        return {"dead": {403}, "detail": code,
                "why": {403: "the signature is not valid (key rotated, SAS revoked or expired)"}}
    if code in _OUTSIDE_WHAT_IT_ALLOWS:
        return {"forbidden": {403}, "detail": code,
                "why": {403: "the signature was accepted, the operation is outside what it allows"}}
    return {"detail": code or None}


detector = AzureStorageDetector()
