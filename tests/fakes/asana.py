"""Fake https://app.asana.com/api/1.0 answering as Asana's API reference documents it.

``GET /users/me`` (the token's user and workspaces) and ``GET /users/me/workspace_memberships``
(``is_admin``, ``is_guest``, ``is_view_only``, ``is_active`` when asked with ``opt_fields``). Errors
are ``{"errors": [{"message": …}]}``; 401 "Not Authorized", 429 with ``Retry-After``.
"""

from __future__ import annotations

from tests.fakes.server import FakeServer, Reply, Request

ADMIN = "2/3300846720580677/4229401980715161:0e7153bf7c3706d85c524e440066559a"
MEMBER = "2/2791439283645426/8891377657121942:656c90bd5482a90a29b9fa5ff5180bc0"
GUEST = "2/8095314101016047/4298296164008713:c0e15637ebb8e3b91d26ab4a829a9524"
NO_ROLES = "2/7207532215062102/9977715632702716:f512c17b8ed411fa644d35db41d94e5e"  # memberships 403
REVOKED = "2/5396946828241660/7570796115280226:af89fc43c5fa52f8b2b19b8f89a50f8a"
RATE_LIMITED = "2/3465138018929257/3601519514069858:bb8bdb5eba456bf92d5d98065e5751f7"
BROKEN = "2/1487677068463062/2202706342323878:3a5f61debc267b0bc8d3b1939a9b4ddb"
MALFORMED = "2/2280035405972319/6367726245834652:cf642b0c3a4acdd7f9fcc589f8d0a9f9"

ACME = {"gid": "1331", "resource_type": "workspace", "name": "acme.test", "is_organization": True}
SIDE = {"gid": "1447", "resource_type": "workspace", "name": "Side project", "is_organization": False}

_USERS = {
    ADMIN: ({"gid": "12001", "name": "Ada", "email": "ada@acme.test"}, [(ACME, "admin"), (SIDE, "member")]),
    MEMBER: ({"gid": "12002", "name": "Bob", "email": "bob@acme.test"}, [(SIDE, "member")]),
    GUEST: ({"gid": "12003", "name": "Gus", "email": "gus@vendor.test"}, [(ACME, "guest")]),
    NO_ROLES: ({"gid": "12004", "name": "Nia", "email": "nia@acme.test"}, [(ACME, "member")]),
}


def _errors(status: int, message: str, **extra: str) -> Reply:
    return Reply(status, {"errors": [{"message": message, **extra}]})


def make() -> FakeServer:
    fake = FakeServer()

    def guard(req: Request) -> Reply | None:
        key = req.bearer()
        if key == RATE_LIMITED:
            return Reply(429, {"errors": [{"message": "You have made too many requests recently. "
                                                      "Please, be chill."}]}, headers={"Retry-After": "30"})
        if key == BROKEN:
            return _errors(500, "Server Error", phrase="6 sad squid snuggle softly")
        if key == MALFORMED:
            return Reply(200, "<html>maintenance</html>")
        if key not in _USERS:
            return _errors(401, "Not Authorized")
        return None

    @fake.route("GET", "/api/1.0/users/me")
    def me(req: Request) -> Reply:
        refused = guard(req)
        if refused:
            return refused
        user, rows = _USERS[req.bearer() or ""]
        fields = req.query.get("opt_fields", [""])[0].split(",")
        workspaces = [{k: v for k, v in ws.items() if k in ("gid", "resource_type")
                       or f"workspaces.{k}" in fields} for ws, _ in rows]
        return Reply(200, {"data": {**user, "resource_type": "user", "workspaces": workspaces}})

    @fake.route("GET", "/api/1.0/users/me/workspace_memberships")
    def memberships(req: Request) -> Reply:
        refused = guard(req)
        if refused:
            return refused
        key = req.bearer() or ""
        if key == NO_ROLES:
            return _errors(403, "Forbidden")
        user, rows = _USERS[key]
        data = [{"gid": f"9{ws['gid']}", "resource_type": "workspace_membership",
                 "user": {"gid": user["gid"], "resource_type": "user", "name": user["name"]},
                 "workspace": ws, "is_active": True, "is_admin": role == "admin",
                 "is_guest": role == "guest", "is_view_only": False} for ws, role in rows]
        return Reply(200, {"data": data, "next_page": None})

    return fake
