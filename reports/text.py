"""Terminal report: the over-privileged and most severe first, most exposed first."""

from __future__ import annotations

from tokenreach.scanner.model import Finding, Location, ScanResult, can_phrase

_LIVE = {True: "live", False: "revoked", None: "unknown"}


def render(result: ScanResult, show_secrets: bool = False, color: bool = False) -> str:
    lines: list[str] = []
    for f in result.findings:
        lines.extend(_finding(f, show_secrets))
        lines.append("")
    lines.append(summary_line(result))
    if result.stats.warnings:
        lines.append(f"{len(result.stats.warnings)} warning(s):")
        lines.extend(f"  ! {w}" for w in result.stats.warnings)
    for notice in result.notices:
        lines.append(f"note: {notice}")
    return "\n".join(lines) + "\n"


def _finding(f: Finding, show_secrets: bool) -> list[str]:
    a = f.access
    sev = (f.severity or "?").upper()
    flag = "  OVER-PRIVILEGED" if f.over_privileged else ""
    kind = f" ({f.token.kind})" if f.token.kind else ""
    value = f.token.secret if show_secrets else f.redacted
    out = [f"{sev:<8} {f.pattern_name}{kind}{flag}", f"         token   {value}"]
    if f.token.variable:
        out.append(f"         name    {f.token.variable}")
    if a is not None:
        live = _LIVE[a.live]
        if a.live is None:  # say why: offline, a timeout, a rate limit, no lookup for this kind
            why = next((n for n in reversed(a.notes) if n.startswith(("not looked up", "liveness unknown:"))), None)
            if why:
                live += f" — {why.removeprefix('liveness unknown: ')}"
        who = f" as {a.identity}" if a.identity else ""
        out.append(f"         status  {live}{who}")
        if a.reach or a.capabilities:
            caps = can_phrase(a.capabilities) or "unknown"
            out.append(f"         reach   {a.reach or 'unknown'}; can {caps}")
        if a.grants:
            out.append(f"         grants  {', '.join(a.grants[:12])}{' …' if len(a.grants) > 12 else ''}")
        if a.resources:
            more = (a.resources_total or 0) - len(a.resources)
            out.append(f"         reaches {', '.join(a.resources[:8])}{f' (+{more} more)' if more > 0 else ''}")
    for r in f.reasons:
        out.append(f"         why     {r}")
    for loc in sorted(f.locations, key=Location.sort_key)[:10]:
        out.append(f"         at      {_where(loc)}")
    if len(f.locations) > 10:
        out.append(f"         …and {len(f.locations) - 10} more location(s)")
    for r in f.remediation[:3]:
        out.append(f"         fix     {r}")
    return out


def _where(loc: Location) -> str:
    where = f"{loc.path}:{loc.line}:{loc.column} [{loc.exposure}]"
    if loc.encoding:
        where += f" {loc.encoding}-encoded"
    if loc.exposure == "history" and loc.commit:
        where += f" commit {loc.commit[:12]} by {loc.author} on {(loc.date or '')[:10]}"
    return where


def summary_line(result: ScanResult) -> str:
    s = result.stats
    findings = result.findings
    live = sum(1 for f in findings if f.access and f.access.live)
    over = sum(1 for f in findings if f.over_privileged)
    skipped = sum(s.skipped.values())
    mb = s.bytes / 1e6
    scanned = f"{s.files} file(s)" + (f", {s.blobs} blob(s) from {s.commits} commit(s)" if s.blobs or s.commits else "")
    return (f"{len(findings)} secret(s), {live} live, {over} over-privileged · scanned {scanned}, "
            f"{mb:.1f} MB in {result.duration:.2f}s · skipped {skipped}"
            + (f" ({', '.join(f'{n} {r}' for r, n in sorted(s.skipped.items()))})" if skipped else ""))
