"""Fake https://api.notion.com answering as Notion's API reference documents it.

``GET /v1/users/me`` (the token's bot user), ``POST /v1/search`` (pages and databases shared with
the integration; 403 ``restricted_resource`` without the read-content capability) and
``GET /v1/users`` (403 ``restricted_resource`` without the user-information capability). Errors are
``{"object": "error", "status", "code", "message"}``; every request must carry ``Notion-Version``
(400 ``missing_version`` otherwise).
"""

from __future__ import annotations

from tests.fakes.server import FakeServer, Reply, Request

BROAD = "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"  # read content, users with emails
NARROW = "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"  # read content on one page, no user info
NO_READ = "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"  # insert content only
REVOKED = "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"
RATE_LIMITED = "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"
BROKEN = "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"
MALFORMED = "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"
PUBLIC = "secret_q8Zr3vK0mXn7Lw2Pd5Ty9Hc4Jb6Fs1Gk8Qa3Re0Uo7W"  # legacy prefix, OAuth-owned


def _error(status: int, code: str, message: str) -> Reply:
    return Reply(status, {"object": "error", "status": status, "code": code, "message": message,
                          "request_id": "7c0a2f4e-0000-4000-8000-000000000000"})


_RESTRICTED = _error(403, "restricted_resource", "Insufficient permissions for this endpoint.")

_BOTS = {
    BROAD: ("Deploy sync", {"owner": {"type": "workspace", "workspace": True}, "workspace_name": "Acme"}),
    NARROW: ("Page reader", {"owner": {"type": "workspace", "workspace": True}, "workspace_name": "Acme"}),
    NO_READ: ("Form inbox", {"owner": {"type": "workspace", "workspace": True}, "workspace_name": "Acme"}),
    PUBLIC: ("Calendar app", {"owner": {"type": "user", "user": {
        "object": "user", "id": "5389a034-eb5c-47b5-8a9e-f79c99ef166c", "name": "Ada", "avatar_url": None,
        "type": "person", "person": {"email": "ada@acme.test"}}}, "workspace_name": "Acme"}),
}


def _page(pid: str, title: str) -> dict:
    return {"object": "page", "id": pid, "url": f"https://www.notion.so/{pid.replace('-', '')}",
            "parent": {"type": "workspace", "workspace": True},
            "properties": {"title": {"id": "title", "type": "title",
                                     "title": [{"type": "text", "plain_text": title,
                                                "text": {"content": title, "link": None}}]}}}


def _database(did: str, title: str) -> dict:
    return {"object": "database", "id": did,
            "title": [{"type": "text", "plain_text": title, "text": {"content": title, "link": None}}],
            "properties": {"Name": {"id": "title", "name": "Name", "type": "title", "title": {}}}}


_PAGES = {
    BROAD: [_page("59833787-2cf9-4fdf-8782-e53db20768a5", "Engineering wiki"),
            _page("2b1b8a4c-0000-4000-8000-000000000002", "Runbooks"),
            _database("a1d8501e-1ac1-43e9-a6bd-ea9fe6c8822b", "Customers")],
    NARROW: [_page("3c9d1f2a-0000-4000-8000-000000000003", "Release notes")],
    PUBLIC: [_page("4d0e2a3b-0000-4000-8000-000000000004", "Calendar")],
}

_PEOPLE = [
    {"object": "user", "id": "6794760a-1f15-45cd-9c65-0dfe42f5135a", "type": "person", "name": "Aman Gupta",
     "avatar_url": None, "person": {"email": "aman@acme.test"}},
    {"object": "user", "id": "92a680bb-6970-4726-952b-4f4c03bff617", "type": "bot", "name": "Deploy sync",
     "avatar_url": None, "bot": {}},
]


def make() -> FakeServer:
    fake = FakeServer()

    def guard(req: Request) -> Reply | None:
        key = req.bearer()
        if key == RATE_LIMITED:
            return Reply(429, {"object": "error", "status": 429, "code": "rate_limited",
                               "message": "You have been rate limited. Please try again in a few minutes."},
                         headers={"Retry-After": "60"})
        if key == BROKEN:
            return _error(503, "service_unavailable", "Notion is unavailable, please try again later.")
        if key == MALFORMED:
            return Reply(200, "<html>maintenance</html>")
        if not req.header("notion-version"):
            return _error(400, "missing_version", "Notion-Version header failed validation: "
                          "Notion-Version header should be defined, instead was `undefined`.")
        if key not in _BOTS:
            return _error(401, "unauthorized", "API token is invalid.")
        return None

    @fake.route("GET", "/v1/users/me")
    def me(req: Request) -> Reply:
        refused = guard(req)
        if refused:
            return refused
        name, bot = _BOTS[req.bearer() or ""]
        return Reply(200, {"object": "user", "id": "92a680bb-6970-4726-952b-4f4c03bff617", "name": name,
                           "avatar_url": None, "type": "bot", "bot": bot, "request_id": "r-1"})

    @fake.route("POST", "/v1/search")
    def search(req: Request) -> Reply:
        refused = guard(req)
        if refused:
            return refused
        pages = _PAGES.get(req.bearer() or "")
        if pages is None:
            return _RESTRICTED
        return Reply(200, {"object": "list", "results": pages, "next_cursor": None, "has_more": False,
                           "type": "page_or_database", "page_or_database": {}})

    @fake.route("GET", "/v1/users")
    def users(req: Request) -> Reply:
        refused = guard(req)
        if refused:
            return refused
        if req.bearer() != BROAD:
            return _RESTRICTED
        return Reply(200, {"object": "list", "results": _PEOPLE, "next_cursor": None, "has_more": False,
                           "type": "user", "user": {}})

    return fake
