"""Fake https://backboard.railway.com/graphql/v2 answering as Railway's Public API does.

GraphQL answers HTTP 200 even on failure: a token the query does not accept gets
``{"errors": [{"message": "Not Authorized", ...}], "data": null}``. Account tokens answer ``me``;
workspace tokens answer ``apiToken``; project tokens answer ``projectToken`` only when sent in
``Project-Access-Token`` (never as Bearer). Every answer carries X-RateLimit-* headers.
"""

from __future__ import annotations

import re
from typing import Any

from tests.fakes.server import FakeServer, Reply, Request

ACCOUNT = "0b6c1f2e-8d3a-4c5b-9e7f-1a2b3c4d5e6f"
ACCOUNT_VIEWER = "1c7d2a3f-9e4b-4d6c-8f0a-2b3c4d5e6f70"  # a user who only views one workspace
ACCOUNT_QUOTA_GONE = "2d8e3b4a-0f5c-4e7d-9a1b-3c4d5e6f7081"  # last request of the hour
ACCOUNT_PARTIAL = "4fa05d6c-2b7e-4a9f-9c3d-5e6f708192a3"  # me answers, its workspaces field errors
ACCOUNT_MIXED = "3e9f4c5b-1a6d-4f8e-8b2c-4d5e6f708192"  # admin of their own workspace, member of acme
WORKSPACE = "9f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b"
PROJECT = "2d4f6a8c-1e3b-4d5f-8a7c-9e0b1d2f3a4c"
PROJECT_STAGING = "3e5a7b9d-2f4c-4e6a-9b8d-0f1c2e3a4b5d"
REVOKED = "4f6b8cae-3a5d-4f7b-8c9e-1a2d3f4b5c6e"
RATE_LIMITED = "5a7c9dbf-4b6e-4a8c-9daf-2b3e4a5c6d7f"
SERVER_ERROR = "6b8daec0-5c7f-4b9d-8eb0-3c4f5b6d7e80"
MALFORMED = "7c9ebfd1-6d80-4cae-9fc1-4d506c7e8f91"
ODD_ERROR = "8daf00e2-7e91-4dbf-80d2-5e617d8f9002"  # an error that is not "Not Authorized"

USERS = {
    ACCOUNT: {"id": "u-1", "email": "dev@example.com", "name": "Dev",
              "workspaces": [{"id": "ws-personal", "name": "Dev's Projects"},
                             {"id": "ws-acme", "name": "acme"}]},
    ACCOUNT_VIEWER: {"id": "u-2", "email": "viewer@example.com", "name": "Vee",
                     "workspaces": [{"id": "ws-acme", "name": "acme"}]},
    ACCOUNT_MIXED: {"id": "u-4", "email": "mia@example.com", "name": "Mia",
                    "workspaces": [{"id": "ws-mia", "name": "Mia's Projects"},
                                   {"id": "ws-acme", "name": "acme"}]},
    ACCOUNT_QUOTA_GONE: {"id": "u-3", "email": "late@example.com", "name": "Late",
                         "workspaces": [{"id": "ws-acme", "name": "acme"}]},
}
WORKSPACE_TOKENS = {WORKSPACE: [{"id": "ws-acme", "name": "acme"}]}
PROJECT_TOKENS = {
    PROJECT: ("p-shop", "shop", "e-prod", "production"),
    PROJECT_STAGING: ("p-shop", "shop", "e-stg", "staging"),
}
PROJECTS = {
    "ws-personal": [("p-blog", "blog")],
    "ws-mia": [("p-notes", "notes"), ("p-cron", "cron")],
    "ws-acme": [("p-shop", "shop"), ("p-api", "api"), ("p-db", "postgres")],
}
MEMBERS = {
    "ws-personal": [{"email": "dev@example.com", "role": "ADMIN"}],
    "ws-mia": [{"email": "MIA@example.com", "role": "ADMIN"}],
    "ws-acme": [{"email": "dev@example.com", "role": "ADMIN"},
                {"email": "viewer@example.com", "role": "VIEWER"},
                {"email": "late@example.com", "role": "MEMBER"},
                {"email": "mia@example.com", "role": "MEMBER"}],
}

_ALIAS = re.compile(r'(w\d+): workspace\(workspaceId: "([^"]+)"\)')


def _headers(remaining: int = 99) -> dict[str, str]:
    return {"X-RateLimit-Limit": "100", "X-RateLimit-Remaining": str(remaining),
            "X-RateLimit-Reset": "1767225600"}


def _not_authorized(field: str) -> Reply:
    return Reply(200, {"errors": [{"message": "Not Authorized", "locations": [{"line": 1, "column": 9}],
                                   "path": [field], "extensions": {"code": "INTERNAL_SERVER_ERROR"}}],
                       "data": None}, headers=_headers())


def _data(data: dict[str, Any], remaining: int = 99) -> Reply:
    return Reply(200, {"data": data}, headers=_headers(remaining))


def _connection(items: list[tuple[str, str]]) -> dict[str, Any]:
    return {"edges": [{"node": {"id": i, "name": n}} for i, n in items]}


def make() -> FakeServer:
    fake = FakeServer()

    @fake.route("POST", "/graphql/v2")
    def graphql(req: Request) -> Reply:
        body = req.json()
        query = body.get("query", "") if isinstance(body, dict) else ""
        if re.search(r"\bmutation\b", query):
            return Reply(400, {"errors": [{"message": "mutations are not expected here"}]})
        bearer = req.bearer()
        project_header = req.header("project-access-token")
        secret = bearer or project_header
        if secret == RATE_LIMITED:
            return Reply(429, {"errors": [{"message": "Too many requests"}]},
                         headers={**_headers(0), "Retry-After": "120"})
        if secret == SERVER_ERROR:
            return Reply(503, "upstream connect error", headers=_headers())
        if secret == MALFORMED:
            return Reply(200, "<html><body>Bad gateway</body></html>")
        if secret == ODD_ERROR:
            return Reply(200, {"errors": [{"message": "Problem processing request"}], "data": None})

        if "projectToken" in query:
            # The CLI sends a project token in Project-Access-Token and no Authorization header.
            if bearer is None and project_header in PROJECT_TOKENS:
                pid, pname, eid, ename = PROJECT_TOKENS[project_header]
                return _data({"projectToken": {"projectId": pid, "environmentId": eid,
                                               "project": {"id": pid, "name": pname},
                                               "environment": {"id": eid, "name": ename}}})
            return _not_authorized("projectToken")
        if "apiToken" in query:
            if bearer in WORKSPACE_TOKENS:
                return _data({"apiToken": {"workspaces": WORKSPACE_TOKENS[bearer]}})
            return _not_authorized("apiToken")
        if query.startswith("query { me"):
            if bearer == ACCOUNT_PARTIAL:  # GraphQL partial success: data and errors side by side
                return Reply(200, {"data": {"me": {"id": "u-5", "email": "pat@example.com", "name": "Pat",
                                                   "workspaces": None}},
                                   "errors": [{"message": "Problem processing request",
                                               "path": ["me", "workspaces"]}]}, headers=_headers())
            if bearer in USERS:
                return _data({"me": USERS[bearer]}, 0 if bearer == ACCOUNT_QUOTA_GONE else 99)
            return _not_authorized("me")
        aliases = _ALIAS.findall(query)
        if aliases:
            return _workspaces(bearer, aliases, members="members" in query)
        return Reply(400, {"errors": [{"message": f"unexpected query {query[:60]}"}]})

    return fake


def _workspaces(bearer: str | None, aliases: list[tuple[str, str]], members: bool) -> Reply:
    allowed: set[str] = set()
    if bearer in USERS:
        allowed = {w["id"] for w in USERS[bearer]["workspaces"]}
    elif bearer in WORKSPACE_TOKENS:
        allowed = {w["id"] for w in WORKSPACE_TOKENS[bearer]}
    data: dict[str, Any] = {}
    errors: list[dict[str, Any]] = []
    for alias, ws_id in aliases:
        if ws_id not in allowed:
            data[alias] = None
            errors.append({"message": "Not Authorized", "path": [alias]})
        elif members:
            data[alias] = {"members": MEMBERS.get(ws_id, [])}
        else:
            name = next(w["name"] for w in USERS.get(bearer or "", {}).get("workspaces", [])
                        + WORKSPACE_TOKENS.get(bearer or "", []) if w["id"] == ws_id)
            data[alias] = {"id": ws_id, "name": name, "projects": _connection(PROJECTS.get(ws_id, []))}
    body: dict[str, Any] = {"data": data}
    if errors:
        body["errors"] = errors
    return Reply(200, body, headers=_headers())
