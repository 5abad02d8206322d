"""Reading files whose size and kind a scanned repository decides, without trusting either.

A repository chooses what sits at ``.tokenreach.toml``, at the baseline path its configuration
names (``/dev/zero``, a FIFO that never writes) and how large its files are. So:

* configuration and baseline files are read only when they are regular files, and only up to a
  cap (``CONFIG_CAP``, ``BASELINE_CAP``): a larger or special file is refused with one line;
* every read goes in bounded pieces until end of file or one byte past the limit, so memory
  follows the bytes that exist, never the limit asked for (``read(limit)`` reserves ``limit``
  bytes up front: a limit of 64G failed every scan).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO, Protocol

PIECE = 1 << 20  # the most one read() asks for
CONFIG_CAP = 1 << 20  # 1 MiB: a configuration is a few hundred bytes
BASELINE_CAP = 16 << 20  # 16 MiB: ~60,000 baselined tokens, or a large detect-secrets baseline


class Readable(Protocol):
    """Anything read in pieces: a binary file, or git's watched output pipe."""

    def read(self, size: int = -1, /) -> bytes: ...


class RefusedFile(Exception):
    """A file that is not read: the message says why, in a few words, without the path."""


def read_up_to(source: int | BinaryIO, limit: int) -> bytes | None:
    """Everything from ``source`` (a file descriptor or a binary stream), or None when it holds
    more than ``limit`` bytes. Reads at most ``limit + 1`` bytes, ``PIECE`` at a time."""
    pieces: list[bytes] = []
    total = 0
    while total <= limit:
        want = min(PIECE, limit + 1 - total)
        piece = os.read(source, want) if isinstance(source, int) else source.read(want)
        if not piece:
            break
        pieces.append(piece)
        total += len(piece)
    return None if total > limit else b"".join(pieces)


def read_exactly(stream: Readable, size: int) -> bytes:
    """``size`` bytes from ``stream`` (fewer at end of file), ``PIECE`` at a time: a length read
    from a header is not an allocation size."""
    pieces: list[bytes] = []
    left = size
    while left > 0:
        piece = stream.read(min(PIECE, left))
        if not piece:
            break
        pieces.append(piece)
        left -= len(piece)
    return b"".join(pieces)


def read_regular_file(path: Path, cap: int) -> bytes:
    """The bytes of ``path`` when it is a regular file of at most ``cap`` bytes.

    Raises FileNotFoundError / OSError as open() does, and RefusedFile for a FIFO, a device, a
    folder or a file over the cap. O_NONBLOCK: opening a FIFO must not wait for a writer."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise RefusedFile("not a regular file (a FIFO, a device or a folder); refused")
        if st.st_size > cap:
            raise RefusedFile(f"larger than {size_text(cap)}, the most tokenreach reads from such a file; refused")
        data = read_up_to(fd, cap)
    finally:
        os.close(fd)
    if data is None:  # it grew while being read
        raise RefusedFile(f"larger than {size_text(cap)}, the most tokenreach reads from such a file; refused")
    return data


def read_file(path: Path, limit: int, *, follow: bool = False) -> bytes | None:
    """The bytes of a regular file, or None when it holds more than ``limit`` bytes.

    Opened with O_NONBLOCK, so a FIFO swapped in since a stat cannot block the open, and checked
    on the open descriptor; without ``follow`` a symbolic link is refused (ELOOP). Raises OSError;
    a special file raises one with errno 0 whose strerror says "not a regular file (…)"."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    if not follow:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise OSError(0, f"not a regular file ({file_kind(st.st_mode)})")
        if st.st_size > limit:
            return None
        # In pieces: memory follows the bytes the file has, never the limit (which may be 64G).
        return read_up_to(fd, limit)
    finally:
        os.close(fd)


def file_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a file"


def size_text(n: int) -> str:
    for unit, factor in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= factor and n % factor == 0:
            return f"{n // factor} {unit}"
    return f"{n} bytes"
