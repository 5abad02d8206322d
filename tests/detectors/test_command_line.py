"""Credentials on command lines: the literal is reported, a variable never is."""

from __future__ import annotations

import pytest

from tests.helpers import Repo, scan_json
from tokenreach.detectors.providers.github import with_checksum


@pytest.mark.parametrize(("text", "pattern", "secret"), [
    ("curl -u deploy:Wq8Zm3Lp6Rt2 https://api.acme.test", "command_line.curl_user", "Wq8Zm3Lp6Rt2"),
    ('curl -H "Authorization: Bearer 9fQ2xLm7Kp3Wv8Rt5Zn1Yb6Hc4Jd0Gs" https://api.acme.test',
     "command_line.authorization_header", "9fQ2xLm7Kp3Wv8Rt5Zn1Yb6Hc4Jd0Gs"),
    ("mysql -h db.acme.test -u app -pTz6Hb3Nq9Wd app", "command_line.mysql_password", "Tz6Hb3Nq9Wd"),
    ("mysqldump --user=app --password=Tz6Hb3Nq9Wd shop", "command_line.password_option", "Tz6Hb3Nq9Wd"),
    ("sshpass -p 'Yh3Nc8Vb1Mq7' ssh deploy@bastion.acme.test", "command_line.sshpass", "Yh3Nc8Vb1Mq7"),
    ("docker login -u ci -p Rk7Xm2Pq9Lw4 registry.acme.test", "command_line.login_p", "Rk7Xm2Pq9Lw4"),
    ('$pw = ConvertTo-SecureString "Vb8Nm3Qx9Lp2" -AsPlainText -Force', "command_line.powershell_securestring",
     "Vb8Nm3Qx9Lp2"),
])
def test_the_literal_is_the_secret(engine, text, pattern, secret):
    assert [(m.pattern.id, m.secret) for m in engine.scan(text.encode())] == [(pattern, secret)]


@pytest.mark.parametrize("text", [
    'curl -u "$USER:$PASS" https://api.acme.test',
    "curl -u deploy:${DEPLOY_PASSWORD} https://api.acme.test",
    'curl -H "Authorization: Bearer ${{ secrets.API_TOKEN }}" https://api.acme.test',
    'mysql -u root -p"$MYSQL_ROOT_PASSWORD" shop',
    "docker login -u ci -p ${{ secrets.REGISTRY_PASSWORD }} registry.acme.test",
    "docker login -u ci --password %REGISTRY_PASSWORD% registry.acme.test",
    "sshpass -p $(cat /run/secrets/ssh) ssh deploy@bastion.acme.test",
    '$pw = ConvertTo-SecureString "$env:ADMIN_PASSWORD" -AsPlainText -Force',
])
def test_variables_are_not_secrets(engine, text):
    assert engine.scan(text.encode()) == []


def test_a_providers_token_on_a_command_line_stays_the_providers(engine):
    body = "Qx7mV2kR9pLw4Zt8Nc3Hy6Bd1Fs0Jg"  # 30 characters, then their CRC32 in base62
    token = with_checksum("ghp", body)
    found = {m.pattern.id for m in engine.scan(f'curl -H "Authorization: Bearer {token}" https://x'.encode())}
    assert found == {"github.classic_pat"}


def test_in_a_ci_script(tmp_path):
    repo = Repo(tmp_path / "r")
    repo.write("deploy.sh", "#!/bin/sh\nset -e\nsshpass -p 'Yh3Nc8Vb1Mq7' scp build.tgz deploy@bastion.acme.test:\n"
                            "docker login -u ci -p \"$REGISTRY_PASSWORD\" registry.acme.test\n")
    doc = scan_json(repo.root, "--offline", "--no-history")
    assert [(f["provider"], f["kind"]) for f in doc["findings"]] == [("command_line", "command_line_password")]
