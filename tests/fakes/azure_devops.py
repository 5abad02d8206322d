"""Fake dev.azure.com and app.vssps.visualstudio.com answering as Azure DevOps documents.

A PAT arrives as HTTP Basic with an empty user. A bad one gets 401 (with the TF400813 JSON body)
or 203 and the HTML sign-in page; a valid PAT without a route's scope gets 401 on that route only.
Both hosts share one fake: the operator override replaces the whole base URL.
"""

from __future__ import annotations

import hashlib

from tests.fakes.server import FakeServer, Reply, Request

ORG = "fabrikam"
_SIG = "AZDO"
_ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def _fake_pat(name: str) -> str:
    """A fake 84-character PAT: 76 varied alphanumerics, the AZDO signature, 4 more."""
    digest = hashlib.sha512(name.encode()).digest() + hashlib.sha512(name.encode() * 2).digest()
    body = "".join(_ALNUM[b % 62] for b in digest[:80])
    return body[:76] + _SIG + body[76:80]


BROAD = _fake_pat("broad")
NARROW = _fake_pat("narrow")
REVOKED = _fake_pat("revoked")
SIGN_IN = _fake_pat("sign_in")
RATE_LIMITED = _fake_pat("rate_limited")
BROKEN = _fake_pat("broken")
FORBIDDEN = _fake_pat("forbidden")
LEGACY = "qjsl2x2d2zwvmf2jutsv2tczshyd6r6bytunchgrsl4r6jkzyzif"

# Scopes each live PAT holds (a full-access PAT holds them all).
_SCOPES = {BROAD: {"vso.profile", "vso.project"}, NARROW: set(), LEGACY: {"vso.profile"}}
PROJECTS = [{"id": "p-1", "name": "Fabrikam-Fiber", "state": "wellFormed", "visibility": "private"},
            {"id": "p-2", "name": "Infra", "state": "wellFormed", "visibility": "private"}]
_TF400813 = {"$id": "1", "innerException": None,
             "message": "TF400813: The user '' is not authorized to access this resource.",
             "typeName": "Microsoft.TeamFoundation.Framework.Server.UnauthorizedRequestException",
             "typeKey": "UnauthorizedRequestException", "errorCode": 0, "eventId": 3000}
_SIGN_IN_PAGE = "<!DOCTYPE html><html><head><title>Azure DevOps Services | Sign In</title></head></html>"


def _pat(req: Request) -> str | None:
    basic = req.basic()
    return basic[1] if basic and basic[0] == "" else None


def _refuse(pat: str | None, scope: str | None) -> Reply | None:
    if pat == RATE_LIMITED:
        return Reply(429, {"message": "TF400733: rate limited"}, headers={"Retry-After": "30"})
    if pat == BROKEN:
        return Reply(503, "Service Unavailable")
    if pat == FORBIDDEN:  # not documented for a bad PAT: the lookup must not call it dead
        return Reply(403, {"message": "TF400813: Access denied."})
    if pat == SIGN_IN:
        return Reply(203, _SIGN_IN_PAGE, headers={"Content-Type": "text/html; charset=utf-8"})
    if pat not in _SCOPES or (scope and scope not in _SCOPES[pat]):
        return Reply(401, _TF400813, headers={"WWW-Authenticate": "Basic realm=\"https://dev.azure.com/\""})
    return None


def make() -> FakeServer:
    fake = FakeServer()

    @fake.route("GET", f"/{ORG}/_apis/connectionData")
    def connection_data(req: Request) -> Reply:
        pat = _pat(req)
        if refused := _refuse(pat, None):
            return refused
        return Reply(200, {"authenticatedUser": {"id": "u-1", "providerDisplayName": "Alice Smith"},
                           "authorizedUser": {"id": "u-1", "providerDisplayName": "Alice Smith"},
                           "instanceId": "i-1", "locationServiceData": {}})

    @fake.route("GET", f"/{ORG}/_apis/projects")
    def projects(req: Request) -> Reply:
        if refused := _refuse(_pat(req), "vso.project"):
            return refused
        return Reply(200, {"count": len(PROJECTS), "value": PROJECTS})

    @fake.route("GET", "/_apis/profile/profiles/me")
    def profile(req: Request) -> Reply:
        if refused := _refuse(_pat(req), "vso.profile"):
            return refused
        return Reply(200, {"displayName": "Alice Smith", "publicAlias": "u-1",
                           "emailAddress": "alice@fabrikam.test", "coreRevision": 1, "id": "u-1"})

    return fake
