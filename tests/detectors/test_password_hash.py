"""Password hashes: their own kind, low severity, the reason says why, never looked up."""

from __future__ import annotations

import struct

from tests.helpers import Repo, scan_json
from tokenreach.detectors.providers.password_hash import detector
from tokenreach.scanner.sources.keytab import looks_like_keytab

SHADOW = (
    "root:$6$0T0IukPjWk9dIs75$gxBpJbVPv9wpCO4N859bXWP/42mbufN4tidqp4Ag2cdOfg7UU7RbSNL3yPQEZuV7p3wSLt9.I8yu4iYVLcOhy/"
    ":19700:0:99999:7:::\n"
    "daemon:*:19700:0:99999:7:::\n"
    "ubuntu:$y$j9T$F5Jx5fExrKuPp53xLKQ..1$gTT5Fm1Ejey1TlSammJzU33qXTXHvAfigXb1yriGiA7:19700:0:99999:7:::\n"
)
HTPASSWD = "admin:$apr1$p4u7yE0s$bt6hMZzTPu1nOtr1XL./M1\nops:{SHA}Aevl3FMv3k+kDxkGk97s6XPz1v8=\n"


def keytab(realm: bytes = b"ACME.TEST", service: bytes = b"HTTP", host: bytes = b"web.acme.test") -> bytes:
    """A keytab of one entry with a made-up AES-256 key (MIT "Keytab file format", version 0x0502)."""
    def counted(b: bytes) -> bytes:
        return struct.pack(">H", len(b)) + b
    key = bytes(range(0x80, 0xA0))  # 32 made-up bytes, not a key of any principal
    entry = (struct.pack(">H", 2) + counted(realm) + counted(service) + counted(host)
             + struct.pack(">IIB", 1, 1700000000, 3) + struct.pack(">H", 18) + counted(key))
    return b"\x05\x02" + struct.pack(">i", len(entry)) + entry


def test_every_hash_of_a_shadow_file(engine):
    found = [(m.pattern.id, m.secret[:4]) for m in sorted(engine.scan(SHADOW.encode()), key=lambda m: m.start)]
    assert found == [("password_hash.sha512_crypt", "$6$0"), ("password_hash.yescrypt", "$y$j")]


def test_never_looked_up():
    assert not detector.has_lookup()
    assert all(p.lookup is False for p in detector.patterns)


def test_keytab_bytes_are_recognised(engine):
    data = keytab()
    assert looks_like_keytab(data)
    [m] = engine.scan(data)
    assert m.pattern.id == "password_hash.kerberos_keytab"
    assert dict(m.extras)["realm"] == "ACME.TEST"
    assert not looks_like_keytab(b"\x05\x02" + b"\xff" * 30)
    assert not looks_like_keytab(b"\x05\x02\x00\x00\x00\x10\x00\x01\x00\x05AC ME")


def test_low_severity_with_the_reason_and_a_keytab_in_the_tree(tmp_path):
    repo = Repo(tmp_path / "r")
    repo.write("docker/shadow", SHADOW)
    repo.write("deploy/.htpasswd", HTPASSWD)
    repo.write("deploy/http.keytab", keytab())
    doc = scan_json(repo.root, "--offline", "--no-history")
    findings = doc["findings"]
    assert sorted(f["kind"] for f in findings) == ["keytab"] + ["password_hash"] * 4
    assert {f["severity"] for f in findings} == {"low"}
    assert not any(f["over_privileged"] for f in findings)
    reasons = {f["kind"]: " ".join(f["reasons"]) for f in findings}
    assert "can be cracked offline" in reasons["password_hash"]
    sha = next(f for f in findings if f["access"]["facts"].get("scheme") == "unsalted SHA-1")
    assert "billions of guesses" in " ".join(sha["reasons"])
