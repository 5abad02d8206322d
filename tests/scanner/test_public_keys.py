"""Keys that are public by design (issue 15, item 8): info, never blocking, no revoke advice."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.helpers import Repo, run_cli, token
from tests.integrations.helpers import clean_env
from tokenreach.detectors.providers.stripe import StripeDetector
from tokenreach.scanner.assess import assess, is_public
from tokenreach.scanner.model import Finding, Location

PK = "pk_live_51QrStUvWxYz0123AbCdEfGhIjKlMn"
SUPABASE_PUB = "sb_publishable_Zm9vYmFyYmF6cXV4cXV1_x7Kp2LmQ"
SK = "sk_live_51QrStUvWxYz0123AbCdEfGhIjKlMnOpQrStUvWxYz0123456789"


def _finding(text: str) -> Finding:
    tok = token(text)
    f = Finding(token=tok, pattern_name="")
    f.locations.append(Location(path="web/checkout.js", line=1, column=1, exposure="tracked"))
    f.access = StripeDetector().classify(tok) if tok.provider == "stripe" else None
    return f


def test_publishable_patterns_are_marked_public_as_data() -> None:
    from tokenreach.detectors.registry import all_patterns

    public = {p.id for _, p in all_patterns() if p.public}
    assert {"stripe.publishable_key", "supabase.publishable_key"} <= public
    assert "stripe.secret_key" not in public


def test_a_publishable_key_is_info_with_no_revoke_advice() -> None:
    f = _finding(f'const stripe = Stripe("{PK}");')
    assess(f)
    assert is_public(f)
    assert f.severity == "info"
    assert not any("revoke" in step for step in f.remediation)
    assert any("public by design" in r for r in f.reasons)


def test_a_public_key_does_not_block_even_at_fail_on_info(repo: Repo) -> None:
    repo.write("README.md", "hi\n")
    repo.commit("init")
    repo.write("web/checkout.js", f'const stripe = Stripe("{PK}");\nconst sb = "{SUPABASE_PUB}";\n')
    repo.git("add", "web/checkout.js")
    proc = subprocess.run([sys.executable, "-m", "tokenreach.scanner.cli.precommit", "--offline"], cwd=repo.root,
                          env=clean_env(), capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "revoke" not in proc.stdout and "rotate" not in proc.stdout
    assert proc.stdout.startswith("tokenreach: 2 key(s) in the staged changes, public by design: not blocking")
    # A secret key next to it still refuses the commit.
    repo.write("server.py", f'STRIPE_KEY = "{SK}"\n')
    repo.git("add", "server.py")
    proc = subprocess.run([sys.executable, "-m", "tokenreach.scanner.cli.precommit", "--offline"], cwd=repo.root,
                          env=clean_env(), capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1


def test_scan_reports_it_as_info_and_exits_zero_at_fail_on_info(repo: Repo) -> None:
    repo.write("web/checkout.js", f'const stripe = Stripe("{PK}");\n')
    repo.commit("checkout")
    proc = run_cli(["scan", str(repo.root), "--offline", "--fail-on", "info", "--format", "json"])
    assert proc.returncode == 0, proc.stderr
    [f] = json.loads(proc.stdout)["findings"]
    assert f["severity"] == "info"
    assert not any("revoke" in s for s in f["remediation"])


def test_a_supabase_anon_jwt_is_public_by_its_role_claim_and_service_role_is_not() -> None:
    from tests.fakes import supabase as sb
    from tokenreach.detectors.providers.supabase import detector

    for jwt_, public in ((sb.ANON, True), (sb.SERVICE_ROLE, False)):
        tok = token(f"NEXT_PUBLIC_SUPABASE_KEY={jwt_}")
        f = Finding(token=tok, pattern_name="", locations=[Location("web/.env", 1, 1, "tracked")])
        f.access = detector.classify(tok)
        assess(f)
        assert is_public(f) is public
        assert (f.severity == "info") is public
        assert any("revoke" in step for step in f.remediation) is not public
