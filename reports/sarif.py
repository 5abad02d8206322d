"""SARIF 2.1.0 for GitHub code scanning and every SARIF viewer.

One rule per detector pattern; one result per finding (a secret is one alert however many places
hold it: revoking it once fixes them all), its most exposed location first and the others as
related locations. GitHub reads ``security-severity`` from the rule only, so a rule carries the
worst severity of its results in this run, and each result carries its own in its properties
and in ``level``.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.reports import _view as view
from tokenreach.reports.json import _version
from tokenreach.scanner.model import Finding, Location, ScanResult

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


def render(result: ScanResult, show_secrets: bool = False) -> str:
    return json.dumps(document(result, show_secrets), indent=2, ensure_ascii=False) + "\n"


def document(result: ScanResult, show_secrets: bool = False) -> dict[str, Any]:
    findings = view.ranked(result)
    rules, index = _rules(findings)
    invocation: dict[str, Any] = {"executionSuccessful": True}
    notes = [{"level": "warning", "message": {"text": w}} for w in result.stats.warnings]
    notes += [{"level": "note", "message": {"text": n}} for n in result.notices]
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
            "durationSeconds": round(result.duration, 3),
        },
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def _all_patterns() -> list[tuple[Detector, Pattern]]:
    from tokenreach.detectors.registry import all_patterns

    return list(all_patterns())


def _rules(findings: list[Finding]) -> tuple[list[dict[str, Any]], dict[str, int]]:
    worst: dict[str, str] = {}
    for f in findings:
        rid = f.token.pattern_id
        sev = view.severity(f)
        if rid not in worst or view.SEVERITY_ORDER.index(sev) < view.SEVERITY_ORDER.index(worst[rid]):
            worst[rid] = sev
    rules: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    for det, pat in _all_patterns():
        index[pat.id] = len(rules)
        rules.append(_rule(det.provider, det.title, det.revoke_url, pat.id, pat.name,
                           worst.get(pat.id, DEFAULT_RULE_SEVERITY)))
    # A finding whose pattern no installed detector has (a plugin removed, a test double) still
    # needs a rule for its ruleIndex.
    for f in findings:
        rid = f.token.pattern_id or f"{f.provider}.unknown"
        if rid not in index:
            index[rid] = len(rules)
            rules.append(_rule(f.provider, view.provider_title(f.provider), view.revoke_url(f.provider), rid,
                               f.pattern_name, worst.get(rid, DEFAULT_RULE_SEVERITY)))
    return rules, index


def _rule(provider: str, title: str, revoke: str | None, rid: str, name: str, sev: str) -> dict[str, Any]:
    revoke_line = f"Revoke or rotate it at {revoke}." if revoke else "Revoke or rotate it with the provider."
    label = name if name.lower().startswith(title.lower()) else f"{title} {name}"
    text = (f"{label}: found in the repository's files or its git history. tokenreach asks "
            f"{title} read-only what the token can do and rates it by reach, capability and exposure. "
            f"{revoke_line} Then move it to a secret store; deleting the file does not remove it from history.")
    markdown = (f"**{label}**: found in the repository's files or its git history.\n\n"
                f"tokenreach asks {title} read-only what the token can do (identity, reach, capabilities) "
                f"and rates it by reach × capability × exposure; the result's properties carry what it found.\n\n"
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
    # A valid relative URI reference for any file name: spaces, '#', '%', '<', quotes and
    # non-ASCII are percent-encoded; '/' stays a separator.
    return quote(path.replace("\\", "/"), safe="/-._~!$&'()*+,;=:@")


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
    out: dict[str, Any] = {"physicalLocation": physical, "properties": props}
    if lid is not None:
        out["id"] = lid
    out["message"] = {"text": view.where(loc)}
    return out


def _result(f: Finding, index: dict[str, int], show_secrets: bool) -> dict[str, Any]:
    rid = f.token.pattern_id or f"{f.provider}.unknown"
    sev = view.severity(f)
    locs = view.locations(f)
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
    if locs and locs[0].exposure == "history":
        props.update(commit=locs[0].commit, author=locs[0].author, date=locs[0].date)
    if show_secrets:
        props["secret"] = f.token.secret
    out: dict[str, Any] = {
        "ruleId": rid,
        "ruleIndex": index[rid],
        "level": LEVEL[sev],
        "message": {"text": message},
        "locations": [_location(locs[0])] if locs else [],
        "partialFingerprints": {FINGERPRINT_KEY: f.fingerprint},
        "properties": props,
    }
    if len(locs) > 1:
        out["relatedLocations"] = [_location(loc, i) for i, loc in enumerate(locs[1:], start=1)]
    return out
