from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from tests.helpers import Repo, lookup, scan_json, token
from tokenreach.detectors.providers.onepassword import detector

# Fake key material: distinctive strings that must never reach a report.
SECRET_KEY = "A3-FAKE01-ZZZZZZ-YYYYY-XXXXX-WWWWW-VVVVV"
MUK_K = "mukKeyMaterialNeverPrintedQ9w8e7r6t5y4u3i2o1p0"
SRP_X = "5f" * 32
SEED = "3c" * 32
KEY_MATERIAL = (SECRET_KEY, MUK_K, SRP_X, SEED)


def sa_token(address: str = "acme.1password.com", email: str = "qhzx7k2m4n5p@1passwordserviceaccounts.com",
             **extra: object) -> str:
    body = {"signInAddress": address,
            "userAuth": {"method": "SRPg-4096", "alg": "PBES2g-HS256", "iterations": 650000,
                         "salt": "c2FsdHNhbHRzYWx0c2FsdA"},
            "email": email, "srpX": SRP_X,
            "muk": {"alg": "A256GCM", "ext": True, "k": MUK_K, "key_ops": ["encrypt", "decrypt"],
                    "kty": "oct", "kid": "mp"},
            "secretKey": SECRET_KEY, "throttleSecret": {"seed": SEED, "uuid": "QW7ERTY2UIOP3ASDFGHJKL4ZXC"},
            "deviceUuid": "m3n4b5v6c7x8z9l0k1j2h3g4f5", **extra}
    raw = base64.urlsafe_b64encode(json.dumps(body, separators=(",", ":")).encode()).decode().rstrip("=")
    return "ops_" + raw


def find(secret: str):
    return token(f"OP_SERVICE_ACCOUNT_TOKEN={secret}\n", provider="onepassword")


def test_offline_identity_and_account_reach():
    tok = find(sa_token())
    assert tok.kind == "service_account_token"
    access = detector.classify(tok)
    assert (access.evidence, access.reach, access.live) == ("offline", "account", None)
    assert access.identity == "qhzx7k2m4n5p@1passwordserviceaccounts.com on acme.1password.com"
    assert access.facts["sign_in_address"] == "acme.1password.com"
    assert access.capabilities == set() and access.grants == []
    assert any("never sent" in n for n in access.notes)


def test_never_looked_up_and_never_sent():
    assert not detector.has_lookup()
    assert detector.api_url is None and detector.hosts == () and detector.host_suffixes == ()
    # Pointed at a port where nothing listens: the lookup still answers from the bytes alone.
    access = lookup(find(sa_token()), "http://127.0.0.1:9", timeout=3)
    assert (access.live, access.evidence) == (None, "offline")


@pytest.mark.parametrize("address", ["evil.example.com", "1password.com.evil.test", "<script>x</script>"])
def test_a_sign_in_address_outside_1password_is_not_repeated(address):
    access = detector.classify(find(sa_token(address=address)))
    assert "sign_in_address" not in access.facts
    assert address.lower() not in (access.identity or "")
    assert any("not a 1Password host" in n for n in access.notes)


def test_key_material_never_in_the_access():
    text = repr(detector.classify(find(sa_token())))
    for material in KEY_MATERIAL:
        assert material not in text


def test_key_material_never_in_a_report(tmp_path: Path):
    repo = Repo(tmp_path / "r")
    repo.write(".env", f"OP_SERVICE_ACCOUNT_TOKEN={sa_token()}\n")
    repo.commit("add", ".env")
    report = scan_json(repo.root, "--offline")
    text = json.dumps(report)
    found = [f for f in report["findings"] if f["provider"] == "onepassword"]
    assert len(found) == 1
    assert "acme.1password.com" in text
    for material in (*KEY_MATERIAL, sa_token()):
        assert material not in text


def test_secret_key_is_classified_not_looked_up():
    tok = token("OP_SECRET_KEY=A3-XPIOEF-6V5EPQ-WIT7D-JLB1B-VEB7M-VU6QT\n", provider="onepassword")
    access = detector.classify(tok)
    assert tok.kind == "secret_key" and access.evidence == "prefix"
    assert any("Secret Key" in n for n in access.notes)
