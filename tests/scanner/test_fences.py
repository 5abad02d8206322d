"""Fences: each agent's ignore and deny files, read with its documented syntax, say which agents'
file tools are kept off each location; a fence is named in the reasons and lowers nothing."""

from __future__ import annotations

import json
import random

import pytest

from tests.helpers import Repo, run_cli, scan_json
from tests.scanner.test_agent_reach import hf_token
from tokenreach.detectors.redaction import redact


@pytest.fixture
def tokens():
    rng = random.Random(5)
    return [hf_token(rng) for _ in range(8)]


def located(doc: dict) -> dict[str, dict]:
    """path → (the location's JSON, its finding), for the first location of each path."""
    out = {}
    for f in doc["findings"]:
        for loc in f["locations"]:
            out.setdefault(loc["path"], {**loc, "finding": f})
    return out


def test_cursor_ignore_gitignore_and_default_env(repo: Repo, tokens):
    secret, public, env, local, code = tokens[:5]
    repo.write(".gitignore", ".env.local\n")
    repo.write(".cursorignore", "# keep secrets away\nsecrets/\n!secrets/public.txt\n")
    repo.write("secrets/a.txt", f"HF_TOKEN={secret}\n")
    repo.write("secrets/public.txt", f"HF_TOKEN={public}\n")
    repo.write(".env", f"HF_TOKEN={env}\n")
    repo.write(".env.local", f"HF_TOKEN={local}\n")
    repo.write("config.py", f'HF_TOKEN = "{code}"\n')
    repo.commit("init", ".gitignore", ".cursorignore", "config.py")
    doc = scan_json(repo.root, "--offline", "--no-history")
    at = located(doc)
    assert at["secrets/a.txt"]["fenced_from"] == ["cursor"] and at["secrets/a.txt"]["readable_by"] == []
    assert at["secrets/public.txt"]["fenced_from"] == [] and at["secrets/public.txt"]["readable_by"] == ["cursor"]
    assert at[".env"]["fenced_from"] == ["cursor"]  # Cursor's default ignore list
    assert at[".env.local"]["fenced_from"] == ["cursor"]  # what .gitignore ignores
    assert at["config.py"]["readable_by"] == ["cursor"]
    reasons = at["secrets/a.txt"]["finding"]["reasons"]
    assert "Cursor's file tools cannot read secrets/a.txt (.cursorignore); an agent's terminal can." in reasons
    assert any("(.gitignore)" in r for r in at[".env.local"]["finding"]["reasons"])
    assert any("(Cursor's default ignore list)" in r for r in at[".env"]["finding"]["reasons"])
    assert "Cursor can read config.py with its file tools and terminal: no fence covers it." in \
        at["config.py"]["finding"]["reasons"]
    # A fence lowers nothing: the terminal is open.
    assert {f["severity"] for f in doc["findings"]} == {"high"}
    text = run_cli(["scan", str(repo.root), "--offline", "--no-history", "--no-color"]).stdout
    assert "secrets/a.txt:1:10 [untracked] — fenced from Cursor (.cursorignore)" in text
    assert "config.py:1:13 [tracked] — readable by Cursor" in text


def test_claude_deny_rules_merge_across_three_files_and_deny_wins(repo: Repo, tmp_path, tokens):
    env, secret, yml, aws, notes = tokens[:5]
    home = tmp_path / "home"
    (home / ".claude").mkdir(parents=True)
    (home / ".claude" / "settings.json").write_text(json.dumps(
        {"permissions": {"deny": ["Read(~/.aws/**)"]}}))
    (home / ".aws").mkdir()
    (home / ".aws" / "credentials").write_text(f"hf = {aws}\n")
    repo.write(".claude/settings.json", json.dumps({"permissions": {
        "allow": ["Read(./.env)", "Bash(npm test)"], "deny": ["Read(./.env)", "Read(./secrets/**)", "Bash(curl:*)"]}}))
    repo.write(".claude/settings.local.json", json.dumps({"permissions": {"deny": ["Read(/config/*.yml)"]}}))
    repo.write(".env", f"HF_TOKEN={env}\n")
    repo.write("secrets/deep/x.txt", f"HF_TOKEN={secret}\n")
    repo.write("config/app.yml", f"hf: {yml}\n")
    repo.write("notes.md", f"hf {notes}\n")
    doc = scan_json(repo.root, "--offline", "--no-history", "--home", env={"HOME": str(home)})
    at = located(doc)
    for path in (".env", "secrets/deep/x.txt", "config/app.yml", "~/.aws/credentials"):
        assert at[path]["fenced_from"] == ["claude"], path
    assert at["notes.md"]["fenced_from"] == [] and at["notes.md"]["readable_by"] == ["claude"]
    reasons = at["~/.aws/credentials"]["finding"]["reasons"]
    assert ("Claude Code's file tools cannot read ~/.aws/credentials "
            "(~/.claude/settings.json: Read(~/.aws/**)); an agent's terminal can.") in reasons
    yml_reasons = at["config/app.yml"]["finding"]["reasons"]
    assert any(".claude/settings.local.json: Read(/config/*.yml)" in r for r in yml_reasons)


def test_agents_option_overrides_detection_and_refuses_unknown_names(repo: Repo, tokens):
    repo.write(".aiexclude", "*.txt\n")
    repo.write(".cursorignore", "*.txt\n")
    repo.write("a.txt", f"HF_TOKEN={tokens[0]}\n")
    at = located(scan_json(repo.root, "--offline", "--no-history"))
    assert at["a.txt"]["fenced_from"] == ["cursor", "gemini"]
    at = located(scan_json(repo.root, "--offline", "--no-history", "--agents", "gemini,claude"))
    assert at["a.txt"]["fenced_from"] == ["gemini"] and at["a.txt"]["readable_by"] == ["claude"]
    bad = run_cli(["scan", str(repo.root), "--offline", "--agents", "cursor,hal9000"])
    assert bad.returncode == 2
    assert bad.stderr.strip().splitlines() == [
        "tokenreach: error: --agents: unknown agent hal9000 (known: cursor, claude, gemini, aider, windsurf, "
        "jetbrains, continue, cline)"]


def test_no_agent_configured_leaves_both_lists_empty(repo: Repo, tokens):
    repo.write("a.txt", f"HF_TOKEN={tokens[0]}\n")
    at = located(scan_json(repo.root, "--offline", "--no-history"))
    assert at["a.txt"]["fenced_from"] == [] and at["a.txt"]["readable_by"] == []
    assert not any("fence" in r for r in at["a.txt"]["finding"]["reasons"])


def test_a_broken_settings_file_is_a_notice_not_a_crash(repo: Repo, tokens):
    repo.write(".claude/settings.json", '{"permissions": {"deny": ["Read(./.env)",]}')  # trailing comma
    repo.write(".env", f"HF_TOKEN={tokens[0]}\n")
    doc = scan_json(repo.root, "--offline", "--no-history")
    assert located(doc)[".env"]["readable_by"] == ["claude"]
    assert any(".claude/settings.json: not valid JSON" in n for n in doc["notices"])


def test_every_report_shows_the_fences(repo: Repo, tokens):
    repo.write(".cursorignore", "secret.txt\n")
    repo.write("secret.txt", f"HF_TOKEN={tokens[0]}\n")
    repo.write("open.txt", f"HF_TOKEN={tokens[1]}\n")
    for fmt, expect in (("markdown", "fenced from Cursor"), ("sarif", '"fenced_from"'),
                        ("html", "What an agent here can reach"), ("text", "fenced from Cursor (.cursorignore)")):
        out = run_cli(["scan", str(repo.root), "--offline", "--no-history", "--format", fmt])
        assert out.returncode == 1, out.stderr
        assert expect in out.stdout, fmt
    html = run_cli(["scan", str(repo.root), "--offline", "--no-history", "--format", "html"]).stdout
    assert redact(tokens[0]) in html and "readable by (file tools)" in html


def test_a_hostile_deny_rule_is_escaped_in_the_text_report_and_bounded(repo: Repo, tokens):
    rule = "Read(./a.tx[t\x1b[2J\u202e" + "x" * 500 + "])"  # a character class holding escapes
    repo.write(".claude/settings.json", json.dumps({"permissions": {"deny": [rule]}}))
    repo.write("a.txt", f"HF_TOKEN={tokens[0]}\n")
    out = run_cli(["scan", str(repo.root), "--offline", "--no-history", "--no-color"])
    assert "\x1b[2J" not in out.stdout and "\u202e" not in out.stdout
    doc = scan_json(repo.root, "--offline", "--no-history")
    [f] = doc["findings"]
    assert f["locations"][0]["fenced_from"] == ["claude"]
    assert all(len(r) < 400 for r in f["reasons"]) and any("…)" in r for r in f["reasons"])
    assert "Claude Code (.claude/settings.json: Read(./a.tx[t\\x1b[2J\\u202e" in out.stdout


def test_absolute_rules_and_a_relative_project_path(repo: Repo, tokens):
    repo.write(".claude/settings.json", json.dumps({"permissions": {"deny": [
        f"Read(/{repo.root.resolve().as_posix()}/keys/**)"]}}))  # //abs: from the filesystem root
    repo.write("keys/deploy.txt", f"HF_TOKEN={tokens[0]}\n")
    out = run_cli(["scan", ".", "--offline", "--no-history", "--format", "json"], cwd=repo.root.resolve())
    assert out.returncode == 1, out.stderr
    [f] = json.loads(out.stdout)["findings"]
    assert f["locations"][0]["fenced_from"] == ["claude"]
