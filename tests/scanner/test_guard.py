"""`tokenreach guard`: fence entries for every file holding a token; --write edits minimally,
keeps the user's entries and formatting, leaves JSON valid, and changes nothing the second time."""

from __future__ import annotations

import json
import random

import pytest

from tests.helpers import Repo, run_cli, scan_json
from tests.scanner.test_agent_reach import hf_token
from tokenreach.scanner.errors import ScanError
from tokenreach.scanner.guard import BEGIN, END, add_deny_rules, add_ignore_entries

USER_SETTINGS = """{
\t"model": "opus",
\t"permissions": {
\t\t"allow": ["Bash(npm test)"],
\t\t"deny": [
\t\t\t"Read(./.env)"
\t\t]
\t},
\t"env": {"A": "1"}
}
"""


def test_deny_rules_are_inserted_in_place_keeping_every_other_byte():
    out = add_deny_rules(USER_SETTINGS, ["Read(./.env)", "Read(./secrets/a.txt)"], "s.json")
    assert out == USER_SETTINGS.replace('"Read(./.env)"\n', '"Read(./.env)",\n\t\t\t"Read(./secrets/a.txt)"\n')
    assert add_deny_rules(out, ["Read(./secrets/a.txt)"], "s.json") == out  # idempotent


@pytest.mark.parametrize("text", [
    '{"permissions": {"deny": []}}\n',
    '{"permissions": {"allow": ["Read(./src/**)"]}}\n',
    '{\n  "theme": "dark"\n}\n',
    '{}',
    '',
    '{"permissions": {"deny": ["Read(./x)"], "ask": []}, "hooks": {"deny": "not ours"}}',
])
def test_deny_rules_leave_valid_json_with_the_users_entries(text):
    out = add_deny_rules(text, ["Read(~/.railway/config.json)"], "s.json")
    doc = json.loads(out)
    before = json.loads(text) if text.strip() else {}
    assert doc["permissions"]["deny"][-1] == "Read(~/.railway/config.json)"
    assert doc["permissions"]["deny"][:-1] == before.get("permissions", {}).get("deny", [])
    for key, value in before.items():
        if key != "permissions":
            assert doc[key] == value
    assert {k: v for k, v in doc["permissions"].items() if k != "deny"} == \
        {k: v for k, v in before.get("permissions", {}).items() if k != "deny"}
    assert add_deny_rules(out, ["Read(~/.railway/config.json)"], "s.json") == out


def test_a_settings_file_that_is_not_json_is_refused_with_the_rules_to_add():
    with pytest.raises(ScanError, match=r"not valid JSON; add these rules .* by hand: Read\(./x\)"):
        add_deny_rules('{"permissions": {"deny": [],}}', ["Read(./x)"], ".claude/settings.json")


def test_ignore_entries_go_in_a_marked_block_and_user_lines_stay():
    user = "node_modules/\n/secrets/a.txt\n# mine\n!keep.env"  # no final newline
    out = add_ignore_entries(user, ["/secrets/a.txt", "/.env"])
    assert out == user + "\n\n" + BEGIN + "\n/.env\n" + END + "\n"
    assert add_ignore_entries(out, ["/.env"]) == out
    more = add_ignore_entries(out, ["/.env", "/b.pem"])
    assert more == user + "\n\n" + BEGIN + "\n/.env\n/b.pem\n" + END + "\n"


def test_guard_prints_then_writes_the_fences_once(repo: Repo, tmp_path):
    rng = random.Random(3)
    env, loose, code, home_token = (hf_token(rng) for _ in range(4))
    home = tmp_path / "home"
    (home / ".config/configstore").mkdir(parents=True)
    (home / ".config/configstore/tool.json").write_text(f'{{"token": "{home_token}"}}\n')
    repo.write(".gitignore", ".env\n")
    repo.write(".cursorignore", "dist/\n")
    repo.write(".claude/settings.json", USER_SETTINGS)
    repo.write(".env", f"HF_TOKEN={env}\n")
    repo.write("notes/loose.txt", f"HF_TOKEN={loose}\n")
    repo.write("config.py", f'HF_TOKEN = "{code}"\n')
    repo.commit("init", ".gitignore", ".cursorignore", "config.py", ".claude/settings.json")
    environ = {"HOME": str(home)}

    dry = run_cli(["guard", str(repo.root)], env=environ)
    assert dry.returncode == 0, dry.stderr
    assert "agents Cursor, Claude Code (detected here)" in dry.stdout
    assert "    /notes/loose.txt" in dry.stdout and '    Read(./notes/loose.txt)' in dry.stdout
    assert "config.py: tracked by git, so it is in every clone" in dry.stdout and "Rotate the token" in dry.stdout
    assert ".env: Cursor already fenced (.gitignore)" in dry.stdout
    assert "~/.config/configstore/tool.json: Cursor's ignore files cannot reach it" in dry.stdout
    assert "Read(~/.config/configstore/tool.json)" in dry.stdout
    assert (repo.root / ".cursorignore").read_text() == "dist/\n"  # nothing written without --write

    wrote = run_cli(["guard", str(repo.root), "--write"], env=environ)
    assert wrote.returncode == 0, wrote.stderr
    assert (repo.root / ".cursorignore").read_text() == f"dist/\n\n{BEGIN}\n/notes/loose.txt\n{END}\n"
    settings = json.loads((repo.root / ".claude/settings.json").read_text())
    assert settings["permissions"]["deny"] == ["Read(./.env)", "Read(./notes/loose.txt)"]
    assert settings["model"] == "opus" and settings["permissions"]["allow"] == ["Bash(npm test)"]
    personal = json.loads((repo.root / ".claude/settings.local.json").read_text())
    assert personal == {"permissions": {"deny": ["Read(~/.config/configstore/tool.json)"]}}
    files = {p: p.read_bytes() for p in (repo.root / ".cursorignore", repo.root / ".claude/settings.json",
                                         repo.root / ".claude/settings.local.json")}

    again = run_cli(["guard", str(repo.root), "--write"], env=environ)
    assert again.returncode == 0 and "nothing to write" in again.stdout
    assert {p: p.read_bytes() for p in files} == files

    doc = scan_json(repo.root, "--offline", "--no-history", "--home", env=environ)
    fenced = {loc["path"]: loc["fenced_from"] for f in doc["findings"] for loc in f["locations"]}
    assert fenced["notes/loose.txt"] == ["cursor", "claude"]
    assert fenced[".env"] == ["cursor", "claude"]
    assert fenced["~/.config/configstore/tool.json"] == ["claude"]
    assert fenced["config.py"] == []


def test_guard_without_any_agent_says_how_to_name_them(repo: Repo):
    repo.write("a.txt", "x\n")
    out = run_cli(["guard", str(repo.root)])
    assert out.returncode == 2
    assert "no coding agent detected here" in out.stderr and "--agents" in out.stderr
