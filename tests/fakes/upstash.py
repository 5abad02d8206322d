"""Fake Upstash Redis REST endpoint (``https://<name>.upstash.io``, told apart by
``X-Tokenreach-Target-Host``) answering ``GET /acl/whoami`` and ``GET /dbsize`` as Upstash's REST API
documents them: ``{"result": …}``; 401 ``{"error": "WRONGPASS invalid or missing auth token"}``; a
``NOPERM`` error for a command the user may not run."""

from __future__ import annotations

from tests.fakes.server import FakeServer, Reply, Request

HOST = "us1-merry-cat-32748.upstash.io"
STANDARD = "AX2sASQgYjM4ZDk2NGMtYjA3Ny00ZjE1LWE0ZWItNjRlNmYwZTAxMmNhQw3rTy9Zx7Vb1Nm2"
READ_ONLY = "An2sASQgYjM4ZDk2NGMtYjA3Ny00ZjE1LWE0ZWItNjRlNmYwZTAxMmNhKj4Hg8Fd2Sa6Lp0O"
ACL_USER = "AY2sASQgYjM4ZDk2NGMtYjA3Ny00ZjE1LWE0ZWItNjRlNmYwZTAxMmNhUy5Tr1Ew3Qa7Zc8X"
REVOKED = "AZ2sASQgYjM4ZDk2NGMtYjA3Ny00ZjE1LWE0ZWItNjRlNmYwZTAxMmNhPo9Iu7Yt5Re3Wq1A"
RATE_LIMITED = "Aa2sASQgYjM4ZDk2NGMtYjA3Ny00ZjE1LWE0ZWItNjRlNmYwZTAxMmNhFd2Sa6Lp0OiUy5Tr"
BROKEN = "Ab2sASQgYjM4ZDk2NGMtYjA3Ny00ZjE1LWE0ZWItNjRlNmYwZTAxMmNhNm2Kj4Hg8Fd2Sa6L"
MALFORMED = "Ac2sASQgYjM4ZDk2NGMtYjA3Ny00ZjE1LWE0ZWItNjRlNmYwZTAxMmNhHg8Fd2Sa6LNm2Kj4"

_USERS = {STANDARD: "default", READ_ONLY: "default_ro", ACL_USER: "reporting"}


def make() -> FakeServer:
    fake = FakeServer()

    def common(req: Request) -> Reply | None:
        key = req.bearer()
        known = {*_USERS, RATE_LIMITED, BROKEN, MALFORMED}
        if req.header("x-tokenreach-target-host") != HOST or key not in known:
            return Reply(401, {"error": "WRONGPASS invalid or missing auth token"})
        if key == RATE_LIMITED:
            return Reply(429, {"error": "ERR max requests limit exceeded"}, headers={"Retry-After": "60"})
        if key == BROKEN:
            return Reply(503, "service unavailable")
        if key == MALFORMED:
            return Reply(200, "<html>maintenance</html>")
        return None

    @fake.route("GET", "/acl/whoami")
    def whoami(req: Request) -> Reply:
        if (reply := common(req)) is not None:
            return reply
        user = _USERS[req.bearer() or ""]
        if user == "reporting":
            return Reply(400, {"error": "NOPERM this user has no permissions to run the 'acl|whoami' command"})
        return Reply(200, {"result": user})

    @fake.route("GET", "/dbsize")
    def dbsize(req: Request) -> Reply:
        if (reply := common(req)) is not None:
            return reply
        return Reply(200, {"result": 1234})

    return fake
