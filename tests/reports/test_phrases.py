"""reports/phrases.py words every finding: over every provider's title, pattern name and kind."""

from __future__ import annotations

import itertools
import re

import pytest

from tokenreach.detectors.registry import all_patterns
from tokenreach.reports import phrases, sarif
from tokenreach.scanner.model import (
    CAPABILITY_ORDER,
    REACH_ORDER,
    Access,
    Finding,
    Location,
    ScanResult,
    SourceStats,
    Token,
)


def finding(provider: str = "acme", name: str = "Acme API key", kind: str | None = None,
            access: Access | None = None) -> Finding:
    token = Token(provider=provider, secret="acme_0123456789abcdef", kind=kind, pattern_id=f"{provider}.key")
    f = Finding(token=token, pattern_name=name, locations=[Location(".env", 1, 1, "ignored")])
    f.access = access
    return f


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


@pytest.mark.parametrize(("det", "pattern"), list(all_patterns()), ids=lambda x: getattr(x, "id", ""))
def test_every_patterns_name_says_its_provider_once_and_its_kind_in_words(det, pattern):
    name = phrases.token_name(finding(det.provider, pattern.name, pattern.kind), det.title)
    title = det.title.lower()
    assert title in name.lower() or set(words(det.title)) <= set(words(name)), name
    # the provider is not said twice unless the pattern's own name says it twice
    assert name.lower().count(title) <= max(1, pattern.name.lower().count(title)), name
    assert "_" not in name.replace(pattern.name, ""), name  # a kind id is never shown raw
    assert ") (" not in name, name  # one parenthesis, never two side by side


def test_a_title_inside_the_name_is_not_repeated():
    assert phrases.titled("Private key", "PEM private key") == "PEM private key"
    assert phrases.titled("GitHub", "GitHub personal access token") == "GitHub personal access token"
    assert phrases.titled("GitHub", "personal access token") == "GitHub personal access token"


def test_the_kind_the_lookup_decided_replaces_the_kinds_it_may_be():
    generic = "Railway API token (account, workspace or project)"
    for kind in ("account", "workspace", "project"):
        f = finding("railway", generic, access=Access(live=True, facts={"token_kind": kind}))
        assert phrases.token_name(f, "Railway") == f"Railway API token ({kind})"
    undecided = finding("neon", "Neon API key", access=Access(facts={"token_kind": "organization_or_project"}))
    assert phrases.token_name(undecided, "Neon") == "Neon API key"
    assert phrases.token_name(finding("railway", generic), "Railway") == generic  # offline: still generic
    f = finding("hf", "Hugging Face access token", kind="user_token")
    assert phrases.token_name(f, "Hugging Face") == "Hugging Face access token (user token)"
    f = finding("github", "GitHub personal access token (classic)", kind="classic_pat")
    assert phrases.token_name(f, "GitHub") == "GitHub personal access token (classic)"


@pytest.mark.parametrize("live", [True, False, None])
def test_status_says_as_only_for_a_live_answer(live):
    a = Access(live=live, identity="AWS account 123456789012")
    a.note("liveness unknown: DNS lookup failed")
    text = phrases.status(a, why=True)
    if live:
        assert text == "live as AWS account 123456789012"
    else:
        assert " as " not in text and text.endswith("; identity AWS account 123456789012")
    if live is None:
        assert text.startswith("liveness unknown — DNS lookup failed;")
    assert phrases.status(None) == "not looked up"
    assert phrases.status(Access(), offline=True) == "not looked up (offline)"


def test_reach_never_says_can_unknown_nor_an_unworded_capability():
    reaches = [None, *REACH_ORDER]
    caps = [set(c) for n in range(len(CAPABILITY_ORDER) + 1) for c in itertools.combinations(CAPABILITY_ORDER, n)]
    for reach, cap in itertools.product(reaches, caps):
        text = phrases.reach(Access(reach=reach, capabilities=cap))
        assert not re.search(r"can (unknown|secrets|admin|billing)\b", text), text
        if not reach and not cap:
            assert text == "reach and capabilities unknown"
    assert phrases.reach(Access(reach="account", capabilities={"read"}, resources_total=1)) == \
        "account-wide (1 resource), can read"


def test_sarif_help_asks_a_provider_only_when_tokenreach_looks_it_up():
    by_lookup: dict[bool, tuple[str, str]] = {}
    for det, pattern in all_patterns():
        by_lookup.setdefault(det.has_lookup(), (det.provider, pattern.name))
        if len(by_lookup) == 2:
            break
    findings = []
    for provider, name in by_lookup.values():
        f = finding(provider, name)
        f.token = Token(provider=provider, secret="x" * 20, pattern_id=next(
            p.id for d, p in all_patterns() if d.provider == provider and p.name == name))
        findings.append(f)
    doc = sarif.render(ScanResult(findings, SourceStats(), 0.1, root="."))
    import json

    rules = {r["id"]: r for r in json.loads(doc)["runs"][0]["tool"]["driver"]["rules"]}
    for looked_up, (provider, _name) in by_lookup.items():
        f = next(x for x in findings if x.provider == provider)
        text = rules[f.token.pattern_id]["help"]["text"]
        assert ("tokenreach asks" in text) is looked_up, text
        assert ("does not ask" in text) is not looked_up, text
