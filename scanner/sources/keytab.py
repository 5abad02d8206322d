"""Kerberos keytabs are binary files worth scanning: the one binary form texts_of() lets through.

MIT Kerberos "Keytab file format": a 16-bit version 0x0502, then entries, each a signed 32-bit
size followed by a 16-bit component count and the realm as a 16-bit counted string. A file that
starts like that is handed to the engine whole (detectors/rules/password_hash.toml matches its
start); nothing else binary is.
"""

from __future__ import annotations

_VERSION = b"\x05\x02"


def looks_like_keytab(data: bytes) -> bool:
    if len(data) < 12 or not data.startswith(_VERSION):
        return False
    size = int.from_bytes(data[2:6], "big", signed=True)
    components = int.from_bytes(data[6:8], "big")
    realm_len = int.from_bytes(data[8:10], "big")
    realm = data[10:10 + realm_len]
    return (0 < size <= len(data) - 6 and 1 <= components <= 16 and 1 <= realm_len <= 255
            and len(realm) == realm_len and realm.isascii() and realm.replace(b".", b"").replace(b"-", b"").isalnum())
