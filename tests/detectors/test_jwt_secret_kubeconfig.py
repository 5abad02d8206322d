"""Signing secrets (JWT, Django, Flask, Rails) and cluster credentials in kubeconfigs."""

from __future__ import annotations

import base64
import subprocess
from pathlib import Path

import pytest

from tests.helpers import Repo, scan_json
from tokenreach.detectors.registry import by_provider

RAILS = ("e4b314f68d9dcbd7a085a368932ff2b2d409dd311ca871902316d9841aab4cce"
         "c38d79d89a0da0c41aebb8f010b8e9a5b5ab89c3049787a5d33aa7e52a6e8731")
DJANGO = "django-insecure-p@8ix#4^@e#a4q9om_4894z^jo^j7y+a*ek)@ctbr4#=y_1z=!"


@pytest.mark.parametrize(("text", "pattern", "secret"), [
    ("JWT_SECRET=9c4f7a2e1b8d6c3f5a0e7b2d9c1f4a6e8b3d5c7f", "jwt_secret.jwt_key",
     "9c4f7a2e1b8d6c3f5a0e7b2d9c1f4a6e8b3d5c7f"),
    (f"SECRET_KEY = '{DJANGO}'", "jwt_secret.secret_key", DJANGO),
    ("app.secret_key = 'a93Ce6KRDiKpFfez3gb9pvMEc0goRqG9hTCzppvEJqa'", "jwt_secret.flask_secret_key",
     "a93Ce6KRDiKpFfez3gb9pvMEc0goRqG9hTCzppvEJqa"),
    (f"production:\n  secret_key_base: {RAILS}\n", "jwt_secret.rails_secret_key_base", RAILS),
])
def test_signing_secrets(engine, text, pattern, secret):
    assert [(m.pattern.id, m.secret) for m in engine.scan(text.encode())] == [(pattern, secret)]


@pytest.mark.parametrize("text", [
    "SECRET_KEY = os.environ['DJANGO_SECRET_KEY']",
    'secret_key_base: <%= ENV["SECRET_KEY_BASE"] %>',
    "JWT_SECRET=${JWT_SECRET}",
    "jwt_secret = settings.JWT_SECRET_KEY",
])
def test_references_are_not_secrets(engine, text):
    assert engine.scan(text.encode()) == []


def test_a_kubeconfig_user_token(engine):
    text = ("apiVersion: v1\nkind: Config\nusers:\n- name: deployer\n  user:\n"
            "    client-certificate-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t\n"
            "    token: 8f3k2q9xm4wz8rp3vn6bl1ct5yf0gjsa7hd2lq9xw4zm8rt3nv6pb1kc5fy0gj\n")
    [m] = engine.scan(text.encode())
    assert (m.pattern.id, m.secret[:6]) == ("kubeconfig.user_token", "8f3k2q")
    assert by_provider()["kubeconfig"].revoke_url


def test_a_whole_client_key_is_the_private_key_once(engine, tmp_path: Path):
    """client-key-data that decodes to a whole PEM key: one finding, the private key's."""
    key = tmp_path / "k.pem"
    if subprocess.run(["openssl", "genrsa", "-out", str(key), "2048"], capture_output=True).returncode:
        pytest.skip("openssl cannot generate a key here")
    data = base64.b64encode(key.read_bytes()).decode()
    text = f"users:\n- name: admin\n  user:\n    client-key-data: {data}\n"
    assert [m.pattern.id for m in engine.scan(text.encode())] == ["private_key.pem"]


def test_kinds_in_a_scan(tmp_path):
    repo = Repo(tmp_path / "r")
    repo.write("config/secrets.yml", f"production:\n  secret_key_base: {RAILS}\n")
    repo.write("deploy/kubeconfig", "users:\n- name: ci\n  user:\n"
                                    "    token: 8f3k2q9xm4wz8rp3vn6bl1ct5yf0gjsa7hd2lq9xw4zm8rt3nv6pb1kc5fy0gj\n")
    doc = scan_json(repo.root, "--offline", "--no-history")
    assert sorted((f["provider"], f["kind"]) for f in doc["findings"]) == [
        ("jwt_secret", "signing_secret"), ("kubeconfig", "cluster_token")]
