"""The command line: parse options, run the pipeline, pick a report. Nothing else lives here."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from tokenreach.reports import available as available_formats
from tokenreach.reports import render as render_report
from tokenreach.scanner.assess import SEVERITIES, assess, severity_rank
from tokenreach.scanner.findings import EXPOSURE_ORDER, Finding
from tokenreach.scanner.pipeline import ScanError, ScanOptions, ScanResult, scan

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Find the tokens in a repository and learn what each one can really do.",
)

EXIT_ERROR = 2


class UsageError(Exception):
    pass


def _fail(message: str) -> typer.Exit:
    typer.echo(f"tokenreach: error: {message}", err=True)
    return typer.Exit(EXIT_ERROR)


def _size(value: str) -> int:
    units = {"k": 1024, "m": 1024**2, "g": 1024**3}
    v = value.strip().lower().removesuffix("b")
    try:
        if v and v[-1] in units:
            return int(float(v[:-1]) * units[v[-1]])
        return int(v)
    except ValueError:
        raise UsageError(f"--max-file-size: {value!r} is not a size (e.g. 10M, 512k, 1048576)") from None


def _show_progress() -> bool:
    return sys.stderr.isatty() and not os.environ.get("CI") and not os.environ.get("TOKENREACH_NO_PROGRESS")


@app.command("scan")
def scan_command(
    path: Annotated[Path, typer.Argument(help="Folder or repository to scan.")] = Path("."),
    no_history: Annotated[bool, typer.Option("--no-history", help="Skip git history.")] = False,
    staged: Annotated[bool, typer.Option("--staged", help="Scan only what is staged (pre-commit).")] = False,
    since: Annotated[str | None, typer.Option(help="Only blobs introduced by commits after REV.")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text, json, sarif, markdown or html.")] = "text",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the report here.")] = None,
    report: Annotated[list[str] | None, typer.Option(
        "--report", help="Also write FORMAT=FILE (repeatable); the scan and lookups run once.")] = None,
    fail_on: Annotated[str, typer.Option(help="Exit 1 at or above this severity.")] = "high",
    show_secrets: Annotated[bool, typer.Option("--show-secrets", help="Print full secrets.")] = False,
    max_file_size: Annotated[str, typer.Option(help="Skip files larger than this.")] = "10M",
    offline: Annotated[bool, typer.Option("--offline", help="No network calls at all.")] = False,
    lookup_timeout: Annotated[float, typer.Option(help="Seconds for the whole lookup phase.")] = 60.0,
    cache_ttl: Annotated[float, typer.Option(help="Cache lookups this many seconds (0: off).")] = 0.0,
    include_deps: Annotated[bool, typer.Option("--include-deps",
                            help="Also scan untracked dependency folders (node_modules, .venv …).")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Debug log on stderr.")] = False,
) -> None:
    """Scan PATH: working tree (tracked, untracked and ignored files) and full git history."""
    _logging(verbose)
    try:
        formats = available_formats()
        if fmt not in formats:
            raise UsageError(f"--format must be one of {', '.join(formats)}")
        extra_reports = _parse_reports(report or [], formats)
        if fail_on not in SEVERITIES:
            raise UsageError(f"--fail-on must be one of {', '.join(SEVERITIES)}")
        if lookup_timeout <= 0:
            raise UsageError("--lookup-timeout must be positive")
        options = ScanOptions(
            path=path,
            history=not no_history,
            staged=staged,
            since=since,
            max_file_size=_size(max_file_size),
            skip_dependency_dirs=not include_deps,
        )
        result = execute_scan(options, offline=offline, lookup_timeout=lookup_timeout, cache_ttl=cache_ttl)
    except (UsageError, ScanError) as exc:
        raise _fail(str(exc)) from None
    except ValueError as exc:  # an operator setting such as TOKENREACH_<P>_API_URL
        raise _fail(str(exc)) from None
    except OSError as exc:
        raise _fail(f"{exc.strerror or exc}") from None
    for extra_fmt, extra_path in extra_reports:
        _write(extra_path, render_report(extra_fmt, result, show_secrets))
    _emit(result, fmt, output, show_secrets)
    worst = max((severity_rank(f.severity or "info") for f in result.findings), default=-1)
    raise typer.Exit(1 if worst >= severity_rank(fail_on) else 0)


def execute_scan(options: ScanOptions, *, offline: bool, lookup_timeout: float = 60.0,
                 cache_ttl: float = 0.0) -> ScanResult:
    """Scan, look up, assess and order: everything but rendering. Raises ScanError, ValueError."""
    result = _run_scan(options)
    _look_up(result, offline=offline, timeout=lookup_timeout, cache_ttl=cache_ttl)
    _order(result)
    return result


def _run_scan(options: ScanOptions) -> ScanResult:
    from tokenreach.scanner.git import GitError

    try:
        if not _show_progress():
            return scan(options)
        from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn

        with Progress(TextColumn("scanning"), BarColumn(bar_width=None), TextColumn("{task.fields[items]} files/blobs"),
                      DownloadColumn(), transient=True, console=_stderr_console()) as bar:
            task = bar.add_task("scan", total=None, items=0)
            items = [0]

            def tick(n: int, size: int) -> None:
                items[0] += n
                bar.update(task, advance=size, items=items[0])

            return scan(options, progress=tick)
    except GitError as exc:
        raise ScanError(f"git: {exc}") from None


def _stderr_console():  # type: ignore[no-untyped-def]
    from rich.console import Console

    return Console(stderr=True)


def _look_up(result: ScanResult, *, offline: bool, timeout: float, cache_ttl: float) -> None:
    from tokenreach.scanner.lookup import LookupOptions, run_lookups

    if not result.findings:
        return
    cache = None
    if cache_ttl > 0 and not offline:
        from tokenreach.scanner.cache import LookupCache, default_cache_dir

        cache = LookupCache(default_cache_dir(), cache_ttl)
    tokens = {f.fingerprint: f.token for f in result.findings}
    accesses = run_lookups(tokens, LookupOptions(offline=offline, total_timeout=timeout, cache=cache))
    for f in result.findings:
        f.access = accesses.get(f.fingerprint)
        assess(f)


def _order(result: ScanResult) -> None:
    def key(f: Finding) -> tuple[int, int, int, str, str]:
        return (
            0 if f.over_privileged else 1,
            -severity_rank(f.severity or "info"),
            EXPOSURE_ORDER.index(f.exposure),
            f.provider,
            f.fingerprint,
        )

    result.findings.sort(key=key)


def _parse_reports(items: list[str], formats: list[str]) -> list[tuple[str, Path]]:
    out = []
    for item in items:
        fmt, sep, file = item.partition("=")
        if not sep or not file:
            raise UsageError(f"--report {item!r}: expected FORMAT=FILE, e.g. sarif=results.sarif")
        if fmt not in formats:
            raise UsageError(f"--report {item!r}: format must be one of {', '.join(formats)}")
        out.append((fmt, Path(file)))
    return out


def _write(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise _fail(f"{path}: cannot write ({exc.strerror or exc})") from None


def _emit(result: ScanResult, fmt: str, output: Path | None, show_secrets: bool) -> None:
    rendered = render_report(fmt, result, show_secrets)
    if output is None:
        sys.stdout.write(rendered)
        return
    _write(output, rendered)
    from tokenreach.reports.text import summary_line

    typer.echo(summary_line(result), err=True)


def _logging(verbose: bool) -> None:
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING, stream=sys.stderr,
                        format="tokenreach: %(levelname)s: %(name)s: %(message)s")
    if verbose:  # httpx logs request URLs; the guard keeps tokens out of URLs, but stay quiet anyway
        logging.getLogger("httpx").setLevel(logging.WARNING)
        logging.getLogger("httpcore").setLevel(logging.WARNING)


@app.command("inspect")
def inspect_command(
    provider: Annotated[str | None, typer.Option(help="Provider, when detection cannot tell.")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    offline: Annotated[bool, typer.Option("--offline", help="No network calls.")] = False,
    lookup_timeout: Annotated[float, typer.Option(help="Seconds for the lookup.")] = 30.0,
    verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False,
) -> None:
    """Read ONE token from standard input (never argv) and print what it can do."""
    from tokenreach.scanner.inspect import inspect_stdin

    _logging(verbose)
    try:
        code = inspect_stdin(sys.stdin, provider=provider, fmt=fmt, offline=offline, timeout=lookup_timeout)
    except (UsageError, ScanError, ValueError) as exc:
        raise _fail(str(exc)) from None
    raise typer.Exit(code)


def _register_subcommands() -> None:
    # `tokenreach ci github` lives in its own module (issue: integrations); light to import.
    try:
        from tokenreach.scanner.ci_github import app as ci_app
    except ImportError:
        return
    app.add_typer(ci_app, name="ci", help="Run inside a CI system and speak its language.")


_register_subcommands()


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("tokenreach: interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(1)
    except Exception as exc:  # a bug: say so without a traceback (which could quote data)
        if os.environ.get("TOKENREACH_DEBUG"):
            raise
        typer.echo(f"tokenreach: internal error ({type(exc).__name__}); rerun with TOKENREACH_DEBUG=1 "
                   "and report it", err=True)
        sys.exit(EXIT_ERROR)


if __name__ == "__main__":
    main()
