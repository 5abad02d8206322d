"""Terminal report: the over-privileged and most severe first, most exposed first.

Each line is built from segments (text, style). Every segment goes through ``escape.terminal``
when the line is put together, so no string from the scanned repository or a provider's answer
can reach the terminal as a control sequence. Colour comes from rich, where rich finds a terminal
that wants it (``NO_COLOR``, ``FORCE_COLOR``, ``TERM=dumb`` honoured); elsewhere the text is plain.
"""

from __future__ import annotations

import io
import os
from typing import TYPE_CHECKING, Literal, TextIO

from tokenreach.reports import _view as view
from tokenreach.reports import phrases
from tokenreach.reports.escape import terminal
from tokenreach.scanner.model import Finding, Location, ScanResult

if TYPE_CHECKING:
    from rich.console import Console

SEVERITY_STYLE = {"CRITICAL": "bold red", "HIGH": "red", "MEDIUM": "yellow", "LOW": "cyan", "INFO": "dim"}
LIVE_STYLE = {True: "bold red", False: "green", None: "yellow"}

Segment = tuple[str, str]  # (text, rich style; "" for none)
Line = list[Segment]


def render(result: ScanResult, show_secrets: bool = False, color: bool = False, verbose: bool = False) -> str:
    """The report as text; ``color``: with ANSI colours (16 standard ones), as for a terminal;
    ``verbose``: with each token's fingerprint (what ``tokenreach allow`` takes)."""
    lines = report_lines(result, show_secrets, verbose)
    if not color:
        return "".join(plain(line) + "\n" for line in lines)
    buffer = io.StringIO()
    _print(_console(buffer, force_terminal=True, color_system="standard"), lines)
    return buffer.getvalue()


def write(result: ScanResult, stream: TextIO, show_secrets: bool = False, no_color: bool = False,
          verbose: bool = False) -> None:
    """The report to ``stream``: coloured when rich finds a colour terminal there, else plain."""
    if no_color or _plainly_not_a_terminal(stream):
        stream.write(render(result, show_secrets, verbose=verbose))
        return
    console = _console(stream)
    if console.no_color or not console.is_terminal or console.color_system is None:
        stream.write(render(result, show_secrets, verbose=verbose))
        return
    _print(console, report_lines(result, show_secrets, verbose))


def report_lines(result: ScanResult, show_secrets: bool = False, verbose: bool = False) -> list[Line]:
    lines: list[Line] = []
    if result.lookups_failed:  # first: every verdict below rests on offline facts
        lines += [[(result.lookups_failed, "yellow")], []]
    for f in view.ranked(result):
        lines.extend(_finding(f, show_secrets, verbose))
        lines.append([])
    lines.append([(summary_line(result), "bold")])
    lines.extend(_fleet(result))
    if result.stats.warnings:
        lines.append([(f"{len(result.stats.warnings)} warning(s):", "yellow")])
        lines.extend([("  ! ", "yellow"), (w, "")] for w in result.stats.warnings)
    for notice in result.notices:
        lines.append([("note: ", "dim"), (notice, "")])
    return lines


def plain(line: Line) -> str:
    return "".join(terminal(text) for text, _ in line)


# What makes rich treat a stream that is not a terminal as one.
_TERMINAL_ANYWAY = ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE")


def _plainly_not_a_terminal(stream: TextIO) -> bool:
    """True where rich would certainly find no terminal (a file or a pipe, and no variable that
    makes rich colour one anyway): rich is then not imported, a tenth of a short scan's time."""
    if any(name in os.environ for name in _TERMINAL_ANYWAY):
        return False
    try:
        return not stream.isatty()
    except (AttributeError, OSError, ValueError):
        return False  # rich decides


def _console(stream: TextIO, *, force_terminal: bool | None = None,
             color_system: Literal["auto", "standard"] = "auto") -> Console:
    from rich.console import Console

    # soft_wrap: a long path stays one line (copyable), never cut or wrapped at the window's width.
    return Console(file=stream, highlight=False, markup=False, emoji=False, soft_wrap=True,
                   force_terminal=force_terminal, color_system=color_system)


def _print(console: Console, lines: list[Line]) -> None:
    from rich.text import Text

    for line in lines:
        console.print(Text.assemble(*((terminal(text), style) for text, style in line)))


def _label(name: str, value: str, style: str = "") -> Line:
    return [(f"         {name:<7} ", "dim"), (value, style)]


def _finding(f: Finding, show_secrets: bool, verbose: bool = False) -> list[Line]:
    a = f.access
    sev = (f.severity or "?").upper()
    head: Line = [(f"{sev:<8}", SEVERITY_STYLE.get(sev, "")), (f" {view.display_name(f)}", "bold")]
    if f.over_privileged:
        head.append(("  OVER-PRIVILEGED", "bold magenta"))
    value = f.token.secret if show_secrets else f.redacted
    out = [head, _label("token", value)]
    if f.token.variable:
        out.append(_label("name", f.token.variable))
    if a is not None:
        # Say why a token is unknown: offline, a timeout, a rate limit, no lookup for this kind.
        out.append(_label("status", phrases.status(a, why=True), LIVE_STYLE[a.live]))
        if a.reach or a.capabilities:
            out.append(_label("reach", phrases.reach(a)))
        if a.grants:
            out.append(_label("grants", f"{', '.join(a.grants[:12])}{' …' if len(a.grants) > 12 else ''}"))
        if a.resources:
            more = (a.resources_total or 0) - len(a.resources)
            out.append(_label("reaches", f"{', '.join(a.resources[:8])}{f' (+{more} more)' if more > 0 else ''}"))
    for r in f.reasons:
        out.append(_label("why", r))
    for loc in sorted(f.locations, key=Location.sort_key)[:10]:
        out.append(_label("at", _where(loc)))
    if len(f.locations) > 10:
        out.append([(f"         …and {len(f.locations) - 10} more location(s)", "dim")])
    for r in f.remediation[:3]:
        out.append(_label("fix", r))
    if verbose:  # the id that accepts this token for good (a salted hash, never the secret)
        out.append([*_label("id", f.fingerprint), (f"  (accept it: tokenreach allow {f.fingerprint} --reason …)",
                                                   "dim")])
    return out


def _fleet(result: ScanResult) -> list[Line]:
    """A sweep's per-repository table, and the tokens more than one repository holds."""
    rows = view.repository_rows(result)
    if not rows:
        return []
    head = ("repository", "tokens", "files", "blobs", "commits", "seconds", "status")
    widths = [max(len(terminal(r[i])) for r in [head, *rows]) for i in range(6)]
    out: list[Line] = [[]]
    for i, row in enumerate([head, *rows]):
        cells = "  ".join(terminal(c).ljust(w) if j == 0 else terminal(c).rjust(w)
                          for j, (c, w) in enumerate(zip(row[:6], widths, strict=True)))
        failed = row[6].startswith("failed")
        out.append([(f"{cells}  {row[6]}", "bold" if i == 0 else ("yellow" if failed else ""))])
    shared = view.shared(result)
    if shared:
        out += [[], [(f"{len(shared)} token(s) shared across repositories:", "bold")]]
        for f, names in shared[:view.SHARED_ROWS]:
            out.append([(f"  {view.display_name(f)} {f.redacted}: {len(names)} repositories ", ""),
                        (", ".join(names), "dim")])
        if len(shared) > view.SHARED_ROWS:
            out.append([(f"  …and {len(shared) - view.SHARED_ROWS} more", "dim")])
    return out


def _where(loc: Location) -> str:
    place = loc.path if loc.exposure == "environment" else f"{loc.path}:{loc.line}:{loc.column}"
    if loc.repository:
        place = f"{loc.repository}: {place}"
    where = f"{place} [{loc.exposure}]"
    if loc.encoding:
        where += f" {loc.encoding}-encoded"
    if loc.exposure == "history" and loc.commit:
        where += f" commit {loc.commit[:12]} by {loc.author} on {(loc.date or '')[:10]}"
    return where + view.fences_phrase(loc)


def _timing(result: ScanResult) -> str:
    """" in 1.04s" for a bare scan; the lookups and the whole run apart when the run timed them."""
    if result.lookup_duration is None or result.total_duration is None:
        return f" in {result.duration:.2f}s"
    return (f" · scan {result.duration:.2f}s, lookups {result.lookup_duration:.2f}s, "
            f"total {result.total_duration:.2f}s")


def summary_line(result: ScanResult) -> str:
    s = result.stats
    findings = result.findings
    live = sum(1 for f in findings if f.access and f.access.live)
    over = sum(1 for f in findings if f.over_privileged)
    skipped = sum(s.skipped.values())
    mb = s.bytes / 1e6
    scanned = f"{s.files} file(s)" + (f", {s.blobs} blob(s) from {s.commits} commit(s)" if s.blobs or s.commits else "")
    return terminal(f"{len(findings)} secret(s), {live} live, {over} over-privileged · scanned {scanned}, "
                    f"{mb:.1f} MB{_timing(result)} · skipped {skipped}"
                    + (f" ({', '.join(f'{n} {r}' for r, n in sorted(s.skipped.items()))})" if skipped else "")
                    + (f" · {view.set_aside(s)}" if s.not_reported else ""))
