"""Writing a report or a baseline without letting a scanned repository choose what is overwritten.

A repository can ship ``tokenreach.html`` or ``.tokenreach-baseline.json`` as a symbolic link to
``~/.ssh/authorized_keys``. So a write never follows a link: the text goes to a temporary file
beside the target, which is then renamed over it (a rename replaces a link, never its target),
and a target that is a link is refused outright. A path that did not come from the command line
(a default inside the repository, a name from its configuration) must also stay inside ``inside``
once its folders are resolved.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path


class OutputError(OSError):
    """A file tokenreach will not write; the message names it and says why."""


def check_writable(path: Path, *, inside: Path | None = None) -> bool:
    """Whether ``path`` can be written as ``write_text`` would (checked before a long scan, so a
    bad ``--output`` fails in a second, not after it). True: a device or FIFO, written in place.
    Raises OutputError with the reason."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise OutputError(f"{path}: cannot write ({exc.strerror or exc})") from None
    if st is not None and stat.S_ISLNK(st.st_mode):
        target = _stat_target(path)
        if inside is None and target is not None and (stat.S_ISCHR(target.st_mode) or stat.S_ISFIFO(target.st_mode)):
            return True
        raise OutputError(f"{path}: is a symbolic link; tokenreach never writes through one")
    if st is not None and (stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode)) and inside is None:
        return True
    if st is not None and not stat.S_ISREG(st.st_mode):
        raise OutputError(f"{path}: not a regular file")
    parent = path.parent.resolve()
    if not parent.is_dir():
        raise OutputError(f"{path}: no such folder {path.parent}")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(f"{path}: cannot write in {path.parent} (permission denied)")
    if inside is not None and not parent.is_relative_to(inside.resolve()):
        raise OutputError(f"{path}: resolves outside {inside}; name it on the command line to write there")
    return False


def write_text(path: Path, text: str, *, inside: Path | None = None) -> None:
    """Write ``text`` to ``path`` atomically, never through a symbolic link.

    ``inside``: the folder the path must resolve into (for paths not given on the command line).
    A character device or FIFO named on the command line (``/dev/stdout``) is written in place.
    """
    data = text.encode("utf-8")
    if check_writable(path, inside=inside):
        _write_in_place(path, data)
        return
    parent = path.parent.resolve()
    fd, tmp = tempfile.mkstemp(dir=parent, prefix=f".{path.name[:40]}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, parent / path.name)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _stat_target(path: Path) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None


def _write_in_place(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | getattr(os, "O_NOCTTY", 0))
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
