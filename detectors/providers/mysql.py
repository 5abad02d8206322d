"""MySQL and MariaDB passwords in connection URLs (``mysql://``, ``mariadb://``, SQLAlchemy's
``mysql+driver://``).

Lookup: PyMySQL over a socket tokenreach opened to the one address the host resolved to (TLS, when
the URL asks for it, verifies the name), then ``SHOW GRANTS`` and ``CURRENT_USER()``, in a
read-only transaction with a statement time limit. Each grant's privileges map onto the model:
``*.*`` is the whole server (account), ``db.*`` one database (project), ``db.table`` one table
(resource). Grant lines are kept as "privileges ON object": the ``IDENTIFIED BY PASSWORD`` hash
some servers print in them is never kept.
"""

from __future__ import annotations

import re
import ssl
from typing import Any

from tokenreach.detectors.base import LookupUnavailable
from tokenreach.detectors.database import DatabaseDetector, Target, connect_socket, deadline_guard
from tokenreach.detectors.providers.credentials_url import url_pattern
from tokenreach.scanner.model import REACH_ORDER, Access, Capability, Reach

PATTERNS = (
    url_pattern(
        "mysql", "MySQL or MariaDB", r"(?:mysql|mariadb)(?:\+[a-z0-9]+)?", ("mysql", "mariadb"),
        ("MYSQL_URL=mysql://root:S3cr3tRo0t!@mysql.acme.test:3306/shop",
         "engine = create_engine('mysql+pymysql://shop:Jq4Wx8Pz2Lk@db.acme.test/shop')",
         "DATABASE_URL=mariadb://app:Vb7Nm3Qx9Lp@maria.acme.test/app"),
        ("mysql://root:<password>@localhost/shop", "mysql://root:%s@%s/shop",
         "DATABASE_URL=mariadb://app:changeme@maria.acme.test/app"),
    ),
)

# Privileges (MySQL "Privileges Provided", MariaDB "GRANT") by what they let a user do.
_READ = frozenset({"SELECT", "SHOW VIEW", "SHOW DATABASES"})
_WRITE = frozenset({"INSERT", "UPDATE", "CREATE", "ALTER", "INDEX", "CREATE VIEW", "CREATE ROUTINE",
                    "ALTER ROUTINE", "EXECUTE", "TRIGGER", "EVENT", "LOCK TABLES", "CREATE TEMPORARY TABLES",
                    "REFERENCES", "CREATE TABLESPACE"})
_DELETE = frozenset({"DELETE", "DROP", "DELETE HISTORY"})
_NOTHING = frozenset({"USAGE"})
_ALL = frozenset({"ALL", "ALL PRIVILEGES"})
_GRANT = re.compile(r"^GRANT (?P<privs>.+?) ON (?P<object>(?:(?:FUNCTION|PROCEDURE|PACKAGE(?: BODY)?) )?\S+) TO ")
_ROLE_GRANT = re.compile(r"^GRANT (?P<roles>.+?) TO ")


def _split_privileges(text: str) -> list[str]:
    """``SELECT (a, b), INSERT`` → ["SELECT", "INSERT"] (column lists dropped)."""
    out: list[str] = []
    cur: list[str] = []
    depth = 0
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "," and depth == 0:
            out.append("".join(cur))
            cur = []
            continue
        if depth == 0 and ch != ")":
            cur.append(ch)
    out.append("".join(cur))
    return [" ".join(p.split()).upper() for p in out if p.strip()]


def _object_reach(obj: str) -> Reach:
    obj = obj.split(" ")[-1]
    if obj in ("*.*", "*"):
        return "account"
    return "project" if obj.endswith(".*") else "resource"


def grant_access(lines: list[str]) -> tuple[set[Capability], Reach | None, list[str], list[str]]:
    """(capabilities, reach, grants as "privileges ON object", databases and tables) of SHOW GRANTS."""
    caps: set[Capability] = set()
    reach: Reach | None = None
    grants: list[str] = []
    objects: list[str] = []
    for line in lines:
        line = " ".join(str(line).split())
        m = _GRANT.match(line)
        if m is None:
            roles = _ROLE_GRANT.match(line)
            if roles:  # GRANT `role` TO user: the role's own grants are not listed here
                grants.append("role " + roles.group("roles").replace("`", ""))
            continue
        privs = _split_privileges(m.group("privs"))
        obj = m.group("object").replace("`", "")
        with_grant = line.upper().endswith("WITH GRANT OPTION")
        these: set[Capability] = set()
        for p in privs:
            if p in _NOTHING:
                continue
            if p in _ALL:
                these |= {"read", "write", "delete"}
                if _object_reach(obj) == "account":
                    these.add("admin")
            elif p in _READ:
                these.add("read")
            elif p in _WRITE:
                these.add("write")
            elif p in _DELETE:
                these.add("delete")
            elif p == "PROXY":
                these.add("admin")
            else:  # SUPER, FILE, CREATE USER, RELOAD, SHUTDOWN, REPLICATION …: server administration
                these.add("admin")
        if with_grant and these:
            these.add("admin")
        shown = ", ".join(privs) + f" ON {obj}" + (" WITH GRANT OPTION" if with_grant else "")
        grants.append(shown)
        if not these:
            continue
        caps |= these
        r = "account" if "PROXY" in privs else _object_reach(obj)
        if reach is None or REACH_ORDER.index(r) > REACH_ORDER.index(reach):
            reach = r
        if r != "account":
            objects.append(("database " if r == "project" else "table ") + obj.removesuffix(".*"))
    return caps, reach, grants, objects


class MySQLDetector(DatabaseDetector):
    provider = "mysql"
    title = "MySQL/MariaDB"
    patterns = PATTERNS
    default_port = 3306
    reads = ('`SHOW GRANTS`, `CURRENT_USER()` (PyMySQL)')
    rotate_hint = ("change this user's password on the server the URL names (ALTER USER … IDENTIFIED BY), "
                   "and on every client that uses it")
    least_privilege = ("create a user for the application with only the privileges it needs on its own "
                       "database (GRANT SELECT, INSERT, UPDATE ON app.* TO …), never ALL ON *.* or root")

    def inspect(self, target: Target, access: Access) -> Access:
        conn = _connect(target, access)
        if conn is None:
            return access
        try:
            with deadline_guard(_fileno(conn), target.deadline):
                user, version, lines = _read_grants(conn)
        except LookupUnavailable:
            raise
        except Exception as exc:  # the login worked: live, the grants unread
            access.live, access.evidence = True, "api"
            return access.note(f"logged in, but SHOW GRANTS failed ({type(exc).__name__})")
        finally:
            try:
                conn.close()
            except Exception:
                pass
        access.live, access.evidence = True, "api"
        access.identity = f"{user} on {target.host}:{target.port}" if user else target.label
        access.facts["server_version"] = version
        caps, reach, grants, objects = grant_access(lines)
        access.grants = grants
        access.capabilities |= caps or {"read"}
        access.reach = reach or "resource"
        access.add_resources(objects)
        if reach == "account" and "admin" in caps:
            access.note("can read, change and drop every database on the server and manage its users: "
                        "privileges on *.* with administration")
        elif reach == "account":
            access.note("privileges on *.*: every database on the server")
        elif "delete" in caps:
            access.note(f"can read, change and drop {', '.join(objects)}")
        elif caps == {"read"}:
            access.note(f"can read {', '.join(objects) or 'what it is granted'} and nothing else: read-only")
        elif not caps:
            access.note("can log in and nothing more (USAGE only)")
        return access


def _fileno(conn: Any) -> int | None:
    try:
        return int(conn._sock.fileno())
    except Exception:
        return None


def _tls(target: Target) -> ssl.SSLContext | None:
    mode = (target.params.get("ssl-mode") or target.params.get("sslmode") or "").upper().replace("-", "_")
    wanted = mode in ("REQUIRED", "VERIFY_CA", "VERIFY_IDENTITY") or target.params.get("ssl") in ("true", "1")
    if not wanted:
        return None
    ctx = ssl.create_default_context()
    if mode == "REQUIRED":  # encrypt, do not verify (MySQL's own meaning of REQUIRED)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    elif mode == "VERIFY_CA":
        ctx.check_hostname = False
    return ctx


def _connect(target: Target, access: Access) -> Any:
    """A PyMySQL connection over our own socket, or None with ``access`` settled."""
    import pymysql

    database = target.database
    for attempt in (database, None) if database else (None,):
        timeout = max(1, int(min(10.0, target.remaining())))
        conn = pymysql.connect(
            host=target.host, port=target.port, user=target.user or "", password=target.password,
            database=attempt, connect_timeout=timeout, read_timeout=timeout, write_timeout=timeout,
            ssl=_tls(target), defer_connect=True, autocommit=False, charset="utf8mb4",
            program_name="tokenreach read-only lookup",
        )
        try:
            conn.connect(sock=connect_socket(target))
            return conn
        except pymysql.err.OperationalError as exc:
            code = exc.args[0] if exc.args else None
            if code == 1045:
                access.live, access.evidence = False, "api"
                access.note(f"the server refused the password for {target.label}: wrong or changed")
                return None
            if code in (1044, 1049) and attempt is not None:
                access.note(f"database {attempt} is not open to this user there; reading its grants without it")
                continue
            raise LookupUnavailable(_failure(code)) from None
        except (OSError, pymysql.err.MySQLError) as exc:
            raise LookupUnavailable(_failure(None, exc)) from None
    raise LookupUnavailable("could not connect")


def _failure(code: int | None, exc: BaseException | None = None) -> str:
    if code == 1130:
        return "the server refuses connections from this host"
    if isinstance(exc, TimeoutError) or "timed out" in str(exc or "").lower():
        return "connection timed out"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, ssl.SSLError):
        return "TLS failed"
    return f"could not connect (MySQL error {code})" if code else "could not connect"


def _read_grants(conn: Any) -> tuple[str, str, list[str]]:
    with conn.cursor() as cur:
        for limit in ("SET SESSION max_statement_time = 5",  # MariaDB, seconds
                      "SET SESSION MAX_EXECUTION_TIME = 5000"):  # MySQL, milliseconds
            try:
                cur.execute(limit)
            except Exception:
                pass
        cur.execute("START TRANSACTION READ ONLY")
        cur.execute("SELECT CURRENT_USER(), VERSION()")
        user, version = cur.fetchone() or ("", "")
        cur.execute("SHOW GRANTS")
        lines = [str(r[0]) for r in cur.fetchall()]
        cur.execute("ROLLBACK")
    return str(user), str(version), lines


detector = MySQLDetector()
