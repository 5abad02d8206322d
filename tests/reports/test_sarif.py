"""SARIF: valid against the official 2.1.0 schema, one rule per pattern, stable fingerprints."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from tests.helpers import Repo, run_cli
from tests.reports.sample import HISTORY_COMMIT, SECRETS, empty_result, hostile_result, sample_result
from tokenreach.detectors.registry import all_patterns
from tokenreach.reports import sarif

SCHEMA = json.loads((Path(__file__).parents[1] / "data" / "sarif-schema-2.1.0.json").read_text())
# RFC 3986 characters: what a percent-encoded uri-reference may contain.
URI_CHARS = re.compile(r"^[A-Za-z0-9\-._~!$&'()*+,;=:@/%]*$")


def validate(doc: dict) -> None:
    jsonschema.Draft4Validator.check_schema(SCHEMA)
    jsonschema.Draft4Validator(SCHEMA, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER).validate(doc)


def run_of(result, **kw) -> tuple[dict, dict]:
    doc = json.loads(sarif.render(result, **kw))
    return doc, doc["runs"][0]


@pytest.mark.parametrize("make", [sample_result, hostile_result, empty_result])
def test_validates_against_the_official_schema(make):
    doc, run = run_of(make())
    validate(doc)
    assert doc["version"] == "2.1.0"
    assert len(run["results"]) == len(make().findings)


def test_schema_is_the_official_one():
    assert SCHEMA["id"].endswith("/sarif-schema-2.1.0.json")
    assert SCHEMA["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    # A document the schema must reject proves the validator really runs.
    with pytest.raises(jsonschema.ValidationError):
        validate({"version": "2.1.0", "runs": [{"tool": {"driver": {}}}]})


def test_one_rule_per_pattern_that_produced_a_result_with_help():
    _, run = run_of(sample_result())
    rules = run["tool"]["driver"]["rules"]
    used = {r["ruleId"] for r in run["results"]}
    assert [r["id"] for r in rules] == [p.id for _, p in all_patterns() if p.id in used]
    names = {p.id: p.name for _, p in all_patterns()}
    for rule in rules:
        assert rule["shortDescription"]["text"] == names[rule["id"]]
        assert "revoke or rotate" in rule["help"]["text"].lower()
        assert rule["help"]["markdown"]
        assert float(rule["properties"]["security-severity"]) > 0
        assert "security" in rule["properties"]["tags"]
    github = next(r for r in rules if r["id"] == "github.classic_pat")
    assert github["helpUri"] == "https://github.com/settings/tokens"


def test_one_finding_makes_a_small_file():
    # Issue 15, item 16: every pattern's rule made a one-finding file 660 KB.
    result = sample_result()
    result.findings = result.findings[1:2]
    text = sarif.render(result)
    doc = json.loads(text)
    validate(doc)
    assert [r["id"] for r in doc["runs"][0]["tool"]["driver"]["rules"]] == ["github.classic_pat"]
    assert len(text.encode()) < 10_000
    assert json.loads(sarif.render(empty_result()))["runs"][0]["tool"]["driver"]["rules"] == []


def test_rules_come_from_the_findings_providers_alone(monkeypatch):
    # One finding's rule used to build the whole catalog (every provider module imported, every
    # rule file read) to look its pattern up: a SARIF report cost 0.15 s more than a JSON one.
    from tokenreach.detectors import registry

    result = sample_result()
    expected = {f.token.pattern_id for f in result.findings}
    registry._one.cache_clear()
    monkeypatch.setattr(registry, "sources", lambda: pytest.fail("the whole catalog was built"))
    rules = run_of(result)[1]["tool"]["driver"]["rules"]
    registry._one.cache_clear()
    assert {r["id"] for r in rules} == expected
    # By provider, then in each provider's own order: the same document on every run.
    providers = [r["properties"]["provider"] for r in rules]
    assert providers == sorted(providers)
    for r in rules:
        det = registry.detector(r["properties"]["provider"])
        assert det is not None and r["name"]  # a built-in's own rule, not the fallback's
        assert r["id"] in {p.id for p in det.patterns}


def test_results_point_at_their_rule_with_our_severity_and_fingerprint():
    result = sample_result()
    _, run = run_of(result)
    rules = run["tool"]["driver"]["rules"]
    by_fp = {f.fingerprint: f for f in result.findings}
    expected = {"critical": ("9.5", "error"), "high": ("8.0", "error"), "medium": ("5.5", "warning"),
                "info": ("1.0", "note")}
    for res in run["results"]:
        fp = res["partialFingerprints"]["tokenreach/v1"]
        finding = by_fp[fp]
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"] == finding.token.pattern_id
        score, level = expected[finding.severity]
        assert res["properties"]["security-severity"] == score
        assert res["level"] == level
        assert res["properties"]["overPrivileged"] is bool(finding.over_privileged)
    # GitHub reads security-severity from the rule: a rule carries its worst result's.
    assert rules[[r["id"] for r in rules].index("github.classic_pat")]["properties"]["security-severity"] == "9.5"
    assert rules[[r["id"] for r in rules].index("slack.bot_token")]["properties"]["security-severity"] == "1.0"
    # Ranked as the CLI ranks: over-privileged first.
    assert [r["properties"]["overPrivileged"] for r in run["results"]][:2] == [True, True]


def test_worktree_and_history_locations():
    _, run = run_of(sample_result())
    by_rule = {r["ruleId"]: r for r in run["results"]}
    railway = by_rule["railway.token"]
    loc = railway["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"] == {"uri": ".env", "uriBaseId": "%SRCROOT%"}
    assert loc["region"] == {"startLine": 3, "startColumn": 15}
    assert railway["locations"][0]["properties"] == {"exposure": "ignored"}
    # The second place that holds the same secret is a related location, not a second alert.
    related = railway["relatedLocations"]
    assert [r["physicalLocation"]["artifactLocation"]["uri"] for r in related] == ["deploy/.railway/config.json"]
    assert related[0]["physicalLocation"]["region"] == {"startLine": 7, "startColumn": 22}

    aws = by_rule["aws.access_key_pair"]
    hist = aws["locations"][0]
    assert hist["physicalLocation"]["artifactLocation"]["uri"] == "config/prod.env"
    assert hist["properties"] == {"exposure": "history", "commit": HISTORY_COMMIT, "author": "Bob Builder",
                                  "date": "2025-11-02T09:14:00+00:00"}
    assert aws["properties"]["commit"] == HISTORY_COMMIT
    assert HISTORY_COMMIT[:12] in aws["message"]["text"]


def test_no_secret_unless_asked():
    text = sarif.render(sample_result())
    for secret in SECRETS.values():
        assert secret not in text
    assert "ghp_…I1tv" in text
    shown = sarif.render(sample_result(), show_secrets=True)
    for secret in SECRETS.values():
        assert secret in shown
    _, run = run_of(sample_result(), show_secrets=True)
    assert {r["properties"]["secret"] for r in run["results"]} == set(SECRETS.values())


def test_hostile_paths_become_valid_uri_references():
    _, run = run_of(hostile_result())
    uris = [run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]]
    uris += [r["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"][0]["relatedLocations"]]
    for uri in uris:
        assert URI_CHARS.match(uri), uri
        assert "<" not in uri and '"' not in uri and "|" not in uri and "`" not in uri
    assert uris[0].startswith("src/%22%3E%3Cimg%20src=x%20onerror=alert(1)%3E/a%7Cb%60c%60.env")


def test_warnings_and_notices_become_tool_notifications():
    _, run = run_of(hostile_result())
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert [n["level"] for n in notes] == ["warning", "note"]
    assert run["invocations"][0]["executionSuccessful"] is True


def test_finding_of_unknown_pattern_still_gets_a_rule():
    result = sample_result()
    result.findings[0].token = type(result.findings[0].token)("github", SECRETS["github"], pattern_id="gone.pattern")
    doc, run = run_of(result)
    validate(doc)
    res = next(r for r in run["results"] if r["ruleId"] == "gone.pattern")
    assert run["tool"]["driver"]["rules"][res["ruleIndex"]]["id"] == "gone.pattern"


def test_end_to_end_scan_is_valid_and_fingerprints_are_stable(tmp_path):
    repo = Repo(tmp_path / "repo")
    repo.write("deploy.sh", "export GITHUB_TOKEN=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\n")
    repo.write("old.env", "STRIPE_SECRET_KEY=sk_live_4eC39HqLyjWDarjtT1zdp7dcXyZaBcDeFgHiJk\n")
    repo.commit("add config")
    (repo.root / "old.env").unlink()
    commit = repo.commit("remove the key")
    assert commit
    out1, out2 = tmp_path / "1.sarif", tmp_path / "2.sarif"
    for out in (out1, out2):
        proc = run_cli(["scan", str(repo.root), "--offline", "--format", "sarif", "--output", str(out)])
        assert proc.returncode == 1, proc.stderr
    doc = json.loads(out1.read_text())
    validate(doc)
    results = doc["runs"][0]["results"]
    assert {r["ruleId"] for r in results} == {"github.classic_pat", "stripe.secret_key"}
    stripe = next(r for r in results if r["ruleId"] == "stripe.secret_key")
    props = stripe["locations"][0]["properties"]
    assert props["exposure"] == "history" and re.fullmatch(r"[0-9a-f]{40}", props["commit"])
    assert props["author"] == "Ada Author <ada@example.com>"
    github = next(r for r in results if r["ruleId"] == "github.classic_pat")
    assert github["locations"][0]["physicalLocation"]["region"]["startLine"] == 1
    fps = [[r["partialFingerprints"] for r in json.loads(p.read_text())["runs"][0]["results"]] for p in (out1, out2)]
    assert fps[0] == fps[1]
    text = out1.read_text()
    assert SECRETS["github"] not in text and SECRETS["stripe"] not in text
