"""`tokenreach ci github`: inside GitHub Actions — reads the event (diff mode scans base..head),
writes annotations, the job summary, step outputs and report files, exits per --fail-on. The
composite action (action.yml) is a thin wrapper around it; the command itself is in ci.py.

Only the standard library loads at import: the pipeline, detectors and renderers load inside
``run_github``, so `tokenreach --help` stays fast.
"""

from __future__ import annotations

import argparse
import json
import re
import shlex
import shutil
import tempfile
import uuid
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from tokenreach.scanner.cli.common import Verdict, check_fail_on, suppressed_note
from tokenreach.scanner.errors import ScanError, one_line
from tokenreach.scanner.output_file import write_text

if TYPE_CHECKING:
    from tokenreach.scanner.model import Finding, Location, RunResult, ScanResult

# The action passes its inputs in these variables (never spliced into a shell script).
ENV_PREFIX = "TOKENREACH_CI_"
# GitHub shows 10 error and 10 warning annotations per step (50 per job): one per finding, the
# worst first, at most this many of each level; every location not annotated is in the job summary.
MAX_ANNOTATIONS = 10
MAX_SUMMARY_BYTES = 1_000_000  # GitHub rejects a step summary over 1 MiB
_SHA = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")


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
    def error(self, message: str) -> NoReturn:
        raise ScanError(f"extra-args: {message}")


def parse_extra_args(text: str, tuning: Tuning) -> Tuning:
    """Apply the action's `extra-args` (shell-quoted, like a command line) to ``tuning``."""
    try:
        words = shlex.split(text)
    except ValueError as exc:
        raise ScanError(f"extra-args: {exc}") from None
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
        raise ScanError(f"extra-args: unknown option {unknown[0]!r} (accepted: --no-history, --max-file-size, "
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


@contextmanager
def annotated_errors(out: TextIO) -> Iterator[None]:
    """An error the user can act on (a shallow clone in diff mode, a bad input) is also an
    `::error::` annotation, so the run's page says what to fix, not only the step's log."""
    try:
        yield
    except Exception as exc:
        message = one_line(exc)
        if message is not None:
            out.write(command("error", message, title="tokenreach") + "\n")
            out.flush()
        raise


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
        raise ScanError("mode diff needs GITHUB_EVENT_NAME (set by GitHub Actions); it is not set")
    if not path:
        raise ScanError("mode diff needs GITHUB_EVENT_PATH (the event payload GitHub Actions writes); it is not set")
    try:
        payload = json.loads(Path(path).read_bytes())
    except FileNotFoundError:
        raise ScanError(f"GITHUB_EVENT_PATH {path}: no such file") from None
    except OSError as exc:
        raise ScanError(f"GITHUB_EVENT_PATH {path}: cannot read ({exc.strerror or exc})") from None
    except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError
        raise ScanError(f"GITHUB_EVENT_PATH {path}: not a valid JSON event ({str(exc).splitlines()[0]})") from None
    if not isinstance(payload, dict):
        raise ScanError(f"GITHUB_EVENT_PATH {path}: not a valid JSON event (expected an object)")
    return name, payload


def _sha_at(payload: dict[str, Any], keys: tuple[str, ...], event: str) -> str:
    item: Any = payload
    for key in keys:
        item = item.get(key) if isinstance(item, dict) else None
    if not isinstance(item, str) or not _SHA.fullmatch(item):
        raise ScanError(f"GITHUB_EVENT_PATH: the {event} event has no commit sha at {'.'.join(keys)}")
    return item


def event_or_nothing(environ: Mapping[str, str]) -> tuple[str, dict[str, Any]]:
    """The event as read_event() reads it, or ("", {}) when there is none to read (a full scan
    outside Actions, or an unreadable payload: only diff mode needs one)."""
    try:
        return read_event(environ)
    except ScanError:
        return environ.get("GITHUB_EVENT_NAME", ""), {}


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
    sarif: str = "auto"  # auto: only where the upload can succeed (code_scanning.py); true; false
    html: bool = True
    report_dir: Path | None = None
    tuning: Tuning = field(default_factory=Tuning)
    fail_if_agent_readable: bool = False  # opt-in: fail when a configured agent can read a live/over token


def run_github(job: GitHubRun, environ: Mapping[str, str], out: TextIO) -> int:
    """Scan, then speak GitHub: log, annotations, summary, outputs, report files. Returns the exit code."""
    from tokenreach.reports import render
    from tokenreach.reports.text import render as render_text
    from tokenreach.reports.text import summary_line
    from tokenreach.scanner.cli import code_scanning
    from tokenreach.scanner.config import parse_size
    from tokenreach.scanner.run import RunOptions, run
    from tokenreach.scanner.sources import git

    if job.mode not in ("full", "diff"):
        raise ScanError(f"--mode must be full or diff, not {job.mode!r}")
    check_fail_on(job.fail_on)
    sarif = code_scanning.setting(job.sarif)
    if job.tuning.lookup_timeout <= 0:
        raise ScanError("--lookup-timeout must be positive")
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
                raise ScanError(f"{path}: not inside a git repository (needed for mode diff)")
            if not git.run(info[0], "rev-parse", "--verify", "-q", rng.base + "^{commit}", check=False).strip():
                shallow = git.run(info[0], "rev-parse", "--is-shallow-repository", check=False).strip() == b"true"
                raise ScanError(f"mode diff: base commit {rng.base[:12]} of the {rng.event} event is not in the "
                                f"clone{' (a shallow clone)' if shallow else ''}: check out the whole history, "
                                "with actions/checkout and fetch-depth: 0")
            since = rng.base
    t = job.tuning
    opts = RunOptions(path=path, history=not t.no_history, since=since,
                      max_file_size=parse_size(t.max_file_size) if t.max_file_size else None,
                      include_deps=t.include_deps, offline=job.offline, lookup_timeout=t.lookup_timeout,
                      cache_ttl=t.cache_ttl, baseline_path=job.baseline)
    outcome = _run_with_base_settings(opts, info[0] if since and info else None, since, job.baseline, environ, run)
    result = outcome.scan
    _drop_the_jobs_own_token(outcome, environ.get("GITHUB_TOKEN"))
    verdict = Verdict.of(outcome, job.fail_on, job.fail_on_over_privileged, "high")
    note = suppressed_note(outcome)
    if note:
        result.notices.append(note)

    # The log: the text report, with workflow commands switched off around it (file and
    # variable names come from the scanned repository).
    guard = uuid.uuid4().hex
    out.write(f"::stop-commands::{guard}\n{render_text(result)}::{guard}::\n")
    if since:
        out.write(f"mode diff: scanned what {since[:12]}..HEAD introduces, with the configuration and "
                  f"baselines of {since[:12]}\n")
    top = info[0] if info else path
    chosen = to_annotate(result, verdict)
    for line in annotation_lines(result, verdict, top, workspace, offline=job.offline, chosen=chosen):
        out.write(line + "\n")

    upload = sarif == "true"
    if sarif == "auto":
        decision = code_scanning.decide(sarif, *event_or_nothing(environ), environ, offline=job.offline)
        upload = decision.upload
        if not upload:
            out.write(command("notice", decision.why) + "\n")

    report_dir = job.report_dir or _default_report_dir(environ)
    report_dir.mkdir(parents=True, exist_ok=True)
    reports: dict[str, str] = {"json-file": "", "sarif-file": "", "html-file": ""}
    for fmt, key, on in (("json", "json-file", True), ("sarif", "sarif-file", upload),
                         ("html", "html-file", job.html)):
        if not on:
            continue
        file = report_dir / f"tokenreach.{fmt}"
        write_text(file, render(fmt, result))
        reports[key] = str(file.resolve())

    summary_file = environ.get("GITHUB_STEP_SUMMARY")
    if summary_file:
        _append(Path(summary_file), _cap(render("markdown", result) + not_annotated(result, chosen)))

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
    code = verdict.exit_code(result.findings)
    if job.fail_if_agent_readable:
        from tokenreach.scanner.fences import readable_lines

        for text in readable_lines(result.findings):
            out.write(command("error", text, title="tokenreach: readable by a coding agent") + "\n")
            code = 1
    return code


def _rank(severity: str | None) -> int:
    from tokenreach.scanner.assess import severity_rank

    return severity_rank(severity or "info")


def _run_with_base_settings(opts: Any, top: Path | None, base: str | None, baseline: Path | None,
                            environ: Mapping[str, str], run: Any) -> Any:
    """run(opts); in diff mode with the base commit's configuration and baselines (base_config.py),
    copied into a folder outside the workspace that is gone when the run is."""
    from tokenreach.scanner.cli.base_config import from_base, name_in_base

    if top is None or base is None:
        return run(opts)
    runner_temp = environ.get("RUNNER_TEMP")
    folder = Path(tempfile.mkdtemp(prefix="tokenreach-base-",
                                   dir=runner_temp if runner_temp and Path(runner_temp).is_dir() else None))
    try:
        settings = from_base(top, base, folder, baseline, Path.cwd())
        opts.config_root, opts.baseline_path = settings.folder, settings.baseline
        try:
            return run(opts)
        except ScanError as exc:  # a file the run read from our folder: name it as the base's
            raise ScanError(name_in_base(str(exc), settings.folder, base)) from None
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def to_annotate(result: ScanResult, verdict: Verdict, limit: int = MAX_ANNOTATIONS) -> list[Finding]:
    """The findings that get an annotation: the first ``limit`` of each level, in the report's order
    (worst first)."""
    shown = {"error": 0, "warning": 0}
    chosen = []
    for f in result.findings:
        level = "error" if verdict.blocks(f) else "warning"
        if shown[level] < limit:
            shown[level] += 1
            chosen.append(f)
    return chosen


def annotation_lines(result: ScanResult, verdict: Verdict, top: Path, workspace: Path, *, offline: bool = False,
                     chosen: list[Finding] | None = None) -> list[str]:
    """One `::error` (the finding fails the job) or `::warning` per chosen finding, at its most
    exposed location; never the secret. A notice counts the findings left without one (they and
    every other location are in the job summary: not_annotated()). Repository text is escaped
    (control characters, bytes that were not UTF-8: reports/escape.py)."""
    from tokenreach.reports import _view as view
    from tokenreach.reports.escape import terminal
    from tokenreach.reports.oneline import reach_phrase
    from tokenreach.scanner.model import Location

    chosen = to_annotate(result, verdict) if chosen is None else chosen
    lines: list[str] = []
    for f in chosen:
        level = "error" if verdict.blocks(f) else "warning"
        head = f"{(f.severity or '?').upper()}: {view.display_name(f)}" + (
            " (over-privileged)" if f.over_privileged else "")
        body = f"{f.redacted}" + (f" in {f.token.variable}" if f.token.variable else "")
        body += f" · {reach_phrase(f.access, offline=offline)}"
        if f.reasons:
            body += " · " + "; ".join(f.reasons)
        first, *rest = sorted(f.locations, key=Location.sort_key)
        more = f" · {len(rest)} more location(s) in the job summary" if rest else ""
        lines.append(command(level, terminal(f"{body} · {_where(first)}{more}"),
                             file=terminal(_workspace_path(first.path, top, workspace)),
                             line=first.line, col=first.column, title=terminal(head)))
    left = len(result.findings) - len(chosen)
    if left:
        lines.append(command("notice", f"{left} more token(s) not annotated (GitHub shows {MAX_ANNOTATIONS} "
                                       f"errors and {MAX_ANNOTATIONS} warnings per step): see the job summary"))
    return lines


def not_annotated(result: ScanResult, chosen: list[Finding]) -> str:
    """Markdown for the job summary: every location that has no annotation, per token."""
    from tokenreach.reports import _view as view
    from tokenreach.reports.markdown import escape

    annotated = {id(f) for f in chosen}
    items: list[str] = []
    count = 0
    for f in result.findings:
        locs = view.locations(f)
        if id(f) in annotated:
            locs = locs[1:]  # the first is where the annotation is
        if not locs:
            continue
        count += len(locs)
        where = "; ".join(escape(view.where(loc)) for loc in locs)
        items.append(f"- **{escape(view.severity(f).upper())}** {escape(view.display_name(f))} "
                     f"<code>{escape(f.redacted)}</code>{', also' if id(f) in annotated else ''}: "
                     f"{where}")
    if not items:
        return ""
    return ("\n<details>\n<summary>" + escape(view.plural(count, "token location")) + " without an annotation "
            f"(GitHub shows {MAX_ANNOTATIONS} errors and {MAX_ANNOTATIONS} warnings per step)</summary>\n\n"
            + "\n".join(items) + "\n\n</details>\n")


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
        raise ScanError(f"{path}: cannot write ({exc.strerror or exc})") from None


def _cap(markdown: str) -> str:
    data = markdown.encode()
    if len(data) <= MAX_SUMMARY_BYTES:
        return markdown
    cut = data[: MAX_SUMMARY_BYTES - 200].decode("utf-8", "ignore")
    return cut.rsplit("\n", 1)[0] + "\n\n_…truncated: the full list is in the HTML and SARIF reports._\n"


def _drop_the_jobs_own_token(outcome: RunResult, own: str | None) -> None:
    """actions/checkout keeps the job's GITHUB_TOKEN in .git/config (unless persist-credentials:
    false); it expires with the job and is the runner's, not the repository's: not a finding."""
    if not own:
        return
    kept = [f for f in outcome.scan.findings if f.token.secret != own]
    if len(kept) < len(outcome.scan.findings):
        outcome.suppressed["the job's own GITHUB_TOKEN, which expires with the job "
                           "(actions/checkout's persist-credentials: false keeps it out of .git/config)"] = (
            len(outcome.scan.findings) - len(kept))
        outcome.scan.findings = kept


def _default_report_dir(environ: Mapping[str, str]) -> Path:
    # Outside the workspace, so reports are neither scanned nor committed.
    runner_temp = environ.get("RUNNER_TEMP")
    if runner_temp:
        return Path(runner_temp) / "tokenreach"
    return Path(tempfile.mkdtemp(prefix="tokenreach-reports-"))
