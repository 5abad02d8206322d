"""Where a database lookup may connect (detectors/database.py): public addresses only, unless the
operator allows private ones; resolved once, and the driver connects to that address."""

from __future__ import annotations

import pytest

from tests.services import (  # noqa: F401 (fixtures)
    OWNER,
    READER,
    SUPER,
    db_lookup,
    db_token,
    postgres_server,
    redis_server,
    url,
)
from tokenreach.detectors import database
from tokenreach.detectors.base import LookupUnavailable
from tokenreach.detectors.database import PRIVATE_HOST, PrivateHost, Target, address_kind, pick_address


def _target(host: str) -> Target:
    import time

    return Target(scheme="postgres", host=host, port=5432, user="u", password="p", database=None,
                  deadline=time.monotonic() + 10)


@pytest.mark.parametrize(("address", "kind"), [
    ("127.0.0.1", "loopback"), ("::1", "loopback"), ("0.0.0.0", "loopback"), ("10.1.2.3", "private"),
    ("172.16.0.9", "private"), ("192.168.1.5", "private"), ("100.64.0.1", "private"), ("169.254.169.254", "link-local"),
    ("fe80::1", "link-local"), ("fd00::5", "private"), ("::ffff:10.0.0.1", "private"), ("::ffff:127.0.0.1", "loopback"),
    ("64:ff9b::a00:1", "private"), ("224.0.0.1", "reserved"), ("240.0.0.1", "reserved"), ("8.8.8.8", "public"),
    ("2606:4700:4700::1111", "public"), ("64:ff9b::808:808", "public"),
])
def test_address_kinds(address, kind):
    assert address_kind(address) == kind


def test_private_and_loopback_need_the_switch():
    for host in ("127.0.0.1", "10.0.0.7", "169.254.169.254", "localhost", "db.localhost"):
        with pytest.raises(PrivateHost, match="--lookup-private-hosts"):
            pick_address(_target(host), allow_private=False)
        assert address_kind(pick_address(_target(host), allow_private=True)) != "public"


def test_a_public_address_needs_no_switch():
    assert pick_address(_target("8.8.4.4"), allow_private=False) == "8.8.4.4"  # nothing connects here


def test_a_name_that_does_not_resolve_is_a_private_host(monkeypatch):
    import socket

    def nowhere(host, *args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(database.socket, "getaddrinfo", nowhere)
    with pytest.raises(PrivateHost, match="does not resolve"):
        pick_address(_target("db.acme.io"), allow_private=True)


@pytest.mark.parametrize("host", ["db.acme.test", "db.example", "x.invalid", "printer.local"])
def test_reserved_names_are_never_asked_of_dns(monkeypatch, host):
    monkeypatch.setattr(database.socket, "getaddrinfo", lambda *a, **k: pytest.fail("DNS was asked"))
    with pytest.raises(PrivateHost, match="reserved name"):
        pick_address(_target(host), allow_private=True)


def test_a_name_with_any_private_answer_is_refused(monkeypatch):
    monkeypatch.setattr(database, "resolve_all", lambda host, port, wait: ["8.8.8.8", "10.0.0.3"])
    with pytest.raises(PrivateHost, match="private address"):
        pick_address(_target("db.acme.io"), allow_private=False)


def test_a_resolver_that_never_answers_is_unknown(monkeypatch):
    import threading

    release = threading.Event()
    monkeypatch.setattr(database.socket, "getaddrinfo", lambda *a, **k: release.wait(30) and [])
    try:
        with pytest.raises(LookupUnavailable, match="DNS lookup timed out"):
            database.resolve_all("slow.acme.io", 5432, 0.3)
    finally:
        release.set()


@pytest.mark.parametrize("text", [
    "DATABASE_URL=postgres://app:Xk9v2LmQ7pRt@127.0.0.1:5432/app",
    "DATABASE_URL=mysql://app:Xk9v2LmQ7pRt@10.0.0.5:3306/app",
    "REDIS_URL=redis://:Xk9v2LmQ7pRt@192.168.0.10:6379/0",
    "MONGO_URL=mongodb://app:Xk9v2LmQ7pRt@localhost:27017/app",
    "DATABASE_URL=postgres://app:Xk9v2LmQ7pRt@db.tokenreach.test/app",  # does not resolve
])
def test_without_the_switch_nothing_is_sent(text):
    access = db_lookup(text, private=False)
    assert access.live is None
    assert access.facts["not_looked_up"] == "private host"
    assert any(n.startswith(PRIVATE_HOST) for n in access.notes)


@pytest.mark.usefixtures("postgres_server", "redis_server")
def test_the_driver_connects_to_the_resolved_address_not_the_name(monkeypatch):
    # The name does not exist anywhere: only the one resolution the check made knows it. A driver that
    # resolved the name again could not connect at all.
    monkeypatch.setattr(database, "resolve_all", lambda host, port, wait: ["127.0.0.1"])
    for text in (url("postgres", READER, host="db.tokenreach.test"),
                 url("redis", OWNER, host="cache.tokenreach.test")):
        access = db_lookup(f"URL={text}")
        assert access.live is True, access.notes
        assert access.facts["address"] == "127.0.0.1"


@pytest.mark.slow  # seconds of work: handed out first (tests/conftest.py)
def test_the_deadline_bounds_a_server_that_never_answers():
    import socket
    import threading
    import time
    from concurrent.futures import ThreadPoolExecutor

    from tokenreach.scanner.lookup import LookupOptions, lookup_one

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:  # accepts and then says nothing, ever
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                pass

    threading.Thread(target=accept, daemon=True).start()
    port = server.getsockname()[1]

    def timed(text: str) -> tuple[str, object, float]:
        started = time.monotonic()
        access = lookup_one(tokens[text], LookupOptions(private_hosts=True, total_timeout=3))  # as db_lookup
        return text, access, time.monotonic() - started

    try:
        texts = (f"postgres://{SUPER.user}:{SUPER.password}@127.0.0.1:{port}/x",
                 f"mysql://{SUPER.user}:{SUPER.password}@127.0.0.1:{port}/x",
                 f"redis://{SUPER.user}:{SUPER.password}@127.0.0.1:{port}/0",
                 f"mongodb://{SUPER.user}:{SUPER.password}@127.0.0.1:{port}/x")
        # The four drivers wait out their deadlines side by side (each lookup times itself), not
        # one after another: the same four deadlines in a quarter of the wall time. The tokens are
        # found first, here: the engine's Hyperscan scratch serves one scan at a time.
        tokens = {text: db_token(f"URL={text}") for text in texts}
        with ThreadPoolExecutor(max_workers=len(texts)) as pool:
            for text, access, elapsed in pool.map(timed, texts):
                assert access.live is None, (text, access.notes)
                assert elapsed < 30  # generous: the point is that it ends
    finally:
        stop.set()
        for s in held:
            s.close()
        server.close()
