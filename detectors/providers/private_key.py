"""PEM private keys: PKCS#1 RSA, SEC1 EC, DSA, OpenSSH and PKCS#8, encrypted or not.

Formats: RFC 7468 (textual PEM encodings), RFC 1421 (``Proc-Type: 4,ENCRYPTED`` headers of
traditional OpenSSL keys), RFC 5208/5958 (PKCS#8 ``PRIVATE KEY`` / ``ENCRYPTED PRIVATE KEY``) and
OpenSSH's PROTOCOL.key (``openssh-key-v1``). The secret is the whole block, BEGIN to END, with a
bounded body so that a stray BEGIN line never makes the engine read on forever.

There is nothing to ask online: a private key has no provider. Offline, the block tells the key
type (RSA with its size, EC with its curve, DSA, Ed25519 …), the container format, and whether it
is encrypted with a passphrase (an unencrypted key is usable by whoever reads it).
"""

from __future__ import annotations

import base64
import binascii
import re
import struct
from dataclasses import dataclass

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.scanner.model import Access, Token

# Base64, line breaks (real or written as \n inside a string), and RFC 1421 header characters.
_BODY = r"[A-Za-z0-9+/=\s:,\\-]{40,8000}?"
_TYPES = r"(?:(?:RSA|EC|DSA|OPENSSH|ENCRYPTED) )?"
# Between BEGIN and Proc-Type: a line break, real or escaped. Bounded: an open-ended repeat here
# multiplies Hyperscan's compile time a hundredfold.
_NL = r"[\s\\rn]{1,8}"


def _pem(label: str, body: bytes, headers: str = "") -> str:
    """A synthetic PEM block for the examples (the bytes are made up, never a real key)."""
    text = base64.b64encode(body).decode()
    lines = "\n".join(text[i:i + 64] for i in range(0, len(text), 64))
    return f"-----BEGIN {label}-----\n{headers}{lines}\n-----END {label}-----"


_FAKE = bytes(range(256)) * 2


def _b64_words(n: int, seed: str) -> str:
    """``n`` made-up base64 characters in 64-character lines joined by a written \\n."""
    import random

    rng = random.Random(seed)
    text = base64.b64encode(bytes(rng.randrange(256) for _ in range(n * 3 // 4))).decode()
    return "\\n".join(text[i:i + 64] for i in range(0, len(text), 64))


_RSA_EXAMPLE = _pem("RSA PRIVATE KEY", b"\x30\x82\x01\xfe\x02\x01\x00" + _FAKE[:300])
_ENCRYPTED_RSA_EXAMPLE = _pem("RSA PRIVATE KEY", _FAKE[:300],
                              "Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,0123456789ABCDEF0123456789ABCDEF\n\n")

# OpenSSH keeps the cipher name in clear right after its magic (PROTOCOL.key), so the first
# base64 characters of the body already say "encrypted". The magic is 15 bytes (five whole base64
# groups), so each cipher's prefix encodes the same way in every key.
_OPENSSH_CIPHERS = ("aes256-ctr", "aes192-ctr", "aes128-ctr", "aes256-cbc", "aes192-cbc", "aes128-cbc",
                    "aes256-gcm@openssh.com", "aes128-gcm@openssh.com", "chacha20-poly1305@openssh.com")


def _openssh_prefix(cipher: str) -> str:
    raw = b"openssh-key-v1\x00" + struct.pack(">I", len(cipher)) + cipher.encode()
    text = base64.b64encode(raw[: len(raw) - len(raw) % 3]).decode()
    return re.escape(text)


_BASE64_WORD = re.compile(r"[A-Za-z0-9+/]+={0,2}")
_HEADER_LINE = re.compile(r"^\s*[A-Za-z][A-Za-z-]*:.*$", re.M)


def plausible_block(block: str) -> bool:
    """The body is base64 (after RFC 1421 headers), not prose or a placeholder.

    Drops ``BEGIN RSA PRIVATE KEY`` blocks whose body is a sentence ("Bad Key, though the cert
    should be OK" in CPython's tests) and documentation keys whose body spells EXAMPLE (AWS CLI
    examples): a real body is lines of base64, and "EXAMPLE" turns up in random base64 about once
    in 4 trillion characters.
    """
    # Line breaks written as \n (or \\n) inside a string are line breaks.
    text = block.replace("\\r", "\n").replace("\\n", "\n").replace("\\", "\n")
    m = re.search(r"-----BEGIN [A-Z ]{0,30}PRIVATE KEY-----(.*?)-----END", text, re.S)
    if not m:
        return False
    body = _HEADER_LINE.sub("", m.group(1))
    words = body.split()
    # Every word base64 and one a whole line at least: documentation wraps a key's lines anywhere
    # (the AWS CLI's iot examples), so short words are no proof of prose.
    return (bool(words) and all(_BASE64_WORD.fullmatch(w) for w in words) and max(map(len, words)) >= 24
            and "EXAMPLE" not in body)


_ENCRYPTED_OPENSSH = "(?:" + "|".join(_openssh_prefix(c) for c in _OPENSSH_CIPHERS) + ")"
_ENCRYPTED_OPENSSH_EXAMPLE = _pem(
    "OPENSSH PRIVATE KEY",
    b"openssh-key-v1\x00" + struct.pack(">I", 10) + b"aes256-ctr" + struct.pack(">I", 6) + b"bcrypt" + _FAKE[:200],
)

PATTERNS = (
    # Listed first: for the same block the engine keeps the first match, so an encrypted key is
    # reported with the encrypted kind.
    Pattern(
        id="private_key.encrypted_openssh",
        name="Encrypted OpenSSH private key",
        regex=(r"(?P<secret>-----BEGIN OPENSSH PRIVATE KEY-----" + _NL + _ENCRYPTED_OPENSSH + _BODY
               + r"-----END OPENSSH PRIVATE KEY-----)"),
        keywords=("openssh private key",),
        kind="encrypted_private_key",
        validate=plausible_block,
        examples=(_ENCRYPTED_OPENSSH_EXAMPLE,),
        counterexamples=(_pem("OPENSSH PRIVATE KEY", b"openssh-key-v1\x00" + struct.pack(">I", 4) + b"none"
                              + _FAKE[:200]),),
    ),
    Pattern(
        id="private_key.encrypted_pem",
        name="Encrypted PEM private key",
        regex=(r"(?P<secret>-----BEGIN (?:ENCRYPTED PRIVATE KEY-----|(?:RSA|EC|DSA) PRIVATE KEY-----"
               + _NL + r"Proc-Type: ?4,ENCRYPTED)" + _BODY + r"-----END " + _TYPES + r"PRIVATE KEY-----)"),
        keywords=("private key",),
        kind="encrypted_private_key",
        validate=plausible_block,
        examples=(
            _ENCRYPTED_RSA_EXAMPLE,
            _pem("ENCRYPTED PRIVATE KEY", b"\x30\x82\x01\x00\x30\x4a\x06\x09" + _FAKE[:200]),
        ),
        counterexamples=(_RSA_EXAMPLE,),
    ),
    Pattern(
        id="private_key.pem",
        name="PEM private key",
        regex=r"(?P<secret>-----BEGIN " + _TYPES + r"PRIVATE KEY-----" + _BODY + r"-----END " + _TYPES
        + r"PRIVATE KEY-----)",
        keywords=("private key",),
        kind="private_key",
        validate=plausible_block,
        examples=(
            _RSA_EXAMPLE,
            _pem("EC PRIVATE KEY", b"\x30\x77\x02\x01\x01\x04\x20" + _FAKE[:100]),
            _pem("OPENSSH PRIVATE KEY", b"openssh-key-v1\x00" + _FAKE[:180]),
            _pem("PRIVATE KEY", b"\x30\x82\x04\xbd\x02\x01\x00" + _FAKE[:250]),
            '{"private_key": "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7'
            'VJTUt9Us8cKj\\nMzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu\\n'
            '-----END PRIVATE KEY-----\\n"}',
        ),
        counterexamples=(
            "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo\n"
            "-----END PUBLIC KEY-----",
            "-----BEGIN RSA PRIVATE KEY-----\n<paste your key here>\n-----END RSA PRIVATE KEY-----",
            "-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----",
            "-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----",
            # CPython's Lib/test/certdata/badkey.pem: a sentence where the key goes.
            "-----BEGIN RSA PRIVATE KEY-----\nBad Key, though the cert should be OK\n-----END RSA PRIVATE KEY-----",
            # AWS CLI examples (lightsail): a key-shaped body that spells EXAMPLE.
            '"privateKey": "-----BEGIN RSA PRIVATE KEY-----\\nEXAMPLEBAAKCAQEA' + _b64_words(300, "lightsail")
            + '\\n-----END RSA PRIVATE KEY-----"',
        ),
    ),
)

# Object identifiers (RFC 8017, RFC 5480, RFC 8410, RFC 8018).
_ALGORITHMS = {
    "1.2.840.113549.1.1.1": "rsa",
    "1.2.840.113549.1.1.10": "rsa-pss",
    "1.2.840.10045.2.1": "ec",
    "1.2.840.10040.4.1": "dsa",
    "1.3.101.110": "x25519",
    "1.3.101.111": "x448",
    "1.3.101.112": "ed25519",
    "1.3.101.113": "ed448",
}
_CURVES = {
    "1.2.840.10045.3.1.7": "P-256",
    "1.3.132.0.34": "P-384",
    "1.3.132.0.35": "P-521",
    "1.3.132.0.10": "secp256k1",
}
_PBES2 = "1.2.840.113549.1.5.13"
_OPENSSH_TYPES = {
    "ssh-rsa": "rsa",
    "ssh-dss": "dsa",
    "ssh-ed25519": "ed25519",
    "ssh-ed448": "ed448",
    "ecdsa-sha2-nistp256": "ec",
    "ecdsa-sha2-nistp384": "ec",
    "ecdsa-sha2-nistp521": "ec",
    "sk-ssh-ed25519@openssh.com": "ed25519-sk",
    "sk-ecdsa-sha2-nistp256@openssh.com": "ec-sk",
}
_LABEL_TYPES = {"RSA": "rsa", "EC": "ec", "DSA": "dsa"}


@dataclass
class KeyInfo:
    """What a PEM block says about its key. ``None`` fields were not readable."""

    label: str  # "RSA PRIVATE KEY", "OPENSSH PRIVATE KEY" …
    container: str  # pkcs1, sec1, dsa, pkcs8, openssh
    encrypted: bool
    key_type: str | None = None  # rsa, ec, dsa, ed25519 …
    bits: int | None = None
    curve: str | None = None
    cipher: str | None = None
    decoded: bool = False  # the body's structure was read, not just the label

    def describe(self) -> str:
        kind = (self.key_type or "unknown-type").upper()
        size = f" {self.bits}-bit" if self.bits else f" {self.curve}" if self.curve else ""
        state = f"encrypted ({self.cipher})" if self.encrypted and self.cipher else (
            "encrypted" if self.encrypted else "not encrypted")
        return f"{kind}{size} private key ({self.container}), {state}"


def inspect(block: str) -> KeyInfo | None:
    """Read a PEM private-key block. None when it is not one; never raises on garbage."""
    # Line breaks written as \n (or \\n) inside a string are line breaks.
    text = block.replace("\\r", "\n").replace("\\n", "\n").replace("\\", "\n")
    m = re.search(r"-----BEGIN ([A-Z ]{0,30}PRIVATE KEY)-----(.*?)-----END", text, re.S)
    if not m:
        return None
    label, inner = m.group(1).strip(), m.group(2)
    headers = dict(re.findall(r"^\s*([A-Za-z-]+):\s*(.+?)\s*$", inner, re.M))
    body = re.sub(r"^\s*[A-Za-z-]+:.*$", "", inner, flags=re.M)
    try:
        der = base64.b64decode(re.sub(r"[^A-Za-z0-9+/=]", "", body), validate=False)
    except (binascii.Error, ValueError):
        der = b""
    prefix = label.split(" ")[0]
    if label == "OPENSSH PRIVATE KEY":
        info = KeyInfo(label, "openssh", encrypted=False)
        _openssh(info, der)
    elif label == "ENCRYPTED PRIVATE KEY":
        info = KeyInfo(label, "pkcs8", encrypted=True)
        _encrypted_pkcs8(info, der)
    elif label == "PRIVATE KEY":
        info = KeyInfo(label, "pkcs8", encrypted=False)
        _pkcs8(info, der)
    elif prefix in _LABEL_TYPES:
        container = {"RSA": "pkcs1", "EC": "sec1", "DSA": "dsa"}[prefix]
        encrypted = "ENCRYPTED" in headers.get("Proc-Type", "").upper()
        info = KeyInfo(label, container, encrypted=encrypted, key_type=_LABEL_TYPES[prefix])
        if encrypted:
            info.cipher = headers.get("DEK-Info", "").split(",")[0] or None
        else:
            _traditional(info, der)
    else:
        return None
    return info


class PrivateKeyDetector(Detector):
    generic = True  # a provider detector matching the same text wins
    provider = "private_key"
    title = "Private key"
    rotate_hint = ("generate a new key pair, install the new public key where this one is trusted (servers, "
                   "deploy keys, certificates) and remove the old one there")
    patterns = PATTERNS
    request_budget = 0  # no provider to ask

    def classify(self, token: Token) -> Access:
        info = inspect(token.secret)
        if info is None:
            return Access(evidence="prefix").note("PEM private key whose label could not be read")
        access = Access(evidence="offline" if info.decoded else "prefix")
        access.facts.update({"key_type": info.key_type, "container": info.container, "encrypted": info.encrypted})
        for name in ("bits", "curve", "cipher"):
            if getattr(info, name):
                access.facts[name] = getattr(info, name)
        access.note(info.describe() + ("" if info.decoded else ", from its label"))
        if not info.encrypted:
            access.note("no passphrase: whoever reads this file can use the key")
        return access


# DER and OpenSSH readers ------------------------------------------------------------------------


class _Malformed(Exception):
    pass


def _tlv(data: bytes, pos: int) -> tuple[int, int, int]:
    """(tag, content start, content end) of the DER element at ``pos``."""
    if pos + 2 > len(data):
        raise _Malformed
    tag, length = data[pos], data[pos + 1]
    pos += 2
    if length & 0x80:
        n = length & 0x7F
        if n == 0 or n > 4 or pos + n > len(data):
            raise _Malformed
        length = int.from_bytes(data[pos:pos + n], "big")
        pos += n
    if pos + length > len(data):
        raise _Malformed
    return tag, pos, pos + length


def _children(data: bytes, start: int, end: int) -> list[tuple[int, int, int]]:
    out: list[tuple[int, int, int]] = []
    pos = start
    while pos < end and len(out) < 16:
        tag, s, e = _tlv(data, pos)
        out.append((tag, s, e))
        pos = e
    return out


def _oid(raw: bytes) -> str:
    if not raw:
        raise _Malformed
    parts = [raw[0] // 40, raw[0] % 40]
    value = 0
    for byte in raw[1:]:
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            parts.append(value)
            value = 0
    return ".".join(map(str, parts))


def _int_bits(raw: bytes) -> int:
    return int.from_bytes(raw, "big").bit_length()


def _sequence(der: bytes) -> list[tuple[int, int, int]]:
    tag, s, e = _tlv(der, 0)
    if tag != 0x30:
        raise _Malformed
    return _children(der, s, e)


def _traditional(info: KeyInfo, der: bytes) -> None:
    """PKCS#1 RSA (version, n, …), SEC1 EC (1, key, [0] curve) or OpenSSL DSA (0, p, …)."""
    try:
        items = _sequence(der)
        if info.key_type in ("rsa", "dsa") and len(items) >= 2 and items[1][0] == 0x02:
            info.bits = _int_bits(der[items[1][1]:items[1][2]])
            info.decoded = True
        elif info.key_type == "ec":
            for tag, s, _end in items:
                if tag == 0xA0:
                    inner, s2, e2 = _tlv(der, s)
                    if inner == 0x06:
                        info.curve = _CURVES.get(_oid(der[s2:e2]), _oid(der[s2:e2]))
            info.decoded = len(items) >= 2
    except (_Malformed, IndexError):
        pass


def _pkcs8(info: KeyInfo, der: bytes) -> None:
    """PrivateKeyInfo: version, AlgorithmIdentifier {oid, params}, OCTET STRING key."""
    try:
        items = _sequence(der)
        if len(items) < 3 or items[1][0] != 0x30:
            return
        alg = _children(der, items[1][1], items[1][2])
        if not alg or alg[0][0] != 0x06:
            return
        oid = _oid(der[alg[0][1]:alg[0][2]])
        info.key_type = _ALGORITHMS.get(oid, oid)
        info.decoded = True
        if info.key_type == "ec" and len(alg) > 1 and alg[1][0] == 0x06:
            curve = _oid(der[alg[1][1]:alg[1][2]])
            info.curve = _CURVES.get(curve, curve)
        elif info.key_type in ("rsa", "rsa-pss") and items[2][0] == 0x04:
            inner = der[items[2][1]:items[2][2]]
            rsa = _sequence(inner)
            if len(rsa) >= 2 and rsa[1][0] == 0x02:
                info.bits = _int_bits(inner[rsa[1][1]:rsa[1][2]])
        elif info.key_type == "dsa" and len(alg) > 1 and alg[1][0] == 0x30:
            params = _children(der, alg[1][1], alg[1][2])
            if params and params[0][0] == 0x02:
                info.bits = _int_bits(der[params[0][1]:params[0][2]])
    except (_Malformed, IndexError):
        pass


def _encrypted_pkcs8(info: KeyInfo, der: bytes) -> None:
    """EncryptedPrivateKeyInfo: {encryptionAlgorithm {oid, …}, encryptedData}; the key type is inside."""
    try:
        items = _sequence(der)
        alg = _children(der, items[0][1], items[0][2])
        if alg and alg[0][0] == 0x06:
            oid = _oid(der[alg[0][1]:alg[0][2]])
            info.cipher = "PBES2" if oid == _PBES2 else oid
            info.decoded = True
    except (_Malformed, IndexError):
        pass


class _SSHReader:
    """RFC 4251 ``string`` fields: a 4-byte big-endian length, then that many bytes."""

    def __init__(self, data: bytes, pos: int = 0) -> None:
        self.data, self.pos = data, pos

    def string(self) -> bytes:
        if self.pos + 4 > len(self.data):
            raise _Malformed
        (n,) = struct.unpack(">I", self.data[self.pos:self.pos + 4])
        end = self.pos + 4 + n
        if end > len(self.data):
            raise _Malformed
        value, self.pos = self.data[self.pos + 4:end], end
        return value

    def text(self) -> str:
        return self.string().decode("ascii", "replace")


def _openssh(info: KeyInfo, blob: bytes) -> None:
    """openssh-key-v1: cipher, kdf, kdf options, key count, then the public key (type first)."""
    magic = b"openssh-key-v1\x00"
    if not blob.startswith(magic):
        return
    try:
        head = _SSHReader(blob, len(magic))
        cipher = head.text()
        head.string()  # kdf name
        head.string()  # kdf options
        head.pos += 4  # number of keys
        public = _SSHReader(head.string())
        info.encrypted = cipher != "none"
        info.cipher = cipher if info.encrypted else None
        info.decoded = True
        key_type = public.text()
        info.key_type = _OPENSSH_TYPES.get(key_type, key_type)
        if key_type == "ssh-rsa":
            public.string()  # e
            info.bits = _int_bits(public.string())
        elif key_type == "ssh-dss":
            info.bits = _int_bits(public.string())
        elif key_type.startswith("ecdsa-sha2-"):
            curve = public.text()
            info.curve = {"nistp256": "P-256", "nistp384": "P-384", "nistp521": "P-521"}.get(curve, curve)
    except (_Malformed, struct.error):
        pass


detector = PrivateKeyDetector()
