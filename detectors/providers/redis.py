"""Redis passwords in connection URLs (``redis://``, ``rediss://``; Upstash, Redis Cloud, Railway).

Lookup: redis-py over a socket tokenreach opened to the one address the host resolved to (TLS for
``rediss://`` verifies the name), then, as far as the user's own rights allow:

1. ``ACL WHOAMI`` (else the URL's user, or ``default``);
2. ``ACL GETUSER <user>``: the user's command, key and channel rules, read in order (Redis ACL
   documentation); the password hashes it also returns are never kept;
3. when GETUSER is refused (it needs ``@admin``): ``EVAL_RO`` of a fixed script that only calls
   ``redis.acl_check_cmd`` (Redis 7), which says whether the user may run a command without
   running it, for FLUSHALL, CONFIG SET, ACL SETUSER and GET/SET/DEL on one key ``SCAN`` shows;
4. else ``DBSIZE``: it can read.

``CONFIG`` and ``ACL SETUSER`` rights mean admin; ``FLUSHALL``/``FLUSHDB`` (which ignore key
patterns) mean delete on the whole server. No command that changes data is ever sent.
"""

from __future__ import annotations

import inspect
import secrets
import ssl
from typing import Any

from tokenreach.detectors.base import LookupUnavailable
from tokenreach.detectors.database import DatabaseDetector, Target, connect_socket, cut_at_deadline
from tokenreach.detectors.providers.credentials_url import url_pattern
from tokenreach.scanner.model import Access, Capability, Reach

PATTERNS = (
    url_pattern(
        "redis", "Redis", r"rediss?", ("redis",),
        ("REDIS_URL=redis://:p4ssW0rdR3dis@cache.acme.test:6379/0",
         "CACHE_URL=rediss://default:AbC123xyzQw9@eu1-fancy-owl-31337.upstash.test:6379"),
        ("REDIS_URL=redis://:xxx@cache:6379", "REDIS_URL=redis://cache.acme.test:6379/0"),
    ),
)

# The commands whose rights decide the verdict, with their ACL categories (COMMAND INFO, Redis 7).
_CATEGORIES: dict[str, frozenset[str]] = {
    "flushall": frozenset({"keyspace", "write", "slow", "dangerous"}),
    "flushdb": frozenset({"keyspace", "write", "slow", "dangerous"}),
    "config|set": frozenset({"admin", "slow", "dangerous"}),
    "acl|setuser": frozenset({"admin", "slow", "dangerous"}),
    "get": frozenset({"read", "string", "fast"}),
    "set": frozenset({"write", "string", "slow"}),
    "del": frozenset({"keyspace", "write", "slow"}),
}

# Checks rights without running anything: redis.acl_check_cmd only asks the ACL.
_PROBE = """
local function ok(...) if redis.acl_check_cmd(...) then return 1 else return 0 end end
local k, r = ARGV[1], ARGV[2]
return {ok('flushall'), ok('flushdb'), ok('config', 'set', 'maxmemory', '0'), ok('acl', 'setuser', 'tokenreach'),
        ok('get', k), ok('set', k, 'v'), ok('del', k), ok('get', r)}
"""


def allowed(command: str, rules: list[str]) -> bool:
    """Whether ``rules`` (GETUSER's ``commands`` string, split) let the user run ``command``:
    the last rule that names the command, one of its categories or everything decides."""
    cats = _CATEGORIES.get(command, frozenset())
    base = command.split("|", 1)[0]
    state = False
    for rule in rules:
        rule = rule.lower()
        if rule in ("allcommands", "+@all"):
            state = True
        elif rule in ("nocommands", "-@all"):
            state = False
        elif rule[:2] in ("+@", "-@"):
            if rule[2:] in cats:
                state = rule[0] == "+"
        elif rule[:1] in "+-" and rule[1:] in (command, base):
            state = rule[0] == "+"
    return state


def rules_access(user: dict[str, Any]) -> tuple[set[Capability], Reach | None, list[str]]:
    """(capabilities, reach, grants) from ACL GETUSER's answer (root rules and selectors)."""
    caps: set[Capability] = set()
    reach: Reach | None = None
    grants: list[str] = []
    rule_sets = [user] + [s for s in user.get("selectors") or [] if isinstance(s, dict)]
    for rs in rule_sets:
        commands = _text(rs.get("commands"))
        keys = _text(rs.get("keys"))
        flags = [_text(f) for f in user.get("flags") or []] if rs is user else []
        rules = commands.split()
        grants.append(f"commands {commands or '(none)'}")
        if keys:
            grants.append(f"keys {keys}")
        if rs is user and _text(rs.get("channels")):
            grants.append(f"channels {_text(rs.get('channels'))}")
        all_keys = "allkeys" in flags or any(k.lstrip("%RW") in ("~*",) for k in keys.split())
        any_keys = all_keys or bool(keys.split())
        if allowed("config|set", rules) or allowed("acl|setuser", rules):
            caps.add("admin")
            reach = "account"
        if allowed("flushall", rules) or allowed("flushdb", rules):
            caps |= {"delete", "write"}
            reach = "account"
        if any_keys:
            key_caps: set[Capability] = set()
            if allowed("get", rules):
                key_caps.add("read")
            if allowed("set", rules):
                key_caps.add("write")
            if allowed("del", rules):
                key_caps.add("delete")
            if key_caps:
                caps |= key_caps
                if reach != "account":
                    reach = "account" if all_keys else "project"
    return caps, reach, grants


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, list):
        return " ".join(_text(v) for v in value)
    return "" if value is None else str(value)


def _tls(target: Target) -> ssl.SSLContext | None:
    if target.scheme != "rediss":
        return None
    ctx = ssl.create_default_context()
    if target.params.get("ssl_cert_reqs", "").lower() in ("none", "cert_none"):
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    return ctx


def _client(target: Target, timers: list[Any]) -> Any:
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    class Pinned(redis.connection.Connection):
        """Connects to the resolved address, not to the name (and TLS-verifies the name)."""

        def _connect(self) -> Any:
            sock = connect_socket(target)
            timers.append(cut_at_deadline(sock, target.deadline))
            ctx = _tls(target)
            if ctx is not None:
                sock = ctx.wrap_socket(sock, server_hostname=target.host)
            sock.settimeout(self.socket_timeout)
            return sock

    timeout = min(10.0, target.remaining())
    # No CLIENT SETINFO: redis-py >= 7 takes driver_info=None for that, older ones lib_name=None.
    quiet: dict[str, Any] = ({"driver_info": None}
                             if "driver_info" in inspect.signature(redis.connection.AbstractConnection).parameters
                             else {"lib_name": None, "lib_version": None})
    pool = redis.ConnectionPool(
        connection_class=Pinned, host=target.host, port=target.port,
        username=target.user or None, password=target.password,
        socket_timeout=timeout, socket_connect_timeout=timeout, retry=Retry(NoBackoff(), 0),
        client_name=None, protocol=2, max_connections=1, **quiet,
    )
    return redis.Redis(connection_pool=pool)


class RedisDetector(DatabaseDetector):
    provider = "redis"
    title = "Redis"
    patterns = PATTERNS
    default_port = 6379
    reads = ('`ACL WHOAMI`, `ACL GETUSER`, else `redis.acl_check_cmd` in `EVAL_RO`, else `DBSIZE` (redis-py)')
    rotate_hint = ("change this user's password on the server the URL names (ACL SETUSER … resetpass >new, or "
                   "requirepass for the default user), and on every client that uses it")
    least_privilege = ("create an ACL user for the application limited to its own key prefix and the command "
                       "categories it needs (ACL SETUSER app on >… ~app:* +@read +@write -@dangerous), never the "
                       "default user with +@all")

    def inspect(self, target: Target, access: Access) -> Access:
        import redis

        timers: list[Any] = []
        try:
            client = _client(target, timers)
        except (redis.RedisError, OSError, ValueError):
            raise LookupUnavailable("could not connect") from None
        try:
            return _inspect(client, target, access)
        except redis.AuthenticationError:
            access.live, access.evidence = False, "api"
            return access.note(f"the server refused the password for {target.label}: wrong, changed or disabled")
        except redis.TimeoutError:
            raise LookupUnavailable("connection timed out") from None
        except redis.ConnectionError as exc:
            text = str(exc).lower()
            raise LookupUnavailable("connection refused" if "refused" in text else "could not connect") from None
        except redis.ResponseError as exc:
            if str(exc).upper().startswith(("NOAUTH", "WRONGPASS")):
                access.live, access.evidence = False, "api"
                return access.note(f"the server refused the password for {target.label}")
            raise LookupUnavailable(f"the server answered an error ({type(exc).__name__})") from None
        finally:
            for timer in timers:
                timer.cancel()
            try:
                client.close()
                client.connection_pool.disconnect()
            except Exception:
                pass


def _inspect(client: Any, target: Target, access: Access) -> Access:
    import redis

    try:
        user = _text(client.execute_command("ACL", "WHOAMI")) or target.user or "default"
    except redis.exceptions.NoPermissionError:
        user = target.user or "default"
    except redis.ResponseError:  # a server without ACLs (Redis < 6): the password is everything
        user = "default"
    access.live, access.evidence = True, "api"
    access.identity = f"{user}@{target.host}:{target.port}"
    try:
        raw = client.execute_command("ACL", "GETUSER", user)
    except redis.ResponseError:
        raw = None
    if isinstance(raw, (list, dict)):
        info = _pairs(raw)
        info.pop("passwords", None)  # hashes: never kept
        caps, reach, grants = rules_access(info)
        access.grants = grants
        _finish(access, caps, reach, "its ACL rules (ACL GETUSER)")
        return access
    probe = _probe(client)
    if probe is not None:
        flushall, flushdb, config, acl, get, set_, delete, other = probe
        caps = set()
        reach = None
        if config or acl:
            caps.add("admin")
            reach = "account"
        if flushall or flushdb:
            caps |= {"write", "delete"}
            reach = "account"
        if get:
            caps.add("read")
        if set_:
            caps.add("write")
        if delete:
            caps.add("delete")
        if (get or set_ or delete) and reach is None:
            reach = "account" if other else "project"
        access.grants = [name for name, ok in (("FLUSHALL", flushall), ("FLUSHDB", flushdb), ("CONFIG SET", config),
                                                ("ACL SETUSER", acl), ("GET", get), ("SET", set_), ("DEL", delete))
                         if ok]
        _finish(access, caps, reach, "redis.acl_check_cmd (ACL GETUSER is refused to it: no @admin)")
        return access
    try:
        client.execute_command("DBSIZE")
        access.capabilities.add("read")
        access.note("can read keys; ACL GETUSER and scripts are refused to it, so its write rights cannot be "
                    "read without writing (no @admin, no @dangerous, no @scripting)")
    except redis.ResponseError:
        access.note("logged in, but may run none of ACL GETUSER, EVAL_RO or DBSIZE")
        access.capabilities.add("read")
    return access


def _pairs(raw: Any) -> dict[str, Any]:
    if isinstance(raw, dict):
        return {_text(k): v for k, v in raw.items()}
    return {_text(raw[i]): raw[i + 1] for i in range(0, len(raw) - 1, 2)}


def _probe(client: Any) -> list[int] | None:
    import redis

    key = ""
    try:
        _, keys = client.execute_command("SCAN", "0", "COUNT", "50")
        key = _text(keys[0]) if keys else ""
    except (redis.ResponseError, TypeError, ValueError, IndexError):
        pass
    other = "tokenreach:reach-probe:" + secrets.token_hex(8)
    try:
        out = client.execute_command("EVAL_RO", _PROBE, "0", key or other, other)
    except redis.ResponseError:
        return None
    if not isinstance(out, list) or len(out) != 8:
        return None
    result = [1 if v else 0 for v in out]
    if not key:  # no key seen: whether it may touch keys is not known from a made-up one
        result[4:7] = [result[7]] * 3
    return result


def _finish(access: Access, caps: set[Capability], reach: Reach | None, source: str) -> None:
    access.capabilities |= caps or {"read"}
    if reach in ("account", "project"):
        access.reach = reach
    if "admin" in caps and "delete" in caps:
        access.note("can run FLUSHALL and CONFIG: erase every key on the server and reconfigure it")
    elif "delete" in caps and reach == "account":
        access.note("can run FLUSHALL/FLUSHDB: erase every key on the server")
    elif "admin" in caps:
        access.note("can run CONFIG or ACL SETUSER: reconfigure the server and its users")
    elif caps >= {"write", "delete"}:
        access.note("can change and delete the keys it may touch, but not FLUSHALL or CONFIG")
    access.note(f"rights from {source}")


detector = RedisDetector()
