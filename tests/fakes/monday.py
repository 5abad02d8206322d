"""Fake https://api.monday.com/v2 answering as monday.com's GraphQL API documents it.

Personal tokens arrive in ``Authorization`` with no ``Bearer`` prefix. An unknown token gets HTTP
401; application errors come as HTTP 200 with ``errors[].extensions`` (``code``, ``status_code``),
as monday's error-handling page shows; 429 carries ``Retry-After``.
"""

from __future__ import annotations

import base64
import json

from tests.fakes.server import FakeServer, Reply, Request


def _token(n: int, signature: str) -> str:
    """A personal API token shaped as monday issues them: a JWT with tid, aai, uid, per, actid, rgn."""
    claims = {"tid": 318842900 + n, "aai": 11, "uid": 51239800 + n, "iad": "2024-03-11T09:12:44.000Z",
              "per": "me:write", "actid": 20483911, "rgn": "use1"}
    payload = base64.urlsafe_b64encode(json.dumps(claims, separators=(",", ":")).encode()).rstrip(b"=")
    return f"eyJhbGciOiJIUzI1NiJ9.{payload.decode()}.{signature}"


ADMIN = _token(0, "EqV8ib8HDy88YtDtXbiufMdI8X2Y4rUmer_BH3M1XS0")
MEMBER = _token(1, "DRdJuPnBIKpi99lSi0tcL21pffWQJEeNajnez0LHtfR")
GUEST = _token(2, "OUrWW6XnI3EM3HMRb1OcWrhQ7TTJ-chcVG6MOwUxOVH")
REFUSED = _token(3, "MWndqNCIEPx3mnPQC4vkRB5ICpeyOxJRkSq1LI7S1L1")
REVOKED = _token(4, "0e0tza93Ce6KRDiKpFfez3gb9pvMEc0goRqG9hTCzpp")
RATE_LIMITED = _token(5, "vEJqa-ZgIFI2g8Pahqfpgi9el-OuOjSXXMUHyQ2pqaW")
BROKEN = _token(6, "kwfV6Wf3gV_O116cFBIj2C2qdPVHp7pWnOna8sEXflm")
MALFORMED = _token(7, "WwdRpdo9KMleEnmhPxjExF6YGVYS1kWE0u19tZtum_9")
AUTH_IN_200 = _token(8, "4xrIzsODL0IBNcI9WzwUEP9s19A7d9jZf7DEiBGEyHr")

_ACCOUNT = {"id": "20483911", "name": "Acme", "slug": "acme", "tier": "pro"}
_USERS = {
    ADMIN: {"id": "51239800", "name": "Ada", "email": "ada@acme.test", "is_admin": True, "is_guest": False,
            "is_view_only": False, "enabled": True},
    MEMBER: {"id": "51239801", "name": "Bob", "email": "bob@acme.test", "is_admin": False, "is_guest": False,
             "is_view_only": False, "enabled": True},
    GUEST: {"id": "51239802", "name": "Gus", "email": "gus@vendor.test", "is_admin": False, "is_guest": True,
            "is_view_only": False, "enabled": True},
}
_BOARDS = {
    ADMIN: [{"id": "1001", "name": "Roadmap", "board_kind": "public"},
            {"id": "1002", "name": "Payroll", "board_kind": "private"},
            {"id": "1003", "name": "Hiring", "board_kind": "private"}],
    MEMBER: [{"id": "1001", "name": "Roadmap", "board_kind": "public"}],
    GUEST: [{"id": "1004", "name": "Vendor intake", "board_kind": "share"}],
}
_WORKSPACES = {ADMIN: [{"id": "7", "name": "Main workspace", "kind": "open"}],
               MEMBER: [{"id": "7", "name": "Main workspace", "kind": "open"}], GUEST: []}


def _app_error(message: str, code: str, status: int, path: str) -> dict:
    return {"message": message, "locations": [{"line": 1, "column": 12}], "path": [path],
            "extensions": {"code": code, "error_data": {}, "status_code": status, "request_id": "r-1"}}


def make() -> FakeServer:
    fake = FakeServer()

    @fake.route("POST", "/v2")
    def graphql(req: Request) -> Reply:
        key = req.header("authorization")
        query = str((req.json() or {}).get("query", ""))
        if key == RATE_LIMITED:
            return Reply(429, {"errors": [{"message": "Rate limit exceeded", "extensions": {
                "code": "RATE_LIMIT_EXCEEDED", "status_code": 429, "retry_in_seconds": 60}}]},
                headers={"Retry-After": "60"})
        if key == BROKEN:
            return Reply(500, {"errors": [{"message": "Internal server error", "extensions": {
                "code": "INTERNAL_SERVER_ERROR", "status_code": 500}}]})
        if key == MALFORMED:
            return Reply(200, "<html>maintenance</html>")
        if key == AUTH_IN_200:
            return Reply(200, {"errors": [_app_error("Not Authenticated", "Unauthorized", 401, "me")]})
        if key == REFUSED:
            return Reply(200, {"data": {"me": None}, "errors": [
                _app_error("User unauthorized to perform action", "UserUnauthorizedException", 403, "me")],
                "account_id": 20483911})
        user = _USERS.get(key or "")
        if user is None:
            return Reply(401, {"errors": [{"message": "Not Authenticated", "extensions": {
                "code": "Unauthorized", "status_code": 401}}]})
        if "me {" in query:
            return Reply(200, {"data": {"me": {**user, "account": _ACCOUNT}}, "account_id": 20483911})
        if "boards" in query:
            return Reply(200, {"data": {"boards": _BOARDS[key or ""], "workspaces": _WORKSPACES[key or ""]},
                               "account_id": 20483911})
        return Reply(200, {"errors": [_app_error("Field does not exist", "GraphQLValidationError", 400, "query")]})

    return fake
