"""A token right after an escaped separator is found, at its own place (issue 17, item 13).

``token%3Dghp_…`` (a URL-encoded ``=``), ``Bearer%20…``, and ``"…\\nGITHUB_TOKEN=ghp_…"`` (a JSON
string holding a file) put a letter or digit right before the token or its name, so the word
boundary every token pattern starts with refused it. Each escape now reads as the character it
stands for, on the lines where one stands before a word, and the token is reported at its own
offset in the file.
"""

from __future__ import annotations

import json

import pytest

from tests.helpers import Repo, run_cli
from tokenreach.detectors.providers.azure import _EX_SIG
from tokenreach.detectors.registry import all_patterns
from tokenreach.scanner.engine import Engine

GITHUB = "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"  # detectors/providers/github.py's example
SLACK = "xoxb-4729137890-4729137890123-AbCdEfGhIjKlMnOpQrStUvWx"
SHOPIFY = "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"
DATADOG = "3f9a1c7e5b2d4f6a8c0e1b3d5f7a9c2e"


@pytest.fixture(scope="module", params=["hyperscan", "re"])
def engine(request) -> Engine:
    eng = Engine(all_patterns(), use_hyperscan=request.param == "hyperscan")
    if eng.backend != request.param:
        pytest.skip("hyperscan is not installed")
    return eng


def found(engine: Engine, text: str) -> dict[str, tuple[int, str, str | None]]:
    """secret -> (offset, provider, variable) of every match in ``text``."""
    buf = text.encode()
    out = {}
    for m in engine.scan(buf):
        assert buf[m.start:m.end].decode() == m.secret, "a match must point at its own bytes"
        out[m.secret] = (m.start, m.detector.provider, m.variable)
    return out


@pytest.mark.parametrize("text, secret, provider, variable", [
    (f"https://hooks.example.test/cb?state=1&token%3D{GITHUB}&x=1", GITHUB, "github", None),
    (f"curl -H 'Authorization: Bearer%20{GITHUB}' https://api.example.test/", GITHUB, "github", None),
    (f"redirect=%2Fcb%3Fshop%3Dacme%26access_token%3D{SHOPIFY}", SHOPIFY, "shopify", None),
    (f"token%3A%20{SLACK}", SLACK, "slack", None),
    ('{"files": {".env": "APP=web\\nGITHUB_TOKEN=' + GITHUB + '\\nDEBUG=0"}}', GITHUB, "github", "GITHUB_TOKEN"),
    ('{"log": "export token:\\n' + GITHUB + '"}', GITHUB, "github", None),
    ('{"log": "tab\\t' + SLACK + '"}', SLACK, "slack", None),
    ('{"env": "X=1\\nDD_API_KEY=' + DATADOG + '"}', DATADOG, "datadog", "DD_API_KEY"),
    ('{"query": "token\\u003d' + GITHUB + '"}', GITHUB, "github", None),
    ("printf 'token\\x3d" + GITHUB + "'", GITHUB, "github", None),
    ("APP=web%0AGITHUB_TOKEN%3D" + GITHUB, GITHUB, "github", None),
], ids=["pct3D", "bearer-pct20", "nested-url-encoding", "pct3A-pct20", "json-newline-name", "json-newline-token",
        "json-tab", "json-newline-named-key", "json-u003d", "c-x3d", "pct0A"])
def test_token_after_an_escaped_separator_is_found_at_its_place(engine, text, secret, provider, variable):
    matches = found(engine, text)
    assert secret in matches, matches
    offset, got_provider, got_variable = matches[secret]
    assert offset == text.index(secret)
    assert got_provider == provider
    if variable is not None:
        assert got_variable == variable


@pytest.mark.parametrize("text", [
    f"x%41{GITHUB}",  # an encoded letter continues the word before it
    f"x%5F{GITHUB}",  # an encoded underscore, too
    f"id\\u0041{GITHUB}",
], ids=["pct41", "pct5F", "u0041"])
def test_an_escaped_word_character_is_no_boundary(engine, text):
    assert GITHUB not in found(engine, text)


def test_escapes_inside_a_secret_are_left_as_written(engine):
    """An Azure SAS signature is URL-encoded: the secret is reported byte for byte, once."""
    url = ("BACKUP_URL=https://acmeprod.blob.core.windows.net/backups?sv=2022-11-02&ss=b&srt=sco&sp=rl"
           f"&se=2030-01-01T00:00:00Z&spr=https&sig={_EX_SIG}")
    text = f"{url}\n# mirror%3A%20{GITHUB}\n"
    matches = found(engine, text)
    sas = [s for s in matches if s.startswith("sv=")]
    assert len(sas) == 1 and sas[0].endswith(_EX_SIG)
    assert GITHUB in matches


def test_location_in_the_report_points_at_the_token(tmp_path):
    repo = Repo(tmp_path / "r")
    lines = ["# webhook settings", "", f'CALLBACK="https://ci.example.test/hook?job=7&token%3D{GITHUB}"']
    repo.write("ci/hooks.env", "\n".join(lines) + "\n")
    repo.commit("hooks")
    proc = run_cli(["scan", str(repo.root), "--offline", "--no-history", "--format", "json"])
    assert proc.returncode == 1, proc.stderr
    [finding] = [f for f in json.loads(proc.stdout)["findings"] if f["provider"] == "github"]
    [loc] = finding["locations"]
    assert (loc["path"], loc["line"], loc["column"]) == ("ci/hooks.env", 3, lines[2].index(GITHUB) + 1)
