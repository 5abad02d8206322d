"""The one user-facing error: its message is a single clear line, and the command line exits 2."""

from __future__ import annotations

EXIT_ERROR = 2


class ScanError(Exception):
    """A user-facing error: the message is one clear line; the CLI exits 2."""
