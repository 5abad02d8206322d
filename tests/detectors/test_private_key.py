from __future__ import annotations

import base64
import json
import random
import struct

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed25519, rsa

from tests.helpers import lookup, token
from tokenreach.detectors.providers.private_key import detector, inspect
from tokenreach.scanner.engine import tokens_in

Enc = serialization.Encoding
Fmt = serialization.PrivateFormat
PASS = serialization.BestAvailableEncryption(b"correct horse")
PLAIN = serialization.NoEncryption()


@pytest.fixture(scope="module")
def rsa_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def pem(key, fmt, enc=PLAIN) -> str:
    return key.private_bytes(Enc.PEM, fmt, enc).decode()


def facts_of(text: str) -> tuple[str | None, dict]:
    tok = token(text, provider="private_key")
    assert tok.secret.startswith("-----BEGIN") and tok.secret.endswith("PRIVATE KEY-----")
    access = detector.classify(tok)
    assert access.live is None
    return tok.kind, access.facts


def test_pkcs1_rsa(rsa_key):
    kind, facts = facts_of(pem(rsa_key, Fmt.TraditionalOpenSSL))
    assert kind == "private_key"
    assert facts == {"key_type": "rsa", "container": "pkcs1", "encrypted": False, "bits": 2048}


def test_encrypted_pkcs1_rsa_has_the_encrypted_kind(rsa_key):
    kind, facts = facts_of(pem(rsa_key, Fmt.TraditionalOpenSSL, PASS))
    assert kind == "encrypted_private_key"
    assert facts["encrypted"] is True
    assert facts["key_type"] == "rsa"
    assert facts["cipher"].startswith("AES-")


def test_pkcs8_rsa(rsa_key):
    kind, facts = facts_of(pem(rsa_key, Fmt.PKCS8))
    assert kind == "private_key"
    assert facts == {"key_type": "rsa", "container": "pkcs8", "encrypted": False, "bits": 2048}


def test_encrypted_pkcs8(rsa_key):
    kind, facts = facts_of(pem(rsa_key, Fmt.PKCS8, PASS))
    assert kind == "encrypted_private_key"
    assert facts == {"key_type": None, "container": "pkcs8", "encrypted": True, "cipher": "PBES2"}


def test_sec1_ec_and_pkcs8_ec_curves():
    _, facts = facts_of(pem(ec.generate_private_key(ec.SECP256R1()), Fmt.TraditionalOpenSSL))
    assert (facts["key_type"], facts["container"], facts["curve"]) == ("ec", "sec1", "P-256")
    _, facts = facts_of(pem(ec.generate_private_key(ec.SECP384R1()), Fmt.PKCS8))
    assert (facts["key_type"], facts["container"], facts["curve"]) == ("ec", "pkcs8", "P-384")


def test_dsa():
    _, facts = facts_of(pem(dsa.generate_private_key(key_size=1024), Fmt.TraditionalOpenSSL))
    assert facts == {"key_type": "dsa", "container": "dsa", "encrypted": False, "bits": 1024}
    _, facts = facts_of(pem(dsa.generate_private_key(key_size=1024), Fmt.PKCS8))
    assert (facts["key_type"], facts["bits"]) == ("dsa", 1024)


def test_ed25519_pkcs8_and_openssh():
    key = ed25519.Ed25519PrivateKey.generate()
    _, facts = facts_of(pem(key, Fmt.PKCS8))
    assert (facts["key_type"], facts["container"]) == ("ed25519", "pkcs8")
    kind, facts = facts_of(pem(key, Fmt.OpenSSH))
    assert kind == "private_key"
    assert facts == {"key_type": "ed25519", "container": "openssh", "encrypted": False}


def test_openssh_rsa_and_ecdsa(rsa_key):
    _, facts = facts_of(pem(rsa_key, Fmt.OpenSSH))
    assert (facts["key_type"], facts["bits"]) == ("rsa", 2048)
    _, facts = facts_of(pem(ec.generate_private_key(ec.SECP521R1()), Fmt.OpenSSH))
    assert (facts["key_type"], facts["curve"]) == ("ec", "P-521")


def _ssh_string(b: bytes) -> bytes:
    return struct.pack(">I", len(b)) + b


@pytest.mark.parametrize("cipher", [b"aes256-ctr", b"chacha20-poly1305@openssh.com", b"aes256-gcm@openssh.com"])
def test_encrypted_openssh_is_read_from_its_header(cipher):
    public = _ssh_string(b"ssh-ed25519") + _ssh_string(bytes(32))
    blob = (b"openssh-key-v1\x00" + _ssh_string(cipher) + _ssh_string(b"bcrypt")
            + _ssh_string(_ssh_string(bytes(16)) + struct.pack(">I", 16)) + struct.pack(">I", 1)
            + _ssh_string(public) + _ssh_string(bytes(160)))
    body = base64.b64encode(blob).decode()
    text = "-----BEGIN OPENSSH PRIVATE KEY-----\n" + "\n".join(body[i:i + 70] for i in range(0, len(body), 70))
    text += "\n-----END OPENSSH PRIVATE KEY-----\n"
    tok = token(text, provider="private_key")
    assert tok.kind == "encrypted_private_key"
    access = detector.classify(tok)
    assert access.facts == {"key_type": "ed25519", "container": "openssh", "encrypted": True,
                            "cipher": cipher.decode()}
    assert access.evidence == "offline"
    assert not any("no passphrase" in n for n in access.notes)


def test_key_inside_a_json_string(rsa_key):
    doc = json.dumps({"type": "service_account", "private_key": pem(rsa_key, Fmt.PKCS8)})
    assert "\\n" in doc
    tok = token(doc, provider="private_key")
    assert tok.secret.startswith("-----BEGIN PRIVATE KEY-----\\n")
    access = detector.classify(tok)
    assert access.facts["bits"] == 2048
    assert any("no passphrase" in n for n in access.notes)


def test_label_only_when_the_body_is_not_a_key():
    text = "-----BEGIN RSA PRIVATE KEY-----\n" + "QUJD" * 30 + "\n-----END RSA PRIVATE KEY-----"
    access = detector.classify(token(text, provider="private_key"))
    assert access.evidence == "prefix"
    assert access.facts["key_type"] == "rsa"
    assert "bits" not in access.facts


def test_real_keys_in_every_wrapping_still_match(rsa_key):
    key = pem(rsa_key, Fmt.TraditionalOpenSSL).strip()
    wrapped = {
        "yaml": "tls:\n  key: |\n    " + key.replace("\n", "\n    ") + "\n",
        "json in a string": json.dumps(json.dumps({"key": key})),  # \\n
        "one line": key.replace("\n", " "),
        "crlf": key.replace("\n", "\r\n"),
        "wrapped anywhere": key.replace("\n", "\\n")[:300] + "\n    " + key.replace("\n", "\\n")[300:],
        "encrypted": pem(rsa_key, Fmt.TraditionalOpenSSL, PASS),
    }
    for name, text in wrapped.items():
        assert [t for t in tokens_in(text) if t.provider == "private_key"], name


@pytest.mark.parametrize("body", [
    "Bad Key, though the cert should be OK",  # CPython's Lib/test/certdata/badkey.pem
    "EXAMPLEBAAKCAQEA" + "QUJDRA" * 20,  # AWS CLI documentation
    "Bad Key though the cert should be OK",
    "put the key here",
])
def test_prose_and_documentation_bodies_do_not_match(body):
    text = f"-----BEGIN RSA PRIVATE KEY-----\n{body}\n-----END RSA PRIVATE KEY-----"
    assert [t for t in tokens_in(text) if t.provider == "private_key"] == []


def test_no_end_line_or_an_endless_body_does_not_match():
    assert [t for t in tokens_in("-----BEGIN PRIVATE KEY-----\n" + "QUJD" * 100) if t.provider == "private_key"] == []
    huge = "-----BEGIN PRIVATE KEY-----\n" + "QUJD" * 2500 + "\n-----END PRIVATE KEY-----"
    assert [t for t in tokens_in(huge) if t.provider == "private_key"] == []


def test_two_keys_in_one_file_are_two_secrets(rsa_key):
    text = pem(rsa_key, Fmt.TraditionalOpenSSL) + "\n" + pem(ed25519.Ed25519PrivateKey.generate(), Fmt.PKCS8)
    found = [t for t in tokens_in(text) if t.provider == "private_key"]
    assert len(found) == 2
    assert found[0].secret.endswith("-----END RSA PRIVATE KEY-----")


def test_no_lookup_is_made(rsa_key):
    tok = token(pem(rsa_key, Fmt.PKCS8), provider="private_key")
    assert not detector.has_lookup()
    access = lookup(tok, "http://127.0.0.1:9")  # nothing listens there, and nothing is sent
    assert access.live is None
    assert access.facts["key_type"] == "rsa"


@pytest.mark.parametrize("text", [
    "", "-----BEGIN PRIVATE KEY-----", "-----BEGIN FOO PRIVATE KEY-----\nAAAA\n-----END",
    "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEA/////w==\n-----END",
    "-----BEGIN PRIVATE KEY-----\nMIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEA\n-----END",
    "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEI\n-----END", "-----BEGIN ENCRYPTED PRIVATE KEY-----\n!!!!\n-----END",
])
def test_inspect_never_raises_on_garbage(text):
    info = inspect(text)
    assert info is None or info.label in text


def test_inspect_fuzz():
    rng = random.Random(7)
    labels = ["RSA PRIVATE KEY", "EC PRIVATE KEY", "DSA PRIVATE KEY", "OPENSSH PRIVATE KEY", "PRIVATE KEY",
              "ENCRYPTED PRIVATE KEY"]
    for _ in range(400):
        raw = bytes(rng.randrange(256) for _ in range(rng.randrange(0, 200)))
        if rng.random() < 0.3:
            raw = b"openssh-key-v1\x00" + raw
        elif rng.random() < 0.5:
            raw = b"\x30\x82" + raw
        label = rng.choice(labels)
        info = inspect(f"-----BEGIN {label}-----\n{base64.b64encode(raw).decode()}\n-----END {label}-----")
        assert info is not None
        info.describe()
