"""Reading (never verifying) macaroons: their caveats say what a token was minted for.

Two wire formats are in use by the providers tokenreach knows:

- **libmacaroons v2 binary** (PyPI, via pymacaroons): a version byte ``2``, then fields of
  ``type varint, length varint, data``; the macaroon's location and identifier, an end marker,
  each caveat's [location] identifier [verification id] and end marker, a second end marker and
  the signature.
- **Fly.io** (``superfly/macaroon`` ``macaroon.go``, ``caveat_set.go``, ``nonce.go``): a
  MessagePack array ``[nonce, location, caveats, tail]`` where the nonce is
  ``[kid, rnd(, proof)]`` and the caveats are one flat array alternating caveat type and body;
  structs are encoded as arrays in field order.

Every decoder here returns ``None`` (or an empty list) for input it cannot read and never
raises: scanned repositories are hostile input. Nothing here checks a signature; a macaroon's
holder can always add caveats, never remove them, so the decoded caveats are exactly the
restrictions the token carries.
"""

from __future__ import annotations

import base64
import binascii
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

# Guards against hostile input: nesting depth and number of elements one value may claim.
_MAX_DEPTH = 24
_MAX_ITEMS = 10_000


def b64decode_loose(text: str) -> bytes | None:
    """Standard or URL-safe base64, padding optional; None when it is neither."""
    text = text.strip()
    if not text:
        return None
    padded = text + "=" * (-len(text) % 4)
    alt = b"-_" if ("-" in text or "_" in text) else b"+/"
    try:
        return base64.b64decode(padded, altchars=alt, validate=True)
    except (binascii.Error, ValueError):
        return None


# libmacaroons v2 binary --------------------------------------------------------------------

_EOS, _LOCATION, _IDENTIFIER, _VID, _SIGNATURE = 0, 1, 2, 4, 6


@dataclass(frozen=True)
class Caveat:
    """A libmacaroons caveat: first-party when it has no verification id."""

    identifier: bytes
    location: str | None = None
    vid: bytes | None = None

    @property
    def third_party(self) -> bool:
        return self.vid is not None

    def text(self) -> str | None:
        try:
            return self.identifier.decode("utf-8")
        except UnicodeDecodeError:
            return None


@dataclass(frozen=True)
class Macaroon:
    location: str
    identifier: bytes
    caveats: tuple[Caveat, ...]


class _Malformed(Exception):
    pass


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if pos >= len(data) or shift > 63:
            raise _Malformed
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, pos
        shift += 7


def _field(data: bytes, pos: int) -> tuple[int, bytes, int]:
    """(type, payload, next position); the end-of-section marker has an empty payload."""
    ftype, pos = _varint(data, pos)
    if ftype == _EOS:
        return ftype, b"", pos
    length, pos = _varint(data, pos)
    if pos + length > len(data):
        raise _Malformed
    return ftype, data[pos:pos + length], pos + length


def decode_v2(data: bytes) -> Macaroon | None:
    """A libmacaroons v2 binary macaroon, or None when ``data`` is not one."""
    try:
        return _decode_v2(data)
    except (_Malformed, UnicodeDecodeError):
        return None


def _decode_v2(data: bytes) -> Macaroon:
    if len(data) < 2 or data[0] != 2:
        raise _Malformed
    pos = 1
    ftype, payload, pos = _field(data, pos)
    location = ""
    if ftype == _LOCATION:
        location = payload.decode("utf-8")
        ftype, payload, pos = _field(data, pos)
    if ftype != _IDENTIFIER:
        raise _Malformed
    identifier = payload
    ftype, _, pos = _field(data, pos)
    if ftype != _EOS:
        raise _Malformed
    caveats: list[Caveat] = []
    while True:
        ftype, payload, pos = _field(data, pos)
        if ftype == _EOS:  # end of the caveat section
            break
        cav_location = None
        if ftype == _LOCATION:
            cav_location = payload.decode("utf-8")
            ftype, payload, pos = _field(data, pos)
        if ftype != _IDENTIFIER:
            raise _Malformed
        cav_id = payload
        vid = None
        ftype, payload, pos = _field(data, pos)
        if ftype == _VID:
            vid = payload
            ftype, payload, pos = _field(data, pos)
        if ftype != _EOS:
            raise _Malformed
        caveats.append(Caveat(cav_id, cav_location, vid))
        if len(caveats) > _MAX_ITEMS:
            raise _Malformed
    ftype, _, pos = _field(data, pos)
    if ftype != _SIGNATURE:
        raise _Malformed
    return Macaroon(location, identifier, tuple(caveats))


def encode_v2(location: str, identifier: bytes, caveats: Sequence[bytes], signature: bytes) -> bytes:
    """A v2 binary macaroon with first-party caveats (for building synthetic test tokens)."""

    def varint(n: int) -> bytes:
        out = bytearray()
        while True:
            byte = n & 0x7F
            n >>= 7
            out.append(byte | (0x80 if n else 0))
            if not n:
                return bytes(out)

    def field(ftype: int, payload: bytes) -> bytes:
        return varint(ftype) + varint(len(payload)) + payload

    out = bytearray([2])
    out += field(_LOCATION, location.encode()) + field(_IDENTIFIER, identifier) + b"\0"
    for cav in caveats:
        out += field(_IDENTIFIER, cav) + b"\0"
    out += b"\0" + field(_SIGNATURE, signature)
    return bytes(out)


# MessagePack (the subset Fly.io's Go encoder emits, read defensively) ------------------------


def unpack(data: bytes) -> Any:
    """One MessagePack value, or None when ``data`` is not exactly one readable value."""
    try:
        value, end = _unpack(data, 0, 0)
    except (_Malformed, UnicodeDecodeError, struct.error, RecursionError):
        return None
    return value if end == len(data) else None


def _take(data: bytes, pos: int, n: int) -> tuple[bytes, int]:
    if n < 0 or pos + n > len(data):
        raise _Malformed
    return data[pos:pos + n], pos + n


def _uint(data: bytes, pos: int, n: int) -> tuple[int, int]:
    raw, pos = _take(data, pos, n)
    return int.from_bytes(raw, "big"), pos


def _unpack(data: bytes, pos: int, depth: int) -> tuple[Any, int]:
    if depth > _MAX_DEPTH or pos >= len(data):
        raise _Malformed
    b = data[pos]
    pos += 1
    if b <= 0x7F:
        return b, pos
    if b >= 0xE0:
        return b - 0x100, pos
    if 0xA0 <= b <= 0xBF:
        raw, pos = _take(data, pos, b & 0x1F)
        return raw.decode("utf-8"), pos
    if 0x90 <= b <= 0x9F:
        return _array(data, pos, b & 0x0F, depth)
    if 0x80 <= b <= 0x8F:
        return _map(data, pos, b & 0x0F, depth)
    if b == 0xC0:
        return None, pos
    if b in (0xC2, 0xC3):
        return b == 0xC3, pos
    if b in (0xC4, 0xC5, 0xC6):  # bin 8/16/32
        n, pos = _uint(data, pos, 1 << (b - 0xC4))
        return _take(data, pos, n)
    if b in (0xD9, 0xDA, 0xDB):  # str 8/16/32
        n, pos = _uint(data, pos, 1 << (b - 0xD9))
        raw, pos = _take(data, pos, n)
        return raw.decode("utf-8"), pos
    if b in (0xCC, 0xCD, 0xCE, 0xCF):  # uint 8..64
        return _uint(data, pos, 1 << (b - 0xCC))
    if b in (0xD0, 0xD1, 0xD2, 0xD3):  # int 8..64
        n = 1 << (b - 0xD0)
        raw, pos = _take(data, pos, n)
        return int.from_bytes(raw, "big", signed=True), pos
    if b == 0xCA:
        raw, pos = _take(data, pos, 4)
        return struct.unpack(">f", raw)[0], pos
    if b == 0xCB:
        raw, pos = _take(data, pos, 8)
        return struct.unpack(">d", raw)[0], pos
    if b in (0xDC, 0xDD):  # array 16/32
        n, pos = _uint(data, pos, 2 if b == 0xDC else 4)
        return _array(data, pos, n, depth)
    if b in (0xDE, 0xDF):  # map 16/32
        n, pos = _uint(data, pos, 2 if b == 0xDE else 4)
        return _map(data, pos, n, depth)
    if b in (0xD4, 0xD5, 0xD6, 0xD7, 0xD8):  # fixext: type byte + 1..16 bytes, kept raw
        raw, pos = _take(data, pos, 1 + (1 << (b - 0xD4)))
        return raw, pos
    if b in (0xC7, 0xC8, 0xC9):  # ext 8/16/32
        n, pos = _uint(data, pos, 1 << (b - 0xC7))
        return _take(data, pos, n + 1)
    raise _Malformed  # 0xC1 is never used


def _array(data: bytes, pos: int, n: int, depth: int) -> tuple[list[Any], int]:
    if n > _MAX_ITEMS or n > len(data) - pos:  # every element takes at least one byte
        raise _Malformed
    out = []
    for _ in range(n):
        value, pos = _unpack(data, pos, depth + 1)
        out.append(value)
    return out, pos


def _map(data: bytes, pos: int, n: int, depth: int) -> tuple[dict[Any, Any], int]:
    if n > _MAX_ITEMS or 2 * n > len(data) - pos:
        raise _Malformed
    out: dict[Any, Any] = {}
    for _ in range(n):
        key, pos = _unpack(data, pos, depth + 1)
        value, pos = _unpack(data, pos, depth + 1)
        if isinstance(key, (list, dict)):
            key = repr(key)
        out[key] = value
    return out, pos


def pack(value: Any) -> bytes:
    """MessagePack the way Fly.io's encoder does (compact ints); for synthetic test tokens."""
    if value is None:
        return b"\xc0"
    if value is True or value is False:
        return b"\xc3" if value else b"\xc2"
    if isinstance(value, int):
        if 0 <= value <= 0x7F:
            return bytes([value])
        if -32 <= value < 0:
            return struct.pack(">b", value)
        if value > 0:
            for tag, fmt, limit in ((0xCC, ">B", 0xFF), (0xCD, ">H", 0xFFFF), (0xCE, ">I", 0xFFFFFFFF)):
                if value <= limit:
                    return bytes([tag]) + struct.pack(fmt, value)
            return b"\xcf" + struct.pack(">Q", value)
        return b"\xd3" + struct.pack(">q", value)
    if isinstance(value, str):
        raw = value.encode()
        if len(raw) < 32:
            return bytes([0xA0 | len(raw)]) + raw
        if len(raw) < 256:
            return b"\xd9" + bytes([len(raw)]) + raw
        return b"\xda" + struct.pack(">H", len(raw)) + raw
    if isinstance(value, (bytes, bytearray)):
        raw = bytes(value)
        if len(raw) < 256:
            return b"\xc4" + bytes([len(raw)]) + raw
        return b"\xc5" + struct.pack(">H", len(raw)) + raw
    if isinstance(value, (list, tuple)):
        head = bytes([0x90 | len(value)]) if len(value) < 16 else b"\xdc" + struct.pack(">H", len(value))
        return head + b"".join(pack(v) for v in value)
    if isinstance(value, dict):
        head = bytes([0x80 | len(value)]) if len(value) < 16 else b"\xde" + struct.pack(">H", len(value))
        return head + b"".join(pack(k) + pack(v) for k, v in value.items())
    raise TypeError(f"cannot pack {type(value).__name__}")


# Fly.io macaroons ------------------------------------------------------------------------------

# Caveat type numbers (superfly/macaroon caveat.go); 1, 17 and 18 are reserved.
FLY_CAVEATS: dict[int, str] = {
    0: "Organization", 2: "Volumes", 3: "Apps", 4: "ValidityWindow", 5: "FeatureSet",
    6: "Mutations", 7: "Machines", 8: "ConfineUser", 9: "ConfineOrganization", 10: "IsUser",
    11: "3P", 12: "BindToParentToken", 13: "IfPresent", 14: "MachineFeatureSet",
    15: "FromMachineSource", 16: "Clusters", 19: "ConfineGoogleHD", 20: "ConfineGitHubOrg",
    21: "MaxValidity", 22: "NoAdminFeatures", 23: "FlyioUserID", 24: "GitHubUserID",
    25: "GoogleUserID",
}
FLY_LABELS = ("fm2", "fm1r", "fm1a")

# resset.Action bits, rendered the way flyctl does ("rwcdC").
_ACTION_BITS = (("r", 1), ("w", 2), ("c", 4), ("d", 8), ("C", 16))
ACTION_ALL = 0x1F


def action_string(mask: Any) -> str:
    """A Fly action mask as flyctl prints it: ``*`` for every action, else letters of rwcdC."""
    if isinstance(mask, bool) or not isinstance(mask, int):
        return "?"
    if mask & ACTION_ALL == ACTION_ALL:
        return "*"
    return "".join(ch for ch, bit in _ACTION_BITS if mask & bit) or "none"


def action_mask(text: str) -> int:
    """The inverse of :func:`action_string` (``*`` is 0xffff, as in superfly/macaroon)."""
    if text == "*":
        return 0xFFFF
    return sum(bit for ch, bit in _ACTION_BITS if ch in text)


@dataclass(frozen=True)
class FlyCaveat:
    type: int
    body: Any

    @property
    def name(self) -> str:
        return FLY_CAVEATS.get(self.type, f"type {self.type}")


@dataclass(frozen=True)
class FlyMacaroon:
    label: str
    location: str
    kid: bytes
    proof: bool
    caveats: tuple[FlyCaveat, ...]


def fly_caveat_set(value: Any) -> list[FlyCaveat]:
    """A Fly caveat set (flat array alternating type and body); [] when malformed."""
    if not isinstance(value, list) or len(value) % 2:
        return []
    out = []
    for typ, body in zip(value[0::2], value[1::2], strict=True):
        if isinstance(typ, bool) or not isinstance(typ, int) or typ < 0:
            return []
        out.append(FlyCaveat(typ, body))
    return out


def decode_fly(data: bytes, label: str = "fm2") -> FlyMacaroon | None:
    """One binary Fly.io macaroon, or None when ``data`` is not one."""
    value = unpack(data)
    if not isinstance(value, list) or len(value) != 4:
        return None
    nonce, location, caveats, tail = value
    if not isinstance(nonce, list) or len(nonce) not in (2, 3) or not isinstance(location, str):
        return None
    if not isinstance(caveats, list) or not isinstance(tail, bytes):
        return None
    kid = nonce[0] if isinstance(nonce[0], bytes) else b""
    proof = len(nonce) == 3 and nonce[2] is True
    cavs = fly_caveat_set(caveats)
    if caveats and not cavs:
        return None
    return FlyMacaroon(label, location, kid, proof, tuple(cavs))


def parse_fly_tokens(text: str) -> list[FlyMacaroon]:
    """Every decodable macaroon in a ``FlyV1 fm2_…,fm2_…`` value (scheme optional)."""
    text = text.strip()
    for scheme in ("FlyV1 ", "Bearer "):
        if text.startswith(scheme):
            text = text[len(scheme):].strip()
    out = []
    for part in text.split(",")[:64]:
        label, sep, body = part.strip().partition("_")
        if not sep or label not in FLY_LABELS:
            continue
        raw = b64decode_loose(body)
        mac = decode_fly(raw, label) if raw else None
        if mac is not None:
            out.append(mac)
    return out


def encode_fly(location: str, kid: bytes, caveats: Sequence[tuple[int, Any]], *, proof: bool = False,
               rnd: bytes = b"\x00" * 16, tail: bytes = b"\x00" * 32) -> bytes:
    """A binary Fly.io macaroon with the given (type, body) caveats, for synthetic test tokens."""
    flat: list[Any] = []
    for typ, body in caveats:
        flat += [typ, body]
    return pack([[kid, rnd, proof], location, flat, tail])
