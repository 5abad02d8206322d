"""One self-contained HTML file a security lead opens and understands in a minute.

Nothing is fetched at view time: the stylesheet, the script and the charts (inline SVG) are in
the file. The headline, tiles and charts are HTML, escaped by jinja2's autoescape. The findings
are data, JSON in a ``<script type="application/json">`` block with ``<``, ``>`` and ``&`` written
as ``\\u003c`` etc. (no string can close that element), that the page's own script draws one page
of cards at a time with ``textContent`` (never parsed as HTML): 50,000 findings open in seconds
where 50,000 cards of HTML did not open at all. A Content-Security-Policy meta tag allows only
this file's own script and style, by their SHA-256 hashes: even a string that slipped through
escaping could not run.

Repository text is shown with control characters, bidi overrides and bytes that were not UTF-8
escaped (``\\x1b``, ``\\u202e``, ``\\xff``), so a file name cannot reorder what the reader sees.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from datetime import datetime, timezone
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from tokenreach.reports import _view as view
from tokenreach.reports.escape import terminal
from tokenreach.reports.json import _version
from tokenreach.scanner.model import Finding, ScanResult

TEMPLATES = Path(__file__).parent / "templates"
MAX_LOCATIONS = 8  # shown at once per finding; the rest behind a <details>
# The limits of one page (the JSON report holds everything): 100,000 findings, most dangerous
# first, and 100 locations of each; cards are drawn PAGE_SIZE at a time.
MAX_FINDINGS = 100_000
MAX_FINDING_LOCATIONS = 100
PAGE_SIZE = 50
EVIDENCE_PHRASE = {"api": "the provider's API", "offline": "decoded from the token",
                   "prefix": "the token's format only"}
CHART_WIDTH = 320
LABEL_WIDTH = 110
BAR_MAX = 160
ROW_HEIGHT = 26


@cache
def _env() -> Environment:
    return Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=StrictUndefined,
                       trim_blocks=True, lstrip_blocks=True)


@cache
def _asset(name: str) -> str:
    return (TEMPLATES / name).read_text(encoding="utf-8")


def csp_hash(text: str) -> str:
    """The CSP source for an inline element whose content is exactly ``text``."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def content_security_policy(script: str, style: str) -> str:
    # default-src 'none' also forbids images, fonts, frames and connections: the file loads nothing.
    return (f"default-src 'none'; script-src {csp_hash(script)}; style-src {csp_hash(style)}; "
            "img-src 'none'; base-uri 'none'; form-action 'none'")


def json_for_script(data: Any) -> str:
    """JSON safe inside <script>: no '<', '>' or '&' that could end the element or start a comment."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def render(result: ScanResult, show_secrets: bool = False) -> str:
    script, style = _asset("report.js"), _asset("report.css")
    summary = view.summarize(result)
    ranked = view.ranked(result)
    shown = ranked[:MAX_FINDINGS]
    data = _data(shown, show_secrets)
    s = result.stats
    return _env().get_template("report.html.j2").render(
        csp=content_security_policy(script, style),
        # Our own constant files, hashed above: inserted byte for byte so the hashes match.
        script=Markup(script),
        style=Markup(style),
        data_json=Markup(json_for_script(data)),
        headline=view.headline(summary),
        lookups_failed=result.lookups_failed,
        summary=summary,
        worst_id=_id(summary.worst, 0) if summary.worst else None,
        worst_sentence=terminal(view.sentence(summary.worst)) if summary.worst else None,
        total=len(ranked),
        left_out=len(ranked) - len(shown),
        limits={"findings": f"{MAX_FINDINGS:,}", "locations": MAX_FINDING_LOCATIONS, "page": PAGE_SIZE},
        charts=_charts(summary),
        severities=[sev for sev, _ in summary.by_severity],
        providers=[(p, view.provider_title(p)) for p, _ in sorted(summary.by_provider)],
        exposures=[(e, view.EXPOSURE_PHRASE.get(e, e)) for e, _ in summary.by_exposure],
        root=terminal(result.root),
        generated=_generated(),
        version=_version(),
        scanned=(f"{view.plural(s.files, 'file')}, {view.plural(s.blobs, 'blob')} from "
                 f"{view.plural(s.commits, 'commit')}, {s.bytes / 1e6:.1f} MB in {result.duration:.2f}s"
                 + (f"; {view.set_aside(s)}" if s.not_reported else "")),
        skipped=sorted(s.skipped.items()),
        warnings=[terminal(w) for w in s.warnings],
        notices=[terminal(n) for n in result.notices],
        show_secrets=show_secrets,
        reach=_reach(result, show_secrets),
        fleet=_fleet(result, show_secrets),
    )


def _fleet(result: ScanResult, show_secrets: bool) -> dict[str, Any]:
    """The per-repository table and the tokens shared across repositories (a sweep only)."""
    repos = [dict(zip(("name", "findings", "files", "blobs", "commits", "seconds", "status"),
                      (terminal(x) for x in row), strict=True)) for row in view.repository_rows(result)]
    shared = view.shared(result) if repos else []
    rows = [{"severity": view.severity(f), "name": terminal(view.display_name(f)),
             "value": terminal(f.token.secret if show_secrets else f.redacted), "count": len(names),
             "repositories": terminal(", ".join(names))} for f, names in shared[:view.SHARED_ROWS]]
    return {"repositories": repos, "shared": rows, "shared_more": max(0, len(shared) - view.SHARED_ROWS)}


REACH_ROWS = 50  # rows of "What an agent here can reach"; the cards below hold every finding


def _reach(result: ScanResult, show_secrets: bool) -> dict[str, Any]:
    """"What an agent here can reach": tokens by exposure, and who can read each token's most
    exposed place (agents' file tools; every agent's terminal reads them all)."""
    from tokenreach.scanner.fences import title, titles

    by_exposure, rows = view.agent_reach(result)
    shown = []
    for r in rows[:REACH_ROWS]:
        loc, f = r.location, r.finding
        shown.append({
            "severity": view.severity(f),
            "name": terminal(view.display_name(f)),
            "value": terminal(f.token.secret if show_secrets else f.redacted),
            "where": terminal(loc.path),
            "exposure": view.EXPOSURE_PHRASE.get(loc.exposure, loc.exposure),
            "readable": titles(loc.readable_by) if loc.readable_by else "",
            "fenced": "; ".join(f"{title(a)} ({terminal(src)})" for a, src in loc.fenced_from),
        })
    agents = any(r.location.readable_by or r.location.fenced_from for r in rows)
    return {"by_exposure": [(view.EXPOSURE_PHRASE.get(e, e), n) for e, n in by_exposure], "rows": shown,
            "more": max(0, len(rows) - REACH_ROWS), "agents": agents}


def _id(f: Finding, i: int) -> str:
    return f"f{i}-{f.fingerprint[:12]}"


class _Lists:
    """Lists of strings many findings share (the same remediation, reasons, notes), stored once in
    the page and referred to by index: 50,000 findings of one provider carry one remediation."""

    def __init__(self) -> None:
        self.items: list[list[str]] = []
        self._index: dict[tuple[str, ...], int] = {}

    def __call__(self, items: list[str]) -> int:
        key = tuple(terminal(x) for x in items)
        if key not in self._index:
            self._index[key] = len(self.items)
            self.items.append(list(key))
        return self._index[key]


def _data(findings: list[Finding], show_secrets: bool) -> dict[str, Any]:
    """What the page's script draws the cards from (report.js reads these names)."""
    lists = _Lists()
    cards = [_finding(f, i, show_secrets, lists) for i, f in enumerate(findings)]
    return {
        "findings": cards,
        "lists": lists.items,
        "page": PAGE_SIZE,
        "shownLocations": MAX_LOCATIONS,
        "showSecrets": show_secrets,
        "dangerous": sorted(view.DANGEROUS),
        "exposurePhrase": dict(view.EXPOSURE_PHRASE),
        "evidencePhrase": EVIDENCE_PHRASE,
    }


def _generated() -> str:
    # SOURCE_DATE_EPOCH (the reproducible-builds convention) pins the date: same scan, same file.
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    when = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch.isdigit() else datetime.now(timezone.utc)
    return when.strftime("%Y-%m-%d %H:%M UTC")


def _finding(f: Finding, i: int, show_secrets: bool, lists: _Lists) -> dict[str, Any]:
    """One card's data; every string from the repository or a provider passes ``terminal()``.
    Optional fields are left out when empty, to keep 50,000 of them small."""
    a = f.access
    all_locs = view.locations(f)
    locs = [[terminal(loc.path), loc.line, loc.column, loc.exposure, loc.commit or "",
             terminal(loc.author or ""), (loc.date or "")[:10], loc.encoding or "",
             *([terminal(loc.repository)] if loc.repository else [])]
            for loc in all_locs[:MAX_FINDING_LOCATIONS]]
    resources = [terminal(r) for r in a.resources] if a else []
    card: dict[str, Any] = {
        "id": _id(f, i),
        "severity": view.severity(f),
        "provider": f.provider,
        "title": view.provider_title(f.provider),
        "name": terminal(view.display_name(f)),
        "value": terminal(f.token.secret if show_secrets else f.redacted),
        "exposure": f.exposure,
        "exposures": sorted({loc.exposure for loc in all_locs}),
        "live": view.LIVE_LABEL[view.live(f)],
        "over": bool(f.over_privileged),
        "capabilities": view.capabilities(f),
        "reasons": lists(f.reasons),
        "remediation": lists(view.remediation(f)),
        "locations": locs,
        "fingerprint": f.fingerprint,
    }
    optional = {
        "kind": f.token.kind,
        "variable": terminal(f.token.variable) if f.token.variable else None,
        "identity": terminal(a.identity) if a and a.identity else None,
        "reach": a.reach if a else None,
        "grants": [terminal(g) for g in a.grants] if a else None,
        "resources": resources,
        "resourcesMore": max(0, (a.resources_total or 0) - len(resources)) if a else 0,
        "expires": terminal(a.expires_at) if a and a.expires_at else None,
        "evidence": a.evidence if a else None,
        "revoke": view.revoke_url(f.provider),
        "locationsTotal": len(all_locs) if len(all_locs) > len(locs) else 0,
        "repositories": [terminal(r) for r in view.repositories_of(f)],
    }
    card.update((k, v) for k, v in optional.items() if v)
    if a and a.notes:
        card["notes"] = lists(a.notes)  # an index: 0 is one too
    return card


def _charts(summary: view.Summary) -> list[dict[str, Any]]:
    def chart(title: str, key: str, rows: list[tuple[str, str, int]]) -> dict[str, Any]:
        top = max((n for _, _, n in rows), default=0) or 1
        bars = [{
            "value": value, "label": label, "count": n,
            "width": max(2, round(BAR_MAX * n / top)),
            "y": i * ROW_HEIGHT,
            "href": f"#{key}={value}",
        } for i, (value, label, n) in enumerate(rows)]
        return {"title": title, "key": key, "bars": bars, "height": max(ROW_HEIGHT, len(rows) * ROW_HEIGHT),
                "width": CHART_WIDTH, "label_width": LABEL_WIDTH, "bar_x": LABEL_WIDTH + 4,
                "row": ROW_HEIGHT, "bar_max": BAR_MAX}

    return [
        chart("By severity", "severity", [(s, s.capitalize(), n) for s, n in summary.by_severity]),
        chart("By exposure", "exposure", [(e, e, n) for e, n in summary.by_exposure]),
        chart("By provider", "provider", [(p, view.provider_title(p), n) for p, n in summary.by_provider]),
    ]
