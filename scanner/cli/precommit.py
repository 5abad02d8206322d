"""The pre-commit hook: scan the index, print one line per token, refuse the commit when one is found.

Two doors to the same function: `tokenreach ci precommit`, and `python -m tokenreach.scanner.cli.precommit`,
the hooks' entry (.pre-commit-hooks.yaml), which skips the typer CLI's start-up (~0.1 s of a hook
that runs on every commit).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn, TextIO

from tokenreach.scanner.cli.common import (
    Verdict,
    check_fail_on,
    crash,
    errors_exit_2,
    setup_logging,
    suppressed_note,
)
from tokenreach.scanner.errors import ScanError

# With no --fail-on and none in the configuration, any staged token refuses the commit.
DEFAULT_FAIL_ON = "info"
DEFAULT_LOOKUP_TIMEOUT = 10.0  # a commit should not wait a minute for a slow provider


def run_precommit(path: Path, *, offline: bool, fail_on: str | None, baseline: Path | None,
                  lookup_timeout: float, out: TextIO, files: Sequence[str] = (),
                  fail_if_agent_readable: bool = False) -> int:
    """Returns 1 (commit refused) when a staged token fails the verdict, else 0.

    ``files``: the names pre-commit passes (``--all-files``, CI): exactly those files are read
    from the index. None given: every staged change."""
    from tokenreach.reports.oneline import line
    from tokenreach.scanner.run import RunOptions, run

    check_fail_on(fail_on)
    if lookup_timeout <= 0:
        raise ScanError("--lookup-timeout must be positive")
    outcome = run(RunOptions(path=path, staged=True, offline=offline, lookup_timeout=lookup_timeout,
                             baseline_path=baseline, staged_names=tuple(files) if files else None))
    findings = outcome.findings
    if not findings:
        return 0
    verdict = Verdict.of(outcome, fail_on, None, DEFAULT_FAIL_ON)
    code = verdict.exit_code(findings)
    readable: list[str] = []
    if fail_if_agent_readable:  # opt-in: a live or over-privileged token a configured agent can read
        from tokenreach.scanner.fences import readable_lines

        readable = readable_lines(findings)
        code = 1 if readable else code
    blocking = sum(1 for f in findings if verdict.blocks(f))
    n = len(findings)
    if code:
        out.write(f"tokenreach: commit refused: {n} token(s) in the staged changes"
                  f"{f' ({blocking} at or above {verdict.fail_on})' if blocking != n else ''}\n")
    else:
        from tokenreach.scanner.assess import is_public

        public = sum(1 for f in findings if is_public(f))
        if public == n:
            out.write(f"tokenreach: {n} key(s) in the staged changes, public by design: not blocking\n")
        else:
            out.write(f"tokenreach: {n} token(s) in the staged changes, below --fail-on {verdict.fail_on}"
                      f"{f' ({public} public by design)' if public else ''}\n")
    for f in findings:
        out.write(f"  {line(f, offline=offline)}\n")
    for text in readable:
        out.write(f"  agent-readable: {text}\n")
    note = suppressed_note(outcome)
    if note:
        out.write(f"  ({note})\n")
    if code:
        out.write("  → take the token(s) out of the staged files (read them from the environment or a secret\n"
                  "    store) and rotate any that is live; `tokenreach baseline` accepts the ones you keep.\n")
    return code


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise ScanError(message)


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="tokenreach ci precommit", description="Scan what is staged; refuse the commit when a "
                "token is found.")
    p.add_argument("--offline", action="store_true", help="no network calls at all")
    p.add_argument("--fail-on", default=None, help="refuse at or above this severity "
                   "[default: configuration, else any token]")
    p.add_argument("--baseline", type=Path, default=None, help="baseline file "
                   "[default: configuration, else .tokenreach-baseline.json]")
    p.add_argument("--lookup-timeout", type=float, default=DEFAULT_LOOKUP_TIMEOUT,
                   help="seconds for the whole lookup phase")
    p.add_argument("--fail-if-agent-readable", action="store_true",
                   help="also refuse when a live or over-privileged token is in a file a configured agent's "
                   "file tools can read (docs/agents.md)")
    p.add_argument("-v", "--verbose", action="store_true", help="debug log on stderr")
    p.add_argument("files", nargs="*", help="files pre-commit names (--all-files, CI); default: every staged change")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """The hook's entry: same options and output as `tokenreach ci precommit`, exit 0, 1 or 2."""
    try:
        with errors_exit_2():
            args = _parser().parse_args(argv)
            setup_logging(args.verbose)
            return run_precommit(Path("."), offline=args.offline, fail_on=args.fail_on, baseline=args.baseline,
                                 lookup_timeout=args.lookup_timeout, out=sys.stdout, files=args.files,
                                 fail_if_agent_readable=args.fail_if_agent_readable)
    except SystemExit as exc:
        return int(exc.code or 0)
    except KeyboardInterrupt:
        print("tokenreach: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        return crash(exc)


if __name__ == "__main__":
    sys.exit(main())
