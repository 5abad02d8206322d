"""`tokenreach rules list` and `tokenreach rules check` (scanner/cli/rules.py)."""

from __future__ import annotations

import json

import pytest

from tests.helpers import run_cli
from tokenreach.detectors.registry import all_patterns

RULE = """\
provider = "acme"
name = "Acme Cloud"

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


def write(tmp_path, text: str, name: str = "acme.toml"):
    path = tmp_path / name
    path.write_text(text)
    return path


# list ------------------------------------------------------------------------------------------


def test_list_names_every_built_in_rule_with_its_source(tmp_path):
    proc = run_cli(["rules", "list", "--format", "json", "--no-config"], cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)["rules"]
    assert [r["id"] for r in rows] == [p.id for _, p in all_patterns()]
    by_id = {r["id"]: r for r in rows}
    assert by_id["ably.api_key"] == {"id": "ably.api_key", "provider": "ably", "kind": "api_key",
                                     "keywords": ["ably"], "source": "detectors/rules/ably.toml", "user": False}
    # a provider module that reads its file, and one whose patterns are still code
    assert by_id["github.classic_pat"]["source"] == "detectors/rules/github.toml"
    assert by_id["generic.assigned"]["source"] == "detectors/providers/generic.py"


def test_list_adds_the_users_rules_from_the_command_line_and_the_configuration(tmp_path):
    write(tmp_path, RULE)
    (tmp_path / ".tokenreach.toml").write_text('rules = ["acme.toml"]\n')
    bolt = write(tmp_path, RULE.replace("acme", "bolt"), "bolt.toml")
    proc = run_cli(["rules", "list", "--rules", str(bolt)], cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].split() == ["id", "provider", "kind", "keywords", "source"]
    acme = next(line for line in lines if line.startswith("acme.api_key"))
    assert acme.split()[:4] == ["acme.api_key", "acme", "api_key", "acme_"] and acme.endswith("acme.toml")
    assert any(line.startswith("bolt.api_key") for line in lines)
    assert lines[-1] == f"{len(all_patterns()) + 2} rules from {len({d for d, _ in all_patterns()}) + 2} " \
                        "providers (2 from your rule files)"


def test_list_escapes_control_characters_from_a_rule_file(tmp_path):
    path = write(tmp_path, RULE.replace('keywords = ["acme_"]', 'keywords = ["acme_", "\\u001b[31mred"]'))
    proc = run_cli(["rules", "list", "--no-config", "--rules", str(path)], cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "\x1b" not in proc.stdout and "\\x1b[31mred" in proc.stdout


def test_list_with_a_broken_rule_file_is_exit_2(tmp_path):
    path = write(tmp_path, RULE.replace("{16})", "{16}"))
    proc = run_cli(["rules", "list", "--no-config", "--rules", str(path)], cwd=tmp_path)
    assert proc.returncode == 2 and f"{path}:9: rule 'acme.api_key': regex" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_list_rejects_an_unknown_format(tmp_path):
    proc = run_cli(["rules", "list", "--format", "yaml", "--no-config"], cwd=tmp_path)
    assert proc.returncode == 2 and "--format must be text or json" in proc.stderr


# check -----------------------------------------------------------------------------------------


@pytest.mark.slow  # seconds of work: handed out first (tests/conftest.py)
def test_check_passes_the_built_in_catalog(tmp_path):
    proc = run_cli(["rules", "check", "--no-config"], cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    n = len(all_patterns())
    examples = sum(len(p.examples) for _, p in all_patterns())
    assert f"{n} rules, {examples} examples and " in proc.stderr and ": 0 failures" in proc.stderr


def test_check_passes_a_good_rule_file(tmp_path):
    proc = run_cli(["rules", "check", str(write(tmp_path, RULE))], cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "1 rules, 1 examples and 1 counterexamples checked in re" in proc.stderr


@pytest.mark.parametrize(("change", "message"), [
    (('examples = ["ACME_KEY=acme_Qx7mV2kR9pLw4Zt8"]', 'examples = ["ACME_KEY=acme_xxxxxxxxxxxxxxxx"]'),
     "acme.api_key: example 1 is not found in re"),
    (('counterexamples = ["ACME_KEY=acme_xxxxxxxxxxxxxxxx"]', 'counterexamples = ["ACME_KEY=acme_Zq8Rt2Lm9Xw4Vb7N"]'),
     "acme.api_key: counterexample 1 is found in re"),
    (('examples = ["ACME_KEY=acme_Qx7mV2kR9pLw4Zt8"]', 'examples = ["ACME=acme_Qx7mV2kR9pLw4Zt8x"]'),
     "acme.api_key: example 1 is not found in re"),
])
def test_check_fails_on_an_example_or_counterexample(tmp_path, change, message):
    path = write(tmp_path, RULE.replace(*change))
    proc = run_cli(["rules", "check", str(path)], cwd=tmp_path)
    assert proc.returncode == 1
    assert any(line.startswith("FAIL ") and message in line for line in proc.stdout.splitlines()), proc.stdout
    assert ": 0 failures" not in proc.stderr


def test_check_runs_both_engines(tmp_path):
    pytest.importorskip("hyperscan")
    path = write(tmp_path, RULE.replace('examples = ["ACME_KEY=acme_Qx7mV2kR9pLw4Zt8"]',
                                        'examples = ["ACME_KEY=acme_xxxxxxxxxxxxxxxx"]'))
    proc = run_cli(["rules", "check", str(path)], cwd=tmp_path)
    assert "example 1 is not found in re" in proc.stdout and "example 1 is not found in Hyperscan" in proc.stdout


def test_check_reports_a_broken_file_and_still_checks_the_others(tmp_path):
    folder = tmp_path / "rules"
    folder.mkdir()
    write(folder, RULE.replace("{16})", "{16}"), "acme.toml")
    write(folder, RULE.replace("acme", "bolt"), "bolt.toml")
    proc = run_cli(["rules", "check", str(folder)], cwd=tmp_path)
    assert proc.returncode == 1
    assert f"FAIL {folder / 'acme.toml'}:9: rule 'acme.api_key': regex: invalid regular expression" in proc.stdout
    assert "1 rules, 1 examples" in proc.stderr  # bolt's rule was checked


def test_check_rejects_a_built_in_provider_id(tmp_path):
    path = write(tmp_path, RULE.replace('provider = "acme"', 'provider = "stripe"').replace("acme.api_key",
                                                                                            "stripe.api_key"))
    proc = run_cli(["rules", "check", str(path)], cwd=tmp_path)
    assert proc.returncode == 1 and "provider 'stripe' is a built-in provider" in proc.stdout


def test_check_warns_about_a_rule_without_keywords_but_passes_it(tmp_path):
    path = write(tmp_path, RULE.replace('keywords = ["acme_"]\n', ""))
    proc = run_cli(["rules", "check", str(path)], cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "WARN " in proc.stdout and "acme.api_key: no literal keyword" in proc.stdout
    assert "0 failures, 1 warnings" in proc.stderr


def test_check_warns_about_a_very_short_keyword(tmp_path):
    path = write(tmp_path, RULE.replace('keywords = ["acme_"]', 'keywords = ["ac"]'))
    proc = run_cli(["rules", "check", str(path)], cwd=tmp_path)
    assert proc.returncode == 0 and "shorter than 3 characters" in proc.stdout


@pytest.mark.slow  # seconds of work: handed out first (tests/conftest.py)
def test_check_with_no_path_includes_the_configured_rule_files(tmp_path):
    write(tmp_path, RULE.replace('examples = ["ACME_KEY=acme_Qx7mV2kR9pLw4Zt8"]',
                                 'examples = ["ACME_KEY=acme_xxxxxxxxxxxxxxxx"]'))
    (tmp_path / ".tokenreach.toml").write_text('rules = ["acme.toml"]\n')
    proc = run_cli(["rules", "check"], cwd=tmp_path)
    assert proc.returncode == 1 and "acme.api_key: example 1 is not found" in proc.stdout


def test_check_a_missing_path(tmp_path):
    proc = run_cli(["rules", "check", str(tmp_path / "nope.toml")], cwd=tmp_path)
    assert proc.returncode == 1 and "no such rule file or folder" in proc.stdout


def test_check_warns_about_an_example_without_a_keyword(tmp_path):
    two = 'examples = ["ACME_KEY=acme_Qx7mV2kR9pLw4Zt8", "k: acme_Qx7mV2kR9pLw4Zt8"]'
    path = write(tmp_path, RULE.replace('keywords = ["acme_"]', 'keywords = ["acme_key"]').replace(
        'examples = ["ACME_KEY=acme_Qx7mV2kR9pLw4Zt8"]', two))
    proc = run_cli(["rules", "check", str(path)], cwd=tmp_path)
    assert "acme.api_key: example 2 holds none of the keywords" in proc.stdout
    assert proc.returncode == 1 and "example 2 is not found in re" in proc.stdout  # and the re engine misses it
