"""Encoded secrets: a token inside a base64 value is found, at the value's place, marked base64."""

from __future__ import annotations

import base64
import json
import random

import pytest

from tests.helpers import run_cli, scan_json
from tokenreach.detectors.catalog import fake
from tokenreach.detectors.providers.github import with_checksum
from tokenreach.detectors.registry import all_patterns
from tokenreach.scanner.engine import MAX_BASE64, Engine, default_engine, tokens_in

GITHUB = with_checksum("ghp", fake("a62", 30, "test-encoded-github"))
SLACK = "xoxb-" + "-".join((fake("digits", 12, "enc-s1"), fake("digits", 13, "enc-s2"), fake("a62", 24, "enc-s3")))


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def k8s_secret(**data: str) -> str:
    lines = "".join(f"  {k}: {b64(v)}\n" for k, v in data.items())
    return f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: ci\ntype: Opaque\ndata:\n{lines}"


def docker_config(user: str, password: str) -> str:
    return json.dumps({"auths": {"ghcr.io": {"auth": b64(f"{user}:{password}")}}}, indent=2) + "\n"


def found(text: str, engine: Engine | None = None) -> list:
    return sorted((engine or default_engine()).scan(text.encode()), key=lambda m: m.start)


def test_a_kubernetes_secret_manifest(repo):
    manifest = k8s_secret(GITHUB_TOKEN=GITHUB, SLACK_BOT=SLACK, DATABASE_URL="postgres://app:Xk9v2LmQ7pRt@db/app")
    repo.write("deploy/secret.yaml", manifest)
    repo.commit("manifest")
    doc = scan_json(repo.root, "--offline", "--no-history")
    by_provider = {f["provider"]: f for f in doc["findings"]}
    assert set(by_provider) == {"github", "slack", "postgres"}  # any data key of a Secret is decoded
    gh = by_provider["github"]
    assert gh["variable"] == "GITHUB_TOKEN"
    assert gh["locations"] == [{"path": "deploy/secret.yaml", "line": 7, "column": 17, "exposure": "tracked",
                                "encoding": "base64", "fenced_from": [], "readable_by": []}]
    assert by_provider["slack"]["locations"][0]["line"] == 8
    assert (by_provider["postgres"]["variable"], by_provider["postgres"]["redacted"]) == ("DATABASE_URL", "****")
    text = json.dumps(doc)
    assert GITHUB not in text and b64(GITHUB) not in text and SLACK not in text
    report = run_cli(["scan", str(repo.root), "--offline", "--no-history"]).stdout
    assert "deploy/secret.yaml:7:17 [tracked] base64-encoded" in report
    assert GITHUB not in report and b64(GITHUB) not in report


def test_a_docker_config_json():
    config = docker_config("octocat", GITHUB)
    (m,) = found(config)
    assert (m.detector.provider, m.secret, m.encoding) == ("github", GITHUB, "base64")
    assert m.variable == "auth"  # the outer name, not the user name before the colon
    assert config.encode()[m.start:m.end] == b64(f"octocat:{GITHUB}").encode()


def test_http_basic_auth_and_env_values():
    text = (f"Authorization: Basic {b64('x-access-token:' + GITHUB)}\n"
            f"SLACK_B64={b64(SLACK)}\n")
    assert [(m.detector.provider, m.encoding) for m in found(text)] == [("github", "base64"), ("slack", "base64")]


RANDOM = [base64.b64encode(random.Random(seed).randbytes(n)).decode() for seed, n in ((7, 48), (8, 300))]
INNOCUOUS = [b64("hello world, this is a perfectly ordinary sentence and nothing more"),
             b64('{"page": 2, "marker": "item-1234", "limit": 50}'),  # a pagination token
             b64("admin:not-a-provider-token")]


@pytest.mark.parametrize("value", RANDOM + INNOCUOUS)
def test_base64_of_random_bytes_or_innocuous_text_yields_nothing(value):
    plain = f'data:\n  blob: {value}\n{{"NextToken": "{value}", "data": "{value}"}}\nBLOB={value}\n'
    assert found(plain) == []
    # Under a secret-like name, random bytes are still a high-entropy value (as written, not
    # decoded); innocuous text is nothing at all.
    named = f'{{"auth": "{value}"}}\nAPI_TOKEN={value}\n'
    matches = found(named)
    assert all(m.encoding is None for m in matches)
    if value in INNOCUOUS:
        assert matches == []
    else:  # a value of up to 256 characters
        expected = [("generic", value)] * 2 if len(value) <= 256 else []
        assert [(m.detector.provider, m.secret) for m in matches] == expected


def test_a_plain_and_an_encoded_copy_are_one_finding_with_two_locations(repo):
    repo.write("ci.env", f"GITHUB_TOKEN={GITHUB}\n")
    repo.write("k8s.yaml", k8s_secret(GITHUB_TOKEN=GITHUB))
    repo.commit("both")
    doc = scan_json(repo.root, "--offline", "--no-history")
    (f,) = doc["findings"]
    assert sorted((loc["path"], loc.get("encoding")) for loc in f["locations"]) == [
        ("ci.env", None), ("k8s.yaml", "base64")]


def test_one_level_deep_only():
    twice = b64(b64(GITHUB))
    assert [m for m in found(f"TOKEN: {twice}\n") if m.detector.provider == "github"] == []
    assert [m.secret for m in found(f"TOKEN: {b64(GITHUB)}\n")] == [GITHUB]


def test_a_value_longer_than_the_bound_is_not_decoded():
    padding = "x" * (MAX_BASE64 * 3 // 4)
    assert found(f"config: {b64(padding + ' ' + GITHUB)}\n") == []
    assert [m.secret for m in found(f"config: {b64('x' * 100 + ' ' + GITHUB)}\n")] == [GITHUB]


def test_outside_a_secret_manifest_only_values_of_secret_like_names_are_decoded():
    """Hyperscan looks for base64 values after a name with a secret-like word in it only (a
    pattern without a literal would cost its whole pass); a Kubernetes Secret's keys are any."""
    assert found(f"SOME_SETTING={b64(GITHUB)}\n") == []
    assert [m.secret for m in found(f"SOME_SETTING_B64={b64(GITHUB)}\n")] == [GITHUB]
    assert [m.secret for m in found(f"kind: Secret\ndata:\n  SOME_SETTING: {b64(GITHUB)}\n")] == [GITHUB]


def test_a_generic_password_in_a_kubernetes_secret_is_reported_decoded():
    password = "Xk9v2#LmQ7pRt4"
    (tok,) = tokens_in(k8s_secret(DB_PASSWORD=password))
    assert (tok.provider, tok.secret, tok.variable) == ("generic", password, "DB_PASSWORD")


def test_inline_ignore_applies_to_the_encoded_line(repo):
    repo.write("k8s.yaml", f"data:\n  GITHUB_TOKEN: {b64(GITHUB)}  # tokenreach:ignore\n")
    repo.commit("ignored")
    assert scan_json(repo.root, "--offline", "--no-history")["findings"] == []


def test_backends_agree_on_encoded_secrets():
    pytest.importorskip("hyperscan")
    text = (k8s_secret(GITHUB_TOKEN=GITHUB, SLACK=SLACK) + docker_config("u", GITHUB)
            + f"Authorization: Basic {b64('u:' + SLACK)}\n").encode()
    pairs = all_patterns()
    hs = {(m.pattern.id, m.start, m.encoding) for m in Engine(pairs, use_hyperscan=True).scan(text)}
    rx = {(m.pattern.id, m.start, m.encoding) for m in Engine(pairs, use_hyperscan=False).scan(text)}
    assert hs == rx and len(hs) == 4


JENKINS = "11" + fake("hex", 32, "enc-jenkins")  # a key only its name tells apart (jenkins.toml)


@pytest.mark.parametrize("newline", ["", "\n"])  # `echo -n token | base64`, and `echo token | base64`
@pytest.mark.parametrize("hyperscan", [True, False])
def test_a_key_known_by_its_name_in_a_kubernetes_secret(newline: str, hyperscan: bool) -> None:
    """Decoded alone, a named key's value is an anonymous hex string: it is read in its line with
    the value decoded in place, so that the name it is assigned to tells it apart."""
    if hyperscan:
        pytest.importorskip("hyperscan")
    engine = Engine(all_patterns(), use_hyperscan=hyperscan)
    manifest = k8s_secret(JENKINS_API_TOKEN=JENKINS + newline, LOG_LEVEL="info")
    [m] = found(manifest, engine)
    assert (m.pattern.id, m.secret, m.encoding, m.variable) == ("jenkins.api_token", JENKINS, "base64",
                                                               "JENKINS_API_TOKEN")
    value = b64(JENKINS + newline)
    assert manifest[m.start:m.end] == value  # at the encoded value's place


def test_only_a_match_of_the_whole_decoded_value_counts() -> None:
    # The name is in the line, the key inside a longer decoded text: not this rule's value.
    assert found(k8s_secret(JENKINS_API_TOKEN=f"token {JENKINS} for ci")) == []
