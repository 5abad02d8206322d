"""What every database lookup shares: the URL's target, where it may connect, and the deadline.

A database URL names its own host, so a scanned repository chooses where tokenreach connects. The
rule of the house: the host is resolved once, within the lookup deadline, and the driver connects
to the address found (never to the name again, so no DNS answer can change between the check and
the connection). Every address must be public; private, loopback, link-local and reserved
addresses need the operator's ``--lookup-private-hosts``. A host that is private, or that does not
resolve, is "not looked up: private host", never revoked. A driver's own error text is never
copied into a note: it may name the host, the user or worse; each module writes its own.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar
from urllib.parse import parse_qsl, unquote

from tokenreach.detectors.base import Detector, LookupUnavailable
from tokenreach.detectors.providers.credentials_url import url_access
from tokenreach.scanner.model import Access, Token

if TYPE_CHECKING:
    from tokenreach.detectors.http import ProviderHTTP

PRIVATE_HOST = "not looked up: private host"
MIN_CONNECT_SECONDS = 1.0  # below this much time left, a connection is not started


class PrivateHost(Exception):
    """The host is private, loopback, link-local, reserved or does not resolve from here."""


@dataclass
class Target:
    """One database URL, decoded: where to connect and as whom."""

    scheme: str
    host: str  # as written in the URL (the name TLS verifies)
    port: int
    user: str
    password: str
    database: str | None
    params: dict[str, str] = field(default_factory=dict)
    address: str = ""  # the one resolved address the driver connects to
    deadline: float = 0.0

    @property
    def label(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.user or '(default user)'}@{host}:{self.port}"

    def remaining(self) -> float:
        """Seconds left; LookupUnavailable when too few remain to start a connection."""
        left = self.deadline - time.monotonic()
        if left < MIN_CONNECT_SECONDS:
            raise LookupUnavailable("lookup time limit reached")
        return left


def target_of(token: Token, default_port: int, deadline: float) -> Target:
    """The URL's parts from the match's named groups (the engine keeps them in ``Token.extras``)."""
    ex = token.extras
    host = (ex.get("host") or "").strip("[]").lower().rstrip(".")
    if not host:
        raise LookupUnavailable("the URL names no host")
    try:
        port = int(ex.get("port") or default_port)
    except ValueError:
        port = default_port
    if not 0 < port < 65536:
        raise LookupUnavailable("the URL's port is out of range")
    path = unquote(ex.get("path") or "").lstrip("/")
    params = {k.lower(): v for k, v in parse_qsl(ex.get("query") or "", keep_blank_values=False)}
    return Target(scheme=(ex.get("scheme") or token.kind or "").lower(), host=host, port=port,
                  user=unquote(ex.get("user") or ""), password=unquote(token.secret),
                  database=path.split("/")[0] or None, params=params, deadline=deadline)


# Where a lookup may connect -------------------------------------------------------------------

_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def address_kind(address: str) -> str:
    """'public', or why not: 'loopback', 'private', 'link-local', 'reserved'."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or (ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF) if ip in _NAT64 else None)
        if embedded is not None:
            return address_kind(str(embedded))
    if ip.is_loopback or ip.is_unspecified:
        return "loopback"
    if ip.is_link_local:
        return "link-local"
    if ip.is_multicast or ip.is_reserved:
        return "reserved"
    if ip.is_private or not ip.is_global:
        return "private"
    return "public"


def public_addresses(host: str, port: int, deadline: float, allow_private: bool) -> list[str]:
    """``host``'s addresses, resolved once within the deadline, every one of them public (or the
    operator allowed private hosts). Raises PrivateHost or LookupUnavailable."""
    addresses = resolve_all(host, port, deadline - time.monotonic())
    if not allow_private:
        for address in addresses:
            kind = address_kind(address)
            if kind != "public":
                raise PrivateHost(f"{host} resolves to a {kind} address; --lookup-private-hosts allows it")
    return addresses


def pick_address(target: Target, allow_private: bool) -> str:
    """The address to connect to (``public_addresses``, the first)."""
    return public_addresses(target.host, target.port, target.deadline, allow_private)[0]


# Resolution under a deadline: getaddrinfo() cannot be interrupted, so it runs in a daemon thread
# that a lookup waits for only until its deadline (as detectors/http.py does for HTTP lookups).

class _Resolution:
    __slots__ = ("addresses", "done", "error")

    def __init__(self) -> None:
        self.done = threading.Event()
        self.addresses: list[str] = []
        self.error: str | None = None  # "missing" (no such name) or "failed"


# Names RFC 6761 reserves: they resolve nowhere public, so no DNS query is even sent for them.
RESERVED_SUFFIXES = (".test", ".example", ".invalid", ".local")


def resolve_all(host: str, port: int, wait: float) -> list[str]:
    """Every address of ``host`` (an address literal is returned as is)."""
    try:
        return [str(ipaddress.ip_address(host))]
    except ValueError:
        pass
    name = "." + host.lower().rstrip(".")
    if name.endswith(".localhost"):  # RFC 6761: loopback, always
        return ["127.0.0.1"]
    if name.endswith(RESERVED_SUFFIXES):
        raise PrivateHost(f"{host} does not resolve publicly (a reserved name, RFC 6761)")
    res = _Resolution()
    threading.Thread(target=_resolve, args=(host, port, res), name="tokenreach-db-resolver", daemon=True).start()
    if not res.done.wait(max(0.0, wait)):
        raise LookupUnavailable("DNS lookup timed out")
    if res.error == "missing" or (res.error is None and not res.addresses):
        raise PrivateHost(f"{host} does not resolve from here")
    if res.error is not None:
        raise LookupUnavailable("DNS lookup failed")
    return res.addresses


_MISSING = {getattr(socket, n) for n in ("EAI_NONAME", "EAI_NODATA", "EAI_ADDRFAMILY") if hasattr(socket, n)}


def _resolve(host: str, port: int, res: _Resolution) -> None:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        seen: list[str] = []
        for info in infos:
            address = str(info[4][0])
            if address not in seen:
                seen.append(address)
        res.addresses = seen
    except socket.gaierror as exc:
        res.error = "missing" if exc.errno in _MISSING else "failed"
    except (OSError, UnicodeError):
        res.error = "failed"
    res.done.set()


def connect_socket(target: Target) -> socket.socket:
    """A TCP connection to the target's resolved address, timeouts bounded by the deadline."""
    sock = socket.create_connection((target.address, target.port), timeout=min(10.0, target.remaining()))
    sock.settimeout(min(10.0, target.remaining()))
    return sock


def cut_at_deadline(sock: socket.socket, deadline: float) -> threading.Timer:
    """Shut ``sock`` down at the deadline (see ``deadline_guard``); cancel the timer when done."""
    def cut() -> None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    timer = threading.Timer(max(0.0, deadline - time.monotonic()), cut)
    timer.daemon = True
    timer.start()
    return timer


@contextmanager
def deadline_guard(fileno: int | None, deadline: float) -> Iterator[None]:
    """Shut the connection on ``fileno`` down at the deadline: a server that trickles a byte just
    inside each read timeout must not hold a lookup thread (and the process exit) past it."""
    if fileno is None or fileno < 0:
        yield
        return
    try:
        sock = socket.socket(fileno=os.dup(fileno))
    except OSError:
        yield
        return

    timer = cut_at_deadline(sock, deadline)
    try:
        yield
    finally:
        timer.cancel()
        sock.close()


# The detector ---------------------------------------------------------------------------------


class DatabaseDetector(Detector):
    """A database whose URLs carry a password: offline URL facts, then one connection that reads
    the catalog only. Subclasses set ``default_port`` and write ``inspect``."""

    default_port: ClassVar[int]
    request_budget = 25  # connections per scan to this kind of database, all URLs together
    # Its lookup connects to the host the URL names (checked here), not to fixed hosts.
    host_from_url: ClassVar[bool] = True
    # What the lookup reads, for docs/providers.md.
    reads: ClassVar[str] = ""

    def classify(self, token: Token) -> Access:
        return url_access(token)

    def lookup(self, token: Token, http: ProviderHTTP, offline: Access) -> Access:
        target = target_of(token, self.default_port, http.deadline)
        try:
            target.address = pick_address(target, http.allow_private_hosts)
        except PrivateHost as exc:
            offline.facts["not_looked_up"] = "private host"
            return offline.unknown(f"{PRIVATE_HOST}: {exc}")
        http.take_budget()
        offline.facts["address"] = target.address
        return self.inspect(target, offline)

    def inspect(self, target: Target, access: Access) -> Access:
        """Connect to ``target.address`` and read what the user may do (read-only statements)."""
        raise NotImplementedError

