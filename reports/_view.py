"""What the SARIF, Markdown and HTML reports share: ranking, wording and the remediation fallback.

Everything here returns plain strings built from the scan result; escaping is each renderer's job,
because each output format escapes differently.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from tokenreach.detectors.base import Detector
from tokenreach.reports import phrases
from tokenreach.scanner.assess import order
from tokenreach.scanner.model import (
    CAPABILITY_ORDER,
    EXPOSURE_ORDER,
    Finding,
    Location,
    ScanResult,
    SourceStats,
)

# Most severe first. "unrated" is a finding the assessment stage never saw (a renderer called
# on a raw scan): shown as such rather than guessed.
SEVERITY_ORDER: tuple[str, ...] = ("critical", "high", "medium", "low", "info", "unrated")
LIVE_LABEL = {True: "live", False: "revoked", None: "unknown"}
EXPOSURE_PHRASE = {
    "tracked": "tracked by git",
    "ignored": "git-ignored",
    "git-config": "git config file",
    "untracked": "untracked",
    "staged": "staged",
    "stdin": "standard input",
    "home": "in a credential store in the home folder",
    "environment": "an environment variable an agent's terminal inherits",
    "nearby": "in another project next to this one",
    "history": "only in git history",
}
# Capabilities that make a token the incident's token (scanner/assess.py uses the same set).
DANGEROUS = frozenset({"delete", "admin", "billing", "secrets"})


def severity(f: Finding) -> str:
    return f.severity if f.severity in SEVERITY_ORDER else "unrated"


def ranked(result: ScanResult) -> list[Finding]:
    """The one order of every report: the run's (scanner/assess.py ``order``), applied again so
    that a result built any other way reads the same in every format."""
    return order(result.findings)


def locations(f: Finding) -> list[Location]:
    return sorted(f.locations, key=Location.sort_key)


def live(f: Finding) -> bool | None:
    return f.access.live if f.access else None


def capabilities(f: Finding) -> list[str]:
    caps = f.access.capabilities if f.access else set()
    return [c for c in CAPABILITY_ORDER if c in caps]


def detector(provider: str) -> Detector | None:
    from tokenreach.detectors import registry

    return registry.detector(provider)


def provider_title(provider: str) -> str:
    det = detector(provider)
    return det.title if det else provider


def revoke_url(provider: str) -> str | None:
    det = detector(provider)
    url = det.revoke_url if det else None
    # Only links a person can follow safely; a detector's constant, but checked all the same.
    return url if url and url.startswith("https://") else None


def display_name(f: Finding) -> str:
    """``GitHub personal access token (classic)``: reports/phrases.py words it."""
    return phrases.token_name(f, provider_title(f.provider))


def where(loc: Location) -> str:
    """One line: ``path:line:col (exposure)``, with commit, author and date for history, and the
    encoding when the secret is written encoded there (``base64-encoded``)."""
    encoded = f", {loc.encoding}-encoded" if loc.encoding else ""
    place = loc.path if loc.exposure == "environment" else f"{loc.path}:{loc.line}:{loc.column}"
    text = f"{place} ({EXPOSURE_PHRASE.get(loc.exposure, loc.exposure)}{encoded})"
    if loc.repository:  # a sweep of several repositories
        text = f"{loc.repository}: {text}"
    if loc.exposure == "history" and loc.commit:
        text += f" in commit {loc.commit[:12]}"
        if loc.author:
            text += f" by {loc.author}"
        if loc.date:
            text += f" on {loc.date[:10]}"
    return text + fences_phrase(loc)


def fences_phrase(loc: Location) -> str:
    """`` — fenced from Cursor (.cursorignore); readable by Claude Code`` (empty when no agent is
    configured): which agents' file tools are kept off this place, and which are not."""
    from tokenreach.scanner.fences import title, titles

    parts = []
    if loc.fenced_from:
        parts.append("fenced from " + ", ".join(f"{title(a)} ({src})" for a, src in loc.fenced_from))
    if loc.readable_by:
        parts.append(f"readable by {titles(loc.readable_by)}")
    return f" — {'; '.join(parts)}" if parts else ""


@dataclass
class Reach:
    """One row of "What an agent here can reach": a token's most exposed place and who reads it."""

    finding: Finding
    location: Location


def agent_reach(result: ScanResult) -> tuple[list[tuple[str, int]], list[Reach]]:
    """Tokens by exposure, and each token's most exposed place with the agents that can read it."""
    findings = ranked(result)
    rows = [Reach(f, locations(f)[0]) for f in findings if f.locations]
    return summarize(result).by_exposure, rows


def reach_phrase(f: Finding) -> str:
    """``account-wide, can delete, administer`` — what the token reaches and what it can do there."""
    return phrases.reach(f.access)


def sentence(f: Finding, value: str | None = None) -> str:
    """The finding in one sentence, for a headline or a SARIF message; ``value``: the token as shown."""
    state = {True: "live", False: "revoked", None: "unconfirmed"}[live(f)]
    first = locations(f)[0] if f.locations else None
    at = ""
    if first:
        commit = f", commit {first.commit[:12]}" if first.exposure == "history" and first.commit else ""
        at = f" in {first.path} ({EXPOSURE_PHRASE.get(first.exposure, first.exposure)}{commit})"
    identity = f.access.identity if f.access else None
    who = (f" as {identity}" if state == "live" else f" (identity {identity})") if identity else ""
    shown = f" {value}" if value else ""
    article = "an" if state[0] in "aeiou" else "a"
    return f"{article} {state} {display_name(f)}{shown}{at}{who}: {reach_phrase(f)}"


def remediation(f: Finding) -> list[str]:
    """The assessment's remediation, or steps every finding needs when it gave none."""
    if f.remediation:
        return list(f.remediation)
    title = provider_title(f.provider)
    url = revoke_url(f.provider)
    steps = [f"Revoke or rotate this {title} credential" + (f" at {url}" if url else "") + ", then replace it "
             "where it is used: removing the file alone does not make it safe."]
    exposures = {loc.exposure for loc in f.locations}
    if exposures - {"history"}:
        steps.append("Move it out of the repository into a secret manager or the CI's secret store, and load it "
                     "from the environment.")
    if "history" in exposures:
        steps.append("It stays in every clone of the git history: rotation is the fix; rewriting history only "
                     "stops new clones from carrying it.")
    if f.access and f.over_privileged:
        steps.append("Issue the replacement with the narrowest scope that still works (one project or resource, "
                     "no delete/admin), so the next leak reaches less.")
    return steps


@dataclass
class Summary:
    total: int
    live: int
    over: int
    by_severity: list[tuple[str, int]]
    by_exposure: list[tuple[str, int]]
    by_provider: list[tuple[str, int]]
    worst: Finding | None
    checked: int = 0  # findings whose liveness a provider (or the bytes) decided
    lookups_failed: str | None = None  # ScanResult.lookups_failed


def summarize(result: ScanResult) -> Summary:
    findings = ranked(result)
    sev = Counter(severity(f) for f in findings)
    exp = Counter(f.exposure for f in findings)
    prov = Counter(f.provider for f in findings)
    return Summary(
        total=len(findings),
        live=sum(1 for f in findings if live(f) is True),
        over=sum(1 for f in findings if f.over_privileged),
        by_severity=[(s, sev[s]) for s in SEVERITY_ORDER if sev[s]],
        by_exposure=[(e, exp[e]) for e in EXPOSURE_ORDER if exp[e]],
        by_provider=sorted(prov.items(), key=lambda kv: (-kv[1], kv[0])),
        worst=findings[0] if findings else None,
        checked=sum(1 for f in findings if live(f) is not None),
        lookups_failed=result.lookups_failed,
    )


def headline(s: Summary) -> str:
    if not s.total:
        return "No secrets found."
    found = f"{s.total} secret{'s' if s.total != 1 else ''} found"
    if not s.checked:  # "0 live" would read as "all dead" when nothing could be asked
        why = "lookups failed" if s.lookups_failed else "none looked up"
        return f"{found}: liveness unchecked ({why}), {s.over} over-privileged by what the tokens show."
    return f"{found}: {s.live} live, {s.over} over-privileged."


def set_aside(stats: SourceStats) -> str:
    """The summary's count of matches not reported as placeholders or published examples."""
    return f"{stats.not_reported} placeholders and published examples not reported" if stats.not_reported else ""


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def truncated(items: Iterable[str], limit: int) -> tuple[list[str], int]:
    """The first ``limit`` items and how many were left out."""
    items = list(items)
    return items[:limit], max(0, len(items) - limit)


# The fleet view of a sweep of several repositories (scanner/sweep.py); empty for one path.

SHARED_ROWS = 50  # rows of "tokens shared across repositories"; every report holds them all


def repositories_of(f: Finding) -> list[str]:
    return sorted({loc.repository for loc in f.locations if loc.repository})


def shared(result: ScanResult) -> list[tuple[Finding, list[str]]]:
    """The tokens found in more than one repository, most dangerous first, with those repositories."""
    out = [(f, repositories_of(f)) for f in ranked(result)]
    return [(f, names) for f, names in out if len(names) > 1]


def repository_rows(result: ScanResult) -> list[tuple[str, str, str, str, str, str, str]]:
    """(name, tokens, files, blobs, commits, seconds, status) per repository of a sweep."""
    return [(r.name, str(r.findings), str(r.files), str(r.blobs), str(r.commits), f"{r.duration:.1f}",
             f"failed: {r.error}" if r.error else "scanned") for r in result.repositories]
