"""Redis lookups against the real server tests/services/start.sh runs on 127.0.0.1 (a user with
+@all, one with +@all -@dangerous on ~app:*, one with +@read on ~app:*), and the reading of ACL rules."""

from __future__ import annotations

import pytest

from tests.services import (  # noqa: F401 (fixture)
    OWNER,
    PORTS,
    READER,
    SUPER,
    WRONG,
    assessed,
    db_lookup,
    redis_server,
    url,
)
from tokenreach.detectors.providers.redis import allowed, rules_access


@pytest.mark.usefixtures("redis_server")
def test_superuser_can_flushall_and_config():
    f = assessed(url("redis", SUPER))
    a = f.access
    assert (a.live, a.evidence, a.reach) == (True, "api", "account")
    assert a.capabilities == {"read", "write", "delete", "admin"}
    assert a.grants == ["commands +@all", "keys ~*", "channels &*"]
    assert not any("passwords" in g for g in a.grants)
    assert any(n.startswith("can run FLUSHALL and CONFIG") for n in a.notes)
    assert (f.severity, f.over_privileged) == ("critical", True)


@pytest.mark.usefixtures("redis_server")
def test_owner_of_a_key_prefix_without_dangerous_commands():
    f = assessed(url("redis", OWNER))
    a = f.access
    assert (a.live, a.identity.split("@")[0]) == (True, OWNER.user)
    assert a.capabilities == {"read", "write", "delete"}
    assert a.reach == "project"  # ~app:* only
    assert a.grants == ["GET", "SET", "DEL"]
    assert (f.severity, f.over_privileged) == ("high", False)


@pytest.mark.usefixtures("redis_server")
def test_read_only_user():
    f = assessed(url("redis", READER))
    assert (f.access.live, f.access.capabilities) == (True, {"read"})
    assert (f.severity, f.over_privileged) == ("low", False)


@pytest.mark.usefixtures("redis_server")
def test_wrong_password_is_revoked():
    f = assessed(url("redis", WRONG))
    assert (f.access.live, f.access.evidence, f.severity) == (False, "api", "info")


@pytest.mark.usefixtures("redis_server")
def test_the_keys_are_unchanged_by_a_lookup():
    import redis

    client = redis.Redis(host="127.0.0.1", port=PORTS["redis"],
                         username=SUPER.user, password=SUPER.password)
    before = {k: client.get(k) for k in client.scan_iter()}
    for role in (SUPER, OWNER, READER):
        db_lookup(url("redis", role))
    assert {k: client.get(k) for k in client.scan_iter()} == before
    client.close()


def test_private_host_without_the_switch_is_not_looked_up():
    a = db_lookup(url("redis", SUPER), private=False)
    assert (a.live, a.facts["not_looked_up"]) == (None, "private host")


@pytest.mark.parametrize(("rules", "command", "ok"), [
    ("+@all", "flushall", True),
    ("+@all -@dangerous", "flushall", False),
    ("+@all -@dangerous", "set", True),
    ("-@all +@read", "get", True),
    ("-@all +@read", "set", False),
    ("-@all +@read +flushdb", "flushdb", True),
    ("+@all -config", "config|set", False),
    ("-@all +config|set", "config|set", True),
    ("nocommands", "get", False),
])
def test_rules_are_read_in_order(rules, command, ok):
    assert allowed(command, rules.split()) is ok


def test_flushall_ignores_key_patterns():
    caps, reach, _ = rules_access({"flags": [b"on"], "commands": b"+@all", "keys": b"~app:*", "channels": b""})
    assert caps == {"read", "write", "delete", "admin"}
    assert reach == "account"


def test_selectors_add_rights():
    caps, reach, grants = rules_access({"flags": [b"on"], "commands": b"-@all", "keys": b"", "channels": b"",
                                        "selectors": [{"commands": b"-@all +@read", "keys": b"~reports:*"}]})
    assert (caps, reach) == ({"read"}, "project")
    assert "keys ~reports:*" in grants
