"""The terminal report: most dangerous first, plain words, the reason when liveness is unknown."""

from __future__ import annotations

from tests.helpers import run_cli, token
from tests.reports.sample import sample_result
from tokenreach.reports import text
from tokenreach.scanner.assess import assess


def test_over_privileged_first_then_severity_and_a_summary_line():
    out = text.render(sample_result())
    blocks = [b for b in out.split("\n\n") if b.strip()]
    heads = [b.splitlines()[0] for b in blocks[:-1]]
    assert "OVER-PRIVILEGED" in heads[0] and heads[0].startswith("CRITICAL")
    flagged = ["OVER-PRIVILEGED" in h for h in heads]
    assert flagged == sorted(flagged, reverse=True), "over-privileged findings lead"
    assert blocks[-1].startswith("6 secret(s), 4 live, 2 over-privileged")
    assert "can read, write, delete, administer" in out


def test_unknown_liveness_says_why(repo):
    tok = token("HF_TOKEN=hf_TextTextTextTextTextTextTextTextTe")
    repo.write("app.py", f"HF_TOKEN={tok.secret}\n")
    proc = run_cli(["scan", str(repo.root), "--offline", "--no-history"])
    assert "status  unknown — not looked up (--offline)" in proc.stdout


def test_revoked_and_assessed_findings_render_without_secrets():
    result = sample_result()
    for f in result.findings:
        assess(f)
    out = text.render(result)
    assert all(f.token.secret not in out for f in result.findings)
    assert all(f.token.secret in text.render(result, show_secrets=True) for f in result.findings)
