"""The incident behind tokenreach, end to end (issue 13, "How we will know"): a Railway account
token in ~/.railway/config.json, another in an unrelated project's .env one folder up, and a
.cursorignore that fences neither. `scan --agent` ranks both first and says which agent can read
them; `guard` fences the one it can. A fake $HOME, the Railway fake on 127.0.0.1, no internet:
the environment is exactly the one given (nothing of the test machine's is scanned or sent)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.fakes import huggingface as hf_fake
from tests.fakes import railway
from tests.helpers import GIT_ENV, Repo, fake_env
from tests.integrations.helpers import run_tokenreach


@pytest.fixture
def fakes():  # type: ignore[no-untyped-def]
    with railway.make() as rw, hf_fake.make() as hf:
        yield fake_env({"railway": rw.url, "huggingface": hf.url})


@pytest.fixture
def machine(tmp_path: Path) -> tuple[Repo, Path]:
    home = tmp_path / "home"
    (home / ".railway").mkdir(parents=True)
    (home / ".railway" / "config.json").write_text(json.dumps(
        {"projects": {}, "user": {"token": railway.ACCOUNT}}, indent=2))
    other = tmp_path / "code" / "billing"
    other.mkdir(parents=True)
    (other / ".env").write_text(f"DATABASE_URL=postgres://localhost/billing\nRAILWAY_TOKEN={railway.ACCOUNT_MIXED}\n")
    app = Repo(tmp_path / "code" / "app")
    app.write(".cursorignore", "dist/\n*.log\n")
    app.write("main.py", "print('hello')\n")
    app.write("docs/notes.md", f"the docs bot uses {hf_fake.READ}\n")  # a lesser token, for the ranking
    app.commit("init")
    return app, home


def _env(home: Path, fakes: dict[str, str]) -> dict[str, str]:
    return {"PATH": os.environ.get("PATH", ""), "HOME": str(home), "TOKENREACH_NO_PROGRESS": "1",
            "XDG_CACHE_HOME": os.environ.get("XDG_CACHE_HOME", str(home / ".cache")), **GIT_ENV, **fakes}


@pytest.mark.slow  # four runs with lookups against two fakes
def test_scan_agent_ranks_both_first_and_guard_fences_the_one_it_can(machine, fakes) -> None:  # type: ignore[no-untyped-def]
    app, home = machine
    env = _env(home, fakes)
    text = run_tokenreach(["scan", str(app.root), "--agent", "--no-color"], env=env, cwd=app.root)
    assert text.returncode == 1, text.stderr
    print(text.stdout)  # the report the issue asks to see (pytest -s shows it)

    doc = json.loads(run_tokenreach(["scan", str(app.root), "--agent", "--format", "json"], env=env,
                                    cwd=app.root).stdout)
    first, second, *rest = doc["findings"]
    places = {first["locations"][0]["path"], second["locations"][0]["path"]}
    assert places == {"~/.railway/config.json", "../billing/.env"}
    for f in (first, second):
        assert f["provider"] == "railway" and f["access"]["live"] is True and f["access"]["reach"] == "account"
        assert f["over_privileged"] is True and f["severity"] == "critical"
        [loc] = f["locations"]
        assert loc["readable_by"] == ["cursor"] and loc["fenced_from"] == []
        assert f"Cursor can read {loc['path']} with its file tools and terminal: no fence covers it." in f["reasons"]
    assert {first["exposure"], second["exposure"]} == {"home", "nearby"}
    assert [f["provider"] for f in rest] == ["huggingface"]
    assert "Cursor can read ~/.railway/config.json" in text.stdout
    assert railway.ACCOUNT not in text.stdout + json.dumps(doc)
    assert railway.ACCOUNT_MIXED not in text.stdout + json.dumps(doc)

    # Cursor's ignore files cannot reach either place; Claude Code's deny rules reach the home one.
    guard = run_tokenreach(["guard", str(app.root), "--agents", "cursor,claude", "--write"], env=env, cwd=app.root)
    assert guard.returncode == 0, guard.stderr
    print(guard.stdout)
    assert "    Read(~/.railway/config.json)" in guard.stdout
    assert "~/.railway/config.json: Cursor's ignore files cannot reach it (outside this project)" in guard.stdout
    assert "../billing/.env: in another project" in guard.stdout
    assert json.loads((app.root / ".claude/settings.local.json").read_text()) == {
        "permissions": {"deny": ["Read(~/.railway/config.json)"]}}
    assert "docs/notes.md: tracked by git, so it is in every clone and fork" in guard.stdout

    after = json.loads(run_tokenreach(["scan", str(app.root), "--agent", "--agents", "cursor,claude",
                                       "--format", "json"], env=env, cwd=app.root).stdout)
    by_path = {f["locations"][0]["path"]: f["locations"][0] for f in after["findings"]}
    assert by_path["~/.railway/config.json"]["fenced_from"] == ["claude"]
    assert by_path["~/.railway/config.json"]["readable_by"] == ["cursor"]
    assert by_path["../billing/.env"]["fenced_from"] == []
    assert by_path["../billing/.env"]["readable_by"] == ["cursor", "claude"]
    assert after["findings"][0]["severity"] == "critical"  # a fence lowers nothing
