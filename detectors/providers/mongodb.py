"""MongoDB passwords in connection URLs (``mongodb://``, ``mongodb+srv://``; Atlas and self-hosted).

Lookup: PyMongo with ``directConnection`` to one server, pinned to the one address its host
resolved to (PyMongo has no option for that, so its connection function is wrapped once: a
connection to an address this module did not check is refused; TLS still verifies the name).
For ``mongodb+srv://`` the SRV and TXT records are read here (dnspython, within the deadline) and
the first server the SRV record names is checked like any host. Then two read-only commands:
``connectionStatus`` with ``showPrivileges`` (the roles and every privilege the login holds) and
``usersInfo`` for the user itself. Privileges map onto the model: ``anyResource`` or a resource on
every database (``db: ""``) or the cluster is the whole deployment (account), one database is a
project, one collection a resource.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from tokenreach.detectors.base import LookupUnavailable
from tokenreach.detectors.database import (
    DatabaseDetector,
    PrivateHost,
    Target,
    address_kind,
    resolve_all,
)
from tokenreach.detectors.providers.credentials_url import url_pattern
from tokenreach.scanner.model import REACH_ORDER, Access, Capability, Reach

PATTERNS = (
    url_pattern(
        "mongodb", "MongoDB", r"mongodb(?:\+srv)?", ("mongodb",),
        ("MONGO_URI=mongodb+srv://atlasAdmin:Rq8xYp2Lz5Kv@cluster0.ab1cd.mongodb.test/prod?retryWrites=true",
         "mongodb://reader:Tz6Hb3Nq9Wd@mongo-0.acme.test:27017,mongo-1.acme.test:27017/app"),
        ("mongodb://admin:****@mongo.acme.test/app",),
    ),
)

# Privilege actions (MongoDB "Privilege Actions") by what they let a user do.
_READ = frozenset({"find", "listCollections", "listDatabases", "listIndexes", "dbStats", "collStats",
                   "changeStream", "dbHash", "listSearchIndexes", "planCacheRead", "killCursors"})
_WRITE = frozenset({"insert", "update", "createCollection", "createIndex", "bypassDocumentValidation",
                    "renameCollectionSameDB", "convertToCapped", "collMod", "compact", "reIndex",
                    "createSearchIndexes", "updateSearchIndex", "enableProfiler"})
_DELETE = frozenset({"remove", "dropCollection", "dropDatabase", "dropIndex", "dropSearchIndex"})
_ADMIN = frozenset({"anyAction", "createUser", "dropUser", "updateUser", "grantRole", "revokeRole", "createRole",
                    "dropRole", "updateRole", "changePassword", "changeCustomData", "setAuthenticationRestriction",
                    "shutdown", "setParameter", "replSetConfigure", "addShard", "removeShard", "enableSharding",
                    "internal", "impersonate", "grantRolesToUser", "revokeRolesFromUser", "dropAllUsersFromDatabase",
                    "dropAllRolesFromDatabase", "invalidateUserCache", "setFeatureCompatibilityVersion",
                    "applicationMessage", "logRotate", "fsync", "killop", "killAnySession"})
_SERVER_ROLES = frozenset({"root", "__system", "readAnyDatabase", "readWriteAnyDatabase", "userAdminAnyDatabase",
                           "dbAdminAnyDatabase", "clusterAdmin", "clusterManager", "backup", "restore"})


def _resource_reach(resource: Any) -> Reach:
    if not isinstance(resource, dict):
        return "account"
    if resource.get("anyResource") or resource.get("cluster"):
        return "account"
    db = str(resource.get("db") or "")
    if not db:
        return "account"
    return "project" if not resource.get("collection") else "resource"


def privileges_access(privileges: list[Any]) -> tuple[set[Capability], Reach | None, list[str]]:
    """(capabilities, reach, resources) of connectionStatus's authenticatedUserPrivileges."""
    caps: set[Capability] = set()
    reach: Reach | None = None
    names: list[str] = []
    for priv in privileges:
        if not isinstance(priv, dict):
            continue
        actions = {str(a) for a in priv.get("actions") or []}
        these: set[Capability] = set()
        if "anyAction" in actions:
            these |= {"read", "write", "delete", "admin"}
        if actions & _READ:
            these.add("read")
        if actions & _WRITE:
            these.add("write")
        if actions & _DELETE:
            these.add("delete")
        if actions & _ADMIN:
            these.add("admin")
        if not these:
            continue
        caps |= these
        resource = priv.get("resource")
        r = _resource_reach(resource)
        if reach is None or REACH_ORDER.index(r) > REACH_ORDER.index(reach):
            reach = r
        if r != "account" and isinstance(resource, dict):
            name = str(resource.get("db"))
            if resource.get("collection"):
                name += "." + str(resource.get("collection"))
            label = ("collection " if resource.get("collection") else "database ") + name
            if label not in names:
                names.append(label)
    return caps, reach, names


# Pinning PyMongo to checked addresses ----------------------------------------------------------

# (host, port) → (checked address, lookups using it): two lookups of one server share the pin.
_pins: dict[tuple[str, int], tuple[str, int]] = {}
_pins_lock = threading.Lock()
_wrapped = False


def _pin_connections() -> None:
    """Wrap PyMongo's connection function once: every connection goes to the address this module
    resolved and checked for its (host, port), and one to any other (host, port) is refused."""
    global _wrapped
    with _pins_lock:
        if _wrapped:
            return
        try:
            import pymongo.pool_shared as shared
        except ImportError:
            raise LookupUnavailable("this PyMongo cannot be pinned to a checked address") from None
        original = getattr(shared, "_create_connection", None)
        if original is None:
            raise LookupUnavailable("this PyMongo cannot be pinned to a checked address")

        def pinned(address: Any, options: Any) -> Any:
            host, port = address
            with _pins_lock:
                ip, _ = _pins.get((str(host).strip("[]").lower(), int(port)), (None, 0))
            if ip is None:
                raise OSError("tokenreach: refused a connection to an address it did not check")
            return original((ip, port), options)

        shared._create_connection = pinned
        _wrapped = True


def _srv_target(target: Target) -> tuple[str, int, dict[str, str]]:
    """The first server a ``mongodb+srv`` record names, and the TXT record's options."""
    import dns.exception
    import dns.resolver

    from tokenreach.detectors.database import RESERVED_SUFFIXES

    if ("." + target.host).endswith(RESERVED_SUFFIXES):
        raise PrivateHost(f"{target.host} does not resolve publicly (a reserved name, RFC 6761)")
    parent = target.host.split(".", 1)[1] if target.host.count(".") >= 2 else target.host
    wait = target.remaining()
    try:
        answers = dns.resolver.resolve(f"_mongodb._tcp.{target.host}", "SRV", lifetime=wait)
    except dns.resolver.NXDOMAIN:
        raise PrivateHost(f"{target.host} has no SRV record") from None
    except (dns.exception.DNSException, OSError):
        raise LookupUnavailable("DNS lookup failed (SRV)") from None
    servers = sorted((r.priority, -r.weight, str(r.target).rstrip(".").lower(), int(r.port)) for r in answers)
    # The MongoDB SRV specification: every server must be in the record's parent domain.
    servers = [s for s in servers if s[2].endswith("." + parent)]
    if not servers:
        raise LookupUnavailable("the SRV record names no server in its own domain")
    options: dict[str, str] = {}
    try:
        for record in dns.resolver.resolve(target.host, "TXT", lifetime=max(0.5, target.remaining())):
            text = b"".join(record.strings).decode("ascii", "replace")
            for part in text.split("&"):
                key, _, value = part.partition("=")
                if key.lower() == "authsource":
                    options["authsource"] = value
    except (dns.exception.DNSException, OSError):
        pass
    return servers[0][2], servers[0][3], options


class MongoDBDetector(DatabaseDetector):
    provider = "mongodb"
    title = "MongoDB"
    patterns = PATTERNS
    default_port = 27017
    reads = ('`connectionStatus` with `showPrivileges`, `usersInfo` (PyMongo)')
    rotate_hint = ("change this user's password on the deployment the URL names (db.changeUserPassword, or the "
                   "Atlas database access page), and on every client that uses it")
    least_privilege = ("create a database user for the application with readWrite (or read) on its own database "
                       "only, never root, dbOwner or an AnyDatabase role")

    def lookup(self, token: Any, http: Any, offline: Access) -> Access:
        target_scheme = (token.extras.get("scheme") or "").lower()
        if target_scheme != "mongodb+srv":
            return super().lookup(token, http, offline)
        # mongodb+srv: the server comes from DNS, then is checked like any host.
        from tokenreach.detectors.database import PRIVATE_HOST, target_of

        target = target_of(token, self.default_port, http.deadline)
        try:
            host, port, options = _srv_target(target)
            target.params = {**options, **target.params}
            target.host, target.port = host, port
            addresses = resolve_all(host, port, target.deadline - time.monotonic())
            if not http.allow_private_hosts:
                bad = [a for a in addresses if address_kind(a) != "public"]
                if bad:
                    raise PrivateHost(f"{host} resolves to a {address_kind(bad[0])} address")
            target.address = addresses[0]
        except PrivateHost as exc:
            offline.facts["not_looked_up"] = "private host"
            return offline.unknown(f"{PRIVATE_HOST}: {exc}")
        http.take_budget()
        offline.facts["address"] = target.address
        target.params.setdefault("tls", "true")
        return self.inspect(target, offline)

    def inspect(self, target: Target, access: Access) -> Access:
        import pymongo
        from pymongo import errors

        _pin_connections()
        key = (target.host.lower(), target.port)
        with _pins_lock:
            pinned, sharing = _pins.get(key, (target.address, 0))
            if pinned != target.address:  # another lookup checked another answer: wait for no one
                raise LookupUnavailable("the host resolved to another address for a concurrent lookup")
            _pins[key] = (pinned, sharing + 1)
        auth_source = target.params.get("authsource") or target.database or "admin"
        tls = target.params.get("tls", target.params.get("ssl", "")).lower() == "true"
        wait_ms = int(min(10.0, target.remaining()) * 1000)
        client: pymongo.MongoClient[dict[str, Any]] | None = None
        try:
            client = pymongo.MongoClient(
                host=f"[{target.host}]" if ":" in target.host else target.host, port=target.port,
                username=target.user, password=target.password, authSource=auth_source,
                directConnection=True, tls=tls, connect=False, maxPoolSize=1,
                serverSelectionTimeoutMS=wait_ms, connectTimeoutMS=wait_ms, socketTimeoutMS=wait_ms,
                retryReads=False, retryWrites=False, appname="tokenreach read-only lookup",
            )
            with pymongo.timeout(max(1.0, target.remaining())):
                status = client[auth_source].command("connectionStatus", showPrivileges=True)
                try:
                    users = client[auth_source].command("usersInfo", {"user": target.user, "db": auth_source})
                except errors.OperationFailure:
                    users = {}
        except errors.OperationFailure as exc:
            if exc.code == 18 or "authentication failed" in str(exc).lower():
                access.live, access.evidence = False, "api"
                return access.note(f"the server refused the password for {target.label}: wrong or changed")
            raise LookupUnavailable(f"the server refused a read-only command (code {exc.code})") from None
        except errors.PyMongoError as exc:
            if "authentication failed" in str(exc).lower():
                access.live, access.evidence = False, "api"
                return access.note(f"the server refused the password for {target.label}: wrong or changed")
            timed_out = isinstance(exc, (errors.ServerSelectionTimeoutError, errors.ExecutionTimeout,
                                         errors.NetworkTimeout))
            raise LookupUnavailable("connection timed out" if timed_out else "could not connect") from None
        finally:
            if client is not None:
                client.close()
            with _pins_lock:
                pinned, sharing = _pins.get(key, (target.address, 1))
                if sharing <= 1:
                    _pins.pop(key, None)
                else:
                    _pins[key] = (pinned, sharing - 1)
        access.live, access.evidence = True, "api"
        _conclude(target, access, status, users)
        return access


def _conclude(target: Target, access: Access, status: Any, users: Any) -> None:
    info = status.get("authInfo") if isinstance(status, dict) else None
    info = info if isinstance(info, dict) else {}
    who = next((u for u in info.get("authenticatedUsers") or [] if isinstance(u, dict)), {})
    user = str(who.get("user") or target.user)
    access.identity = f"{user}@{target.host}:{target.port}"
    roles = [r for r in info.get("authenticatedUserRoles") or [] if isinstance(r, dict)]
    access.grants = [f"{r.get('role')}@{r.get('db')}" for r in roles]
    caps, reach, names = privileges_access(list(info.get("authenticatedUserPrivileges") or []))
    if not caps and any(str(r.get("role")) in _SERVER_ROLES for r in roles):
        caps, reach = {"read"}, "account"  # privileges not shown: at least its role's read
    access.capabilities |= caps or {"read"}
    access.reach = reach or "resource"
    access.add_resources(names)
    rows = users.get("users") if isinstance(users, dict) else None
    if isinstance(rows, list) and rows and isinstance(rows[0], dict):
        access.facts["mechanisms"] = [str(m) for m in rows[0].get("mechanisms") or []]
    if reach == "account" and {"admin", "delete"} <= caps:
        access.note("can read, change and drop every database of the deployment and manage its users: "
                    + ", ".join(access.grants))
    elif reach == "project" and "delete" in caps:
        access.note(f"can read, change and drop {', '.join(names)}")
    elif caps == {"read"}:
        access.note(f"can read {', '.join(names) or 'what its roles allow'} and nothing else: read-only")


detector = MongoDBDetector()
