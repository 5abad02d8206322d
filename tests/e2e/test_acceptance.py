"""The "done means" of the lookups and verdict issues, end to end through `tokenreach scan`.

A repository holds a Railway account token in an ignored .env, a GitHub classic token with
`repo, admin:org, delete_repo`, a read-only fine-grained token, a Railway project token for a
staging environment and a revoked Stripe key; every provider answers from its local fake.
"""

from __future__ import annotations

import json

import pytest

from tests.fakes import github as gh
from tests.fakes import railway as rw
from tests.fakes import stripe as st
from tests.helpers import Repo, fake_env, run_cli, scan_json


@pytest.fixture
def fakes():
    with rw.make() as railway, gh.make() as github, st.make() as stripe:
        yield {"railway": railway, "github": github, "stripe": stripe}


@pytest.fixture
def incident_repo(repo: Repo) -> Repo:
    repo.write(".gitignore", ".env\n")
    repo.write("deploy/github.py", f'GITHUB_TOKEN = "{gh.CLASSIC_BROAD}"\n')
    repo.write("ci/read_repos.yml", f"env:\n  GH_READ_TOKEN: {gh.FINE_ONE}\n")
    repo.write("staging/railway.env", f"RAILWAY_TOKEN={rw.PROJECT_STAGING}\n")
    repo.write("billing/stripe.py", f'stripe.api_key = "{st.REVOKED}"\n')
    repo.commit("app")
    repo.write(".env", f"RAILWAY_DOMAIN_TOKEN={rw.ACCOUNT}\n")
    return repo


def by_provider_kind(doc: dict) -> dict[tuple[str, str | None], dict]:
    return {(f["provider"], f["variable"]): f for f in doc["findings"]}


def test_each_token_gets_exactly_its_access(incident_repo, fakes):
    env = fake_env({name: fake.url for name, fake in fakes.items()})
    doc = scan_json(incident_repo.root, env=env)
    found = by_provider_kind(doc)
    assert len(doc["findings"]) == 5

    account = found[("railway", "RAILWAY_DOMAIN_TOKEN")]
    a = account["access"]
    assert account["exposure"] == "ignored"
    assert (a["live"], a["reach"]) == (True, "account")
    assert {"delete", "admin"} <= set(a["capabilities"])
    assert any("can delete every volume, service and project of the account" in n for n in a["notes"])

    classic = found[("github", "GITHUB_TOKEN")]["access"]
    assert classic["live"] is True
    assert classic["grants"] == ["repo", "admin:org", "delete_repo"] or set(classic["grants"]) >= {
        "repo", "admin:org", "delete_repo"}
    assert {"read", "write", "delete", "admin"} <= set(classic["capabilities"])
    assert classic["reach"] == "organization"

    fine = found[("github", "GH_READ_TOKEN")]["access"]
    assert fine["live"] is True
    assert "delete" not in fine["capabilities"] and "admin" not in fine["capabilities"]
    assert "read" in fine["capabilities"]

    project = found[("railway", "RAILWAY_TOKEN")]["access"]
    assert (project["live"], project["reach"]) == (True, "project")
    assert project["facts"]["environment"] == "staging"

    stripe = found[("stripe", "stripe.api_key")]
    assert stripe["access"]["live"] is False
    assert stripe["severity"] == "info"

    # Nothing but read-only requests reached any fake.
    for fake in fakes.values():
        fake.assert_read_only()


def test_verdict_ranks_the_incident_token_first_and_exits_1(incident_repo, fakes):
    env = fake_env({name: fake.url for name, fake in fakes.items()})
    doc = scan_json(incident_repo.root, env=env)
    first = doc["findings"][0]
    assert (first["provider"], first["variable"]) == ("railway", "RAILWAY_DOMAIN_TOKEN")
    assert first["severity"] == "critical" and first["over_privileged"] is True
    assert any("account-wide" in r and "delete" in r for r in first["reasons"])
    assert any("domains/DNS" in r for r in first["reasons"])  # inferred from RAILWAY_DOMAIN_TOKEN
    assert any("project token" in r for r in first["remediation"])
    proc = run_cli(["scan", str(incident_repo.root)], env=env)
    assert proc.returncode == 1
    assert proc.stdout.index("RAILWAY_DOMAIN_TOKEN") < proc.stdout.index("GITHUB_TOKEN")


def test_baseline_silences_accepted_tokens_until_their_rights_grow(repo, fakes, monkeypatch):
    env = fake_env({name: fake.url for name, fake in fakes.items()})
    repo.write(".gitignore", ".env\n")
    repo.write("tools/gh.py", f'GH_TOKEN = "{gh.CLASSIC_NARROW}"\n')
    repo.commit("tools")
    repo.write(".env", f"RAILWAY_DOMAIN_TOKEN={rw.ACCOUNT}\n")
    assert run_cli(["scan", str(repo.root)], env=env).returncode == 1

    made = run_cli(["baseline", str(repo.root)], env=env)
    assert made.returncode == 0, made.stderr
    baseline = json.loads((repo.root / ".tokenreach-baseline.json").read_text())
    assert len(baseline["tokens"]) == 2
    raw = (repo.root / ".tokenreach-baseline.json").read_text()
    assert rw.ACCOUNT not in raw and gh.CLASSIC_NARROW not in raw and gh.CLASSIC_NARROW[4:10] not in raw

    quiet = run_cli(["scan", str(repo.root), "--format", "json"], env=env)
    assert quiet.returncode == 0, quiet.stdout
    assert json.loads(quiet.stdout)["findings"] == []

    # The provider now reports the accepted read-only token with delete_repo added.
    monkeypatch.setitem(gh._CLASSIC_SCOPES, gh.CLASSIC_NARROW, "read:user, delete_repo")
    grown = run_cli(["scan", str(repo.root), "--format", "json"], env=env)
    assert grown.returncode == 1
    findings = json.loads(grown.stdout)["findings"]
    assert [f["variable"] for f in findings] == ["GH_TOKEN"]
    assert findings[0]["reasons"][0].startswith("baselined, but its rights grew: can now")
    assert "delete" in findings[0]["reasons"][0]
