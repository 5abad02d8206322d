"""Fake https://api.linear.app/graphql answering as Linear's GraphQL API does.

A bad key gets HTTP 400 with an ``AUTHENTICATION_ERROR`` (Linear's documented error shape); a
good one gets ``data``. Personal keys arrive in ``Authorization`` with no ``Bearer`` prefix.
"""

from __future__ import annotations

from tests.fakes.server import FakeServer, Reply, Request

ADMIN = "lin_api_AdminAdminAdminAdminAdminAdminAdmin12340"
MEMBER = "lin_api_MemberMemberMemberMemberMemberMemb123401"
REVOKED = "lin_api_GoneGoneGoneGoneGoneGoneGoneGone12345678"
RATE_LIMITED = "lin_api_SlowSlowSlowSlowSlowSlowSlowSlow12345678"
BROKEN = "lin_api_BrokenBrokenBrokenBrokenBrokenBroke12340"
MALFORMED = "lin_api_WeirdWeirdWeirdWeirdWeirdWeirdWeird12345"
AUTH_IN_200 = "lin_api_Auth200Auth200Auth200Auth200Auth200Auth2"
TEAMS_FAIL = "lin_api_NoTeamsNoTeamsNoTeamsNoTeamsNoTeam123450"

_AUTH_ERROR = {
    "errors": [{
        "message": "Authentication required, not authenticated",
        "extensions": {"type": "authentication error", "code": "AUTHENTICATION_ERROR",
                       "userPresentableMessage": "You need to authenticate to access this operation."},
    }],
}

_VIEWERS = {
    ADMIN: {"id": "u-1", "name": "Alice", "email": "alice@acme.test", "admin": True},
    MEMBER: {"id": "u-2", "name": "Bob", "email": "bob@acme.test", "admin": False},
    TEAMS_FAIL: {"id": "u-3", "name": "Carol", "email": "carol@acme.test", "admin": False},
}
_ORG = {"name": "Acme", "urlKey": "acme"}
_TEAMS = [{"id": "t-1", "key": "ENG", "name": "Engineering"}, {"id": "t-2", "key": "OPS", "name": "Ops"}]


def make() -> FakeServer:
    fake = FakeServer()

    @fake.route("POST", "/graphql")
    def graphql(req: Request) -> Reply:
        key = req.header("authorization")
        query = str((req.json() or {}).get("query", ""))
        if key == RATE_LIMITED:
            return Reply(429, {"errors": [{"message": "Rate limit exceeded",
                                           "extensions": {"code": "RATELIMITED"}}]},
                         headers={"Retry-After": "60"})
        if key == BROKEN:
            return Reply(503, "upstream unavailable")
        if key == MALFORMED:
            return Reply(200, "<html>maintenance</html>")
        if key == AUTH_IN_200:  # GraphQL servers may put the auth error in a 200
            return Reply(200, {"data": None, **_AUTH_ERROR})
        viewer = _VIEWERS.get(key or "")
        if viewer is None:
            return Reply(400, _AUTH_ERROR)
        if "viewer" in query:
            return Reply(200, {"data": {"viewer": {**viewer, "organization": _ORG}}})
        if "teams" in query:
            if key == TEAMS_FAIL:
                return Reply(200, {"data": None, "errors": [{"message": "Forbidden",
                                                             "extensions": {"code": "FORBIDDEN"}}]})
            teams = _TEAMS if key == ADMIN else _TEAMS[:1]
            return Reply(200, {"data": {"teams": {"nodes": teams, "pageInfo": {"hasNextPage": False}}}})
        return Reply(400, {"errors": [{"message": "Cannot query field",
                                       "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"}}]})

    return fake
