"""Fake Intercom REST API (api.intercom.io, api.eu.intercom.io, api.au.intercom.io; the target
region arrives in ``X-Tokenreach-Target-Host``) answering ``/me``, ``/contacts`` and
``/conversations`` as Intercom documents them; errors as ``{"type": "error.list", "request_id",
"errors": [{"code", "message"}]}``."""

from __future__ import annotations

import base64
import uuid

from tests.fakes.server import FakeServer, Reply, Request


def _token(n: int) -> str:
    return base64.b64encode(f"tok:{uuid.UUID(int=0x5A17_0000_4000_8000_0000_0000_0000 + n * 7919, version=4)}:1:0"
                            .encode()).decode()


BROAD = _token(1)  # reads contacts and conversations
NARROW = _token(2)  # reads neither: /me only
EU = _token(3)  # an EU workspace's token
REVOKED = _token(4)
RATE_LIMITED = _token(5)
BROKEN = _token(6)

_WORKSPACES = {
    BROAD: ("api.intercom.io", "ecahpwf5", "Acme Support", "US"),
    NARROW: ("api.intercom.io", "ecahpwf5", "Acme Support", "US"),
    EU: ("api.eu.intercom.io", "xk3ml9q2", "Acme Europe", "EU"),
}
_READS = {BROAD: {"/contacts", "/conversations"}, EU: {"/contacts"}}


def _error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Reply:
    return Reply(status, {"type": "error.list", "request_id": "000e3f7c2b1a9d8e7f6a",
                          "errors": [{"code": code, "message": message}]}, headers=headers or {})


def _who(req: Request) -> tuple[str, str, str, str] | Reply:
    tok, host = req.bearer(), req.header("x-tokenreach-target-host")
    if tok == RATE_LIMITED:
        return _error(429, "rate_limit_exceeded", "Rate Limit Exceeded",
                      {"X-RateLimit-Limit": "10000", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1893456000"})
    if tok == BROKEN:
        return _error(503, "service_unavailable", "Service Unavailable")
    ws = _WORKSPACES.get(tok or "")
    if ws is None or ws[0] != host:
        return _error(401, "unauthorized", "Access Token Invalid")
    return ws


def make() -> FakeServer:
    fake = FakeServer()

    @fake.route("GET", "/me")
    def me(req: Request) -> Reply:
        ws = _who(req)
        if isinstance(ws, Reply):
            return ws
        _, id_code, name, region = ws
        return Reply(200, {"type": "admin", "id": "991267", "email": "bot@acme.test", "name": "Support Bot",
                           "email_verified": True, "has_inbox_seat": False,
                           "app": {"type": "app", "id_code": id_code, "name": name, "region": region,
                                   "timezone": "Europe/London", "created_at": 1700000000,
                                   "identity_verification": False}})

    def listing(kind: str):
        def handler(req: Request) -> Reply:
            ws = _who(req)
            if isinstance(ws, Reply):
                return ws
            if req.path not in _READS.get(req.bearer() or "", set()):
                return _error(403, "forbidden", "You do not have permission to access this resource")
            return Reply(200, {"type": "list", "data": [], "total_count": 0,
                               "pages": {"type": "pages", "page": 1, "per_page": 1, "total_pages": 0}})
        return handler

    fake.add("GET", "/contacts", listing("contact"))
    fake.add("GET", "/conversations", listing("conversation"))
    return fake
