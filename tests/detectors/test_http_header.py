"""Credentials written into an HTTP request's headers in code: the literal is reported, a variable
never is, and a provider's own token stays the provider's."""

from __future__ import annotations

import pytest

from tests.helpers import Repo, scan_json
from tokenreach.detectors.providers.github import with_checksum

SECRET = "q8ZkR2mWx7LpT4vN9bC3sY6hJ1dF5gKa"


@pytest.mark.parametrize(("text", "pattern"), [
    (f'requests.get(url, headers={{"Authorization": "Bearer {SECRET}"}})', "http_header.authorization"),
    (f"fetch(url, {{ headers: {{ Authorization: 'Bearer {SECRET}' }} }})", "http_header.authorization"),
    (f'req.Header.Set("Authorization", "Token {SECRET}")', "http_header.authorization"),
    (f"curl_setopt($ch, CURLOPT_HTTPHEADER, ['Authorization: Bearer {SECRET}']);", "http_header.authorization"),
    (f'requests.get(url, headers={{"X-API-Key": "{SECRET}"}})', "http_header.api_key"),
    (f'conn.setRequestProperty("PRIVATE-TOKEN", "{SECRET}");', "http_header.api_key"),
])
def test_the_literal_is_the_secret(engine, text, pattern):
    assert [(m.pattern.id, m.secret) for m in engine.scan(text.encode())] == [(pattern, SECRET)]


@pytest.mark.parametrize("text", [
    'headers={"Authorization": "Bearer " + token}',
    'headers={"Authorization": f"Bearer {token}"}',
    "headers: { Authorization: `Bearer ${token}` }",
    'headers={"Authorization": "Bearer YOUR_ACCESS_TOKEN"}',
    'headers={"X-API-Key": os.environ["API_KEY"]}',
    'headers={"X-API-Key": "<your-api-key-goes-here>"}',
])
def test_variables_and_placeholders_are_not_secrets(engine, text):
    assert engine.scan(text.encode()) == []


def test_a_command_lines_header_is_reported_once(engine):
    text = f'curl -H "Authorization: Bearer {SECRET}" https://api.acme.test/v1/me'
    assert [m.pattern.id for m in engine.scan(text.encode())] == ["command_line.authorization_header"]


def test_a_providers_token_in_a_header_stays_the_providers(engine):
    body = "Qx7mV2kR9pLw4Zt8Nc3Hy6Bd1Fs0Jg"  # 30 characters, then their CRC32 in base62
    token = with_checksum("ghp", body)
    found = {m.pattern.id for m in engine.scan(f'headers={{"Authorization": "Bearer {token}"}}'.encode())}
    assert found == {"github.classic_pat"}


def test_in_a_client_module(tmp_path):
    repo = Repo(tmp_path / "r")
    call = f'requests.get(URL, headers={{"Authorization": "Bearer {SECRET}"}})'
    repo.write("billing/api.py", f"import requests\n\n\ndef status() -> dict:\n    return {call}.json()\n")
    doc = scan_json(repo.root, "--offline", "--no-history")
    assert [(f["provider"], f["kind"], f["locations"][0]["line"]) for f in doc["findings"]] == [
        ("http_header", "authorization_header", 5)]
    assert SECRET not in str(doc)
