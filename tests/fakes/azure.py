"""Fake Azure Blob service for every storage account (the account is read from the SharedKey
header, a SAS from its ``sig``), answering as the Blob REST reference documents: List Containers,
List Blobs and Get Blob Metadata, XML bodies with a UTF-8 BOM, ``x-ms-error-code`` on errors.

SharedKey is verified for real, with a string-to-sign built here from the received request.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from urllib.parse import quote

from tests.fakes.server import FakeServer, Reply, Request


def key(seed: str) -> str:
    return base64.b64encode(hashlib.sha512(seed.encode()).digest()).decode()


def sig(seed: str) -> str:
    return quote(base64.b64encode(hashlib.sha256(seed.encode()).digest()).decode(), safe="")


# Accounts for account keys: name → (the key the fake knows, behaviour)
LIVE = "acmeprod"
ROTATED = "rotatedacct"  # the key found is an old one
FIREWALLED = "lockedacct"  # storage firewall: AuthorizationFailure
RATE_LIMITED = "busyacct"
SERVER_ERROR = "brokenacct"
MALFORMED = "garbledacct"
ACCOUNTS = {name: key(name) for name in (LIVE, ROTATED, FIREWALLED, RATE_LIMITED, SERVER_ERROR, MALFORMED)}
CONTAINERS = ["backups", "logs", "public"]


def connection_string(account: str, account_key: str | None = None, suffix: str = "core.windows.net") -> str:
    account_key = account_key or (key("old " + account) if account == ROTATED else ACCOUNTS[account])
    return (f"AZURE_STORAGE_CONNECTION_STRING=DefaultEndpointsProtocol=https;AccountName={account};"
            f"AccountKey={account_key};EndpointSuffix={suffix}")


# SAS signatures the fake accepts, and what each answers.
SAS_ACCOUNT = sig("account")  # ss=b srt=sco sp=rwdlac: lists containers
SAS_CONTAINER = sig("container")  # sr=c sp=rl: lists blobs
SAS_BLOB = sig("blob")  # sr=b sp=r: metadata
SAS_REVOKED = sig("revoked")  # signed with a rotated key
SAS_IP = sig("ip")  # sip excludes us
SAS_MISMATCH = sig("mismatch")  # valid signature, listing not allowed by srt

FUTURE = "2030-01-01T00:00:00Z"


def sas_url(signature: str, *, path: str = "", query: str = "") -> str:
    return f"https://{LIVE}.blob.core.windows.net{path}?{query}&sig={signature}"


def account_sas(signature: str, sp: str = "rwdlac", se: str = FUTURE, srt: str = "sco", ss: str = "b",
                extra: str = "") -> str:
    return sas_url(signature, query=f"sv=2022-11-02&ss={ss}&srt={srt}&sp={sp}&se={se}&spr=https{extra}")


_BOM = b"\xef\xbb\xbf"


def _xml(status: int, body: str, headers: dict[str, str] | None = None) -> Reply:
    return Reply(status, _BOM + b'<?xml version="1.0" encoding="utf-8"?>' + body.encode(),
                 headers={"Content-Type": "application/xml", "x-ms-request-id": "1f3c-fake",
                          "x-ms-version": "2021-08-06", **(headers or {})})


def _error(status: int, code: str, message: str) -> Reply:
    return _xml(status, f"<Error><Code>{code}</Code><Message>{message}\nRequestId:1f3c-fake</Message></Error>",
                {"x-ms-error-code": code})


def _containers(account: str) -> Reply:
    items = "".join(f"<Container><Name>{c}</Name><Properties><Last-Modified>Mon, 01 Jan 2024 00:00:00 GMT"
                    "</Last-Modified><Etag>\"0x8D\"</Etag></Properties></Container>" for c in CONTAINERS)
    return _xml(200, f'<EnumerationResults ServiceEndpoint="https://{account}.blob.core.windows.net/">'
                     f"<MaxResults>25</MaxResults><Containers>{items}</Containers><NextMarker /></EnumerationResults>")


def _blobs(container: str) -> Reply:
    items = "".join(f"<Blob><Name>{b}</Name><Properties><Content-Length>10</Content-Length></Properties></Blob>"
                    for b in ("2024/q3.pdf", "2024/q4.pdf"))
    return _xml(200, f'<EnumerationResults ServiceEndpoint="https://{LIVE}.blob.core.windows.net/" '
                     f'ContainerName="{container}"><Blobs>{items}</Blobs><NextMarker>2!84!more</NextMarker>'
                     "</EnumerationResults>")


def _shared_key_ok(req: Request, account: str, signature: str) -> bool:
    h = req.headers
    fields = ["content-encoding", "content-language", "content-length", "content-md5", "content-type", "date",
              "if-modified-since", "if-match", "if-none-match", "if-unmodified-since", "range"]
    lines = [req.method] + [("" if f == "content-length" and h.get(f) == "0" else h.get(f, "")) for f in fields]
    ms = "".join(f"{k}:{h[k].strip()}\n" for k in sorted(h) if k.startswith("x-ms-"))
    resource = f"/{account}{req.path}" + "".join(f"\n{k.lower()}:{','.join(sorted(v))}"
                                                 for k, v in sorted(req.query.items()))
    text = "\n".join(lines) + "\n" + ms + resource
    expected = base64.b64encode(hmac.new(base64.b64decode(ACCOUNTS[account]), text.encode(),
                                         hashlib.sha256).digest()).decode()
    return hmac.compare_digest(expected, signature)


def make() -> FakeServer:
    fake = FakeServer()

    def shared_key(req: Request) -> Reply:
        auth = req.header("authorization") or ""
        account, _, signature = auth.removeprefix("SharedKey ").partition(":")
        if not auth.startswith("SharedKey ") or account not in ACCOUNTS or not req.header("x-ms-date"):
            return _error(403, "AuthenticationFailed", "Server failed to authenticate the request.")
        if req.path != "/" or req.query.get("comp") != ["list"]:
            return _error(400, "InvalidQueryParameterValue", "Value for one of the query parameters is invalid.")
        if account == RATE_LIMITED:
            return Reply(429, "", headers={"Retry-After": "120"})
        if account == SERVER_ERROR:
            return _error(500, "InternalError", "The server encountered an internal error.")
        if not _shared_key_ok(req, account, signature):
            return _error(403, "AuthenticationFailed", "Server failed to authenticate the request. Make sure the "
                          "value of Authorization header is formed correctly including the signature.")
        if account == FIREWALLED:
            return _error(403, "AuthorizationFailure", "This request is not authorized to perform this operation.")
        if account == MALFORMED:
            return Reply(200, "<html><body>upstream proxy")
        return _containers(account)

    def sas(req: Request) -> Reply:
        signature = quote(req.query["sig"][0], safe="")
        q = {k: v[0] for k, v in req.query.items()}
        if signature == SAS_REVOKED:
            return _error(403, "AuthenticationFailed", "Signature did not match. String to sign used was r")
        if signature == SAS_IP:
            return _error(403, "AuthorizationSourceIPMismatch", "This request is not authorized to perform this "
                          "operation using this source IP 203.0.113.9.")
        if signature == SAS_MISMATCH:
            return _error(403, "AuthorizationResourceTypeMismatch", "This request is not authorized to perform "
                          "this operation using this resource type.")
        if signature == SAS_ACCOUNT and req.path == "/" and q.get("comp") == "list":
            return _containers(LIVE)
        if signature == SAS_CONTAINER and q.get("restype") == "container" and q.get("comp") == "list":
            return _blobs(req.path.strip("/"))
        if signature == SAS_BLOB and q.get("comp") == "metadata" and req.path.count("/") >= 2:
            return Reply(200, b"", headers={"x-ms-meta-owner": "finance", "x-ms-version": "2021-08-06"})
        return _error(403, "AuthenticationFailed", "Signature did not match.")

    @fake.route("GET", r"/.*")
    def blob_service(req: Request) -> Reply:
        return sas(req) if "sig" in req.query else shared_key(req)

    return fake
