"""Database URLs end to end through `tokenreach scan`: a repository's .env holds a superuser, an
owner and a read-only URL for PostgreSQL, MariaDB and Redis (the real servers tests/services/start.sh
runs on 127.0.0.1) and for MongoDB (the wire-protocol fake). With --lookup-private-hosts the
superuser URLs rank critical and the read-only ones low; without it nothing is looked up."""

from __future__ import annotations

import pytest

from tests.fakes.mongodb import FakeMongo, User
from tests.helpers import Repo, scan_json
from tests.services import (  # noqa: F401 (fixtures)
    OWNER,
    READER,
    SUPER,
    WRONG,
    mysql_server,
    postgres_server,
    redis_server,
    url,
)

pytestmark = pytest.mark.usefixtures("postgres_server", "mysql_server", "redis_server")

ROLES = {"SUPER": SUPER, "OWNER": OWNER, "READ": READER, "STALE": WRONG}


@pytest.fixture
def mongo():
    users = [User(SUPER.user, "admin", SUPER.password, [("root", "admin")]),
             User(OWNER.user, "tr_app", OWNER.password, [("dbOwner", "tr_app")]),
             User(READER.user, "tr_app", READER.password, [("read", "tr_app")])]
    with FakeMongo(users) as server:
        yield server
        server.assert_read_only()


@pytest.fixture
def env_repo(repo: Repo, mongo: FakeMongo) -> Repo:
    lines = []
    for kind, prefix in (("postgres", "PG"), ("mysql", "MYSQL"), ("redis", "REDIS")):
        for name, role in ROLES.items():
            lines.append(f"{prefix}_{name}_URL={url(kind, role)}")
    for name, role in ROLES.items():
        db = "admin" if role is SUPER else "tr_app"
        lines.append(f"MONGO_{name}_URL=mongodb://{role.user}:{role.password}@127.0.0.1:{mongo.port}/{db}")
    repo.write(".gitignore", ".env\n")
    repo.write(".env", "\n".join(lines) + "\n")
    repo.commit("ignore .env", ".gitignore")
    return repo


def _by_variable(doc: dict) -> dict[str, dict]:
    return {f["variable"]: f for f in doc["findings"]}


def test_superuser_urls_rank_critical_and_read_only_ones_low(env_repo):
    doc = scan_json(env_repo.root, "--lookup-private-hosts", "--no-history")
    found = _by_variable(doc)
    assert len(found) == 16
    for prefix, provider in (("PG", "postgres"), ("MYSQL", "mysql"), ("REDIS", "redis"), ("MONGO", "mongodb")):
        sup, own, read, stale = (found[f"{prefix}_{n}_URL"] for n in ("SUPER", "OWNER", "READ", "STALE"))
        assert {f["provider"] for f in (sup, own, read, stale)} == {provider}
        assert (sup["access"]["live"], sup["access"]["reach"], sup["severity"]) == (True, "account", "critical")
        assert sup["over_privileged"] is True
        assert {"read", "write", "delete", "admin"} <= set(sup["access"]["capabilities"])
        assert (own["access"]["live"], own["access"]["reach"], own["severity"]) == (True, "project", "high")
        assert own["over_privileged"] is False
        assert (read["access"]["live"], read["access"]["capabilities"], read["severity"]) == (True, ["read"], "low")
        assert (stale["access"]["live"], stale["severity"]) == (False, "info"), (provider, stale["access"]["notes"])
    # The superusers come first.
    assert {f["variable"] for f in doc["findings"][:4]} == {"PG_SUPER_URL", "MYSQL_SUPER_URL", "REDIS_SUPER_URL",
                                                             "MONGO_SUPER_URL"}
    text = str(doc)
    for role in ROLES.values():
        assert role.password not in text


def test_without_the_switch_no_database_is_contacted(env_repo, mongo):
    mongo.commands.clear()
    doc = scan_json(env_repo.root, "--no-history")
    assert len(doc["findings"]) == 16
    for f in doc["findings"]:
        a = f["access"]
        assert a["live"] is None
        assert a["facts"]["not_looked_up"] == "private host"
        assert any(n.startswith("not looked up: private host") for n in a["notes"])
    assert mongo.commands == []
