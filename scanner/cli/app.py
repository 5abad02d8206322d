"""The command line: parse options, run the pipeline, pick a report. Nothing else lives here."""

from __future__ import annotations

import copy
import os
import sys
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from tokenreach.reports import FORMATS
from tokenreach.reports import render as render_report
from tokenreach.scanner.assess import SEVERITIES
from tokenreach.scanner.cli.allow import allow_command
from tokenreach.scanner.cli.ci import app as ci_app
from tokenreach.scanner.cli.common import crash, errors_exit_2, setup_logging
from tokenreach.scanner.cli.fleet import Remotes, fleet_targets, run_fleet
from tokenreach.scanner.cli.guard import guard_command
from tokenreach.scanner.cli.rules import app as rules_app
from tokenreach.scanner.config import parse_size
from tokenreach.scanner.errors import ScanError
from tokenreach.scanner.fences import parse_agents
from tokenreach.scanner.model import RunResult, ScanResult
from tokenreach.scanner.output_file import OutputError, check_writable, write_text
from tokenreach.scanner.run import RunOptions, exit_code, root_of, run

if TYPE_CHECKING:
    from rich.console import Console

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Find the tokens in a repository and learn what each one can really do.",
)


def _print_version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            typer.echo(f"tokenreach {version('tokenreach')}")
        except PackageNotFoundError:  # run from a source tree that was never installed
            typer.echo("tokenreach (version unknown: not installed)")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[bool, typer.Option("--version", callback=_print_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    pass


def _show_progress() -> bool:
    return sys.stderr.isatty() and not os.environ.get("CI") and not os.environ.get("TOKENREACH_NO_PROGRESS")


@app.command("scan")
def scan_command(
    paths: Annotated[list[Path] | None, typer.Argument(
        help="Folders or repositories to scan (default: .); a folder of repositories scans each one.")] = None,
    repos: Annotated[Path | None, typer.Option(
        "--repos", help="Also the repositories listed in FILE: paths or clone URLs, one a line.")] = None,
    jobs: Annotated[int, typer.Option(
        "--jobs", "-j", help="Repositories scanned at once, in processes (0: every core).")] = 0,
    github_org: Annotated[list[str] | None, typer.Option(
        "--github-org", help="Also every repository of this GitHub organisation (GITHUB_TOKEN: private ones too).")
    ] = None,
    github_user: Annotated[list[str] | None, typer.Option(
        "--github-user", help="Also every repository of this GitHub user.")] = None,
    gitlab_group: Annotated[list[str] | None, typer.Option(
        "--gitlab-group", help="Also every project of this GitLab group and its subgroups (GITLAB_TOKEN).")] = None,
    include_forks: Annotated[bool, typer.Option("--include-forks", help="Listed forks too.")] = False,
    include_archived: Annotated[bool, typer.Option("--include-archived", help="Listed archived ones too.")] = False,
    clone_dir: Annotated[Path | None, typer.Option(
        "--clone-dir", help="Keep bare mirrors here and fetch them next run (default: a temporary folder).")] = None,
    cluster: Annotated[str | None, typer.Option(
        "--cluster", help="Scan the repositories on this Dask scheduler (tls://host:port; pip install "
        "'tokenreach[cluster]').")] = None,
    no_history: Annotated[bool, typer.Option("--no-history", help="Skip git history.")] = False,
    staged: Annotated[bool, typer.Option("--staged", help="Scan only what is staged (pre-commit).")] = False,
    since: Annotated[str | None, typer.Option(help="Only blobs introduced by commits after REV.")] = None,
    home: Annotated[bool, typer.Option("--home", help="Also scan the CLI credential stores in $HOME.")] = False,
    list_stores: Annotated[bool, typer.Option(
        "--list-stores", help="Print the stores --home reads (and what --nearby looks for), then exit.")] = False,
    env: Annotated[bool, typer.Option(
        "--env", help="Also scan this process's environment variables (reported by name, never value).")] = False,
    nearby: Annotated[int | None, typer.Option(
        "--nearby", metavar="DEPTH",
        help="Also secret-named files (.env*, *.pem …) in the parent folder's other projects, DEPTH folders deep.")
    ] = None,
    agent: Annotated[bool, typer.Option(
        "--agent", help="Everything an agent started here can reach: repository and history, --home, --env, "
        "--nearby 1.")] = False,
    agents: Annotated[str | None, typer.Option(
        "--agents", help="Agents whose fences to check, e.g. cursor,claude (default: detected here).")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text, json, sarif, markdown or html.")] = "text",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the report here.")] = None,
    report: Annotated[list[str] | None, typer.Option(
        "--report", help="Also write FORMAT=FILE (repeatable); the scan and lookups run once.")] = None,
    fail_on: Annotated[str | None, typer.Option(help="Exit 1 at or above this severity (default: high).")] = None,
    fail_on_over_privileged: Annotated[bool | None, typer.Option(
        "--fail-on-over-privileged/--no-fail-on-over-privileged",
        help="Exit 1 when any token is over-privileged.")] = None,
    show_secrets: Annotated[bool, typer.Option("--show-secrets", help="Print full secrets.")] = False,
    max_file_size: Annotated[str | None, typer.Option(help="Skip files larger than this (default: 10M).")] = None,
    offline: Annotated[bool, typer.Option("--offline", help="No network calls at all.")] = False,
    lookup_timeout: Annotated[float, typer.Option(help="Seconds for the whole lookup phase.")] = 60.0,
    lookup_private_hosts: Annotated[bool, typer.Option(
        "--lookup-private-hosts",
        help="Also connect to private, link-local and loopback hosts that a found URL names (databases).")] = False,
    cache_ttl: Annotated[float, typer.Option(help="Cache lookups this many seconds (0: off).")] = 0.0,
    include_deps: Annotated[bool | None, typer.Option("--include-deps/--skip-deps",
                            help="Scan untracked dependency folders (node_modules, .venv …).")] = None,
    config: Annotated[Path | None, typer.Option(help="Configuration file (default: found in the repo).")] = None,
    no_config: Annotated[bool, typer.Option("--no-config", help="Ignore configuration files.")] = False,
    baseline: Annotated[Path | None, typer.Option(help="Baseline file (default: .tokenreach-baseline.json).")] = None,
    no_baseline: Annotated[bool, typer.Option("--no-baseline", help="Report baselined tokens too.")] = False,
    rules: Annotated[list[Path] | None, typer.Option(
        "--rules", help="Also the rule files in PATH, a file or a folder of *.toml (repeatable).")] = None,
    verbose: Annotated[bool, typer.Option(
        "--verbose", "-v", help="Each token's fingerprint in the text report (for `tokenreach allow`); "
        "debug log on stderr.")] = False,
    no_color: Annotated[bool, typer.Option("--no-color", help="No colour in the text report (or NO_COLOR).")] = False,
) -> None:
    """Scan PATH: working tree (tracked, untracked and ignored files) and full git history."""
    setup_logging(verbose)
    if list_stores:
        from tokenreach.scanner.sources.stores import listing

        typer.echo(listing(), nl=False)
        raise typer.Exit(0)
    with errors_exit_2():
        formats = list(FORMATS)
        if fmt not in formats:
            raise ScanError(f"--format must be one of {', '.join(formats)}")
        if fail_on is not None and fail_on not in SEVERITIES:
            raise ScanError(f"--fail-on must be one of {', '.join(SEVERITIES)}")
        if lookup_timeout <= 0:
            raise ScanError("--lookup-timeout must be positive")
        if nearby is not None and not 0 <= nearby <= 5:
            raise ScanError("--nearby must be between 0 and 5 (folders below the parent folder)")
        if agent:
            home, env, nearby = True, True, 1 if nearby is None else nearby
        extra_reports = _parse_reports(report or [], formats)
        for target in [output, *(file for _, file in extra_reports)]:
            if target is not None:
                check_writable(target)  # before the scan, not after it
        path = paths[0] if paths else Path(".")
        opts = RunOptions(
            path=path, history=not no_history, staged=staged, since=since, home=home, env=env, nearby=nearby,
            agents=parse_agents(agents),
            max_file_size=parse_size(max_file_size) if max_file_size is not None else None,
            include_deps=include_deps, offline=offline, lookup_timeout=lookup_timeout, cache_ttl=cache_ttl,
            lookup_private_hosts=lookup_private_hosts,
            config_path=config, use_config=not no_config, baseline_path=baseline, use_baseline=not no_baseline,
            rules=tuple(rules or ()),
        )
        remotes = Remotes(github_orgs=github_org or (), github_users=github_user or (),
                          gitlab_groups=gitlab_group or (), forks=include_forks, archived=include_archived,
                          clone_dir=clone_dir)
        fleet = fleet_targets(paths or [], repos, remotes, force=cluster is not None)
        if fleet is None:
            outcome = _run_with_progress(opts)
        else:
            if staged or since or home or env or nearby is not None:
                raise ScanError("--staged, --since, --home, --env, --nearby and --agent scan one repository, "
                                "not several")
            outcome = run_fleet(opts, fleet, jobs=jobs, cluster=cluster, show=_show_progress())
        result = outcome.scan
        for name, n in outcome.suppressed.items():
            result.notices.append(f"{n} token(s) not reported: {name}")
        for extra_fmt, extra_path in extra_reports:
            _write(extra_path, render_report(extra_fmt, result, show_secrets))
        _emit(result, fmt, output, show_secrets, no_color, verbose)
    cfg = outcome.config
    threshold = fail_on or cfg.fail_on or "high"
    over = fail_on_over_privileged if fail_on_over_privileged is not None else bool(cfg.fail_on_over_privileged)
    raise typer.Exit(exit_code(result.findings, threshold, over))


@app.command("baseline")
def baseline_command(
    path: Annotated[Path, typer.Argument(help="Folder or repository to scan.")] = Path("."),
    output: Annotated[Path | None, typer.Option("--output", "-o",
                      help="Baseline file (default: PATH's repository/.tokenreach-baseline.json).")] = None,
    no_history: Annotated[bool, typer.Option("--no-history", help="Skip git history.")] = False,
    offline: Annotated[bool, typer.Option("--offline", help="No network calls (the baseline then records "
                                          "the rights as unknown: they are compared once known).")] = False,
    lookup_timeout: Annotated[float, typer.Option(help="Seconds for the whole lookup phase.")] = 60.0,
    verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False,
) -> None:
    """Accept every token found now: later scans report only new tokens, and accepted tokens whose
    rights grew. The file holds fingerprints and rights, never a secret."""
    from tokenreach.scanner import baseline as baselines

    setup_logging(verbose)
    with errors_exit_2():
        opts = RunOptions(path=path, history=not no_history, offline=offline, lookup_timeout=lookup_timeout,
                          use_baseline=False)
        root = root_of(path) if path.is_dir() else path
        target = output or (root / baselines.BASELINE_NAME)
        check_writable(target, inside=None if output else root)
        outcome = _run_with_progress(opts)
        try:
            n = baselines.write(target, outcome.scan.findings, inside=None if output else root)
        except OutputError:
            raise
        except OSError as exc:
            raise ScanError(f"cannot write the baseline ({exc.strerror or exc})") from None
    typer.echo(f"tokenreach: {n} token(s) accepted in {target}", err=True)


def _run_with_progress(opts: RunOptions) -> RunResult:
    if not _show_progress():
        return run(opts)
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn

    with Progress(TextColumn("scanning"), BarColumn(bar_width=None),
                  TextColumn("{task.fields[items]} files/blobs"), DownloadColumn(), transient=True,
                  console=_stderr_console()) as bar:
        task = bar.add_task("scan", total=None, items=0)
        items = [0]

        def tick(n: int, size: int) -> None:
            items[0] += n
            bar.update(task, advance=size, items=items[0])

        opts.progress = tick
        return run(opts)


def _stderr_console() -> Console:
    from rich.console import Console

    return Console(stderr=True)


def _parse_reports(items: list[str], formats: list[str]) -> list[tuple[str, Path]]:
    out = []
    for item in items:
        fmt, sep, file = item.partition("=")
        if not sep or not file:
            raise ScanError(f"--report {item!r}: expected FORMAT=FILE, e.g. sarif=results.sarif")
        if fmt not in formats:
            raise ScanError(f"--report {item!r}: format must be one of {', '.join(formats)}")
        out.append((fmt, Path(file)))
    return out


def _write(path: Path, text: str) -> None:
    try:
        write_text(path, text)
    except OutputError:
        raise
    except OSError as exc:
        raise ScanError(f"{path}: cannot write ({exc.strerror or exc})") from None


def _emit(result: ScanResult, fmt: str, output: Path | None, show_secrets: bool, no_color: bool = False,
          verbose: bool = False) -> None:
    from tokenreach.reports import text

    if output is None and fmt == "text":
        # colour where rich finds a terminal for it; -v adds each token's fingerprint
        text.write(result, sys.stdout, show_secrets, no_color=no_color, verbose=verbose)
        return
    rendered = text.render(result, show_secrets, verbose=verbose) if fmt == "text" else render_report(
        fmt, result, show_secrets)
    if output is None:
        sys.stdout.write(rendered)
        return
    _write(output, rendered)
    from tokenreach.reports.text import summary_line

    typer.echo(summary_line(result), err=True)


@app.command("inspect")
def inspect_command(
    provider: Annotated[str | None, typer.Option(help="Provider, when detection cannot tell.")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    offline: Annotated[bool, typer.Option("--offline", help="No network calls.")] = False,
    lookup_timeout: Annotated[float, typer.Option(help="Seconds for the lookup.")] = 30.0,
    verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False,
) -> None:
    """Read ONE token from standard input (never argv) and print what it can do."""
    from tokenreach.scanner.cli.inspect import inspect_stdin

    setup_logging(verbose)
    with errors_exit_2():
        code = inspect_stdin(sys.stdin, provider=provider, fmt=fmt, offline=offline, timeout=lookup_timeout)
    raise typer.Exit(code)


app.command("allow")(allow_command)
app.command("guard")(guard_command)
app.add_typer(ci_app, name="ci", help="Run inside a CI system and speak its language.")
app.add_typer(rules_app, name="rules", help="List and check detection rules (docs/rules.md).")


@cache
def _command(name: str | None = None) -> Any:
    """The click command typer builds from ``app``, once a process (a process that runs the CLI
    many times, as the test suite does, would pay it on each call). For ``name``, the sub-command
    on the command line, a group of that one alone: typer builds every command's options, and
    that was 17 ms of each run (7 for ``scan`` alone). Help, errors and usage lines are the same:
    click shows a sub-command's own, and a run that names none gets every command."""
    if name is None:
        return typer.main.get_command(app)
    alone = copy.copy(app)
    alone.registered_commands = [c for c in app.registered_commands if c.name == name]
    alone.registered_groups = [g for g in app.registered_groups if g.name == name]
    return typer.main.get_command(alone)


def _named() -> str | None:
    """The sub-command ``sys.argv`` names first (options before it are the group's own)."""
    names = {c.name for c in app.registered_commands} | {g.name for g in app.registered_groups}
    first = sys.argv[1] if len(sys.argv) > 1 else None
    return first if first in names else None


def main() -> None:
    try:
        _command(_named())()
    except KeyboardInterrupt:
        typer.echo("tokenreach: interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(1)
    except Exception as exc:
        sys.exit(crash(exc))


if __name__ == "__main__":
    main()
