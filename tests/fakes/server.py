"""A local fake provider API on 127.0.0.1 that records every request it receives.

A provider fake is a FakeServer with routes answering as the provider documents. Tests point
the provider at it with ``TOKENREACH_<PROVIDER>_API_URL`` and then assert on ``requests``:
what was sent, and that nothing else was.

    fake = FakeServer()
    @fake.route("GET", "/user")
    def user(req: Request) -> Reply:
        if req.bearer() == LIVE:
            return Reply(200, {"login": "octo"}, headers={"X-OAuth-Scopes": "repo"})
        return Reply(401, {"message": "Bad credentials"})
"""

from __future__ import annotations

import base64
import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-cased names
    body: bytes

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    def bearer(self) -> str | None:
        value = self.header("authorization") or ""
        for scheme in ("Bearer ", "bearer ", "token ", "Token "):
            if value.startswith(scheme):
                return value[len(scheme):]
        return None

    def basic(self) -> tuple[str, str] | None:
        value = self.header("authorization") or ""
        if not value.startswith("Basic "):
            return None
        user, _, password = base64.b64decode(value[6:]).decode().partition(":")
        return user, password

    def json(self) -> Any:
        return json.loads(self.body or b"null")

    def form(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(self.body.decode()).items()}


@dataclass
class Reply:
    status: int = 200
    body: Any = None  # dict/list → JSON; str/bytes → raw
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering (timeouts)
    trickle: float = 0.0  # seconds between body bytes (slow servers)


Handler = Callable[[Request], Reply]


class FakeServer:
    def __init__(self) -> None:
        self.routes: list[tuple[str, re.Pattern[str], Handler]] = []
        self.requests: list[Request] = []
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # Routing --------------------------------------------------------------------------------

    def route(self, method: str, path: str) -> Callable[[Handler], Handler]:
        """Register a handler. ``path`` is a regex matched against the whole path (no query)."""

        def register(handler: Handler) -> Handler:
            self.routes.append((method.upper(), re.compile(path), handler))
            return handler

        return register

    def add(self, method: str, path: str, handler: Handler) -> None:
        self.routes.append((method.upper(), re.compile(path), handler))

    def dispatch(self, req: Request) -> Reply:
        for method, pattern, handler in self.routes:
            if method == req.method and pattern.fullmatch(req.path):
                return handler(req)
        return Reply(404, {"message": "Not Found"})

    # Assertions -----------------------------------------------------------------------------

    def sent(self) -> list[str]:
        """'METHOD /path' of every request received, in order."""
        return [f"{r.method} {r.path}" for r in self.requests]

    def assert_read_only(self) -> None:
        """Only GETs and documented read-only POSTs (GraphQL queries among them) arrived."""
        for r in self.requests:
            assert r.method in ("GET", "POST", "HEAD"), f"non read-only method {r.method} {r.path}"
            if r.method == "POST" and r.body.lstrip().startswith(b"{"):
                body = r.json()
                if isinstance(body, dict) and "query" in body:
                    assert not re.search(r"\bmutation\b", str(body["query"]), re.I), body

    # Life cycle -----------------------------------------------------------------------------

    @property
    def url(self) -> str:
        assert self._server is not None, "server not started"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeServer:
        fake = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in two writes: with Nagle's algorithm on, the body waits for
            # the client's delayed ACK (40 ms on Linux loopback), as no real provider's server makes
            # it wait.
            disable_nagle_algorithm = True

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                req = Request(
                    method=self.command,
                    path=parts.path,
                    query=parse_qs(parts.query),
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=body,
                )
                fake.requests.append(req)
                reply = fake.dispatch(req)
                if reply.delay:
                    time.sleep(reply.delay)
                if isinstance(reply.body, (dict, list)):
                    payload = json.dumps(reply.body).encode()
                    ctype = "application/json"
                elif isinstance(reply.body, str):
                    payload, ctype = reply.body.encode(), "text/plain"
                elif reply.body is None:
                    payload, ctype = b"", "application/json"
                else:
                    payload, ctype = bytes(reply.body), "application/octet-stream"
                try:
                    self.send_response(reply.status)
                    headers = {"Content-Type": ctype, **reply.headers}
                    for k, v in headers.items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    if reply.trickle:
                        for i in range(len(payload)):
                            self.wfile.write(payload[i:i + 1])
                            self.wfile.flush()
                            time.sleep(reply.trickle)
                    else:
                        self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _handle

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        # A short poll interval: shutdown() waits for it, once per test.
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02},
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@contextmanager
def serving(fake: FakeServer) -> Iterator[FakeServer]:
    with fake:
        yield fake
