"""What a token was meant for: declared in configuration, or inferred from its name and path.

A token is over-privileged when it can do more than its evident purpose needs; purpose comes
from a declared intent (exact excess listed) or, when nothing is declared, from words in the
variable name or file path (labelled as inferred).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fnmatch import fnmatch

from tokenreach.scanner.config import Intent
from tokenreach.scanner.model import CAPABILITY_ORDER, REACH_ORDER, Access, Finding, can_phrase


@dataclass(frozen=True)
class Purpose:
    label: str
    capabilities: frozenset[str] | None
    reach: str | None
    grants: frozenset[str] | None
    declared: bool
    source: str  # where it came from, for the reason line


# word in a name or path → (label, most capabilities, widest reach)
_INFERRED: tuple[tuple[frozenset[str], str, frozenset[str] | None, str | None], ...] = (
    (frozenset({"read", "readonly", "ro", "reader", "viewer", "view", "public", "publishable"}),
     "read-only", frozenset({"read"}), None),
    (frozenset({"dns", "domain", "domains", "zone", "zones", "certbot", "acme"}),
     "domains/DNS", frozenset({"read", "write"}), "project"),
    (frozenset({"deploy", "deployer", "deployment", "ci", "cd", "pipeline", "build", "release"}),
     "deployment/CI", frozenset({"read", "write", "secrets"}), "project"),
    (frozenset({"staging", "stage", "stg", "test", "testing", "dev", "development", "sandbox", "preview", "qa"}),
     "non-production", None, "project"),
    (frozenset({"metrics", "monitoring", "monitor", "logs", "logging", "analytics", "telemetry"}),
     "monitoring", frozenset({"read", "write"}), None),
)


def words(text: str) -> set[str]:
    """Lower-case words of an identifier or path: RAILWAY_DOMAIN_TOKEN, railwayDomainToken, a/b-c.yml."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", text)
    return {w for w in re.split(r"[^A-Za-z0-9]+", spaced.lower()) if w}


def declared_purpose(finding: Finding, intents: tuple[Intent, ...]) -> Purpose | None:
    for intent in intents:
        if intent.provider and intent.provider != finding.provider:
            continue
        if intent.paths and not any(fnmatch(loc.path, pat) for loc in finding.locations for pat in intent.paths):
            continue
        var = finding.token.variable or ""
        if intent.variables and not any(fnmatch(var, pat) for pat in intent.variables):
            continue
        return Purpose(intent.purpose or "declared intent", intent.capabilities, intent.reach, intent.grants,
                       True, intent.source)
    return None


def inferred_purpose(finding: Finding) -> Purpose | None:
    sources = []
    if finding.token.variable:
        sources.append(("name", finding.token.variable))
    sources.extend(("path", loc.path) for loc in finding.locations)
    for kind, text in sources:
        found = words(text)
        for vocabulary, label, caps, reach in _INFERRED:
            hit = found & vocabulary
            if hit:
                return Purpose(label, caps, reach, None, False, f"{kind} {text}")
    return None


def excess(access: Access, purpose: Purpose) -> list[str]:
    """What the token can do beyond the purpose, in words; empty when within it or unknown."""
    out: list[str] = []
    if purpose.capabilities is not None and access.capabilities:
        extra = [c for c in CAPABILITY_ORDER if c in access.capabilities and c not in purpose.capabilities]
        if extra:
            out.append(f"can {can_phrase(extra)}")
    if purpose.reach is not None and access.reach is not None:
        if REACH_ORDER.index(access.reach) > REACH_ORDER.index(purpose.reach):
            out.append(f"reaches the whole {access.reach} (intended at most one {purpose.reach})")
    if purpose.grants is not None and access.grants:
        extra_grants = [g for g in access.grants if g not in purpose.grants]
        if extra_grants:
            shown = ", ".join(extra_grants[:6]) + (" …" if len(extra_grants) > 6 else "")
            out.append(f"holds grants beyond the declared ones: {shown}")
    return out
