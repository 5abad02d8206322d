"""Fake Salesforce identity hosts (login.salesforce.com, test.salesforce.com) and a My Domain
instance, answering the OpenID Connect UserInfo endpoint and the REST API's query resource as
Salesforce documents them. ``X-Tokenreach-Target-Host`` says which host a request was meant for.

Refusals: UserInfo answers an invalid token 403 ``Bad_OAuth_Token``; REST answers JSON lists of
``{"message", "errorCode"}`` (401 INVALID_SESSION_ID, 400 INVALID_TYPE, 403 REQUEST_LIMIT_EXCEEDED)."""

from __future__ import annotations

from typing import Any

from tests.fakes.server import FakeServer, Reply, Request

ORG = "00D5g000004SXq1"
INSTANCE = "acme.my.salesforce.com"
SANDBOX_INSTANCE = "acme--uat.sandbox.my.salesforce.com"
ADMIN = ORG + "!u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8dKLzdocJ2isAjIhKtJ0RlgLKOmxgJTeKdNnFRIBXuDL7DxtpYlSXpfKtHF4vU"
READER = ORG + "!CsMehGAkWvj7FAc9QeWJKY40uvSwMFLZDe1f8rESQedUStPKR0CsTy4Qwb8DwkNhFdnXsiVpzz63FfkCzJr4i0B3JrTAwR4y"
NO_SETUP = ORG + "!9ojfljoQoaF1LlqsajAIxNKu8iS2G8NPRVdD53X83RZJzzzzgEOzdmenCkhvMdgaKjIg8xNbe3nNyjOq9wMxEhh2FDEEtfjg"
SANDBOX = ORG + "!VvVqE1SkHbn88HxjSI6bWHtP3fS2qHx6kwXoIIXGvOoNZYW2mZp0zVZomHFwUbbYrEqmSM9wCZ7Uw9xfogoEmvnEN5N1aE6P"
REVOKED = ORG + "!wZPf1Qh6yYTWmE4lBYOvfZ8UzDzV8fUkkibjL5DZPjN0MEQ7wjJJibaZUPgHV7iB3m03nbqnsGpWLuqIA1id6Vw5DQL05HA0"
LIMITED = ORG + "!64GiIjHGb3CXlMaXZjljENUhJduRHHJEYXg4JdpmrcXgGCJbW56eCuNGMGmSrCGIZEG8pSH4487q7J58m1CiAhzCueQpBenQ"
BROKEN = ORG + "!tYh5Xj8TPQxjq4i9DoV8gz4FkQ1okTBGzvAmwufUxbvJDCTbyvHNsG9eh6Yo4gfqrc5XlrWi0B26R08qzjI6GKFSufrdZSlB"

_USERS = {
    ADMIN: ("0055g00000A1dmnAAB", "admin@acme.test", INSTANCE),
    READER: ("0055g00000A1rdrAAB", "reader@acme.test", INSTANCE),
    NO_SETUP: ("0055g00000A1nosAAB", "agent@acme.test", INSTANCE),
    LIMITED: ("0055g00000A1limAAB", "limited@acme.test", INSTANCE),
}
_SANDBOX_USERS = {SANDBOX: ("005P0000003sbxAAAC", "admin@acme.test.uat", SANDBOX_INSTANCE)}
_PERMISSION_SETS: dict[str, list[dict[str, Any]]] = {
    "0055g00000A1dmnAAB": [
        {"attributes": {"type": "PermissionSet"}, "Name": "X00e5g000000AbCdEF", "Label": "00e5g000000AbCdEF",
         "IsOwnedByProfile": True, "Profile": {"attributes": {"type": "Profile"}, "Name": "System Administrator"},
         "PermissionsModifyAllData": True, "PermissionsViewAllData": True, "PermissionsManageUsers": True,
         "PermissionsAuthorApex": True, "PermissionsCustomizeApplication": True},
    ],
    "005P0000003sbxAAAC": [
        {"attributes": {"type": "PermissionSet"}, "Name": "X00eP0000000SbXAAB", "Label": "00eP0000000SbXAAB",
         "IsOwnedByProfile": True, "Profile": {"attributes": {"type": "Profile"}, "Name": "System Administrator"},
         "PermissionsModifyAllData": True, "PermissionsViewAllData": True, "PermissionsManageUsers": True,
         "PermissionsAuthorApex": True, "PermissionsCustomizeApplication": True},
    ],
    "0055g00000A1rdrAAB": [
        {"attributes": {"type": "PermissionSet"}, "Name": "X00e5g000000RdOnLY", "Label": "00e5g000000RdOnLY",
         "IsOwnedByProfile": True, "Profile": {"attributes": {"type": "Profile"}, "Name": "Integration Reader"},
         "PermissionsModifyAllData": False, "PermissionsViewAllData": False, "PermissionsManageUsers": False,
         "PermissionsAuthorApex": False, "PermissionsCustomizeApplication": False},
        {"attributes": {"type": "PermissionSet"}, "Name": "Reports_Read", "Label": "Reports Read",
         "IsOwnedByProfile": False, "Profile": None,
         "PermissionsModifyAllData": False, "PermissionsViewAllData": False, "PermissionsManageUsers": False,
         "PermissionsAuthorApex": False, "PermissionsCustomizeApplication": False},
    ],
}


def _userinfo(user_id: str, login: str, instance: str) -> dict[str, Any]:
    return {"sub": f"https://login.salesforce.com/id/{ORG}/{user_id}", "user_id": user_id,
            "organization_id": ORG, "preferred_username": login, "email": login, "name": "Integration User",
            "user_type": "STANDARD", "active": True,
            "urls": {"rest": f"https://{instance}/services/data/v{{version}}/",
                     "query": f"https://{instance}/services/data/v{{version}}/query/"}}


def make() -> FakeServer:
    fake = FakeServer()

    @fake.route("GET", "/services/oauth2/userinfo")
    def userinfo(req: Request) -> Reply:
        tok, host = req.bearer(), req.header("x-tokenreach-target-host")
        if tok == BROKEN:
            return Reply(503, "Service Unavailable")
        users = _SANDBOX_USERS if host == "test.salesforce.com" else {**_USERS, **_SANDBOX_USERS}
        if tok not in users or (host not in ("login.salesforce.com", "test.salesforce.com")
                                and host != users[tok][2]):  # a My Domain knows its own org's tokens only
            return Reply(403, "Bad_OAuth_Token")
        if host == "login.salesforce.com" and tok in _SANDBOX_USERS:
            return Reply(403, "Bad_OAuth_Token")
        return Reply(200, _userinfo(*users[tok]))

    @fake.route("GET", r"/services/data/v60\.0/query")
    def query(req: Request) -> Reply:
        tok = req.bearer()
        if tok == LIMITED:
            return Reply(403, [{"message": "TotalRequests Limit exceeded.", "errorCode": "REQUEST_LIMIT_EXCEEDED"}])
        if tok not in _USERS and tok not in _SANDBOX_USERS:
            return Reply(401, [{"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}])
        if tok == NO_SETUP:
            return Reply(400, [{"message": "sObject type 'PermissionSetAssignment' is not supported.",
                                "errorCode": "INVALID_TYPE"}])
        user_id, _, instance = _USERS.get(tok) or _SANDBOX_USERS[tok]
        if req.header("x-tokenreach-target-host") != instance:
            return Reply(401, [{"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}])
        records = _PERMISSION_SETS.get(user_id, [])
        q = (req.query.get("q") or [""])[0]
        if f"AssigneeId = '{user_id}'" not in q:
            records = []
        return Reply(200, {"totalSize": len(records), "done": True, "records": records})

    return fake
