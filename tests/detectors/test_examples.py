"""Placeholders and published examples: never reported, for any rule, in either engine; counted."""

from __future__ import annotations

import hashlib
import re
import sys

import pytest

from tests.helpers import Repo, run_cli, scan_json
from tokenreach.detectors.examples import EXAMPLES_FILE, not_a_secret, placeholder_form, published_example

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

# A real prefix with a placeholder body: each rule's regex matches it, and before this filter
# the Stripe ones were reported (their body is alphanumeric, which xxxx and 1234… are).
PLACEHOLDERS = [
    "STRIPE_SECRET_KEY=sk_live_xxxxxxxxxxxxxxxxxxxxxxxx",
    "STRIPE_SECRET_KEY=sk_live_XXXXXXXXXXXXXXXXXXXXXXXX",
    "STRIPE_SECRET_KEY=sk_live_1234567890abcdefghijklmn",
    "GITHUB_TOKEN=ghp_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
    "DATABASE_URL=postgres://app:xxxxxxxx@db.acme.test/app",
    "redis://[[username]:[password]]@cache.acme.io:6379/0",  # a docstring's syntax line (redis-py)
]
# Published by the providers themselves (detectors/published_examples.toml), found by a rule.
PUBLISHED = [
    "STRIPE_SECRET_KEY=sk_test_4eC39HqLyjWDarjtT1zdp7dc",  # Stripe's API reference
    "AZURE_STORAGE_CONNECTION_STRING=DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
    "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;"
    "BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;",  # the storage emulator's key
    "access_token = '2YotnFZFEjr1zCsicMWpAA'",  # RFC 6749
    '"ServicePassword": "k1zPZM6uVxMQ3oxqgoYlNuJPyRTZ1vREs76zTQE3eJk=",',  # the AWS CLI Command Reference
]
# Never matched at all: the slot or ellipsis is outside every token alphabet.
UNMATCHED = ['OPENAI_API_KEY="sk-proj-<your-key>"', "ANTHROPIC_API_KEY=sk-ant-api03-...",
             "OPENAI_API_KEY=sk-proj-abc\u2026"]
# Random values that merely hold digits or an x: reported.
REAL = ["STRIPE_SECRET_KEY=sk_live_51Hq7mVKx2Rt9Lw4Zp8Nc3Hy6Bd1Fs0Jg5Ak",
        "STRIPE_SECRET_KEY=sk_live_9x123456Kx2Rt9Lw4Zp8Nc3Hy6Bd1Fs0Jg5Ak"]


@pytest.mark.parametrize("text", PLACEHOLDERS + PUBLISHED)
def test_not_reported_but_counted(engine, text):
    before = engine.not_reported
    assert engine.scan(text.encode()) == []
    assert engine.not_reported == before + 1


@pytest.mark.parametrize("text", UNMATCHED)
def test_placeholder_slots_are_never_a_token(engine, text):
    assert engine.scan(text.encode()) == []


@pytest.mark.parametrize("text", REAL)
def test_random_values_are_still_reported(engine, text):
    before = engine.not_reported
    assert [m.pattern.id for m in engine.scan(text.encode())] == ["stripe.secret_key"]
    assert engine.not_reported == before


@pytest.mark.parametrize("value", ["sk_live_xxxx1", "XXXX", "1234567890", "key-123456abc", "<your-key>",
                                   "abc...", "abc\u2026", "sk_***", "[password]", "{api_token}"])
def test_placeholder_forms(value):
    assert placeholder_form(value) and not_a_secret(value)


@pytest.mark.parametrize("value", ["Qx7mV2kR9pLw4Zt8", "ab9123456cd", "xxx1", "a<b", "1.2.3", "x[1]y", "pass{word",
                                   "{SHA}Aevl3FMv3k+kDxkGk97s6XPz1v8=",
                                   "Qx7mV2kR9pLw4Zt8" * 20 + "xxxx"])  # by chance, in a PEM body
def test_not_placeholder_forms(value):
    assert not placeholder_form(value)


def test_the_data_file_holds_well_formed_entries_with_their_source():
    data = tomllib.loads(EXAMPLES_FILE.read_text(encoding="utf-8"))
    entries = data["example"]
    assert len(entries) >= 10
    for e in entries:
        assert set(e) == {"sha256", "provider", "hint", "source"}, e
        assert re.fullmatch(r"[0-9a-f]{64}", e["sha256"])
        assert e["source"].startswith("https://")
    assert len({e["sha256"] for e in entries}) == len(entries)


def test_published_examples_by_hash_not_by_value():
    text = EXAMPLES_FILE.read_text(encoding="utf-8")
    value = "sk_test_4eC39HqLyjWDarjtT1zdp7dc"
    assert value not in text and hashlib.sha256(value.encode()).hexdigest() in text
    assert published_example(value) and not published_example(value[:-1] + "e")


def test_the_summary_counts_them(tmp_path):
    repo = Repo(tmp_path / "r")
    repo.write("app.env", "\n".join([*PLACEHOLDERS, *PUBLISHED, REAL[0]]) + "\n")
    doc = scan_json(repo.root, "--offline", "--no-history")
    assert [f["provider"] for f in doc["findings"]] == ["stripe"]
    assert doc["stats"]["not_reported"] == len(PLACEHOLDERS) + len(PUBLISHED)
    text = run_cli(["scan", str(repo.root), "--offline", "--no-history"])
    assert f"{len(PLACEHOLDERS) + len(PUBLISHED)} placeholders and published examples not reported" in text.stdout
    for fmt, needle in (("markdown", "placeholders and published examples not reported"), ("sarif", '"notReported"')):
        out = run_cli(["scan", str(repo.root), "--offline", "--no-history", "--format", fmt])
        assert needle in out.stdout
