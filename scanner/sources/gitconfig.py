"""The repository's own git configuration, read as a plain file.

A clone keeps credentials there: a token in a remote's URL, or the one actions/checkout leaves in
``http.<url>.extraheader`` (``AUTHORIZATION: basic <base64 of x-access-token:ghs_…>``), which every
later step of the job, and any agent in the folder, can read. It is never tracked, ignored or
untracked, so it gets its own exposure, ``git-config``.

Read without git and without trusting the file: a regular file only (never through a symbolic
link, never a FIFO or device), and never past the size limit. ``include.path`` files are not
followed: they may be anywhere.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator

from tokenreach.scanner.model import SourceStats
from tokenreach.scanner.reading import read_file
from tokenreach.scanner.sources import Chunk, Origin, git, to_text_bytes


def chunks(layout: git.Layout, stats: SourceStats, *, max_size: int) -> Iterator[Chunk]:
    """``config`` of the repository (shared by its linked worktrees) and, when there is one, the
    worktree's own ``config.worktree``."""
    for path in (layout.commondir / "config", layout.gitdir / "config.worktree"):
        shown = layout.show(path)
        try:
            st = os.lstat(path)
        except FileNotFoundError:
            continue
        except OSError as exc:
            stats.warn(f"{shown}: cannot stat ({exc.strerror or exc})")
            stats.skip("unreadable")
            continue
        if stat.S_ISLNK(st.st_mode):
            stats.warn(f"{shown} is a symbolic link: not followed, not scanned")
            stats.skip("symbolic link")
            continue
        try:
            data = read_file(path, max_size)
        except OSError as exc:
            if exc.errno == errno.ELOOP:  # became a link since lstat
                stats.skip("symbolic link")
            else:
                stats.warn(f"{shown}: cannot read ({exc.strerror or exc})")
                stats.skip("not a regular file" if exc.errno == 0 else "unreadable")
            continue
        if data is None:
            stats.skip("larger than the size limit")
            continue
        text = to_text_bytes(data)
        if text is None:
            stats.skip("binary")
            continue
        stats.files += 1
        stats.bytes += len(data)
        yield Chunk(text, Origin(shown, "git-config"))
