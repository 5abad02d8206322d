"""Offline checksums that token formats carry, by name: what a rule file's ``checksum = "…"`` means.

Each takes the value a check has selected (see docs/rules.md) and says whether its checksum holds.
None raises, whatever the input: they run inside the engine on hostile bytes.

* ``crc32_base62``: the last 6 characters are the CRC32 of the characters before them, in base62
  (``0-9A-Za-z``), left-padded with zeros. GitHub's ``gh?_`` tokens (github.blog 2021-04-05), npm
  ``npm_`` tokens and Vercel's 2025 formats, each after their prefix.
* ``crc32_base36``: the last 7 characters are the CRC32 of everything before them, in base36
  (``0-9a-z``), left-padded (GitLab's routable tokens).
* ``crc32_base64le``: the last 6 characters are the unpadded base64 of the little-endian CRC32 of the
  characters before them (Confluent Cloud API secrets since 2025, after ``cflt``).
* ``bech32``: a Bech32 string (BIP 173) whose 6-character BCH checksum verifies (age identities).
"""

from __future__ import annotations

import base64
import string
import zlib
from collections.abc import Callable

_BASE62 = string.digits + string.ascii_uppercase + string.ascii_lowercase
_BASE36 = string.digits + string.ascii_lowercase


def _encode(number: int, alphabet: str, width: int) -> str:
    digits = ""
    base = len(alphabet)
    while number:
        number, rem = divmod(number, base)
        digits = alphabet[rem] + digits
    return digits.rjust(width, alphabet[0])


def _crc(text: str) -> int | None:
    return zlib.crc32(text.encode("ascii")) if text.isascii() else None


def crc32_base62(value: str) -> bool:
    body, check = value[:-6], value[-6:]
    crc = _crc(body)
    return len(value) > 6 and crc is not None and _encode(crc, _BASE62, 6) == check


def crc32_base36(value: str) -> bool:
    body, check = value[:-7], value[-7:]
    crc = _crc(body)
    return len(value) > 7 and crc is not None and _encode(crc, _BASE36, 7) == check


def crc32_base64le(value: str) -> bool:
    body, check = value[:-6], value[-6:]
    crc = _crc(body)
    if len(value) <= 6 or crc is None:
        return False
    return base64.b64encode(crc.to_bytes(4, "little")).decode().rstrip("=") == check


_BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_BECH32_GEN = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)


def _polymod(values: list[int]) -> int:
    chk = 1
    for v in values:
        top = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ v
        for i, g in enumerate(_BECH32_GEN):
            chk ^= g if (top >> i) & 1 else 0
    return chk


def bech32(value: str) -> bool:
    s = value.lower()
    hrp, sep, data = s.rpartition("1")
    if not sep or not hrp or not s.isascii() or any(c not in _BECH32 for c in data):
        return False
    expanded = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]
    return _polymod(expanded + [_BECH32.index(c) for c in data]) == 1


CHECKSUMS: dict[str, Callable[[str], bool]] = {
    "crc32_base62": crc32_base62,
    "crc32_base36": crc32_base36,
    "crc32_base64le": crc32_base64le,
    "bech32": bech32,
}
