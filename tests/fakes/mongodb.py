"""A MongoDB server on 127.0.0.1 that speaks the real wire protocol, for the real PyMongo driver.

No MongoDB server can be installed here from Debian's or PyPI's packages, so this fake answers what
a lookup sends, as the MongoDB documentation specifies it: OP_QUERY and OP_MSG messages (the
driver's first handshake still uses OP_QUERY), ``hello``/``isMaster`` with ``saslSupportedMechs``,
SCRAM-SHA-256 (RFC 5802/7677) through ``saslStart``/``saslContinue``, ``connectionStatus`` with
``showPrivileges`` and ``usersInfo``. A wrong password gets ``AuthenticationFailed`` (code 18), a
command it does not know ``CommandNotFound`` (code 59). Every command is recorded, so tests can
check that only read-only ones arrived.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import socketserver
import struct
import threading
from dataclasses import dataclass, field
from typing import Any

import bson

OP_REPLY, OP_QUERY, OP_MSG = 1, 2004, 2013
READ_ONLY_COMMANDS = frozenset({"hello", "ismaster", "saslstart", "saslcontinue", "connectionstatus", "usersinfo",
                                "ping", "endsessions", "buildinfo"})

_ANY_DB = {"db": "", "collection": ""}
_READ_ACTIONS = ["changeStream", "collStats", "dbHash", "dbStats", "find", "killCursors", "listCollections",
                 "listIndexes", "listSearchIndexes"]
_WRITE_ACTIONS = ["convertToCapped", "createCollection", "createIndex", "dropCollection", "dropIndex", "insert",
                  "remove", "renameCollectionSameDB", "update"]
_USER_ADMIN = ["changeCustomData", "changePassword", "createRole", "createUser", "dropRole", "dropUser",
               "grantRole", "revokeRole", "setAuthenticationRestriction", "viewRole", "viewUser"]


def role_privileges(role: str, db: str) -> list[dict[str, Any]]:
    """The privileges of MongoDB's built-in roles ("Built-In Roles"), as connectionStatus shows them."""
    if role == "root":
        return [
            {"resource": _ANY_DB, "actions": sorted(_READ_ACTIONS + _WRITE_ACTIONS + _USER_ADMIN + ["dropDatabase"])},
            {"resource": {"cluster": True}, "actions": ["listDatabases", "replSetConfigure", "shutdown",
                                                        "setParameter", "killop"]},
        ]
    if role == "dbOwner":
        return [{"resource": {"db": db, "collection": ""},
                 "actions": sorted(_READ_ACTIONS + _WRITE_ACTIONS + _USER_ADMIN + ["dropDatabase"])}]
    if role == "readWrite":
        return [{"resource": {"db": db, "collection": ""}, "actions": sorted(_READ_ACTIONS + _WRITE_ACTIONS)}]
    if role == "read":
        return [{"resource": {"db": db, "collection": ""}, "actions": list(_READ_ACTIONS)}]
    return []


@dataclass
class User:
    name: str
    db: str
    password: str
    roles: list[tuple[str, str]]  # (role, db)
    salt: bytes = field(default_factory=lambda: os.urandom(16))
    iterations: int = 15000

    def salted(self) -> bytes:
        return hashlib.pbkdf2_hmac("sha256", self.password.encode(), self.salt, self.iterations)


class _Conversation:
    def __init__(self, user: User, client_first_bare: str, client_nonce: str) -> None:
        self.user = user
        self.nonce = client_nonce + base64.b64encode(os.urandom(18)).decode()
        self.server_first = (f"r={self.nonce},s={base64.b64encode(user.salt).decode()},i={user.iterations}")
        self.client_first_bare = client_first_bare

    def finish(self, client_final: str) -> bytes | None:
        """The server-final message, or None when the proof is wrong."""
        parts = dict(p.split("=", 1) for p in client_final.split(",") if "=" in p)
        without_proof = client_final.rsplit(",p=", 1)[0]
        if parts.get("r") != self.nonce or "p" not in parts:
            return None
        auth_message = ",".join((self.client_first_bare, self.server_first, without_proof)).encode()
        salted = self.user.salted()
        client_key = hmac.digest(salted, b"Client Key", "sha256")
        stored_key = hashlib.sha256(client_key).digest()
        signature = hmac.digest(stored_key, auth_message, "sha256")
        proof = base64.b64decode(parts["p"])
        recovered = bytes(a ^ b for a, b in zip(proof, signature, strict=False))
        if not hmac.compare_digest(hashlib.sha256(recovered).digest(), stored_key):
            return None
        server_key = hmac.digest(salted, b"Server Key", "sha256")
        return b"v=" + base64.b64encode(hmac.digest(server_key, auth_message, "sha256"))


class FakeMongo:
    """``with FakeMongo(users) as server:`` listens on 127.0.0.1:``server.port``."""

    def __init__(self, users: list[User]) -> None:
        self.users = {(u.db, u.name): u for u in users}
        self.commands: list[str] = []
        self._lock = threading.Lock()
        self._server: socketserver.ThreadingTCPServer | None = None

    # Life cycle ---------------------------------------------------------------------------------

    def __enter__(self) -> FakeMongo:
        fake = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                fake._serve(self.request)

        socketserver.ThreadingTCPServer.allow_reuse_address = True
        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        # A short poll interval: shutdown() waits for it.
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    @property
    def port(self) -> int:
        assert self._server is not None
        return int(self._server.server_address[1])

    def assert_read_only(self) -> None:
        for name in self.commands:
            assert name.lower() in READ_ONLY_COMMANDS, f"not a read-only command: {name}"

    # The wire protocol ----------------------------------------------------------------------------

    def _serve(self, sock: Any) -> None:
        state: dict[str, Any] = {"user": None, "conversation": None}
        while True:
            header = _read_exactly(sock, 16)
            if header is None:
                return
            length, request_id, _, opcode = struct.unpack("<iiii", header)
            body = _read_exactly(sock, length - 16)
            if body is None:
                return
            if opcode == OP_QUERY:
                doc = _op_query_doc(body)
                reply = self._command(doc, state)
                payload = struct.pack("<iqii", 0, 0, 0, 1) + bson.encode(reply)
                sock.sendall(struct.pack("<iiii", 16 + len(payload), 1, request_id, OP_REPLY) + payload)
            elif opcode == OP_MSG:
                doc = _op_msg_doc(body)
                reply = self._command(doc, state)
                payload = struct.pack("<I", 0) + b"\x00" + bson.encode(reply)
                sock.sendall(struct.pack("<iiii", 16 + len(payload), 1, request_id, OP_MSG) + payload)
            else:
                return

    def _command(self, doc: dict[str, Any], state: dict[str, Any]) -> dict[str, Any]:
        name = next(iter(doc), "")
        with self._lock:
            self.commands.append(name)
        low = name.lower()
        if low in ("hello", "ismaster"):
            out: dict[str, Any] = {
                "isWritablePrimary": True, "ismaster": True, "helloOk": True, "maxBsonObjectSize": 16777216,
                "maxMessageSizeBytes": 48000000, "maxWriteBatchSize": 100000, "minWireVersion": 0,
                "maxWireVersion": 21, "readOnly": False, "connectionId": 1, "ok": 1.0,
            }
            mechs = doc.get("saslSupportedMechs")
            if isinstance(mechs, str) and "." in mechs and tuple(mechs.split(".", 1)) in self.users:
                out["saslSupportedMechs"] = ["SCRAM-SHA-256"]
            return out
        if low == "saslstart":
            return self._sasl_start(doc, state)
        if low == "saslcontinue":
            return self._sasl_continue(doc, state)
        if low == "connectionstatus":
            return self._connection_status(doc, state)
        if low == "usersinfo":
            return self._users_info(doc, state)
        if low in ("ping", "endsessions"):
            return {"ok": 1.0}
        return {"ok": 0.0, "errmsg": f"no such command: '{name}'", "code": 59, "codeName": "CommandNotFound"}

    def _sasl_start(self, doc: dict[str, Any], state: dict[str, Any]) -> dict[str, Any]:
        payload = bytes(doc.get("payload") or b"").decode()
        if doc.get("mechanism") != "SCRAM-SHA-256" or not payload.startswith("n,,"):
            return _auth_failed()
        bare = payload[3:]
        fields = dict(p.split("=", 1) for p in bare.split(",") if "=" in p)
        user = self.users.get((str(doc.get("$db")), fields.get("n", "").replace("=2C", ",").replace("=3D", "=")))
        if user is None:
            return _auth_failed()
        state["conversation"] = conv = _Conversation(user, bare, fields.get("r", ""))
        state["skip_empty"] = bool((doc.get("options") or {}).get("skipEmptyExchange"))
        return {"conversationId": 1, "done": False, "payload": bson.Binary(conv.server_first.encode()), "ok": 1.0}

    def _sasl_continue(self, doc: dict[str, Any], state: dict[str, Any]) -> dict[str, Any]:
        conv: _Conversation | None = state.get("conversation")
        if conv is None:
            return _auth_failed()
        payload = bytes(doc.get("payload") or b"").decode()
        if state.get("user") is conv.user and not payload:  # the empty closing exchange
            return {"conversationId": 1, "done": True, "payload": bson.Binary(b""), "ok": 1.0}
        final = conv.finish(payload)
        if final is None:
            state["conversation"] = None
            return _auth_failed()
        state["user"] = conv.user
        return {"conversationId": 1, "done": bool(state.get("skip_empty")), "payload": bson.Binary(final), "ok": 1.0}

    def _connection_status(self, doc: dict[str, Any], state: dict[str, Any]) -> dict[str, Any]:
        user: User | None = state.get("user")
        info: dict[str, Any] = {"authenticatedUsers": [], "authenticatedUserRoles": []}
        if user is not None:
            info["authenticatedUsers"] = [{"user": user.name, "db": user.db}]
            info["authenticatedUserRoles"] = [{"role": r, "db": d} for r, d in user.roles]
        if doc.get("showPrivileges"):
            roles = user.roles if user else []
            info["authenticatedUserPrivileges"] = [p for r, d in roles for p in role_privileges(r, d)]
        return {"authInfo": info, "ok": 1.0}

    def _users_info(self, doc: dict[str, Any], state: dict[str, Any]) -> dict[str, Any]:
        me: User | None = state.get("user")
        if me is None:
            return {"ok": 0.0, "errmsg": "command usersInfo requires authentication", "code": 13,
                    "codeName": "Unauthorized"}
        asked = doc.get("usersInfo")
        name = asked.get("user") if isinstance(asked, dict) else asked
        if name != me.name and not any(r == "root" for r, _ in me.roles):  # viewing others needs viewUser
            return {"ok": 0.0, "errmsg": "not authorized", "code": 13, "codeName": "Unauthorized"}
        user = self.users.get((me.db, str(name)))
        rows = [] if user is None else [{"_id": f"{user.db}.{user.name}", "user": user.name, "db": user.db,
                                         "roles": [{"role": r, "db": d} for r, d in user.roles],
                                         "mechanisms": ["SCRAM-SHA-256"]}]
        return {"users": rows, "ok": 1.0}


def _auth_failed() -> dict[str, Any]:
    return {"ok": 0.0, "errmsg": "Authentication failed.", "code": 18, "codeName": "AuthenticationFailed"}


def _read_exactly(sock: Any, n: int) -> bytes | None:
    buf = b""
    while len(buf) < n:
        try:
            chunk = sock.recv(n - len(buf))
        except OSError:
            return None
        if not chunk:
            return None
        buf += chunk
    return buf


def _op_query_doc(body: bytes) -> dict[str, Any]:
    end = body.index(b"\x00", 4)  # flags, then the collection name as a C string
    offset = end + 1 + 8  # numberToSkip, numberToReturn
    size = struct.unpack_from("<i", body, offset)[0]
    return bson.decode(body[offset:offset + size])


def _op_msg_doc(body: bytes) -> dict[str, Any]:
    flags = struct.unpack_from("<I", body, 0)[0]
    end = len(body) - (4 if flags & 1 else 0)
    offset = 4
    doc: dict[str, Any] = {}
    while offset < end:
        kind = body[offset]
        offset += 1
        size = struct.unpack_from("<i", body, offset)[0]
        if kind == 0:
            doc.update(bson.decode(body[offset:offset + size]))
        else:  # a document sequence: identifier, then documents
            section = body[offset + 4:offset + size]
            ident_end = section.index(b"\x00")
            ident = section[:ident_end].decode()
            docs, pos = [], ident_end + 1
            while pos < len(section):
                n = struct.unpack_from("<i", section, pos)[0]
                docs.append(bson.decode(section[pos:pos + n]))
                pos += n
            doc[ident] = docs
        offset += size
    return doc
