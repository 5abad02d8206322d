"""`tokenreach ci …`: run inside a CI system and speak its language. One thin command per system;
the logic is in the module named after it (github.py, precommit.py).

Only typer and the standard library load at import, so `tokenreach --help` stays fast.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from tokenreach.scanner.cli.common import errors_exit_2, setup_logging
from tokenreach.scanner.cli.github import ENV_PREFIX
from tokenreach.scanner.cli.precommit import DEFAULT_LOOKUP_TIMEOUT, run_precommit

app = typer.Typer(no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Run inside a CI system and speak its language.")


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
    fail_if_agent_readable: Annotated[bool, typer.Option(
        "--fail-if-agent-readable", envvar=_env("FAIL_IF_AGENT_READABLE"),
        help="Exit 1 when a live or over-privileged token is in a file a configured agent's file tools "
             "can read.")] = False,
    baseline: Annotated[Path | None, typer.Option(envvar=_env("BASELINE"),
                        help="Baseline file (default: configuration, else .tokenreach-baseline.json).")] = None,
    sarif: Annotated[str, typer.Option(envvar=_env("SARIF"),
                     help="Write a SARIF report for code scanning: auto (where GitHub accepts its upload: a public "
                          "repository, or code scanning on), true or false.")] = "auto",
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
    from tokenreach.scanner.cli.github import GitHubRun, Tuning, annotated_errors, parse_extra_args, run_github

    with errors_exit_2(), annotated_errors(sys.stdout):
        tuning = parse_extra_args(extra_args, Tuning(lookup_timeout=lookup_timeout, max_file_size=max_file_size,
                                                     verbose=verbose))
        setup_logging(tuning.verbose)
        job = GitHubRun(path=path, mode=mode, fail_on=fail_on, fail_on_over_privileged=fail_on_over_privileged,
                        offline=offline, baseline=baseline, sarif=sarif, html=html, report_dir=report_dir,
                        tuning=tuning, fail_if_agent_readable=fail_if_agent_readable)
        code = run_github(job, os.environ, sys.stdout)
    raise typer.Exit(code)


@app.command("precommit")
def precommit_command(
    offline: Annotated[bool, typer.Option("--offline", help="No network calls at all.")] = False,
    fail_on: Annotated[str | None, typer.Option(
        help="Refuse the commit at or above this severity (default: configuration, else any token).")] = None,
    baseline: Annotated[Path | None, typer.Option(
        help="Baseline file (default: configuration, else .tokenreach-baseline.json).")] = None,
    lookup_timeout: Annotated[float, typer.Option(help="Seconds for the whole lookup phase.")] = DEFAULT_LOOKUP_TIMEOUT,
    fail_if_agent_readable: Annotated[bool, typer.Option(
        "--fail-if-agent-readable",
        help="Also refuse when a live or over-privileged token is in a file a configured agent can read.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Debug log on stderr.")] = False,
    files: Annotated[list[str] | None, typer.Argument(
        help="Files pre-commit names (--all-files, CI); default: every staged change.")] = None,
) -> None:
    """The pre-commit hook: scan what is staged, one line per token, refuse the commit when one is found."""
    setup_logging(verbose)
    with errors_exit_2():
        code = run_precommit(Path("."), offline=offline, fail_on=fail_on, baseline=baseline,
                             lookup_timeout=lookup_timeout, out=sys.stdout, files=files or (),
                             fail_if_agent_readable=fail_if_agent_readable)
    raise typer.Exit(code)
