"""Fake Upstash Redis REST endpoint and QStash API (``https://<name>.upstash.io``, told apart by
``X-Tokenreach-Target-Host``) answering ``GET /acl/whoami`` and ``GET /dbsize`` as Upstash's REST API
documents them: ``{"result": …}``; 401 ``{"error": "WRONGPASS invalid or missing auth token"}``; a
``NOPERM`` error for a command the user may not run."""

from __future__ import annotations

import base64
import json

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

QSTASH_EU, QSTASH_US = "qstash.upstash.io", "qstash-us-east-1.upstash.io"


def _qstash_token(user: str, password: str) -> str:
    """base64 of {"UserID": …, "Password": …}, as QStash issues them."""
    return base64.b64encode(json.dumps({"UserID": user, "Password": password}).encode()).decode()


QSTASH = _qstash_token("22ade756-0856-ab0d-d363-39b7010c4036", "6745085ebb39ce2414fac298ae15769d")
QSTASH_US_TOKEN = _qstash_token("33bef867-1967-bc1e-e474-40c8121d5147", "7856196fcc40df3525abd309bf2687ae")
QSTASH_REVOKED = _qstash_token("44cf0978-2078-cd2f-f585-51d9232e6258", "8967207add51ea4636bce410ca3798bf")
_QSTASH = {(QSTASH_EU, QSTASH): 2, (QSTASH_US, QSTASH_US_TOKEN): 0}


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

    @fake.route("GET", "/v2/schedules")
    def schedules(req: Request) -> Reply:
        count = _QSTASH.get((req.header("x-tokenreach-target-host") or "", req.bearer() or ""))
        if count is None:
            return Reply(401, {"error": "token is invalid"})
        return Reply(200, [{"scheduleId": f"scd_{i}", "cron": "0 * * * *", "destination": "https://acme.test/job",
                            "method": "POST", "createdAt": 1767225600000} for i in range(count)])

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
