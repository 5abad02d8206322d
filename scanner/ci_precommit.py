"""The pre-commit hook: scan the index, print one line per token, refuse the commit when one is found."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from tokenreach.reports.oneline import line
from tokenreach.scanner.ci_github import CIError, Verdict, check_fail_on, suppressed_note
from tokenreach.scanner.run import RunOptions, run

# With no --fail-on and none in the configuration, any staged token refuses the commit.
DEFAULT_FAIL_ON = "info"


def run_precommit(path: Path, *, offline: bool, fail_on: str | None, baseline: Path | None,
                  lookup_timeout: float, out: TextIO) -> int:
    """Returns 1 (commit refused) when a staged token fails the verdict, else 0."""
    check_fail_on(fail_on)
    if lookup_timeout <= 0:
        raise CIError("--lookup-timeout must be positive")
    outcome = run(RunOptions(path=path, staged=True, offline=offline, lookup_timeout=lookup_timeout,
                             baseline_path=baseline))
    findings = outcome.findings
    if not findings:
        return 0
    verdict = Verdict.of(outcome, fail_on, None, DEFAULT_FAIL_ON)
    code = verdict.exit_code(findings)
    blocking = sum(1 for f in findings if verdict.blocks(f))
    n = len(findings)
    if code:
        out.write(f"tokenreach: commit refused: {n} token(s) in the staged changes"
                  f"{f' ({blocking} at or above {verdict.fail_on})' if blocking != n else ''}\n")
    else:
        out.write(f"tokenreach: {n} token(s) in the staged changes, below --fail-on {verdict.fail_on}\n")
    for f in findings:
        out.write(f"  {line(f, offline=offline)}\n")
    note = suppressed_note(outcome)
    if note:
        out.write(f"  ({note})\n")
    if code:
        out.write("  → take the token(s) out of the staged files (read them from the environment or a secret\n"
                  "    store) and rotate any that is live; `tokenreach baseline` accepts the ones you keep.\n")
    return code
