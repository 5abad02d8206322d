"""Markdown for a CI job summary or a pull-request comment (GitHub-flavoured).

A headline count, a table of the over-privileged findings, the rest collapsed in <details>.
Every string that comes from the scanned repository or a provider's answer goes through
``escape()``: a file named ``a|b`<img src=x>`` must neither split a table cell nor become HTML,
and one named ``www.example.com`` or ``ops@example.com`` must not become a link (GitHub links
bare addresses: the GFM autolink extension).
"""

from __future__ import annotations

import re

from tokenreach.reports import _view as view
from tokenreach.reports import phrases
from tokenreach.reports.escape import terminal
from tokenreach.scanner.model import Finding, ScanResult

# GitHub rejects a pull-request comment over 65,536 characters; stop adding rows well before.
MAX_CHARS = 60_000
MAX_LOCATIONS = 3
SEVERITY_BADGE = {"critical": "🟥 critical", "high": "🟧 high", "medium": "🟨 medium", "low": "🟦 low",
                  "info": "⬜ info", "unrated": "⬜ unrated"}

_HTML = {"<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;"}
# Every ASCII punctuation that means something to CommonMark/GFM inline syntax or tables.
# ('-', '.' and '=' only matter at the start of a line, where escaped text never stands.)
_MD = set("\\`*_{}[]()#+!|~$@")
# What starts an autolink (GFM's extension, linkify): "www." and "example.com", "https://", "//host",
# "a@b", "10.0.0.1". A backslash before '.', ':' or '/' there splits the text, so no link forms;
# CommonMark renders the backslash away (all three are ASCII punctuation): the reader sees the text.
_LINK_PART = re.compile(r"[.](?=[^\W\d_])|(?<=\d)[.](?=\d+[.]\d+[.]\d)|:(?=/)|/(?=/)")


def escape(text: object) -> str:
    """Inert Markdown text for one table cell or line: no HTML, no emphasis, no cell break, no link.
    Control characters, bidi overrides and undecodable bytes are shown escaped (``\\x1b``)."""
    s = terminal(text)
    out = []
    for i, ch in enumerate(s):
        if ch in _HTML:
            out.append(_HTML[ch])
        elif ch in _MD or (ch in ".:/" and _LINK_PART.match(s, i)):
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


def render(result: ScanResult, show_secrets: bool = False) -> str:
    summary = view.summarize(result)
    findings = view.ranked(result)
    over = [f for f in findings if f.over_privileged]
    rest = [f for f in findings if not f.over_privileged]
    lines = [f"## tokenreach: {escape(view.headline(summary))}", ""]
    if result.lookups_failed:
        lines += [f"> **{escape(result.lookups_failed)}**", ""]
    if summary.worst is not None:
        lines += [f"**Worst:** {escape(view.sentence(summary.worst))}.", ""]
        counts = " · ".join(f"{n} {s}" for s, n in summary.by_severity)
        lines += [f"Severity: {escape(counts)}", ""]
    budget = [MAX_CHARS - sum(len(x) + 1 for x in lines)]
    if over:
        lines += [f"### Over-privileged ({len(over)})", ""]
        lines += _table(over, show_secrets, budget)
        lines.append("")
    if rest:
        label = "other finding" if over else "finding"
        lines += ["<details>", f"<summary>{view.plural(len(rest), label)}</summary>", ""]
        lines += _table(rest, show_secrets, budget)
        lines += ["", "</details>", ""]
    s = result.stats
    lines.append(escape(f"Scanned {view.plural(s.files, 'file')}, {view.plural(s.blobs, 'blob')} from "
                        f"{view.plural(s.commits, 'commit')} in {result.duration:.1f}s"
                        + (f"; {view.set_aside(s)}." if s.not_reported else ".")))
    lines += _fleet(result)
    if s.warnings:
        lines += ["", f"{view.plural(len(s.warnings), 'warning')}:"]
        lines += [f"- {escape(w)}" for w in s.warnings[:20]]
    return "\n".join(lines) + "\n"


def _fleet(result: ScanResult) -> list[str]:
    """A sweep's per-repository table and the tokens shared across repositories."""
    rows = view.repository_rows(result)
    if not rows:
        return []
    out = ["", "### Repositories", "", "| Repository | Tokens | Files | Blobs | Commits | Seconds | Status |",
           "|---|---|---|---|---|---|---|"]
    out += ["| " + " | ".join(escape(c) for c in row) + " |" for row in rows]
    shared = view.shared(result)
    if shared:
        out += ["", f"### Tokens shared across repositories ({len(shared)})", "",
                "| Token | Repositories |", "|---|---|"]
        out += [f"| **{escape(view.display_name(f))}** <code>{escape(f.redacted)}</code> | "
                f"{len(names)}: {escape(', '.join(names))} |" for f, names in shared[:view.SHARED_ROWS]]
    return out


_HEADER = ["| Severity | Token | Where | Status | Reach | Why | Fix |",
           "|---|---|---|---|---|---|---|"]


def _table(findings: list[Finding], show_secrets: bool, budget: list[int]) -> list[str]:
    rows = list(_HEADER)
    budget[0] -= sum(len(r) + 1 for r in rows)
    for i, f in enumerate(findings):
        row = _row(f, show_secrets)
        if budget[0] - len(row) - 1 < 0:
            rows.append(f"| … | {len(findings) - i} more not shown: see the JSON or HTML report | | | | | |")
            break
        budget[0] -= len(row) + 1
        rows.append(row)
    return rows


def _row(f: Finding, show_secrets: bool) -> str:
    value = f.token.secret if show_secrets else f.redacted
    token = f"**{escape(view.display_name(f))}**<br><code>{escape(value)}</code>"
    if f.token.variable:
        token += f"<br>{escape(f.token.variable)}"
    locs = view.locations(f)
    shown, more = view.truncated((escape(view.where(loc)) for loc in locs), MAX_LOCATIONS)
    where = "<br>".join(shown) + (f"<br>+{more} more" if more else "")
    a = f.access
    status = phrases.status(a)
    why = "<br>".join(escape(r) for r in f.reasons) or "—"
    # The revoke link is the detector's own https constant, so it may stay a live link.
    url = view.revoke_url(f.provider)
    fix = f"[revoke or rotate]({url})" if url else "revoke or rotate it"
    if f.remediation:
        fix = f"{escape(f.remediation[0])}<br>{fix}"
    cells = [SEVERITY_BADGE[view.severity(f)], token, where, escape(status), escape(view.reach_phrase(f)), why,
             fix]
    return "| " + " | ".join(cells) + " |"
