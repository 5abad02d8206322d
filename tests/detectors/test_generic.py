"""The generic detector: detect-secrets' plugins on lines where a secret-like name is assigned."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.helpers import scan_json, token
from tokenreach.detectors.catalog import fake
from tokenreach.detectors.providers.generic import KIND_ENTROPY, KIND_KEYWORD, detector, secretish_name
from tokenreach.detectors.providers.github import with_checksum
from tokenreach.detectors.redaction import redact
from tokenreach.scanner.engine import Engine, tokens_in
from tokenreach.scanner.lookup import LookupOptions, lookup_one

B62 = fake("a62", 40, "test-generic")
HEX = fake("hex", 40, "test-generic-hex")
PASSWORD = "Xk9v2#LmQ7pRt"
GITHUB = with_checksum("ghp", fake("a62", 30, "test-generic-github"))


def generic(text: str) -> list:
    return [t for t in tokens_in(text) if t.provider == "generic"]


def test_a_password_under_a_keyword_is_a_keyword_secret():
    tok = token(f"DB_PASSWORD={PASSWORD}\n")
    assert (tok.provider, tok.kind, tok.secret, tok.variable) == ("generic", KIND_KEYWORD, PASSWORD, "DB_PASSWORD")


@pytest.mark.parametrize("text", [
    f"SESSION_SECRET={B62}",
    f'internal_token = "{HEX}"',
    f'{{"clientSecret": "{B62}"}}',
    f"export ADMIN_AUTH_TOKEN='{B62}'",
    f"  access_key: {B62}",
])
def test_a_high_entropy_value_under_a_secret_name(text):
    tok = token(text)
    assert (tok.provider, tok.kind) == ("generic", KIND_ENTROPY)
    assert tok.secret in (B62, HEX)


@pytest.mark.parametrize(("text", "variable"), [
    (f'        System.setProperty("BILLING_API_KEY", "{B62}");', "BILLING_API_KEY"),
    (f'    os.environ.setdefault("PAYMENTS_SECRET", "{B62}")', "PAYMENTS_SECRET"),
    (f"kubectl create secret generic app \\\n  --from-literal=WEBHOOK_TOKEN={B62}", "WEBHOOK_TOKEN"),
    (f'"env": "REGION=eu-west-1 DEPLOY_TOKEN={B62}"', "DEPLOY_TOKEN"),
    (f'const billingApiKey: string = "{B62}";', "billingApiKey"),  # a type between name and value
    (f"ENV['DEPLOY_TOKEN'] ||= '{B62}'", "DEPLOY_TOKEN"),
])
def test_a_calls_key_and_value_and_an_assignment_inside_a_value(text, variable):
    tok = token(text)
    assert (tok.provider, tok.secret, tok.variable) == ("generic", B62, variable)


@pytest.mark.parametrize("text", [
    '__all__ = ["AsyncOAuth1Mixin", "AsyncOAuth2Mixin"]',  # strings in a list, not a call's name and value
    f'check("Token", "{B62}")',  # a name that is no setting's
    f'url = "https://b.s3.amazonaws.com/log.txt?X-Amz-Security-Token={B62}&X-Amz-Expires=900"',  # a URL's query
])
def test_what_only_looks_like_a_calls_key_and_value(text):
    assert generic(text) == []


def test_a_provider_token_wins_over_generic_on_the_same_text():
    # The same lines, to the generic detector alone, are generic findings ...
    alone = Engine([(detector, p) for p in detector.patterns], use_hyperscan=False)
    text = f'GITHUB_TOKEN = "{GITHUB}"\nDEPLOY_PASSWORD=deploy:{GITHUB}\n'
    assert [m.secret for m in alone.scan(text.encode())] == [GITHUB, f"deploy:{GITHUB}"]
    # ... but with every detector, the GitHub token is all there is, identical span or not.
    found = tokens_in(text)
    assert {(t.provider, t.secret) for t in found} == {("github", GITHUB)}
    assert len(found) == 2


@pytest.mark.parametrize("text", [
    'password = "changeme"',
    "API_KEY=${API_KEY}",
    "api_key: ${{ secrets.API_KEY }}",
    'api_key: "{{ vault_api_key }}"',
    'token = os.environ["GITHUB_TOKEN"]',
    "secret = os.getenv('APP_SECRET_1')",
    "const token = process.env.API_TOKEN_V2;",
    "DB_PASSWORD=$DB_PASSWORD",
    'password = get_password("db1")',
    "token = self._tokens[index + 1]",
    'password_file = "/run/secrets/db_password1"',
    'PRIVATE_KEY_PATH = "certs/server1.key"',
    'TOKEN_TYPE = "bearer_token_v2"',
    'secret_key = "your-secret-key-here-123"',
    "password: <your password 1>",
    'auth_url = "https://login.example.test/oauth2/token1"',
    "password = '********'",
    "api_key = 'xxxxxxxxxxxxxxxxxxxxxxxx'",
    'secret = "0123456789abcdef0123456789abcdef"',
    "password=%(password)s",
    '"NextToken": "eyJtYXJrZXIiOiAiMTIzIn0="',
    '"hashed_secret": "4e1243bd22c66e76c2ba9eddc1f91394e57f9f83"',
    "api_key = settings.API_KEY_2",
    'client_token = "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111"',
    "PasswordLastUsed: 2014-10-10T17:53:09Z",
])
def test_placeholders_references_and_lookups_are_not_secrets(text):
    assert generic(text) == []


@pytest.mark.parametrize("text", [
    f'x = "{B62}"',
    f'"{B62}"',
    f"{B62}\n",
    f"checksum: {HEX}",
    f'sha = "{HEX}"',
    f"  - {B62}",
])
def test_a_high_entropy_string_without_a_secret_name_is_not_reported(text):
    assert generic(text) == []


@pytest.mark.parametrize(("name", "secretish"), [
    ("DB_PASSWORD", True), ("apiKey", True), ("x-api-key", True), ("AppSecret", True),
    ("GITHUB_TOKEN", True), ("auth", True), ("privateKey", True), ("AWS_ACCESS_KEY", True),
    ("clienttoken", True), ("credentials", True),
    ("author", False), ("tokenizer", False), ("tokens", False), ("token_type", False),
    ("password_file", False), ("NextToken", False), ("publicKeyToken", False), ("is_secret", False),
    ("secret_name", False), ("hashed_secret", False), ("TOKEN_URL", False), ("bypass", False),
])
def test_secret_like_names(name, secretish):
    assert secretish_name(name) is secretish


def test_generic_findings_get_no_lookup_and_say_so():
    tok = token(f"SESSION_SECRET={B62}")
    access = lookup_one(tok, LookupOptions())  # not offline: there is nothing to ask all the same
    assert access.live is None and access.evidence == "prefix"
    assert access.notes and access.notes[0].startswith("no provider identified")
    assert not detector.has_lookup() and detector.generic


def test_end_to_end_redacted(repo):
    repo.write(".gitignore", ".env\n")
    repo.write(".env", f"SESSION_SECRET={B62}\nDB_PASSWORD={PASSWORD}\n")
    doc = scan_json(repo.root, "--offline")
    found = {f["variable"]: f for f in doc["findings"]}
    assert set(found) == {"SESSION_SECRET", "DB_PASSWORD"}
    for f in found.values():
        assert f["provider"] == "generic" and f["exposure"] == "ignored"
        assert f["access"]["evidence"] == "prefix"
    assert found["SESSION_SECRET"]["redacted"] == redact(B62)
    assert B62 not in str(doc) and PASSWORD not in str(doc)


def test_detect_secrets_is_only_imported_for_a_plausible_value():
    """Its import costs ~0.1 s: lines the cheap stages reject never pay it."""
    code = (
        "import sys\n"
        "from tokenreach.scanner.engine import tokens_in\n"
        "text = 'token = self.tokens[1]\\npassword = get_password(2)\\nAPI_KEY=${API_KEY_1}\\n' * 200\n"
        "assert not [t for t in tokens_in(text) if t.provider == 'generic']\n"
        "print('detect_secrets' in sys.modules)\n"
        f"tokens_in('DB_PASSWORD={PASSWORD}')\n"
        "print('detect_secrets' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=dict(os.environ),
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["False", "True"]
