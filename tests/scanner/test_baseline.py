from __future__ import annotations

import hashlib
import json

import pytest

from tests.helpers import run_cli, scan_json
from tokenreach.detectors.redaction import fingerprint
from tokenreach.scanner.baseline import BaselineError, apply, growth, load, write
from tokenreach.scanner.hits import ignored_inline
from tokenreach.scanner.model import Access, Finding, Location, Token

TOK = "hf_BaselineBaselineBaselineBaseline01"


def make_finding(caps=("read",), reach="resource", grants=("read",)):
    f = Finding(Token("huggingface", TOK), "x", [Location("a.py", 1, 1, "tracked")])
    f.access = Access(live=True, capabilities=set(caps), reach=reach, grants=list(grants))
    return f


def test_baseline_round_trip_holds_no_secret(tmp_path):
    path = tmp_path / "b.json"
    f = make_finding()
    assert write(path, [f]) == 1
    text = path.read_text()
    assert TOK not in text and TOK[3:9] not in text
    accepted = load(path)
    assert set(accepted.accepted) == {f.fingerprint} and accepted.version == 2
    kept, suppressed = apply([make_finding()], accepted)
    assert (kept, suppressed) == ([], 1)


@pytest.mark.parametrize(("caps", "reach", "grants", "says"), [
    (("read", "delete"), "resource", ("read",), "can now delete"),
    (("read",), "account", ("read",), "reach widened from resource to account"),
    (("read",), "resource", ("read", "write"), "new grants: write"),
])
def test_growth_is_reported(tmp_path, caps, reach, grants, says):
    path = tmp_path / "b.json"
    write(path, [make_finding()])
    kept, suppressed = apply([make_finding(caps, reach, grants)], load(path))
    assert suppressed == 0 and says in kept[0].reasons[0]


def test_unknown_or_revoked_now_is_not_growth(tmp_path):
    path = tmp_path / "b.json"
    write(path, [make_finding()])
    accepted = load(path).accepted[make_finding().fingerprint]
    assert growth(accepted, Access(live=None)) == []
    assert growth(accepted, Access(live=False, capabilities={"delete"})) == []


@pytest.mark.parametrize("text", ["", "{", "[]", '{"version": 3, "tokens": {}}', '{"version": 1, "tokens": []}',
                                  '{"version": 1, "tokens": {"x": {"reach": "galaxy"}}}'])
def test_malformed_baselines_are_clear_errors(tmp_path, text):
    path = tmp_path / "b.json"
    path.write_text(text)
    with pytest.raises(BaselineError) as exc:
        load(path)
    assert str(path) in str(exc.value)


def test_malformed_baseline_is_exit_2(repo):
    repo.write("a.py", f"T='{TOK}'\n")
    repo.commit("a")
    repo.write(".tokenreach-baseline.json", "{nope")
    proc = run_cli(["scan", str(repo.root), "--offline"])
    assert proc.returncode == 2 and "not valid JSON" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize(("text", "ignored"), [
    (f"T='{TOK}'  # tokenreach:ignore", True),
    (f"# pragma: allowlist secret\nT='{TOK}'", True),
    (f"T='{TOK}' // gitleaks:allow", True),
    (f"# tokenreach:ignore\n\nT='{TOK}'", False),  # two lines above: not this token's
    (f"T='{TOK}'\n# tokenreach:ignore", False),  # the line after does not count
    (f"A=1  # tokenreach:ignore\nT='{TOK}'", False),  # a trailing marker covers its own line only
])
def test_inline_ignores(text, ignored):
    buf = text.encode()
    assert ignored_inline(buf, buf.index(TOK.encode())) is ignored


def test_inline_ignore_end_to_end(repo):
    repo.write("a.py", f"T='{TOK}'  # tokenreach:ignore\nU='hf_KeptKeptKeptKeptKeptKeptKeptKept02'\n")
    repo.commit("a")
    doc = scan_json(repo.root, "--offline")
    kept = fingerprint("huggingface", "hf_KeptKeptKeptKeptKeptKeptKeptKept02")
    assert [f["fingerprint"] for f in doc["findings"]] == [kept]
    # Once in the working tree; the history blob is the same tracked file and is not read again.
    assert doc["stats"]["skipped"]["ignored inline (tokenreach:ignore)"] == 1


def test_detect_secrets_audited_false_positives_are_suppressed(repo):
    repo.write("a.py", f"T='{TOK}'\n")
    repo.commit("a")
    repo.write(".secrets.baseline", json.dumps({"version": "1.5.0", "results": {"a.py": [
        {"type": "Secret Keyword", "filename": "a.py", "line_number": 1, "is_secret": False,
         "hashed_secret": hashlib.sha1(TOK.encode()).hexdigest()}]}}))
    doc = scan_json(repo.root, "--offline")
    assert doc["findings"] == []
    assert any("audited false positive in .secrets.baseline" in n for n in doc["notices"])


def test_allowed_fingerprints_in_configuration(repo):
    repo.write("a.py", f"T='{TOK}'\n")
    repo.commit("a")
    fp = scan_json(repo.root, "--offline")["findings"][0]["fingerprint"]
    repo.write(".tokenreach.toml", f'allow = ["{fp}"]\n')
    assert scan_json(repo.root, "--offline")["findings"] == []
