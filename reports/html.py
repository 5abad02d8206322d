"""One self-contained HTML file a security lead opens and understands in a minute.

Nothing is fetched at view time: the stylesheet, the script and the charts (inline SVG) are in
the file. Every string from the scanned repository or a provider's answer is escaped by jinja2's
autoescape; the data the script needs is JSON in a ``<script type="application/json">`` block
with ``<``, ``>`` and ``&`` written as ``\\u003c`` etc., so no string can close that element.
A Content-Security-Policy meta tag allows only this file's own script and style, by their
SHA-256 hashes: even a string that slipped through escaping could not run.
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
from tokenreach.reports.json import _version
from tokenreach.scanner.model import Finding, ScanResult

TEMPLATES = Path(__file__).parent / "templates"
MAX_LOCATIONS = 8  # shown at once per finding; the rest behind a <details>
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
    findings = [_finding(f, i, show_secrets) for i, f in enumerate(view.ranked(result))]
    data = {"findings": [{k: c[k] for k in ("id", "severity", "provider", "exposures", "live", "over", "text")}
                         for c in findings]}
    s = result.stats
    return _env().get_template("report.html.j2").render(
        csp=content_security_policy(script, style),
        # Our own constant files, hashed above: inserted byte for byte so the hashes match.
        script=Markup(script),
        style=Markup(style),
        data_json=Markup(json_for_script(data)),
        headline=view.headline(summary),
        summary=summary,
        worst=_finding(summary.worst, 0, show_secrets) if summary.worst else None,
        worst_sentence=view.sentence(summary.worst) if summary.worst else None,
        findings=findings,
        charts=_charts(summary),
        severities=[sev for sev, _ in summary.by_severity],
        providers=[(p, view.provider_title(p)) for p, _ in sorted(summary.by_provider)],
        exposures=[e for e, _ in summary.by_exposure],
        exposure_phrase=view.EXPOSURE_PHRASE,
        root=result.root,
        generated=_generated(),
        version=_version(),
        scanned=(f"{view.plural(s.files, 'file')}, {view.plural(s.blobs, 'blob')} from "
                 f"{view.plural(s.commits, 'commit')}, {s.bytes / 1e6:.1f} MB in {result.duration:.2f}s"),
        skipped=sorted(s.skipped.items()),
        warnings=list(s.warnings),
        notices=list(result.notices),
        show_secrets=show_secrets,
    )


def _generated() -> str:
    # SOURCE_DATE_EPOCH (the reproducible-builds convention) pins the date: same scan, same file.
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    when = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch.isdigit() else datetime.now(timezone.utc)
    return when.strftime("%Y-%m-%d %H:%M UTC")


def _finding(f: Finding, i: int, show_secrets: bool) -> dict[str, Any]:
    a = f.access
    sev = view.severity(f)
    live = view.LIVE_LABEL[view.live(f)]
    locs = [{
        "path": loc.path, "line": loc.line, "column": loc.column, "exposure": loc.exposure,
        "exposure_phrase": view.EXPOSURE_PHRASE.get(loc.exposure, loc.exposure),
        "commit": loc.commit, "author": loc.author, "date": (loc.date or "")[:10] or None,
        "encoding": loc.encoding,
    } for loc in view.locations(f)]
    caps = view.capabilities(f)
    value = f.token.secret if show_secrets else f.redacted
    resources = list(a.resources) if a else []
    resources_more = max(0, (a.resources_total or 0) - len(resources)) if a else 0
    title = view.provider_title(f.provider)
    # What the search box looks through: everything shown on the card, never more than it shows.
    text = " ".join(str(x) for x in [
        title, f.provider, view.kind_label(f), f.token.kind or "", f.token.variable or "", value, sev, live,
        a.identity if a else "", a.reach if a else "", *caps, *(a.grants if a else []), *resources,
        *f.reasons, *(loc["path"] for loc in locs), *(loc["commit"] or "" for loc in locs),
        *(loc["author"] or "" for loc in locs),
    ] if x).lower()
    return {
        "id": f"f{i}-{f.fingerprint[:12]}",
        "severity": sev,
        "provider": f.provider,
        "title": title,
        "name": view.display_name(f),
        "token_kind": f.token.kind,
        "value": value,
        "variable": f.token.variable,
        "exposure": f.exposure,
        "exposures": sorted({loc["exposure"] for loc in locs}),
        "live": live,
        "over": bool(f.over_privileged),
        "identity": a.identity if a else None,
        "reach": a.reach if a else None,
        "capabilities": [(c, "danger" if c in view.DANGEROUS else c) for c in caps],
        "grants": list(a.grants) if a else [],
        "resources": resources,
        "resources_more": resources_more,
        "expires_at": a.expires_at if a else None,
        "evidence": a.evidence if a else None,
        "notes": list(a.notes) if a else [],
        "reasons": list(f.reasons),
        "remediation": view.remediation(f),
        "revoke_url": view.revoke_url(f.provider),
        "locations": locs[:MAX_LOCATIONS],
        "more_locations": locs[MAX_LOCATIONS:],
        "fingerprint": f.fingerprint,
        "reach_phrase": view.reach_phrase(f),
        "text": text,
    }


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
