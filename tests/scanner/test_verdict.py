"""Severity, over-privileged and remediation: one rule over the Access model."""

from __future__ import annotations

import pytest

from tokenreach.scanner.assess import assess, severity_of
from tokenreach.scanner.config import Intent
from tokenreach.scanner.intent import words
from tokenreach.scanner.model import Access, Finding, Location, Token


def finding(access: Access, exposure="tracked", variable=None, path="app/config.py", provider="huggingface"):
    tok = Token(provider=provider, secret="hf_VerdictVerdictVerdictVerdictVerd01", variable=variable)
    f = Finding(token=tok, pattern_name="x", locations=[Location(path, 1, 1, exposure)])
    f.access = access
    assess(f)
    return f


@pytest.mark.parametrize(("caps", "reach", "history", "expected"), [
    ({"delete"}, "account", False, "critical"),
    ({"delete"}, "account", True, "high"),
    ({"write"}, "account", False, "high"),
    ({"delete"}, "project", False, "high"),
    ({"write"}, "project", False, "medium"),
    ({"read"}, "project", False, "low"),
    ({"read"}, "resource", False, "low"),
    ({"read"}, "resource", True, "info"),
    (set(), None, False, "high"),  # unknown: assume the worst capability, a project's reach
    (set(), None, True, "medium"),
])
def test_severity_rule(caps, reach, history, expected):
    assert severity_of(Access(live=True, capabilities=caps, reach=reach), history) == expected


def test_revoked_is_info_and_test_mode_is_lower():
    assert severity_of(Access(live=False, capabilities={"delete"}, reach="account"), False) == "info"
    sandbox = Access(live=True, capabilities={"delete"}, reach="account", facts={"environment": "test"})
    assert severity_of(sandbox, False) == "high"


def test_account_wide_delete_is_over_privileged_with_plain_reason():
    f = finding(Access(live=True, capabilities={"read", "delete"}, reach="account", resources_total=4,
                       notes=["can delete every project of the account"]))
    assert f.over_privileged is True
    assert f.reasons[0] == ("account-wide: can delete across 4 reachable resource(s) — "
                            "can delete every project of the account")
    assert f.remediation[0].startswith("revoke this Hugging Face token at https://")
    assert any("fine-grained token" in r for r in f.remediation)


def test_inferred_intent_from_the_name():
    f = finding(Access(live=True, capabilities={"read", "write"}, reach="account"), variable="HF_READ_TOKEN")
    assert f.over_privileged is True
    assert any("suggests read-only" in r and "can write" in r and "inferred" in r for r in f.reasons)
    narrow = finding(Access(live=True, capabilities={"read"}, reach="resource"), variable="HF_READ_TOKEN")
    assert narrow.over_privileged is False


def test_declared_intent_lists_the_exact_excess():
    intent = Intent(source=".tokenreach.toml: intent[0]", purpose="model download", paths=("app/*",),
                    capabilities=frozenset({"read"}), reach="resource", grants=frozenset({"read"}))
    tok = Token(provider="huggingface", secret="hf_DeclaredDeclaredDeclaredDeclare01")
    f = Finding(token=tok, pattern_name="x", locations=[Location("app/config.py", 1, 1, "tracked")])
    f.access = Access(live=True, capabilities={"read", "write"}, reach="project", grants=["read", "write"])
    assess(f, (intent,))
    assert f.over_privileged is True
    (reason,) = [r for r in f.reasons if "declared intent" in r]
    assert "'model download'" in reason and "can write" in reason
    assert "reaches the whole project (intended at most one resource)" in reason
    assert "grants beyond the declared ones: write" in reason


def test_history_only_says_rotate():
    f = finding(Access(live=None), exposure="history")
    assert any("rotate" in r for r in f.remediation)
    assert any("only in git history" in r for r in f.reasons)


def test_words_split_names_and_paths():
    assert words("RAILWAY_DOMAIN_TOKEN") == {"railway", "domain", "token"}
    assert words("railwayDomainToken") == {"railway", "domain", "token"}
    assert words("infra/dns-records.yml") == {"infra", "dns", "records", "yml"}


@pytest.mark.parametrize(("provider", "first_step"), [
    ("generic", "rotate this secret where it was issued"),
    ("url", "change this password on the server the URL names"),
    ("private_key", "generate a new key pair"),
])
def test_credentials_no_provider_issues_get_a_rotation_step_not_a_revoke_page(provider, first_step):
    f = finding(Access(live=None, evidence="prefix"), provider=provider)
    assert f.remediation[0].startswith(first_step)
    text = " ".join(f.remediation)
    assert "token settings" not in text and "token limited" not in text
    assert any(step.startswith("replace it: a credential limited to the one system") for step in f.remediation)


def test_capabilities_read_as_verbs_in_order():
    from tokenreach.scanner.model import can_phrase

    assert can_phrase({"billing", "delete", "read", "write", "admin", "secrets"}) == (
        "read, write, delete, administer, manage billing, read secrets")
    assert can_phrase(set()) == ""
    f = finding(Access(live=True, capabilities={"billing", "read"}, reach="account"))
    assert f.reasons[0].startswith("account-wide: can manage billing")
