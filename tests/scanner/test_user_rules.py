"""Users' rule files (docs/rules.md): `rules = [...]` in configuration and `--rules PATH` on scan,
end to end; a broken rule file is one line naming the file and the line, exit 2."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from tests.helpers import Repo, run_cli
from tokenreach.detectors import registry
from tokenreach.detectors.rule_files import RuleDetector, RuleError, load, rule_paths
from tokenreach.scanner.cache_root import engine_dir
from tokenreach.scanner.engine import Engine

TOKEN = "acme_Zq8Rt2Lm9Xw4Vb7N"
ACME = """\
provider = "acme"
name = "Acme Cloud"
revoke_url = "https://acme.example/settings/keys"

[[rules]]
id = "acme.api_key"
name = "Acme API key"
kind = "api_key"
keywords = ["acme_"]
regex = '\\b(?P<secret>acme_[A-Za-z0-9]{16})\\b'
examples = ["ACME_KEY=acme_Qx7mV2kR9pLw4Zt8"]
counterexamples = ["ACME_KEY=acme_xxxxxxxxxxxxxxxx"]

[rules.check]
skip = 5
alphabet = "alnum"
"""


@pytest.fixture
def repo(tmp_path) -> Repo:
    r = Repo(tmp_path / "repo")
    r.write("app.py", f'ACME_KEY = "{TOKEN}"\nPLACEHOLDER = "acme_xxxxxxxxxxxxxxxx"\n')
    r.commit("app")
    return r


def findings(proc) -> list[dict]:
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)["findings"]


def test_rules_from_the_configuration(repo):
    repo.write("secrets-rules/acme.toml", ACME)
    repo.write(".tokenreach.toml", 'rules = ["secrets-rules/"]\n')
    found = findings(run_cli(["scan", str(repo.root), "--offline", "--no-history", "--format", "json"]))
    acme = [f for f in found if f["provider"] == "acme" and f["locations"][0]["path"] == "app.py"]
    assert len(acme) == 1  # the placeholder fails the rule's check
    assert acme[0]["pattern"] == "acme.api_key" and acme[0]["kind"] == "api_key"
    # the rule file's name and revocation page reach the remediation, like a built-in's
    assert any("Acme Cloud" in step and "https://acme.example/settings/keys" in step for step in acme[0]["remediation"])


def test_rules_on_the_command_line_are_repeatable(repo, tmp_path):
    (tmp_path / "acme.toml").write_text(ACME)
    (tmp_path / "bolt.toml").write_text(ACME.replace("acme", "bolt").replace("Acme", "Bolt"))
    repo.write("more.py", 'BOLT_KEY = "bolt_Zq8Rt2Lm9Xw4Vb7N"\n')
    repo.commit("more")
    proc = run_cli(["scan", str(repo.root), "--offline", "--no-history", "--format", "json",
                    "--rules", str(tmp_path / "acme.toml"), "--rules", str(tmp_path / "bolt.toml")])
    assert {f["provider"] for f in findings(proc)} >= {"acme", "bolt"}


def test_without_the_rules_nothing_is_found(repo):
    proc = run_cli(["scan", str(repo.root), "--offline", "--no-history", "--format", "json"])
    assert not [f for f in findings(proc) if f["provider"] == "acme"]
    assert "acme" not in registry.by_provider()  # the previous run's user rules are gone


def test_the_configuration_and_the_command_line_add_up(repo, tmp_path):
    repo.write("rules/acme.toml", ACME)
    repo.write(".tokenreach.toml", 'rules = ["rules/acme.toml"]\n')
    (tmp_path / "bolt.toml").write_text(ACME.replace("acme", "bolt").replace("Acme", "Bolt"))
    repo.write("more.py", 'BOLT_KEY = "bolt_Zq8Rt2Lm9Xw4Vb7N"\n')
    repo.commit("more")
    proc = run_cli(["scan", str(repo.root), "--offline", "--no-history", "--format", "json",
                    "--rules", str(tmp_path / "bolt.toml")])
    assert {f["provider"] for f in findings(proc)} >= {"acme", "bolt"}


BROKEN = [
    # (what is wrong, the file's text, its line in the message, words of the message)
    ("toml", ACME.replace('name = "Acme Cloud"', 'name = "Acme Cloud'), 2, "invalid TOML"),
    ("regex", ACME.replace("{16})", "{16}"), 10, "rule 'acme.api_key': regex: invalid regular expression"),
    ("check", ACME.replace('alphabet = "alnum"', 'alphabet = "base32"'), 16,
     "rule 'acme.api_key': check.alphabet: must be one of"),
    ("field", ACME.replace("keywords", "keywrods"), 9, "rule 'acme.api_key': keywrods: unknown key"),
    ("built-in", ACME.replace('provider = "acme"', 'provider = "github"').replace("acme.api_key", "github.api_key"),
     1, "provider: 'github' is a built-in provider"),
]


@pytest.mark.parametrize(("what", "text", "line", "words"), BROKEN, ids=[b[0] for b in BROKEN])
def test_a_broken_rule_file_is_one_line_and_exit_2(repo, tmp_path, what, text, line, words):
    path = tmp_path / "acme.toml"
    path.write_text(text)
    proc = run_cli(["scan", str(repo.root), "--offline", "--rules", str(path)])
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert f"{path}:{line}: " in lines[0] and words in lines[0]
    assert "Traceback" not in proc.stderr and proc.stdout == ""


def test_a_broken_rule_file_named_by_the_configuration_is_exit_2(repo):
    repo.write("rules/acme.toml", ACME.replace("{16})", "{16}"))
    repo.write(".tokenreach.toml", 'rules = ["rules"]\n')
    proc = run_cli(["scan", str(repo.root), "--offline"])
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1
    assert "rules/acme.toml:10: rule 'acme.api_key': regex: invalid regular expression" in proc.stderr


@pytest.mark.parametrize(("value", "words"), [
    ('["/etc"]', "must be a path relative to the configuration file"),
    ('["../elsewhere"]', "leads outside the configuration file's folder"),
    ('"rules"', None),  # a single string is a list of one
    ('[3]', "rules: must be a list of strings"),
])
def test_configured_rule_paths_stay_inside_the_repository(repo, value, words):
    repo.write("rules/acme.toml", ACME)
    repo.write(".tokenreach.toml", f"rules = {value}\n")
    proc = run_cli(["scan", str(repo.root), "--offline", "--no-history"])
    if words is None:
        assert proc.returncode == 1, proc.stderr
        return
    assert proc.returncode == 2 and words in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_a_missing_rule_path_is_exit_2(repo, tmp_path):
    proc = run_cli(["scan", str(repo.root), "--offline", "--rules", str(tmp_path / "nope")])
    assert proc.returncode == 2 and "no such rule file or folder" in proc.stderr


def test_a_special_file_is_never_read_as_rules(tmp_path):
    """/dev/zero or a FIFO named as rules must not hang the run."""
    fifo = tmp_path / "rules.toml"
    os.mkfifo(fifo)
    with pytest.raises(RuleError, match="no such rule file"):
        rule_paths([fifo])
    with pytest.raises(RuleError, match="not a regular file"):
        load(Path("/dev/zero"))


def test_a_rule_without_keywords_runs_in_both_engines(repo, tmp_path):
    (tmp_path / "acme.toml").write_text(ACME.replace('keywords = ["acme_"]\n', ""))
    for backend in ("re", "hyperscan"):
        proc = run_cli(["scan", str(repo.root), "--offline", "--no-history", "--format", "json",
                        "--rules", str(tmp_path / "acme.toml")], env={"TOKENREACH_ENGINE": backend})
        assert [f for f in findings(proc) if f["provider"] == "acme"], backend


@pytest.mark.slow  # seconds of work: handed out first (tests/conftest.py)
def test_the_compiled_database_cache_is_keyed_by_the_user_rules_too(tmp_path, monkeypatch):
    pytest.importorskip("hyperscan")
    builtin = list(registry.all_patterns())
    shared = Engine(builtin)._db_file  # the suite's shared cache: compiled once for every test
    assert shared is not None
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("TOKENREACH_ENGINE_CACHE")  # a folder of its own, empty
    cache = engine_dir()
    # The built-in catalog's database as an earlier run leaves it (a copy: compiling it again
    # here took ~3 s and is not what this test is about); the built-in engine uses it.
    cache.mkdir(parents=True)
    shutil.copyfile(shared, cache / shared.name)
    assert Engine(builtin)._db_file == cache / shared.name
    before = set(cache.glob("hs-*.db"))
    (tmp_path / "acme.toml").write_text(ACME)
    user = RuleDetector(load(tmp_path / "acme.toml", strict=True))
    with_user = Engine([*builtin, *((user, p) for p in user.patterns)])
    after = set(cache.glob("hs-*.db"))
    assert len(before) == 1 and len(after) == 2  # a database of its own, not the built-in one
    assert with_user.backend == "hyperscan"
    assert [m.pattern.id for m in with_user.scan(f"k = {TOKEN}".encode())] == ["acme.api_key"]
    # and the second start with the same rules loads it instead of compiling
    again = Engine([*builtin, *((user, p) for p in user.patterns)])
    assert set(cache.glob("hs-*.db")) == after and again.backend == "hyperscan"
    changed = ACME.replace("{16}", "{17}").replace("acme_Qx7mV2kR9pLw4Zt8", "acme_Qx7mV2kR9pLw4Zt8X")
    (tmp_path / "acme.toml").write_text(changed)
    edited = RuleDetector(load(tmp_path / "acme.toml", strict=True))
    Engine([*builtin, *((edited, p) for p in edited.patterns)])
    assert len(set(cache.glob("hs-*.db"))) == 3  # an edited rule is a new key
