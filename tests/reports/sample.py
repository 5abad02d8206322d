"""Realistic scan results built in memory (no network, no git): what the renderers are tested on."""

from __future__ import annotations

from tokenreach.scanner.model import Access, Finding, Location, ScanResult, SourceStats, Token

# Full secrets: every test asserts that none of them reaches a default (redacted) report.
SECRETS = {
    "railway": "0b6c1f2e-8d3a-4c5b-9e7f-1a2b3c4d5e6f",
    "github": "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",
    "aws": "wJalrXUtnFEMIxK7MDENGxbPxRfiCYzEXAMPLEKEY",
    "stripe": "sk_live_4eC39HqLyjWDarjtT1zdp7dcXyZaBcDeFgHiJk",
    "slack": "xoxb-4729137890123-4729137890123-AbCdEfGhIjKlMnOpQrStUvWx",
    "openai": "sk-proj-Fk3Qz9Lm2Nx7Vb1Rt5Yw8Pa4Sd6Gh0JkLmNoPqRsTuVwXyZ",
}

HISTORY_COMMIT = "4f2a9c1be07d3e5f6a7b8c9d0e1f2a3b4c5d6e7f"

# Strings a hostile repository (or a provider's answer) can put into a report.
PAYLOADS = (
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    "</script><script>alert(2)</script>",
)


def _stats() -> SourceStats:
    stats = SourceStats()
    stats.files, stats.blobs, stats.commits, stats.bytes = 412, 1893, 327, 18_400_000
    stats.skipped["binary"] = 14
    stats.skipped["too large"] = 2
    return stats


def sample_result() -> ScanResult:
    """Six findings across severities, exposures, liveness and providers, as a real scan orders them."""
    railway = Finding(
        token=Token("railway", SECRETS["railway"], kind="account", pattern_id="railway.token",
                    variable="RAILWAY_TOKEN"),
        pattern_name="Railway API token (account, workspace or project)",
        locations=[Location(".env", 3, 15, "ignored"),
                   Location("deploy/.railway/config.json", 7, 22, "ignored")],
        access=Access(live=True, identity="ada@acme.dev", reach="account",
                      capabilities={"read", "write", "delete", "admin"},
                      grants=["account token"], resources=["shop-prod", "shop-staging", "analytics"],
                      resources_total=7, evidence="api", notes=["me query answered: account token"]),
        severity="critical", over_privileged=True,
        reasons=["account-wide (7 reachable resource(s)): can delete, administer"],
    )
    github = Finding(
        token=Token("github", SECRETS["github"], kind="classic_pat", pattern_id="github.classic_pat",
                    variable="GITHUB_TOKEN"),
        pattern_name="GitHub personal access token (classic)",
        locations=[Location("scripts/release.sh", 12, 14, "tracked")],
        access=Access(live=True, identity="ada-acme", reach="organization",
                      capabilities={"read", "write", "delete", "admin"},
                      grants=["repo", "delete_repo", "admin:org", "workflow"],
                      resources=["acme/shop", "acme/infra", "acme/website"], resources_total=41, evidence="api",
                      expires_at="2027-03-01T00:00:00Z"),
        severity="critical", over_privileged=True,
        reasons=["organization-wide (41 reachable resource(s)): can delete, administer"],
    )
    aws = Finding(
        token=Token("aws", SECRETS["aws"], kind="access_key", pattern_id="aws.access_key_pair",
                    variable="AWS_SECRET_ACCESS_KEY"),
        pattern_name="AWS access key ID with its secret access key",
        locations=[Location("config/prod.env", 4, 23, "history", commit=HISTORY_COMMIT,
                            author="Bob Builder", date="2025-11-02T09:14:00+00:00")],
        access=Access(live=True, identity="arn:aws:iam::123456789012:user/ci-deploy", reach="account",
                      capabilities={"read", "write"}, grants=["s3:GetObject", "s3:PutObject"], evidence="api"),
        severity="medium", over_privileged=False,
        reasons=["only in git history: rotating is required, deleting the file does not remove it"],
    )
    stripe = Finding(
        token=Token("stripe", SECRETS["stripe"], kind="secret_key", pattern_id="stripe.secret_key",
                    variable="STRIPE_SECRET_KEY"),
        pattern_name="Stripe secret key",
        locations=[Location("services/billing/settings.py", 18, 21, "untracked")],
        access=Access(live=None, reach="account", capabilities={"read", "write", "delete", "billing"},
                      evidence="prefix", notes=["lookup timed out"]),
        severity="high", over_privileged=False,
        reasons=["unconfirmed: liveness unknown, severity from offline facts"],
    )
    openai = Finding(
        token=Token("openai", SECRETS["openai"], kind="project_key", pattern_id="openai.project_key",
                    variable="OPENAI_API_KEY"),
        pattern_name="OpenAI project API key",
        locations=[Location("notebooks/eval.ipynb", 40, 9, "tracked")],
        access=Access(live=True, identity="proj_Acme", reach="project", capabilities={"read", "write"},
                      evidence="api"),
        severity="medium", over_privileged=False, reasons=[],
    )
    slack = Finding(
        token=Token("slack", SECRETS["slack"], kind="bot_token", pattern_id="slack.bot_token"),
        pattern_name="Slack bot token",
        locations=[Location("docs/howto.md", 88, 5, "tracked")],
        access=Access(live=False, evidence="api", notes=["invalid_auth"]),
        severity="info", over_privileged=False, reasons=["revoked or invalid: the provider rejected it"],
    )
    findings = [railway, github, stripe, aws, openai, slack]
    return ScanResult(findings=findings, stats=_stats(), duration=3.42,
                      notices=["lookups: 5 provider(s), 9 request(s)"], engine="hyperscan", root="/src/acme-shop")


def hostile_result() -> ScanResult:
    """Every string a repository or an API controls carries an HTML/Markdown/script payload."""
    p1, p2, p3 = PAYLOADS
    f = Finding(
        token=Token("github", SECRETS["github"], kind="classic_pat", pattern_id="github.classic_pat",
                    variable=f"TOKEN_{p1}"),
        pattern_name="GitHub personal access token (classic)",
        locations=[Location(f"src/{p2}/a|b`c`.env", 1, 1, "tracked"),
                   Location(f"old/{p3}.txt", 2, 3, "history", commit="deadbeef" * 5,
                            author=f"Eve {p2}", date="2024-01-01T00:00:00Z")],
        access=Access(live=True, identity=f"eve{p1}", reach="organization", capabilities={"admin"},
                      grants=[p2], resources=[p3, "[link](javascript:alert(3))"], resources_total=2,
                      notes=[p1], evidence="api"),
        severity="critical", over_privileged=True, reasons=[f"reason {p2}"],
        remediation=[f"rotate {p3}"],
    )
    stats = _stats()
    stats.warnings.append(f"unreadable: {p2}")
    return ScanResult(findings=[f], stats=stats, duration=0.5, notices=[p1], engine="re", root=f"/tmp/{p2}")


def empty_result() -> ScanResult:
    return ScanResult(findings=[], stats=SourceStats(), duration=0.1, engine="re", root="/src/clean")
