"""Broken networks on 127.0.0.1 for the hardening tests: servers that hang, trickle, reset or
speak TLS with an untrusted certificate, a closed port, and a recorder of every outgoing
connection (in this process through an audit hook, in a CLI subprocess through a
``sitecustomize`` put on its ``PYTHONPATH``).

Nothing here ever listens on or connects to anything but the loopback address.
"""

from __future__ import annotations

import datetime
import ipaddress
import json
import socket
import ssl
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

LOOPBACK = "127.0.0.1"


def closed_port() -> int:
    """A loopback port with nothing listening on it (connection refused)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


def read_request(conn: socket.socket, limit: float = 5.0) -> bytes:
    """Read until the end of the request head (the tests' lookups send small bodies or none)."""
    conn.settimeout(limit)
    data = b""
    try:
        while b"\r\n\r\n" not in data and len(data) < 1 << 20:
            chunk = conn.recv(65536)
            if not chunk:
                break
            data += chunk
    except OSError:
        pass
    return data


class RawServer:
    """A TCP server on 127.0.0.1; ``handler(server, conn)`` runs in a thread per connection.

    ``received`` holds the bytes each handler chose to record (what reached the application).
    With ``tls`` the accepted socket is wrapped server-side before the handler sees it.
    """

    def __init__(self, handler: Callable[[RawServer, socket.socket], None],
                 tls: ssl.SSLContext | None = None) -> None:
        self.handler = handler
        self.tls = tls
        self.connections = 0
        self.received: list[bytes] = []
        self.stopping = threading.Event()
        self._sock: socket.socket | None = None
        self._port: int | None = None  # kept after stop(), for assertions on where traffic went
        self._conns: list[socket.socket] = []
        self._lock = threading.Lock()

    @property
    def port(self) -> int:
        assert self._port is not None, "server not started"
        return self._port

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://{LOOPBACK}:{self.port}"

    def start(self) -> RawServer:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind((LOOPBACK, 0))
        self._sock.listen(64)
        self._port = self._sock.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def _accept(self) -> None:
        assert self._sock is not None
        while not self.stopping.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            with self._lock:
                self.connections += 1
                self._conns.append(conn)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            if self.tls is not None:
                conn.settimeout(5)
                conn = self.tls.wrap_socket(conn, server_side=True)
                with self._lock:
                    self._conns.append(conn)
            self.handler(self, conn)
        except (OSError, ssl.SSLError):
            pass
        finally:
            try:
                conn.close()
            except OSError:
                pass

    def hold(self, seconds: float = 60.0) -> None:
        """Block a handler until the server stops (or ``seconds`` pass)."""
        self.stopping.wait(seconds)

    def stop(self) -> None:
        self.stopping.set()
        if self._sock is not None:
            self._sock.close()
            self._sock = None
        with self._lock:
            for c in self._conns:
                try:
                    c.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                try:
                    c.close()
                except OSError:
                    pass

    def __enter__(self) -> RawServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


# Handlers -------------------------------------------------------------------------------------

def never_answers(server: RawServer, conn: socket.socket) -> None:
    """Accept, read the request, then say nothing at all."""
    server.received.append(read_request(conn))
    server.hold()


def headers_trickle(interval: float = 1.0) -> Callable[[RawServer, socket.socket], None]:
    """Answer with a status line and headers one byte every ``interval`` seconds (no end)."""

    def handler(server: RawServer, conn: socket.socket) -> None:
        server.received.append(read_request(conn))
        head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Padding: " + b"a" * 10_000
        for i in range(len(head)):
            if server.stopping.is_set():
                return
            conn.sendall(head[i:i + 1])
            time.sleep(interval)

    return handler


def resets(server: RawServer, conn: socket.socket) -> None:
    """Read the request, then drop the connection without a word."""
    server.received.append(read_request(conn))
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")


def truncated_body(server: RawServer, conn: socket.socket) -> None:
    """Promise 1000 bytes of JSON, send 10, close."""
    server.received.append(read_request(conn))
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"name\": \"")


def garbage(server: RawServer, conn: socket.socket) -> None:
    """Answer with bytes that are not HTTP."""
    server.received.append(read_request(conn))
    conn.sendall(b"\x00\xffSSH-2.0-not-http\r\n\r\n" * 4)


def endless_body(server: RawServer, conn: socket.socket) -> None:
    """A 200 whose chunked JSON body never ends (until the client gives up or the server stops)."""
    server.received.append(read_request(conn))
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
    chunk = b"[" + b"0," * 32_767 + b"\n"
    frame = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
    while not server.stopping.is_set():
        conn.sendall(frame)


def tls_answers_json(server: RawServer, conn: socket.socket) -> None:
    """Behind TLS: record what arrives and answer a well-formed 200 (only a client that trusted the
    certificate could ever see it)."""
    server.received.append(read_request(conn))
    body = json.dumps({"name": "mallory"}).encode()
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                 + str(len(body)).encode() + b"\r\n\r\n" + body)


# TLS ------------------------------------------------------------------------------------------

def self_signed_context() -> ssl.SSLContext:
    """A server context with a throwaway self-signed certificate for 127.0.0.1."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, LOOPBACK)])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(LOOPBACK)),
                                                    x509.DNSName("localhost")]), critical=False)
        .sign(key, hashes.SHA256())
    )
    folder = Path(tempfile.mkdtemp(prefix="hostile-tls-"))
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert_file, key_file)
    return ctx


# Recording outgoing connections ---------------------------------------------------------------

_recorders: list[list[tuple[str, Any]]] = []
_hook_installed = False


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if not _recorders:
        return
    if event == "socket.connect":
        address = args[1]
        for rec in _recorders:
            rec.append(("connect", tuple(address) if isinstance(address, (tuple, list)) else address))
    elif event == "socket.getaddrinfo":
        for rec in _recorders:
            rec.append(("resolve", args[0]))


@contextmanager
def recording_connections() -> Iterator[list[tuple[str, Any]]]:
    """Every ``socket.connect`` (address) and ``getaddrinfo`` (host) made in this process meanwhile."""
    global _hook_installed
    if not _hook_installed:
        sys.addaudithook(_audit)  # audit hooks cannot be removed; this one is idle when not recording
        _hook_installed = True
    rec: list[tuple[str, Any]] = []
    _recorders.append(rec)
    try:
        yield rec
    finally:
        _recorders.remove(rec)


# Names that resolve without asking anybody; every other name fails as an unknown host would.
LOCAL_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})


@contextmanager
def fake_dns(stall: frozenset[str] = frozenset()) -> Iterator[None]:
    """In this process, ``socket.getaddrinfo`` answers loopback names and fails every other name
    with EAI_NONAME, without sending a query: no test can reach a real DNS server (and through it
    the internet). The attempt still raises the ``socket.getaddrinfo`` audit event, so
    :func:`recording_connections` sees it. A name in ``stall`` gets no answer at all (a resolver
    that never replies) until the context ends, then fails like the others."""
    real = socket.getaddrinfo
    released = threading.Event()

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else host
        if name is None or name in LOCAL_NAMES:
            return real(host, port, *args, **kwargs)
        sys.audit("socket.getaddrinfo", host, port, *args)
        if name in stall:
            released.wait()
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    socket.getaddrinfo = getaddrinfo  # type: ignore[assignment]
    try:
        yield
    finally:
        released.set()
        socket.getaddrinfo = real  # type: ignore[assignment]


_SITECUSTOMIZE = '''\
import os, sys
if os.environ.get("HARDENING_FAKE_DNS"):
    import socket
    _real_getaddrinfo = socket.getaddrinfo
    def _getaddrinfo(host, port, *args, **kwargs):
        name = host.decode() if isinstance(host, bytes) else host
        if name is None or name in ("127.0.0.1", "localhost", "::1"):
            return _real_getaddrinfo(host, port, *args, **kwargs)
        sys.audit("socket.getaddrinfo", host, port, *args)
        if name in os.environ.get("HARDENING_DNS_STALL", "").split(","):
            import time
            time.sleep(3600)  # a resolver that never answers
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    socket.getaddrinfo = _getaddrinfo
_log = os.environ.get("HARDENING_NETLOG")
if _log:
    def _hook(event, args):
        if event == "socket.connect":
            line = "connect " + repr(tuple(args[1]) if isinstance(args[1], (tuple, list)) else args[1])
        elif event == "socket.getaddrinfo":
            line = "resolve " + repr(args[0])
        else:
            return
        with open(_log, "a", encoding="utf-8") as f:
            f.write(line + "\\n")
    sys.addaudithook(_hook)
'''


def netlog_env(folder: Path) -> tuple[dict[str, str], Path]:
    """Environment for a CLI subprocess that logs its connections, and the log file. Its DNS is
    :func:`fake_dns`: loopback names only, no query ever leaves the machine."""
    site = folder / "netlog-site"
    site.mkdir(parents=True, exist_ok=True)
    (site / "sitecustomize.py").write_text(_SITECUSTOMIZE)
    log = folder / "netlog.txt"
    log.write_text("")
    return {"PYTHONPATH": str(site), "HARDENING_NETLOG": str(log), "HARDENING_FAKE_DNS": "1"}, log


def read_netlog(log: Path) -> list[tuple[str, Any]]:
    import ast

    out: list[tuple[str, Any]] = []
    for line in log.read_text().splitlines():
        kind, _, value = line.partition(" ")
        out.append((kind, ast.literal_eval(value)))
    return out


def only_loopback(events: list[tuple[str, Any]], ports: set[int], hosts: frozenset[str] = frozenset()) -> list:
    """The events that went anywhere but 127.0.0.1 on ``ports`` (or resolved a host other than
    127.0.0.1 and ``hosts``): empty when the traffic stayed where it was sent."""
    bad = []
    for kind, value in events:
        if kind == "connect":
            if isinstance(value, str):  # a unix socket
                continue
            if not (isinstance(value, tuple) and value[0] == LOOPBACK and value[1] in ports):
                bad.append((kind, value))
        elif kind == "resolve":
            host = value.decode() if isinstance(value, bytes) else value
            if host not in (LOOPBACK, *hosts):
                bad.append((kind, value))
    return bad
