"""`tokenreach ci …`: run inside a CI system and speak its language.

- `ci github`: inside GitHub Actions — reads the event (diff mode scans base..head), writes
  annotations, the job summary, step outputs and report files, exits per --fail-on. The
  composite action (action.yml) is a thin wrapper around it.
- `ci precommit`: the pre-commit hook — scans what is staged and prints one line per token
  (scanner/cli/precommit.py, whose `python -m` entry the hooks use).

Only typer and the standard library load at import: the pipeline, detectors and renderers load
inside the commands, so `tokenreach --help` and the hook's start-up stay fast.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import sys
import tempfile
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO

import typer

from tokenreach.scanner.cli.common import EXIT_ERROR, CIError, Verdict, check_fail_on, suppressed_note
from tokenreach.scanner.cli.precommit import DEFAULT_LOOKUP_TIMEOUT, run_precommit
from tokenreach.scanner.output_file import write_text

if TYPE_CHECKING:
    from tokenreach.scanner.model import Location, ScanResult

app = typer.Typer(no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Run inside a CI system and speak its language.")

# The action passes its inputs in these variables (never spliced into a shell script).
ENV_PREFIX = "TOKENREACH_CI_"
MAX_ANNOTATIONS = 50  # GitHub shows at most 50 annotations per job; the rest are in the reports
MAX_SUMMARY_BYTES = 1_000_000  # GitHub rejects a step summary over 1 MiB
_SHA = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")


def _fail(message: str) -> typer.Exit:
    typer.echo(f"tokenreach: error: {message}", err=True)
    return typer.Exit(EXIT_ERROR)


# ── shared by the CI commands ─────────────────────────────────────────────────────────────────

@dataclass
class Tuning:
    """Scan settings shared by `ci github` and its `extra-args` (None: configuration, else default)."""

    no_history: bool = False
    max_file_size: str | None = None
    include_deps: bool | None = None
    lookup_timeout: float = 60.0
    cache_ttl: float = 0.0
    verbose: bool = False


class _ArgParser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise CIError(f"extra-args: {message}")


def parse_extra_args(text: str, tuning: Tuning) -> Tuning:
    """Apply the action's `extra-args` (shell-quoted, like a command line) to ``tuning``."""
    try:
        words = shlex.split(text)
    except ValueError as exc:
        raise CIError(f"extra-args: {exc}") from None
    if not words:
        return tuning
    parser = _ArgParser(prog="extra-args", add_help=False, allow_abbrev=False)
    parser.add_argument("--no-history", action="store_true", default=tuning.no_history)
    parser.add_argument("--max-file-size", default=tuning.max_file_size)
    parser.add_argument("--include-deps", action="store_true", default=tuning.include_deps)
    parser.add_argument("--lookup-timeout", type=float, default=tuning.lookup_timeout)
    parser.add_argument("--cache-ttl", type=float, default=tuning.cache_ttl)
    parser.add_argument("-v", "--verbose", action="store_true", default=tuning.verbose)
    ns, unknown = parser.parse_known_args(words)
    if unknown:
        raise CIError(f"extra-args: unknown option {unknown[0]!r} (accepted: --no-history, --max-file-size, "
                      "--include-deps, --lookup-timeout, --cache-ttl, --verbose)")
    return Tuning(**vars(ns))


# ── GitHub: workflow commands ─────────────────────────────────────────────────────────────────

def escape_data(text: str) -> str:
    """A workflow command's message (GitHub's escapeData)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value (GitHub's escapeProperty)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str, **props: str | int) -> str:
    """`::name k=v,k=v::message`, escaped."""
    rendered = ",".join(f"{k}={escape_property(str(v))}" for k, v in props.items())
    return f"::{name}{' ' + rendered if rendered else ''}::{escape_data(message)}"


# ── GitHub: the event ─────────────────────────────────────────────────────────────────────────

@dataclass(frozen=True)
class DiffRange:
    base: str
    head: str | None
    event: str


def read_event(environ: Mapping[str, str]) -> tuple[str, dict[str, Any]]:
    """(event name, payload) from GITHUB_EVENT_NAME and GITHUB_EVENT_PATH."""
    name = environ.get("GITHUB_EVENT_NAME", "")
    path = environ.get("GITHUB_EVENT_PATH", "")
    if not name:
        raise CIError("mode diff needs GITHUB_EVENT_NAME (set by GitHub Actions); it is not set")
    if not path:
        raise CIError("mode diff needs GITHUB_EVENT_PATH (the event payload GitHub Actions writes); it is not set")
    try:
        payload = json.loads(Path(path).read_bytes())
    except FileNotFoundError:
        raise CIError(f"GITHUB_EVENT_PATH {path}: no such file") from None
    except OSError as exc:
        raise CIError(f"GITHUB_EVENT_PATH {path}: cannot read ({exc.strerror or exc})") from None
    except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError
        raise CIError(f"GITHUB_EVENT_PATH {path}: not a valid JSON event ({str(exc).splitlines()[0]})") from None
    if not isinstance(payload, dict):
        raise CIError(f"GITHUB_EVENT_PATH {path}: not a valid JSON event (expected an object)")
    return name, payload


def _sha_at(payload: dict[str, Any], keys: tuple[str, ...], event: str) -> str:
    item: Any = payload
    for key in keys:
        item = item.get(key) if isinstance(item, dict) else None
    if not isinstance(item, str) or not _SHA.fullmatch(item):
        raise CIError(f"GITHUB_EVENT_PATH: the {event} event has no commit sha at {'.'.join(keys)}")
    return item


def diff_range(environ: Mapping[str, str]) -> DiffRange | None:
    """base..head of the event, or None when the event has no base (full scan instead)."""
    name, payload = read_event(environ)
    if name in ("pull_request", "pull_request_target"):
        return DiffRange(_sha_at(payload, ("pull_request", "base", "sha"), name),
                         _sha_at(payload, ("pull_request", "head", "sha"), name), name)
    if name == "merge_group":
        return DiffRange(_sha_at(payload, ("merge_group", "base_sha"), name),
                         _sha_at(payload, ("merge_group", "head_sha"), name), name)
    if name == "push":
        before = _sha_at(payload, ("before",), name)
        if set(before) == {"0"}:  # a new branch or tag: nothing to diff against
            return None
        return DiffRange(before, _sha_at(payload, ("after",), name), name)
    return None


# ── GitHub: the run ───────────────────────────────────────────────────────────────────────────

@dataclass
class GitHubRun:
    path: Path | None = None
    mode: str = "full"
    fail_on: str | None = None  # None: the repository's configuration, else high
    fail_on_over_privileged: bool | None = None
    offline: bool = False
    baseline: Path | None = None  # None: the configuration's, else .tokenreach-baseline.json if present
    sarif: bool = True
    html: bool = True
    report_dir: Path | None = None
    tuning: Tuning = field(default_factory=Tuning)


def run_github(job: GitHubRun, environ: Mapping[str, str], out: TextIO) -> int:
    """Scan, then speak GitHub: log, annotations, summary, outputs, report files. Returns the exit code."""
    from tokenreach.reports import available, render
    from tokenreach.reports.text import render as render_text
    from tokenreach.reports.text import summary_line
    from tokenreach.scanner.config import parse_size
    from tokenreach.scanner.run import RunOptions, run
    from tokenreach.scanner.sources import git

    if job.mode not in ("full", "diff"):
        raise CIError(f"--mode must be full or diff, not {job.mode!r}")
    check_fail_on(job.fail_on)
    if job.tuning.lookup_timeout <= 0:
        raise CIError("--lookup-timeout must be positive")
    workspace = Path(environ.get("GITHUB_WORKSPACE") or ".")
    path = job.path or workspace
    info = git.repo_info(path) if path.is_dir() else None
    since = None
    if job.mode == "diff":
        rng = diff_range(environ)
        if rng is None:
            out.write(command("notice", f"mode diff: a {environ.get('GITHUB_EVENT_NAME')} event without a base "
                                        "commit; scanning the whole repository") + "\n")
        else:
            if info is None:
                raise CIError(f"{path}: not inside a git repository (needed for mode diff)")
            if not git.run(info[0], "rev-parse", "--verify", "-q", rng.base + "^{commit}", check=False).strip():
                raise CIError(f"mode diff: base commit {rng.base[:12]} of the {rng.event} event is not in the clone "
                              "(check out with actions/checkout and fetch-depth: 0)")
            since = rng.base
    t = job.tuning
    opts = RunOptions(path=path, history=not t.no_history, since=since,
                      max_file_size=parse_size(t.max_file_size) if t.max_file_size else None,
                      include_deps=t.include_deps, offline=job.offline, lookup_timeout=t.lookup_timeout,
                      cache_ttl=t.cache_ttl, baseline_path=job.baseline)
    outcome = run(opts)
    result = outcome.scan
    verdict = Verdict.of(outcome, job.fail_on, job.fail_on_over_privileged, "high")
    note = suppressed_note(outcome)
    if note:
        result.notices.append(note)

    # The log: the text report, with workflow commands switched off around it (file and
    # variable names come from the scanned repository).
    guard = uuid.uuid4().hex
    out.write(f"::stop-commands::{guard}\n{render_text(result)}::{guard}::\n")
    if since:
        out.write(f"mode diff: scanned what {since[:12]}..HEAD introduces\n")
    for line in annotations(result, verdict, info[0] if info else path, workspace, offline=job.offline):
        out.write(line + "\n")

    formats = set(available())
    report_dir = job.report_dir or _default_report_dir(environ)
    report_dir.mkdir(parents=True, exist_ok=True)
    reports: dict[str, str] = {"json-file": "", "sarif-file": "", "html-file": ""}
    for fmt, key, on in (("json", "json-file", True), ("sarif", "sarif-file", job.sarif),
                         ("html", "html-file", job.html)):
        if not on:
            continue
        if fmt not in formats:
            out.write(command("warning", f"this tokenreach has no {fmt} report; none written") + "\n")
            continue
        file = report_dir / f"tokenreach.{fmt}"
        write_text(file, render(fmt, result))
        reports[key] = str(file.resolve())

    summary_file = environ.get("GITHUB_STEP_SUMMARY")
    if summary_file:
        md = render("markdown", result) if "markdown" in formats else _markdown_fallback(result, summary_line)
        _append(Path(summary_file), _cap(md))

    worst = max(result.findings, key=lambda f: _rank(f.severity), default=None)
    outputs = {
        "findings": str(len(result.findings)),
        "live": str(sum(1 for f in result.findings if f.access and f.access.live)),
        "over-privileged": str(sum(1 for f in result.findings if f.over_privileged)),
        "highest-severity": (worst.severity or "") if worst else "",
        **reports,
    }
    output_file = environ.get("GITHUB_OUTPUT")
    if output_file:
        _append(Path(output_file), "".join(output_lines(outputs)))
    out.write(summary_line(result) + "\n")
    return verdict.exit_code(result.findings)


def _rank(severity: str | None) -> int:
    from tokenreach.scanner.assess import severity_rank

    return severity_rank(severity or "info")


def annotations(result: ScanResult, verdict: Verdict, top: Path, workspace: Path, *, offline: bool = False,
                limit: int = MAX_ANNOTATIONS) -> list[str]:
    """One `::error` (the finding fails the job) or `::warning` per finding location; never the secret."""
    from tokenreach.reports.oneline import reach_phrase, title
    from tokenreach.scanner.model import Location

    lines: list[str] = []
    total = 0
    for f in result.findings:
        level = "error" if verdict.blocks(f) else "warning"
        head = f"{(f.severity or '?').upper()}: {title(f)}" + (" (over-privileged)" if f.over_privileged else "")
        body = f"{f.redacted}" + (f" in {f.token.variable}" if f.token.variable else "")
        body += f" · {reach_phrase(f.access, offline=offline)}"
        if f.reasons:
            body += " · " + "; ".join(f.reasons)
        for loc in sorted(f.locations, key=Location.sort_key):
            total += 1
            if len(lines) < limit:
                lines.append(command(level, f"{body} · {_where(loc)}", file=_workspace_path(loc.path, top, workspace),
                                     line=loc.line, col=loc.column, title=head))
    if total > limit:
        lines.append(command("notice", f"{total - limit} more token location(s): see the job summary and reports"))
    return lines


def _where(loc: Location) -> str:
    if loc.exposure == "history":
        return f"only in git history (commit {(loc.commit or '')[:12]}, {(loc.date or '')[:10]})"
    return f"{loc.exposure} file"


def _workspace_path(rel: str, top: Path, workspace: Path) -> str:
    """A location's path (relative to the repository) as GitHub wants it: relative to the workspace."""
    try:
        return (top.resolve() / rel).relative_to(workspace.resolve()).as_posix()
    except ValueError:
        return rel


def output_lines(outputs: Mapping[str, str]) -> Iterable[str]:
    """GITHUB_OUTPUT lines; a value with a line break uses the delimiter form."""
    for name, value in outputs.items():
        if "\n" in value or "\r" in value:
            delim = f"ghadelimiter_{uuid.uuid4()}"
            yield f"{name}<<{delim}\n{value}\n{delim}\n"
        else:
            yield f"{name}={value}\n"


def _append(path: Path, text: str) -> None:
    try:
        with path.open("a", encoding="utf-8") as fh:
            fh.write(text)
    except OSError as exc:
        raise CIError(f"{path}: cannot write ({exc.strerror or exc})") from None


def _cap(markdown: str) -> str:
    data = markdown.encode()
    if len(data) <= MAX_SUMMARY_BYTES:
        return markdown
    cut = data[: MAX_SUMMARY_BYTES - 200].decode("utf-8", "ignore")
    return cut.rsplit("\n", 1)[0] + "\n\n_…truncated: the full list is in the HTML and SARIF reports._\n"


def _markdown_fallback(result: ScanResult, summary_line: Any) -> str:
    """Used only where the Markdown renderer is missing from the installation."""
    from tokenreach.reports.oneline import line

    rows = "\n".join(line(f) for f in result.findings)
    return f"## tokenreach\n\n{summary_line(result)}\n\n" + (f"```\n{rows}\n```\n" if rows else "")


def _default_report_dir(environ: Mapping[str, str]) -> Path:
    # Outside the workspace, so reports are neither scanned nor committed.
    runner_temp = environ.get("RUNNER_TEMP")
    if runner_temp:
        return Path(runner_temp) / "tokenreach"
    return Path(tempfile.mkdtemp(prefix="tokenreach-reports-"))


# ── the commands ──────────────────────────────────────────────────────────────────────────────

def _env(name: str) -> str:
    return f"{ENV_PREFIX}{name}"


@app.command("github")
def github_command(
    path: Annotated[Path | None, typer.Option(envvar=_env("PATH"),
                    help="Folder or repository to scan (default: $GITHUB_WORKSPACE).")] = None,
    mode: Annotated[str, typer.Option(envvar=_env("MODE"),
                    help="full (working tree + history) or diff (what the push / pull request adds).")] = "full",
    fail_on: Annotated[str | None, typer.Option(envvar=_env("FAIL_ON"),
                       help="Exit 1 at or above this severity (default: configuration, else high).")] = None,
    fail_on_over_privileged: Annotated[bool | None, typer.Option(
        "--fail-on-over-privileged/--no-fail-on-over-privileged", envvar=_env("FAIL_ON_OVER_PRIVILEGED"),
        help="Exit 1 when any token is over-privileged (default: configuration).")] = None,
    offline: Annotated[bool, typer.Option("--offline", envvar=_env("OFFLINE"),
                       help="No network calls at all.")] = False,
    baseline: Annotated[Path | None, typer.Option(envvar=_env("BASELINE"),
                        help="Baseline file (default: configuration, else .tokenreach-baseline.json).")] = None,
    sarif: Annotated[bool, typer.Option("--sarif/--no-sarif", envvar=_env("SARIF"),
                     help="Write a SARIF report (for code scanning).")] = True,
    html: Annotated[bool, typer.Option("--html/--no-html", envvar=_env("HTML"),
                    help="Write an HTML report (for a build artifact).")] = True,
    report_dir: Annotated[Path | None, typer.Option(envvar=_env("REPORT_DIR"),
                          help="Where reports go (default: $RUNNER_TEMP/tokenreach).")] = None,
    extra_args: Annotated[str, typer.Option(envvar=_env("EXTRA_ARGS"),
                          help="More scan options, shell-quoted: --no-history, --max-file-size, "
                               "--include-deps, --lookup-timeout, --cache-ttl, --verbose.")] = "",
    lookup_timeout: Annotated[float, typer.Option(help="Seconds for the whole lookup phase.")] = 60.0,
    max_file_size: Annotated[str | None, typer.Option(help="Skip larger files (default: 10M).")] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Debug log on stderr.")] = False,
) -> None:
    """Scan inside GitHub Actions: annotations, job summary, step outputs, SARIF and HTML reports."""
    from tokenreach.scanner.cli.app import _logging
    from tokenreach.scanner.errors import ScanError
    from tokenreach.scanner.sources.git import GitError

    try:
        tuning = parse_extra_args(extra_args, Tuning(lookup_timeout=lookup_timeout, max_file_size=max_file_size,
                                                     verbose=verbose))
        _logging(tuning.verbose)
        job = GitHubRun(path=path, mode=mode, fail_on=fail_on, fail_on_over_privileged=fail_on_over_privileged,
                        offline=offline, baseline=baseline, sarif=sarif, html=html, report_dir=report_dir,
                        tuning=tuning)
        code = run_github(job, os.environ, sys.stdout)
    except (CIError, ScanError, ValueError) as exc:
        raise _fail(str(exc)) from None
    except GitError as exc:
        raise _fail(f"git: {exc}") from None
    except OSError as exc:
        raise _fail(f"{exc.filename + ': ' if exc.filename else ''}{exc.strerror or exc}") from None
    raise typer.Exit(code)


@app.command("precommit")
def precommit_command(
    offline: Annotated[bool, typer.Option("--offline", help="No network calls at all.")] = False,
    fail_on: Annotated[str | None, typer.Option(
        help="Refuse the commit at or above this severity (default: configuration, else any token).")] = None,
    baseline: Annotated[Path | None, typer.Option(
        help="Baseline file (default: configuration, else .tokenreach-baseline.json).")] = None,
    lookup_timeout: Annotated[float, typer.Option(help="Seconds for the whole lookup phase.")] = DEFAULT_LOOKUP_TIMEOUT,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Debug log on stderr.")] = False,
) -> None:
    """The pre-commit hook: scan what is staged, one line per token, refuse the commit when one is found."""
    from tokenreach.scanner.cli.app import _logging
    from tokenreach.scanner.errors import ScanError
    from tokenreach.scanner.sources.git import GitError

    _logging(verbose)
    try:
        code = run_precommit(Path("."), offline=offline, fail_on=fail_on, baseline=baseline,
                             lookup_timeout=lookup_timeout, out=sys.stdout)
    except (CIError, ScanError, ValueError) as exc:
        raise _fail(str(exc)) from None
    except GitError as exc:
        raise _fail(f"git: {exc}") from None
    except OSError as exc:
        raise _fail(f"{exc.strerror or exc}") from None
    raise typer.Exit(code)
