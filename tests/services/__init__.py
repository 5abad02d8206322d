"""The local database servers the lookup tests use (tests/services/start.sh starts them).

``servers()`` is a session fixture: it skips a test, naming the missing server and how to start
it, only outside CI; under ``CI=true`` (where .ci/run starts them) a missing server fails it.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from pathlib import Path

import pytest

from tokenreach.scanner.engine import tokens_in
from tokenreach.scanner.lookup import LookupOptions, lookup_one
from tokenreach.scanner.model import Access, Finding, Location, Token

_ENV = Path(__file__).with_name("services.env")


def settings() -> dict[str, str]:
    out: dict[str, str] = {}
    for line in _ENV.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, _, value = line.partition("=")
            out[key] = value
    return out


S = settings()


@dataclass(frozen=True)
class Role:
    user: str
    password: str


SUPER = Role(S["SUPER_USER"], S["SUPER_PASSWORD"])
OWNER = Role(S["OWNER_USER"], S["OWNER_PASSWORD"])
READER = Role(S["READER_USER"], S["READER_PASSWORD"])
WRONG = Role(S["READER_USER"], "Wr0ng-pass-9Zx")  # a real user, a password it does not have
APP_DB = S["APP_DB"]
PORTS = {"postgres": int(S["PG_PORT"]), "mysql": int(S["MARIADB_PORT"]), "redis": int(S["REDIS_PORT"])}


def url(kind: str, role: Role, host: str = "127.0.0.1", database: str | None = None) -> str:
    scheme = {"postgres": "postgres", "mysql": "mysql", "redis": "redis"}[kind]
    path = "/0" if kind == "redis" else f"/{database or APP_DB}"
    return f"{scheme}://{role.user}:{role.password}@{host}:{PORTS[kind]}{path}"


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2):
            return True
    except OSError:
        return False


def require(kind: str) -> None:
    """Skip (outside CI) or fail (under CI) when the ``kind`` server is not running."""
    if _listening(PORTS[kind]):
        return
    why = (f"no {kind} server on 127.0.0.1:{PORTS[kind]}: run `bash tests/services/start.sh` "
           "(CI runs it from .ci/run)")
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(why)
    pytest.skip(why)


@pytest.fixture(scope="session")
def postgres_server() -> int:
    require("postgres")
    return PORTS["postgres"]


@pytest.fixture(scope="session")
def mysql_server() -> int:
    require("mysql")
    return PORTS["mysql"]


@pytest.fixture(scope="session")
def redis_server() -> int:
    require("redis")
    return PORTS["redis"]


DATABASES = ("postgres", "mysql", "redis", "mongodb")


def db_token(text: str) -> Token:
    (tok,) = [t for t in tokens_in(text) if t.provider in DATABASES]
    return tok


def db_lookup(text: str, private: bool = True, timeout: float = 20.0) -> Access:
    """Look the one database URL in ``text`` up, with or without --lookup-private-hosts."""
    return lookup_one(db_token(text), LookupOptions(private_hosts=private, total_timeout=timeout))


def assessed(text: str, private: bool = True) -> Finding:
    """The finding for the URL in ``text`` as a scan reports it from a .env file."""
    from tokenreach.scanner.assess import assess

    tok = db_token(text)
    finding = Finding(tok, "database URL", [Location(".env", 1, 1, "ignored")],
                      access=lookup_one(tok, LookupOptions(private_hosts=private, total_timeout=20)))
    assess(finding)
    return finding
