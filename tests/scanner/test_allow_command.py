"""`tokenreach allow FINGERPRINT --reason TEXT`, and the fingerprint in `-v` output (issue 15, item 13)."""

from __future__ import annotations

import json
import sys

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

from tests.helpers import Repo, run_cli
from tests.integrations.helpers import HF, HF2

FP = "0123456789abcdef0123456789abcdef"
FP2 = "fedcba9876543210fedcba9876543210"


def _allow(repo: Repo, *args: str):  # type: ignore[no-untyped-def]
    return run_cli(["allow", *args], cwd=repo.root)


def test_verbose_text_report_shows_the_fingerprint_allow_needs(repo: Repo) -> None:
    repo.write("app.env", f"HF_TOKEN={HF}\n")
    doc = json.loads(run_cli(["scan", str(repo.root), "--offline", "--no-history", "-f", "json"]).stdout)
    fp = doc["findings"][0]["fingerprint"]
    quiet = run_cli(["scan", str(repo.root), "--offline", "--no-history"])
    assert fp not in quiet.stdout
    loud = run_cli(["scan", str(repo.root), "--offline", "--no-history", "-v"])
    assert fp in loud.stdout and f"tokenreach allow {fp}" in loud.stdout
    assert HF not in loud.stdout + loud.stderr


def test_allow_then_scan_suppresses_the_token(repo: Repo) -> None:
    repo.write("app.env", f"HF_TOKEN={HF}\nOTHER={HF2}\n")
    doc = json.loads(run_cli(["scan", str(repo.root), "--offline", "--no-history", "-f", "json"]).stdout)
    fp = next(f["fingerprint"] for f in doc["findings"] if f["redacted"].endswith(HF[-4:]))
    proc = _allow(repo, fp, "--reason", "read-only demo token, revoked upstream")
    assert proc.returncode == 0, proc.stderr
    text = (repo.root / ".tokenreach.toml").read_text()
    assert f'"{fp}",  # read-only demo token, revoked upstream' in text
    after = json.loads(run_cli(["scan", str(repo.root), "--offline", "--no-history", "-f", "json"]).stdout)
    left = [f["fingerprint"] for f in after["findings"]]
    assert len(left) == 1 and fp not in left


def test_existing_file_is_appended_to_never_reformatted(repo: Repo) -> None:
    original = ('# team settings\nfail_on = "medium"   # keep\n\nallow = [\n    "' + FP + '", # old demo\n]\n\n'
                '[intent.deploy]\npurpose = "deploy"\n')
    repo.write(".tokenreach.toml", original)
    proc = _allow(repo, FP2, "--reason", "CI fixture")
    assert proc.returncode == 0, proc.stderr
    text = (repo.root / ".tokenreach.toml").read_text()
    # Every original line is still there, in order; only the new entry was added.
    added = [line for line in text.splitlines() if line not in original.splitlines()]
    assert added == [f'    "{FP2}",  # CI fixture']
    data = tomllib.loads(text)
    assert data["allow"] == [FP, FP2] and data["fail_on"] == "medium" and "deploy" in data["intent"]


@pytest.mark.parametrize("before", [
    'allow = []\n',
    f'allow = ["{FP}"]\n',
    f'allow = [\n  "{FP}"  # no trailing comma\n]\n',
    '[providers]\nslack = "offline"\n',  # no allow yet: it goes above the first table
    '',
])
def test_every_shape_of_the_list_takes_the_new_entry(repo: Repo, before: str) -> None:
    repo.write(".tokenreach.toml", before)
    assert _allow(repo, FP2, "--reason", "ok").returncode == 0
    text = (repo.root / ".tokenreach.toml").read_text()
    data = tomllib.loads(text)
    assert data["allow"][-1] == FP2 and FP2 + '",  # ok' in text
    if "providers" in before:
        assert data["providers"] == {"slack": "offline"}


def test_idempotent(repo: Repo) -> None:
    assert _allow(repo, FP, "--reason", "first").returncode == 0
    once = (repo.root / ".tokenreach.toml").read_text()
    proc = _allow(repo, FP, "--reason", "again")
    assert proc.returncode == 0 and "already" in proc.stderr
    assert (repo.root / ".tokenreach.toml").read_text() == once


@pytest.mark.parametrize("bad", ["xyz", FP[:-1], FP + "0", "g" * 32, f"{FP}\n"])
def test_a_malformed_fingerprint_is_refused(repo: Repo, bad: str) -> None:
    proc = _allow(repo, bad, "--reason", "x")
    assert proc.returncode == 2 and "fingerprint" in proc.stderr and "Traceback" not in proc.stderr
    assert not (repo.root / ".tokenreach.toml").exists()


def test_a_reason_is_one_line_and_required(repo: Repo) -> None:
    assert _allow(repo, FP, "--reason", "two\nlines").returncode == 2
    assert _allow(repo, FP, "--reason", "  ").returncode == 2
    assert not (repo.root / ".tokenreach.toml").exists()


def test_invalid_toml_is_left_alone(repo: Repo) -> None:
    repo.write(".tokenreach.toml", "allow = [\n")
    proc = _allow(repo, FP, "--reason", "x")
    assert proc.returncode == 2 and ".tokenreach.toml" in proc.stderr and "Traceback" not in proc.stderr
    assert (repo.root / ".tokenreach.toml").read_text() == "allow = [\n"


def test_a_pyproject_configuration_is_not_shadowed(repo: Repo) -> None:
    repo.write("pyproject.toml", '[tool.tokenreach]\nfail_on = "low"\n')
    proc = _allow(repo, FP, "--reason", "x")
    assert proc.returncode == 2 and "pyproject.toml" in proc.stderr
    assert not (repo.root / ".tokenreach.toml").exists()


def test_a_list_it_cannot_edit_in_place_is_left_for_a_person(repo: Repo) -> None:
    before = f'  allow = ["{FP}"]\n'  # indented: not where the editor looks; it would duplicate the key
    repo.write(".tokenreach.toml", before)
    proc = _allow(repo, FP2, "--reason", "x")
    assert proc.returncode == 2 and "by hand" in proc.stderr and FP2 in proc.stderr
    assert (repo.root / ".tokenreach.toml").read_text() == before
