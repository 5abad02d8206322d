"""What every command shares: errors as one line and exit 2, logging, the exit verdict, the
suppression note.

Standard library only at import: the pre-commit hook starts from here (scanner/cli/precommit.py).
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tokenreach.scanner.errors import EXIT_ERROR, ScanError, one_line

if TYPE_CHECKING:
    from tokenreach.scanner.model import Finding, RunResult


def fail(message: str) -> SystemExit:
    print(f"tokenreach: error: {message}", file=sys.stderr)
    return SystemExit(EXIT_ERROR)


@contextmanager
def errors_exit_2() -> Iterator[None]:
    """Around a command's work: an error the user can act on becomes one line and exit 2."""
    try:
        yield
    except Exception as exc:
        message = one_line(exc)
        if message is None:
            raise
        raise fail(message) from None


def crash(exc: BaseException) -> int:
    """A bug: say so without a traceback (which could quote scanned data), unless debugging."""
    if os.environ.get("TOKENREACH_DEBUG"):
        raise exc
    print(f"tokenreach: internal error ({type(exc).__name__}); rerun with TOKENREACH_DEBUG=1 and report it",
          file=sys.stderr)
    return EXIT_ERROR


def setup_logging(verbose: bool) -> None:
    # force: the stream is this command's stderr, also when several commands run in one process
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING, stream=sys.stderr,
                        format="tokenreach: %(levelname)s: %(name)s: %(message)s", force=True)
    if verbose:  # httpx logs request URLs; the guard keeps tokens out of URLs, but stay quiet anyway
        logging.getLogger("httpx").setLevel(logging.WARNING)
        logging.getLogger("httpcore").setLevel(logging.WARNING)


def check_fail_on(value: str | None) -> str | None:
    from tokenreach.scanner.assess import SEVERITIES

    if value is not None and value not in SEVERITIES:
        raise ScanError(f"--fail-on must be one of {', '.join(SEVERITIES)}")
    return value


def at_or_above(f: Finding, fail_on: str) -> bool:
    from tokenreach.scanner.assess import severity_rank

    return severity_rank(f.severity or "info") >= severity_rank(fail_on)


@dataclass
class Verdict:
    """The exit rule: the command line's, else the repository's configuration, else the default."""

    fail_on: str
    fail_on_over_privileged: bool

    @classmethod
    def of(cls, outcome: RunResult, fail_on: str | None, over: bool | None, default: str) -> Verdict:
        cfg = outcome.config
        return cls(fail_on or cfg.fail_on or default,
                   over if over is not None else bool(cfg.fail_on_over_privileged))

    def blocks(self, f: Finding) -> bool:
        from tokenreach.scanner.assess import blocks

        return blocks(f, self.fail_on, self.fail_on_over_privileged)

    def exit_code(self, findings: list[Finding]) -> int:
        from tokenreach.scanner.run import exit_code

        return exit_code(findings, self.fail_on, self.fail_on_over_privileged)


def suppressed_note(outcome: RunResult) -> str:
    """"2 token(s) not reported: 1 in the baseline, 1 allowed in configuration" (or "")."""
    if not outcome.suppressed:
        return ""
    parts = ", ".join(f"{n} {why}" for why, n in outcome.suppressed.items())
    return f"{sum(outcome.suppressed.values())} token(s) not reported: {parts}"
