"""PostgreSQL lookups against the real server tests/services/start.sh runs on 127.0.0.1."""

from __future__ import annotations

import re

import pytest

from tests.services import (  # noqa: F401 (fixture)
    OWNER,
    PORTS,
    READER,
    SUPER,
    WRONG,
    assessed,
    db_lookup,
    postgres_server,
    url,
)
from tokenreach.detectors.providers import postgres

pytestmark = pytest.mark.usefixtures("postgres_server")


def test_superuser_reaches_the_whole_server():
    f = assessed(url("postgres", SUPER))
    a = f.access
    assert (a.live, a.evidence, a.reach) == (True, "api", "account")
    assert a.capabilities == {"read", "write", "delete", "admin"}
    assert a.grants[0] == "SUPERUSER"
    assert a.identity == f"{SUPER.user}@127.0.0.1:{PORTS['postgres']}"
    assert a.facts["superuser"] is True
    assert (f.severity, f.over_privileged) == ("critical", True)


def test_database_owner_reaches_one_database():
    f = assessed(url("postgres", OWNER))
    a = f.access
    assert (a.live, a.reach) == (True, "project")
    assert a.capabilities == {"read", "write", "delete"}
    assert "owner of database tr_app" in a.grants
    assert "database tr_app" in a.resources
    assert "table tr_app.public.orders" in a.resources
    assert (f.severity, f.over_privileged) == ("high", False)


def test_read_only_role():
    f = assessed(url("postgres", READER))
    a = f.access
    assert (a.live, a.reach, a.capabilities) == (True, "resource", {"read"})
    assert a.grants == ["SELECT on 2 of 2 table(s) in tr_app"]
    assert any("read-only role" in n for n in a.notes)
    assert (f.severity, f.over_privileged) == ("low", False)


def test_wrong_password_is_revoked():
    f = assessed(url("postgres", WRONG))
    assert (f.access.live, f.access.evidence, f.severity) == (False, "api", "info")
    assert WRONG.password not in " ".join(f.access.notes)


def test_private_host_without_the_switch_is_not_looked_up():
    f = assessed(url("postgres", SUPER), private=False)
    assert f.access.live is None
    assert f.access.facts["not_looked_up"] == "private host"
    assert f.access.notes[-1].startswith("not looked up: private host")


def test_a_missing_database_reads_the_catalog_from_postgres():
    a = db_lookup(url("postgres", SUPER, database="no_such_db"))
    assert a.live is True and a.facts["database"] == "postgres"
    assert any("no_such_db does not exist" in n for n in a.notes)


def test_percent_encoded_password_is_decoded():
    encoded = SUPER.password.replace("-", "%2D")
    a = db_lookup(f"postgresql://{SUPER.user}:{encoded}@127.0.0.1:{PORTS['postgres']}")
    assert a.live is True


def test_every_statement_reads_the_catalog_only():
    statements = [postgres._ROLE, postgres._MEMBER_OF, postgres._DATABASES, postgres._TABLES, postgres._TABLE_NAMES,
                  postgres._SCHEMAS_CREATE]
    for sql in statements:
        assert sql.lstrip().upper().startswith("SELECT"), sql
        bare = re.sub(r"'[^']*'", "''", sql.upper())  # privilege names are quoted arguments, not statements
        assert not re.search(r"\b(INSERT|UPDATE|DELETE|DROP|CREATE|ALTER|GRANT|TRUNCATE|COPY)\b", bare), sql
