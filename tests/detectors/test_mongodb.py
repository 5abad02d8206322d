"""MongoDB lookups through the real PyMongo driver against tests/fakes/mongodb.py, a server that
speaks the wire protocol (OP_QUERY, OP_MSG, SCRAM-SHA-256), with a root user, a dbOwner and a
read-only user."""

from __future__ import annotations

import pytest

from tests.fakes.mongodb import FakeMongo, User
from tests.services import OWNER, READER, SUPER, WRONG, assessed, db_lookup
from tokenreach.detectors import database
from tokenreach.detectors.providers import mongodb
from tokenreach.detectors.providers.mongodb import privileges_access

USERS = [User(SUPER.user, "admin", SUPER.password, [("root", "admin")]),
         User(OWNER.user, "tr_app", OWNER.password, [("dbOwner", "tr_app")]),
         User(READER.user, "tr_app", READER.password, [("read", "tr_app")])]


@pytest.fixture(scope="module")
def fake():
    with FakeMongo(USERS) as server:
        yield server
        server.assert_read_only()


def mongo_url(fake: FakeMongo, role, db: str, host: str = "127.0.0.1") -> str:
    return f"MONGO_URL=mongodb://{role.user}:{role.password}@{host}:{fake.port}/{db}"


def test_root_reaches_the_whole_deployment(fake):
    f = assessed(mongo_url(fake, SUPER, "admin"))
    a = f.access
    assert (a.live, a.evidence, a.reach) == (True, "api", "account")
    assert a.capabilities == {"read", "write", "delete", "admin"}
    assert a.grants == ["root@admin"]
    assert (f.severity, f.over_privileged) == ("critical", True)


def test_db_owner_reaches_one_database(fake):
    f = assessed(mongo_url(fake, OWNER, "tr_app"))
    a = f.access
    assert (a.live, a.reach) == (True, "project")
    assert a.capabilities == {"read", "write", "delete", "admin"}  # dbOwner includes userAdmin of tr_app
    assert a.resources == ["database tr_app"]
    assert a.facts["mechanisms"] == ["SCRAM-SHA-256"]
    assert (f.severity, f.over_privileged) == ("high", False)


def test_read_only_user(fake):
    f = assessed(mongo_url(fake, READER, "tr_app"))
    assert (f.access.live, f.access.capabilities, f.access.reach) == (True, {"read"}, "project")
    assert (f.severity, f.over_privileged) == ("low", False)


def test_wrong_password_is_revoked(fake):
    f = assessed(mongo_url(fake, WRONG, "tr_app"))
    assert (f.access.live, f.access.evidence, f.severity) == (False, "api", "info")


def test_only_read_only_commands_arrive(fake):
    fake.commands.clear()
    db_lookup(mongo_url(fake, READER, "tr_app"))
    assert {c.lower() for c in fake.commands} >= {"saslstart", "saslcontinue", "connectionstatus", "usersinfo"}
    fake.assert_read_only()


def test_private_host_without_the_switch_is_not_looked_up(fake):
    fake.commands.clear()
    a = db_lookup(mongo_url(fake, SUPER, "admin"), private=False)
    assert (a.live, a.facts["not_looked_up"]) == (None, "private host")
    assert fake.commands == []


def test_pymongo_connects_to_the_checked_address_only(fake, monkeypatch):
    monkeypatch.setattr(database, "resolve_all", lambda host, port, wait: ["127.0.0.1"])
    a = db_lookup(mongo_url(fake, READER, "tr_app", host="mongo.tokenreach.test"))
    assert a.live is True and a.facts["address"] == "127.0.0.1"


def test_srv_records_name_the_server_that_is_checked(fake, monkeypatch):
    import dns.resolver

    class Srv:
        priority, weight, port = 0, 5, fake.port
        target = "shard-00.cluster0.mongo-fake.io."

    class Txt:
        strings = [b"authSource=tr_app&replicaSet=atlas-x"]

    asked: list[tuple[str, str]] = []

    def resolve(name, kind, lifetime=None):
        asked.append((name, kind))
        return [Srv()] if kind == "SRV" else [Txt()]

    monkeypatch.setattr(dns.resolver, "resolve", resolve)
    monkeypatch.setattr(mongodb, "resolve_all", lambda host, port, wait: ["127.0.0.1"])
    text = f"MONGO_URL=mongodb+srv://{READER.user}:{READER.password}@cluster0.mongo-fake.io/?tls=false"
    a = db_lookup(text)
    assert asked == [("_mongodb._tcp.cluster0.mongo-fake.io", "SRV"), ("cluster0.mongo-fake.io", "TXT")]
    assert (a.live, a.capabilities) == (True, {"read"})
    assert a.identity == f"{READER.user}@shard-00.cluster0.mongo-fake.io:{fake.port}"
    # Without the switch the SRV target's loopback address is refused.
    assert db_lookup(text, private=False).facts["not_looked_up"] == "private host"


@pytest.mark.parametrize(("privileges", "caps", "reach"), [
    ([{"resource": {"anyResource": True}, "actions": ["anyAction"]}], {"read", "write", "delete", "admin"}, "account"),
    ([{"resource": {"db": "", "collection": ""}, "actions": ["find"]}], {"read"}, "account"),
    ([{"resource": {"cluster": True}, "actions": ["shutdown"]}], {"admin"}, "account"),
    ([{"resource": {"db": "shop", "collection": "orders"}, "actions": ["find", "insert"]}], {"read", "write"},
     "resource"),
    ([{"resource": {"db": "shop", "collection": ""}, "actions": ["remove"]}], {"delete"}, "project"),
    ([], set(), None),
])
def test_privileges_map_onto_the_model(privileges, caps, reach):
    got_caps, got_reach, _ = privileges_access(privileges)
    assert (got_caps, got_reach) == (caps, reach)
