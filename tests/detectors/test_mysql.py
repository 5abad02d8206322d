"""MySQL/MariaDB lookups against the real MariaDB tests/services/start.sh runs on 127.0.0.1, and the
reading of SHOW GRANTS as MySQL and MariaDB print it."""

from __future__ import annotations

import pytest

from tests.services import (  # noqa: F401 (fixture)
    OWNER,
    READER,
    SUPER,
    WRONG,
    assessed,
    db_lookup,
    mysql_server,
    url,
)
from tokenreach.detectors.providers.mysql import grant_access


@pytest.mark.usefixtures("mysql_server")
def test_superuser_with_grant_option():
    f = assessed(url("mysql", SUPER))
    a = f.access
    assert (a.live, a.evidence, a.reach) == (True, "api", "account")
    assert a.capabilities == {"read", "write", "delete", "admin"}
    assert a.grants == ["ALL PRIVILEGES ON *.* WITH GRANT OPTION"]
    assert a.identity.startswith(f"{SUPER.user}@%")
    assert (f.severity, f.over_privileged) == ("critical", True)


@pytest.mark.usefixtures("mysql_server")
def test_database_owner():
    f = assessed(url("mysql", OWNER))
    a = f.access
    assert (a.live, a.reach, a.capabilities) == (True, "project", {"read", "write", "delete"})
    assert "ALL PRIVILEGES ON tr_app.*" in a.grants
    assert a.resources == ["database tr_app"]
    assert (f.severity, f.over_privileged) == ("high", False)


@pytest.mark.usefixtures("mysql_server")
def test_read_only_user():
    f = assessed(url("mysql", READER))
    a = f.access
    assert (a.live, a.capabilities) == (True, {"read"})
    assert "SELECT ON tr_app.*" in a.grants
    assert not any("PASSWORD" in g or "*" in g.split(" ON ")[0] for g in a.grants)  # no hash is kept
    assert (f.severity, f.over_privileged) == ("low", False)


@pytest.mark.usefixtures("mysql_server")
def test_wrong_password_is_revoked():
    f = assessed(url("mysql", WRONG))
    assert (f.access.live, f.access.evidence, f.severity) == (False, "api", "info")


@pytest.mark.usefixtures("mysql_server")
def test_a_database_it_may_not_open_still_shows_its_grants():
    a = db_lookup(url("mysql", READER, database="mysql"))
    assert a.live is True and a.capabilities == {"read"}


def test_private_host_without_the_switch_is_not_looked_up():
    a = db_lookup(url("mysql", SUPER), private=False)
    assert (a.live, a.facts["not_looked_up"]) == (None, "private host")


def test_grant_lines_as_mysql_and_mariadb_print_them():
    caps, reach, grants, objects = grant_access([
        "GRANT USAGE ON *.* TO `app`@`%` IDENTIFIED BY PASSWORD '*249B24CE30BC428A66921216C55EDC55DCEB7A5C'",
        "GRANT SELECT (`id`, `email`), INSERT ON `shop`.`customers` TO `app`@`%`",
        "GRANT SELECT, DELETE ON `shop`.* TO `app`@`%`",
    ])
    assert caps == {"read", "write", "delete"}
    assert reach == "project"
    assert grants == ["USAGE ON *.*", "SELECT, INSERT ON shop.customers", "SELECT, DELETE ON shop.*"]
    assert objects == ["table shop.customers", "database shop"]


@pytest.mark.parametrize(("line", "caps", "reach"), [
    ("GRANT RELOAD, PROCESS ON *.* TO `ops`@`localhost`", {"admin"}, "account"),
    ("GRANT FILE ON *.* TO `x`@`%`", {"admin"}, "account"),
    ("GRANT SELECT ON *.* TO `bi`@`%`", {"read"}, "account"),
    ("GRANT ALL PRIVILEGES ON `app`.* TO `app`@`%` WITH GRANT OPTION", {"read", "write", "delete", "admin"}, "project"),
    ("GRANT PROXY ON ''@'%' TO 'root'@'localhost' WITH GRANT OPTION", {"admin"}, "account"),
    ("GRANT EXECUTE ON PROCEDURE `app`.`refresh` TO `app`@`%`", {"write"}, "resource"),
])
def test_privileges_map_onto_the_model(line, caps, reach):
    got_caps, got_reach, _, _ = grant_access([line])
    assert (got_caps, got_reach) == (caps, reach)


def test_role_grants_are_named():
    _, _, grants, _ = grant_access(["GRANT `analyst` TO `bob`@`%`"])
    assert grants == ["role analyst"]
