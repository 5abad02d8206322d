"""SARIF 2.1.0 for GitHub code scanning and every SARIF viewer.

One rule per detector pattern that produced a result; one result per finding (a secret is one
alert however many places hold it: revoking it once fixes them all), its most exposed location
first and the others as related locations. GitHub reads ``security-severity`` from the rule only,
so a rule carries the worst severity of its results in this run, and each result carries its own
in its properties and in ``level``.

Within GitHub's limits (docs: "SARIF results exceed limits"): at most 25,000 results per run and
1,000 locations per result, the most dangerous kept; the run's properties and a notification say
how many were left out. Repository text is hostile here too: a file name is a relative URI with
every character that could make it absolute (``javascript:``) percent-encoded, its exact bytes
kept; messages escape the brackets and backslashes of SARIF's embedded links; strings that were
not valid UTF-8 show those bytes as ``\\xNN``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from urllib.parse import quote

from tokenreach.reports import _view as view
from tokenreach.reports import phrases
from tokenreach.reports.escape import undecodable
from tokenreach.reports.json import _version, dumps
from tokenreach.scanner.model import Finding, Location, ScanResult, SourceStats

# The schema's own id (tests/data/sarif-schema-2.1.0.json).
SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
# GitHub's bands: >= 9.0 critical, 7.0-8.9 high, 4.0-6.9 medium, 0.1-3.9 low.
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0", "info": "1.0",
                     "unrated": "5.5"}
LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note",
         "unrated": "warning"}
# A rule no result of this run used: what an unconfirmed token in the working tree rates (high).
DEFAULT_RULE_SEVERITY = "high"
FINGERPRINT_KEY = "tokenreach/v1"
# GitHub code scanning rejects a run with more results, or a result with more locations.
MAX_RESULTS = 25_000
MAX_LOCATIONS = 1_000


def render(result: ScanResult, show_secrets: bool = False) -> str:
    return dumps(document(result, show_secrets))


def document(result: ScanResult, show_secrets: bool = False) -> dict[str, Any]:
    if result.repositories:  # a sweep: one run per repository, its paths relative to that repository
        return {"$schema": SCHEMA_URI, "version": "2.1.0",
                "runs": [_repository_run(result, i, show_secrets) for i in range(len(result.repositories))]}
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [_run(result, show_secrets)]}


def _repository_run(result: ScanResult, i: int, show_secrets: bool) -> dict[str, Any]:
    """Repository ``i``'s run: its findings with its locations only. The sweep's own warnings and
    notices go in the first run; a repository that failed is a run that says so."""
    repo = result.repositories[i]
    findings = []
    for f in result.findings:
        locs = [loc for loc in f.locations if loc.repository == repo.name]
        if locs:
            findings.append(replace(f, locations=locs))
    stats = SourceStats(files=repo.files, blobs=repo.blobs, bytes=repo.bytes, commits=repo.commits,
                        warnings=list(result.stats.warnings) if i == 0 else [])
    if repo.error:
        stats.warnings.insert(0, f"repository {repo.name} not scanned: {repo.error}")
    sub = ScanResult(findings, stats, repo.duration, list(result.notices) if i == 0 else [], result.engine,
                     repo.path, lookups_failed=result.lookups_failed if i == 0 else None)
    run = _run(sub, show_secrets)
    # GitHub keeps one analysis per category: each repository's alerts apart from the others'.
    run["automationDetails"] = {"id": f"tokenreach/{quote(repo.name, safe='')}/"}
    run["properties"]["repository"] = repo.name
    if repo.error:
        run["invocations"][0]["executionSuccessful"] = False
    return run


def _run(result: ScanResult, show_secrets: bool) -> dict[str, Any]:
    ranked = view.ranked(result)
    findings = ranked[:MAX_RESULTS]
    rules, index = _rules(findings)
    invocation: dict[str, Any] = {"executionSuccessful": True}
    notes = [{"level": "warning", "message": _message(w)} for w in result.stats.warnings]
    notes += [{"level": "note", "message": _message(n)} for n in result.notices]
    if result.lookups_failed:
        notes.insert(0, {"level": "warning", "message": _message(result.lookups_failed)})
    omitted = len(ranked) - len(findings)
    if omitted:
        notes.insert(0, {"level": "warning", "message": {"text": (
            f"{len(findings):,} of {len(ranked):,} findings are in this run, the most dangerous first: GitHub code "
            f"scanning accepts at most {MAX_RESULTS:,} results per run (and shows the top 5,000). The other "
            f"{omitted:,} are in the JSON report.")}})
    if notes:
        invocation["toolExecutionNotifications"] = notes
    run: dict[str, Any] = {
        "tool": {"driver": {
            "name": "tokenreach",
            "version": _version(),
            "rules": rules,
        }},
        "invocations": [invocation],
        "columnKind": "unicodeCodePoints",
        "results": [_result(f, index, show_secrets) for f in findings],
        "properties": {
            "engine": result.engine,
            "files": result.stats.files,
            "blobs": result.stats.blobs,
            "commits": result.stats.commits,
            "notReported": result.stats.not_reported,  # placeholders and published examples
            "durationSeconds": round(result.duration, 3),
            "resultsTotal": len(ranked),
            "resultsOmitted": omitted,
            "resultsLimit": MAX_RESULTS,
        },
    }
    return run


def _rule_id(f: Finding) -> str:
    return f.token.pattern_id or f"{f.provider}.unknown"


def _rules(findings: list[Finding]) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """The rules of the patterns that produced these findings, by provider and then in each
    provider's own order, and each rule's index. Only those: every pattern's rule would make a
    one-finding file 660 KB; and only their providers are loaded, not the catalog."""
    worst: dict[str, str] = {}
    for f in findings:
        rid = _rule_id(f)
        sev = view.severity(f)
        if rid not in worst or view.SEVERITY_ORDER.index(sev) < view.SEVERITY_ORDER.index(worst[rid]):
            worst[rid] = sev
    rules: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    for provider in sorted({f.provider for f in findings}):
        det = view.detector(provider)
        if det is None:
            continue
        for pat in det.patterns:
            if pat.id in worst and pat.id not in index:
                index[pat.id] = len(rules)
                rules.append(_rule(det.provider, det.title, det.revoke_url, pat.id, pat.name, worst[pat.id],
                                   det.has_lookup()))
    # A finding whose pattern no installed detector has (a plugin removed, a test double) still
    # needs a rule for its ruleIndex.
    for f in findings:
        rid = _rule_id(f)
        if rid not in index:
            index[rid] = len(rules)
            owner = view.detector(f.provider)
            rules.append(_rule(f.provider, view.provider_title(f.provider), view.revoke_url(f.provider), rid,
                               f.pattern_name, worst[rid], owner is not None and owner.has_lookup()))
    return rules, index


def _rule(provider: str, title: str, revoke: str | None, rid: str, name: str, sev: str,
          looked_up: bool) -> dict[str, Any]:
    revoke_line = f"Revoke or rotate it at {revoke}." if revoke else "Revoke or rotate it with the provider."
    label = phrases.titled(title, name)
    if looked_up:
        how = f"tokenreach asks {title} read-only what the token can do"
        how_md = f"{how} (identity, reach, capabilities)"
    else:  # no lookup for this provider: what the bytes, the name and the place say
        how = how_md = f"tokenreach does not ask {title}: it judges the token by its format and where it is"
    text = (f"{label}: found in the repository's files or its git history. {how}, and rates it by reach, "
            f"capability and exposure. {revoke_line} Then move it to a secret store; deleting the file does not "
            "remove it from history.")
    markdown = (f"**{label}**: found in the repository's files or its git history.\n\n"
                f"{how_md}, and rates it by reach × capability × exposure; the result's properties carry what it "
                "found.\n\n"
                f"**Fix**: {'revoke or rotate it at <' + revoke + '>' if revoke else 'revoke or rotate it'}, "
                f"replace it where it is used, and keep the new one in a secret store. A token in git history "
                f"stays in every clone: rotation is the fix.")
    rule: dict[str, Any] = {
        "id": rid,
        "name": "".join(part.capitalize() for part in rid.replace("-", "_").replace(".", "_").split("_")),
        "shortDescription": {"text": name},
        "fullDescription": {"text": f"{label}: a credential that gives access to {title}."},
        "help": {"text": text, "markdown": markdown},
        "defaultConfiguration": {"level": LEVEL[sev]},
        "properties": {
            "tags": ["security", "secret", provider],
            "precision": "high",
            "security-severity": SECURITY_SEVERITY[sev],
            "provider": provider,
        },
    }
    if revoke:
        rule["helpUri"] = revoke
    return rule


def _uri(path: str) -> str:
    """A relative URI reference for any file name, resolved against %SRCROOT%: spaces, '#', '%',
    '<', quotes, backslashes and non-ASCII are percent-encoded (bytes that were not UTF-8 as
    themselves), and so is every ':', so that no name (``javascript:alert(1)``, ``C:x``) reads as
    a scheme. A leading '/' would make the name absolute and '//' an authority: encoded too."""
    uri = quote(path, safe="/-._~!$&'()*+,;=@", errors="surrogateescape")
    return "%2F" + uri[1:] if uri.startswith("/") else uri


def _message(text: str) -> dict[str, str]:
    """A plain-text SARIF message: '[' and ']' (an embedded link's syntax, SARIF 3.11.6) and the
    backslash that escapes them are escaped, so ``[x](https://…)`` in a file name stays text."""
    escaped = undecodable(text).replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
    return {"text": escaped}


def _location(loc: Location, lid: int | None = None) -> dict[str, Any]:
    physical: dict[str, Any] = {
        "artifactLocation": {"uri": _uri(loc.path), "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": max(1, loc.line), "startColumn": max(1, loc.column)},
    }
    props: dict[str, Any] = {"exposure": loc.exposure}
    if loc.encoding:
        props["encoding"] = loc.encoding  # the region holds the encoded value, not the token itself
    if loc.exposure == "history":
        # The line is the one in that commit's version of the file; the path may be gone today.
        props.update(commit=loc.commit, author=loc.author, date=loc.date)
    if loc.fenced_from or loc.readable_by:  # which agents' file tools are kept off it (scanner/fences.py)
        props.update(fenced_from=[a for a, _ in loc.fenced_from], readable_by=list(loc.readable_by))
    out: dict[str, Any] = {"physicalLocation": physical, "properties": props}
    if lid is not None:
        out["id"] = lid
    out["message"] = _message(view.where(loc))
    return out


def _result(f: Finding, index: dict[str, int], show_secrets: bool) -> dict[str, Any]:
    rid = _rule_id(f)
    sev = view.severity(f)
    all_locs = view.locations(f)
    locs = all_locs[:MAX_LOCATIONS]
    a = f.access
    value = f.token.secret if show_secrets else f.redacted
    said = view.sentence(f, value)
    message = f"{said[0].upper()}{said[1:]}."
    if f.over_privileged:
        message += " Over-privileged."
    props: dict[str, Any] = {
        "severity": sev,
        "security-severity": SECURITY_SEVERITY[sev],
        "overPrivileged": bool(f.over_privileged),
        "provider": f.provider,
        "kind": f.token.kind,
        "redacted": f.redacted,
        "variable": f.token.variable,
        "exposure": f.exposure,
        "live": view.LIVE_LABEL[view.live(f)],
        "identity": a.identity if a else None,
        "reach": a.reach if a else None,
        "capabilities": view.capabilities(f),
        "grants": list(a.grants) if a else [],
        "resources": list(a.resources) if a else [],
        "resourcesTotal": a.resources_total if a else None,
        "reasons": list(f.reasons),
        "remediation": view.remediation(f),
        "fingerprint": f.fingerprint,
        "tags": ["security", "secret", f.provider],
    }
    if len(all_locs) > len(locs):  # the rest are in the JSON report
        props.update(locationsTotal=len(all_locs), locationsOmitted=len(all_locs) - len(locs))
    if locs and locs[0].exposure == "history":
        props.update(commit=locs[0].commit, author=locs[0].author, date=locs[0].date)
    if show_secrets:
        props["secret"] = f.token.secret
    out: dict[str, Any] = {
        "ruleId": rid,
        "ruleIndex": index[rid],
        "level": LEVEL[sev],
        "message": _message(message),
        "locations": [_location(locs[0])] if locs else [],
        "partialFingerprints": {FINGERPRINT_KEY: f.fingerprint},
        "properties": props,
    }
    if len(locs) > 1:
        out["relatedLocations"] = [_location(loc, i) for i, loc in enumerate(locs[1:], start=1)]
    return out
