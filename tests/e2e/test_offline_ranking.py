"""When no lookup can be made, the ranking rests on what the bytes, names and places show (issue 12):
a Railway account token outranks test keys and a localhost development password, and every report
says once, at the top, that the lookups failed."""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.fakes.hostile_net import closed_port
from tests.helpers import Repo, fake_env, run_cli

RAILWAY = "5f0e3a1c-8b2d-4e6f-9a7b-1c2d3e4f5a6b"


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    r = Repo(tmp_path_factory.mktemp("offline") / "app")
    r.write(".gitignore", ".env\n")
    r.write(".env", f"RAILWAY_API_TOKEN={RAILWAY}\n")
    key = subprocess.run(["openssl", "genrsa", "2048"], capture_output=True, check=True).stdout
    r.write("tests/fixtures/server_key.pem", key)
    r.write("tests/fixtures/client_key.pem", key.replace(b"\n", b"\n", 1))
    r.write("config/settings.py", 'DATABASE_URL = "postgres://postgres:postgres@localhost:5432/app"\n')
    r.write("docker/compose.env", "DATABASE_URL=postgres://app:s3cr3t-Pa55@db:5432/app\n")
    r.commit("init")
    return r


def scan(repo: Repo, fmt: str) -> str:
    # Railway's API is unreachable (connection refused): the one lookup tried fails.
    env = fake_env({"railway": f"http://127.0.0.1:{closed_port()}"})
    proc = run_cli(["scan", str(repo.root), "--format", fmt, "--cache-ttl", "0"], env=env)
    assert proc.returncode == 1, proc.stderr
    return proc.stdout


def test_the_railway_account_token_ranks_first_on_offline_facts(repo):
    doc = json.loads(scan(repo, "json"))
    order = [(f["provider"], f["severity"]) for f in doc["findings"]]
    assert order[0] == ("railway", "critical"), order
    railway = doc["findings"][0]
    assert railway["access"]["live"] is None and railway["access"]["reach"] == "account"
    assert railway["access"]["evidence"] == "offline"
    by_path = {f["locations"][0]["path"]: f for f in doc["findings"]}
    assert by_path["config/settings.py"]["severity"] == "low"  # this machine's development password
    assert any("this machine" in r for r in by_path["config/settings.py"]["reasons"])
    assert by_path["docker/compose.env"]["severity"] != "low"  # a private host, but not a default login
    assert doc["lookups_failed"].startswith("lookups failed for 1 token: ")
    assert doc["lookups_failed"].endswith("; ranking uses offline facts")


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "sarif"])
def test_every_report_says_at_the_top_that_lookups_failed(repo, fmt):
    out = scan(repo, fmt)
    if fmt == "sarif":
        notes = json.loads(out)["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        assert notes[0]["message"]["text"].startswith("lookups failed for 1 token")
        return
    head = out[: max(out.find("Railway"), 0) or 4000]
    assert "lookups failed for 1 token" in head, out[:600]
    if fmt in ("html", "markdown"):
        shown = out.replace("\\", "")  # Markdown escapes its punctuation
        assert "liveness unchecked (lookups failed)" in shown and "0 live" not in shown


def test_offline_says_none_looked_up_not_zero_live(repo):
    out = run_cli(["scan", str(repo.root), "--format", "markdown", "--offline"]).stdout
    assert "liveness unchecked (none looked up)" in out.replace("\\", "")
    assert "lookups failed" not in out  # nothing was tried
