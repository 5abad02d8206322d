"""The one user-facing error, and the one place any error becomes a single line (the CLI exits 2)."""

from __future__ import annotations

EXIT_ERROR = 2


class ScanError(Exception):
    """A user-facing error: the message is one clear line; the CLI exits 2."""


def one_line(exc: BaseException) -> str | None:
    """The line to show for an error the user can act on; None for a bug. It goes to a terminal
    and may quote a path or git's words about the scanned repository: control characters and
    undecodable bytes in it are escaped (reports/escape.py)."""
    from tokenreach.reports.escape import terminal

    line = _message(exc)
    return None if line is None else terminal(line)


def _message(exc: BaseException) -> str | None:
    from tokenreach.scanner.sources.git import GitError

    if isinstance(exc, GitError):
        return f"git: {exc}"
    if isinstance(exc, (ScanError, ValueError)):  # ValueError: an operator setting or a size
        return str(exc)
    if isinstance(exc, OSError):
        return f"{exc.filename}: {exc.strerror or exc}" if exc.filename and exc.strerror else f"{exc.strerror or exc}"
    return None
