"""One line per finding: severity, where, exposure, what it is, and how far it reaches.

For places with room for one line each (a pre-commit hook, a CI annotation's title). A line goes
to a terminal: its repository text is escaped (``escape.terminal``).
"""

from __future__ import annotations

from tokenreach.reports import _view as view
from tokenreach.reports import phrases
from tokenreach.reports.escape import terminal
from tokenreach.scanner.model import Access, Finding, Location, ScanResult


def render(result: ScanResult, show_secrets: bool = False) -> str:
    lines = [line(f, show_secrets=show_secrets) for f in view.ranked(result)]
    from tokenreach.reports.text import summary_line

    lines.append(summary_line(result))
    return "\n".join(lines) + "\n"


def line(f: Finding, *, show_secrets: bool = False, offline: bool = False) -> str:
    """`HIGH     app/.env:3 [staged]  Railway token (account) rw_ab…9f3c · live as ada, reach account, can delete`"""
    locs = sorted(f.locations, key=Location.sort_key)
    first = locs[0]
    where = f"{first.path}:{first.line}" + (f" (+{len(locs) - 1} more)" if len(locs) > 1 else "")
    value = f.token.secret if show_secrets else f.redacted
    flag = "  OVER-PRIVILEGED" if f.over_privileged else ""
    return terminal(f"{(f.severity or '?').upper():<8} {where} [{first.exposure}]  {view.display_name(f)} {value}"
                    f" · {reach_phrase(f.access, offline=offline)}{flag}")


def reach_phrase(access: Access | None, *, offline: bool = False) -> str:
    """Liveness, then reach and capabilities (reports/phrases.py); a revoked token reaches nothing."""
    if access is None or access.live is False:
        return phrases.status(access, offline=offline)
    return f"{phrases.status(access, offline=offline)}, {phrases.reach(access)}"
