"""PostgreSQL passwords in connection URLs (``postgres://``, ``postgresql://``, SQLAlchemy's
``postgresql+driver://``).

Lookup: one connection with psycopg (libpq) to the one address the host resolved to (``hostaddr``,
while ``host`` stays the name TLS verifies; detectors/database.py decides whether it may connect
at all), then catalog reads only, inside ``SET TRANSACTION READ ONLY`` with a statement timeout,
rolled back: the role's attributes (``rolsuper``, ``rolcreaterole``, ``rolcreatedb``,
``rolreplication``), the roles it is a member of, the databases it owns and
``has_database_privilege`` / ``has_table_privilege`` over the objects it can reach from the URL's
database. The server is the account: a superuser can read, change and drop every database on it.
"""

from __future__ import annotations

import time
from typing import Any

from tokenreach.detectors.base import LookupUnavailable
from tokenreach.detectors.database import DatabaseDetector, Target, deadline_guard
from tokenreach.detectors.providers.credentials_url import url_pattern
from tokenreach.scanner.model import REACH_ORDER, Access, Capability, Reach

PATTERNS = (
    url_pattern(
        "postgres", "PostgreSQL", r"postgres(?:ql)?(?:\+[a-z0-9]+)?", ("postgres",),
        ("DATABASE_URL=postgres://app:Xk9v2LmQ7pRt@db.internal.acme.test:5432/app",
         'SQLALCHEMY_DATABASE_URI = "postgresql+psycopg2://svc_reporting:n7Hq2Wv9KsLp@10.0.3.12/reporting"',
         "DATABASE_URL=postgresql://postgres:Tq8Lz2Xw5Vn@containers-us-west-1.railway.test:6543/railway"),
        ("DATABASE_URL=postgres://app:@db.internal.acme.test/app",  # empty password
         "DATABASE_URL=postgres://user:password@localhost:5432/app",
         "DATABASE_URL=postgres://${DB_USER}:${DB_PASSWORD}@db:5432/app",
         'dsn = f"postgresql://{user}:{password}@{host}/{name}"',
         "DATABASE_URL=postgres://db.internal.acme.test:5432/app"),
    ),
)

_SSLMODES = frozenset({"disable", "allow", "prefer", "require", "verify-ca", "verify-full"})
STATEMENT_TIMEOUT_MS = 5000

# Predefined roles (PostgreSQL documentation, "Predefined Roles") whose membership reaches the
# whole server.
_ROLE_CAPS: dict[str, set[Capability]] = {
    "pg_read_all_data": {"read"},
    "pg_write_all_data": {"write", "delete"},
    "pg_read_server_files": {"admin"},
    "pg_write_server_files": {"admin"},
    "pg_execute_server_program": {"admin"},
    "pg_signal_backend": {"admin"},
    "pg_create_subscription": {"admin"},
}

_USER_SCHEMAS = "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'"
_ROLE = """SELECT r.rolname, r.rolsuper, r.rolcreaterole, r.rolcreatedb, r.rolreplication, r.rolbypassrls,
                  current_database(), current_setting('server_version')
           FROM pg_catalog.pg_roles r WHERE r.rolname = current_user"""
_MEMBER_OF = """SELECT rolname FROM pg_catalog.pg_roles
                WHERE pg_has_role(current_user, oid, 'MEMBER') AND rolname <> current_user
                ORDER BY rolname LIMIT 50"""
_DATABASES = """SELECT datname, pg_has_role(datdba, 'MEMBER'), has_database_privilege(oid, 'CONNECT'),
                       has_database_privilege(oid, 'CREATE')
                FROM pg_catalog.pg_database WHERE NOT datistemplate ORDER BY datname LIMIT 500"""
_TABLES = f"""SELECT count(*),
                     count(*) FILTER (WHERE has_table_privilege(c.oid, 'SELECT')),
                     count(*) FILTER (WHERE has_table_privilege(c.oid, 'INSERT, UPDATE')),
                     count(*) FILTER (WHERE has_table_privilege(c.oid, 'DELETE, TRUNCATE')),
                     count(*) FILTER (WHERE pg_has_role(c.relowner, 'MEMBER'))
              FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
              WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND {_USER_SCHEMAS}"""
_TABLE_NAMES = f"""SELECT n.nspname || '.' || c.relname
                   FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                   WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND {_USER_SCHEMAS}
                     AND has_table_privilege(c.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE')
                   ORDER BY 1 LIMIT 25"""
_SCHEMAS_CREATE = f"""SELECT count(*) FILTER (WHERE has_schema_privilege(n.oid, 'CREATE'))
                      FROM pg_catalog.pg_namespace n WHERE {_USER_SCHEMAS}"""


class PostgresDetector(DatabaseDetector):
    provider = "postgres"
    title = "PostgreSQL"
    patterns = PATTERNS
    default_port = 5432
    reads = ("role attributes (`rolsuper`, `rolcreaterole`, `rolcreatedb`, `rolreplication`), role memberships, "
             "database ownership, `has_database_privilege` / `has_table_privilege` (psycopg)")
    rotate_hint = ("change this role's password on the server the URL names (ALTER ROLE … PASSWORD), "
                   "and on every client that uses it")
    least_privilege = ("give the application its own login role that owns nothing and holds only the table "
                       "privileges it needs (GRANT SELECT, INSERT … ON those tables), never a superuser or "
                       "the database owner")

    def inspect(self, target: Target, access: Access) -> Access:
        conn = _connect(target, access)
        if conn is None:
            return access
        try:
            with deadline_guard(_fileno(conn), target.deadline):
                rows = _read_catalog(conn)
        except LookupUnavailable:
            raise
        except Exception as exc:  # a driver error after login: the password worked
            access.live, access.evidence = True, "api"
            return access.note(f"logged in, but reading the catalog failed ({type(exc).__name__})")
        finally:
            conn.close()
        access.live, access.evidence = True, "api"
        _conclude(target, access, rows)
        return access


def _fileno(conn: Any) -> int | None:
    try:
        return int(conn.pgconn.socket)
    except Exception:
        return None


def _connect(target: Target, access: Access) -> Any:
    """A psycopg connection, or None with ``access`` settled (dead, or unknown with a reason)."""
    import psycopg

    dbname = target.database or target.user or "postgres"
    for attempt in (dbname, "postgres"):
        try:
            return psycopg.connect(
                host=target.host, hostaddr=target.address, port=target.port, user=target.user or None,
                password=target.password, dbname=attempt,
                connect_timeout=max(2, int(min(10.0, target.remaining()))),
                sslmode=target.params.get("sslmode", "prefer") if target.params.get("sslmode") in _SSLMODES
                else "prefer",
                gssencmode="disable", application_name="tokenreach read-only lookup",
                options=f"-c default_transaction_read_only=on -c statement_timeout={STATEMENT_TIMEOUT_MS}",
                autocommit=False,
            )
        except psycopg.OperationalError as exc:
            why = str(exc).lower()
            if "password authentication failed" in why or "sasl authentication failed" in why:
                access.live, access.evidence = False, "api"
                access.note(f"the server refused the password for {target.label}: wrong or changed")
                return None
            if "does not exist" in why and "database" in why and attempt != "postgres":
                access.note(f"database {attempt} does not exist there; reading the catalog from postgres")
                continue
            raise LookupUnavailable(_failure(why)) from None
    raise LookupUnavailable("no database to connect to")


def _failure(why: str) -> str:
    if "pg_hba.conf" in why:
        return "the server refuses connections from this client (pg_hba.conf)"
    if "timeout" in why or "timed out" in why:
        return "connection timed out"
    if "refused" in why:
        return "connection refused"
    if "ssl" in why or "certificate" in why:
        return "TLS failed"
    return "could not connect"


def _read_catalog(conn: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    started = time.monotonic()
    with conn.cursor() as cur:
        cur.execute("SET TRANSACTION READ ONLY")
        cur.execute(f"SET LOCAL statement_timeout = {STATEMENT_TIMEOUT_MS}")
        cur.execute(_ROLE)
        out["role"] = cur.fetchone()
        cur.execute(_MEMBER_OF)
        out["member_of"] = [r[0] for r in cur.fetchall()]
        cur.execute(_DATABASES)
        out["databases"] = cur.fetchall()
        cur.execute(_TABLES)
        out["tables"] = cur.fetchone()
        cur.execute(_TABLE_NAMES)
        out["table_names"] = [r[0] for r in cur.fetchall()]
        cur.execute(_SCHEMAS_CREATE)
        out["schemas_create"] = (cur.fetchone() or (0,))[0]
    conn.rollback()
    out["seconds"] = round(time.monotonic() - started, 3)
    return out


def _widen(access: Access, reach: Reach) -> None:
    if access.reach is None or REACH_ORDER.index(reach) > REACH_ORDER.index(access.reach):
        access.reach = reach


def _conclude(target: Target, access: Access, rows: dict[str, Any]) -> None:
    role = rows.get("role")
    if not role:
        access.note("logged in, but the role is not in pg_roles")
        return
    name, superuser, createrole, createdb, replication, bypassrls, database, version = role
    access.identity = f"{name}@{target.host}:{target.port}"
    access.facts.update(database=database, server_version=str(version), superuser=bool(superuser))
    grants: list[str] = []
    caps: set[Capability] = set()
    if superuser:
        grants.append("SUPERUSER")
        caps |= {"read", "write", "delete", "admin"}
        _widen(access, "account")
        access.note("can read, change and drop every database on the server, create and alter roles, and run "
                    "programs on the server's host: a superuser")
    if createrole:
        grants.append("CREATEROLE")
        caps.add("admin")
        _widen(access, "account")
    if createdb:
        grants.append("CREATEDB")
        caps.add("write")
        _widen(access, "account")
    if replication:
        grants.append("REPLICATION")
        caps.add("read")
        _widen(access, "account")
    if bypassrls:
        grants.append("BYPASSRLS")
    # A superuser is a member of every role: its list says nothing more. pg_database_owner is
    # everyone who owns the current database (counted below).
    for member in [] if superuser else rows.get("member_of") or []:
        if member == "pg_database_owner":
            continue
        grants.append(str(member))
        if member in _ROLE_CAPS:
            caps |= _ROLE_CAPS[member]
            _widen(access, "account")

    databases = rows.get("databases") or []
    owned = [str(d[0]) for d in databases if d[1]]
    if owned and not superuser:
        grants += [f"owner of database {d}" for d in owned]
        caps |= {"read", "write", "delete"}
        _widen(access, "project")
        access.note(f"can read, change and drop database{'s' if len(owned) > 1 else ''} {', '.join(owned)}: "
                    "the owner")
    connectable = [str(d[0]) for d in databases if d[2]]
    access.facts["databases_connectable"] = len(connectable)

    total, readable, writable, deletable, owned_tables = rows.get("tables") or (0, 0, 0, 0, 0)
    creatable_schemas = int(rows.get("schemas_create") or 0)
    if readable:
        caps.add("read")
        grants.append(f"SELECT on {readable} of {total} table(s) in {database}")
    if writable:
        caps.add("write")
        grants.append(f"INSERT/UPDATE on {writable} table(s) in {database}")
    if deletable or owned_tables:
        caps.add("delete")
        if deletable:
            grants.append(f"DELETE/TRUNCATE on {deletable} table(s) in {database}")
        if owned_tables:
            grants.append(f"owner of {owned_tables} table(s) in {database} (may DROP them)")
    if creatable_schemas:
        caps.add("write")
        grants.append(f"CREATE in {creatable_schemas} schema(s) of {database}")
    if readable or writable or deletable or owned_tables or creatable_schemas:
        _widen(access, "resource")
    if not caps:
        caps.add("read")  # it can log in and read the catalog: every database's and table's name
        _widen(access, "resource")
        access.note(f"can log in and read the catalog of {database}, but holds no table privilege there")
    elif not superuser and not owned and not (set(caps) - {"read"}):
        access.note(f"can read {readable} table(s) in {database} and nothing else: a read-only role")
    access.capabilities |= caps
    access.grants = grants
    names = [f"database {d}" for d in owned] + [f"table {database}.{t}" for t in rows.get("table_names") or []]
    access.add_resources(names, total=len(owned) + int(total or 0) if names else None)


detector = PostgresDetector()
