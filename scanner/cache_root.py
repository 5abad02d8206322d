"""Where tokenreach keeps its caches (lookups, the compiled engine, the parsed catalog): under an
absolute ``$XDG_CACHE_HOME`` or ``~/.cache``, and never inside a folder being scanned. It imports
nothing of tokenreach, so that every layer may ask it."""

from __future__ import annotations

import os
import time
from pathlib import Path


class CacheUnavailable(Exception):
    """The cache folder cannot be used; the message says which and why, in one line."""


# Folders this process scans: no cache (lookups, the compiled engine) is kept inside one of them.
_KEEP_OUT: set[Path] = set()


def keep_out_of(folder: Path) -> None:
    """A scan of ``folder`` starts: from now on cache_root() refuses any folder inside it."""
    _KEEP_OUT.add(folder.resolve())


def cache_root() -> Path:
    """``$XDG_CACHE_HOME``, or ``~/.cache`` when it is unset, empty or relative: absolute, resolved,
    and outside every folder being scanned (CacheUnavailable otherwise)."""
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if xdg and os.path.isabs(xdg):
        root = Path(xdg)
    else:
        home = os.path.expanduser("~")
        if not os.path.isabs(home):
            raise CacheUnavailable("no home folder to keep a cache in (HOME is unset or relative)")
        root = Path(home) / ".cache"
    try:
        root = root.resolve()
    except (OSError, RuntimeError) as exc:  # a symbolic-link loop
        raise CacheUnavailable(f"{root}: {getattr(exc, 'strerror', None) or exc}") from None
    for scanned in _KEEP_OUT:
        if root == scanned or scanned in root.parents:
            raise CacheUnavailable(f"{root} is inside the scanned folder {scanned}, and a scan never writes there")
    return root



def engine_dir() -> Path:
    """The compiled Hyperscan database's and the parsed catalog's folder: ``$TOKENREACH_ENGINE_CACHE``
    when it is an absolute folder outside every scanned one (a CI job or a test suite shares one
    compiled catalog across runs that each set their own XDG_CACHE_HOME), else under the cache
    root. With neither usable, a path under /dev/null: reading and writing it fail, and both are
    rebuilt each run."""
    override = os.environ.get("TOKENREACH_ENGINE_CACHE", "")
    if override and os.path.isabs(override):
        try:
            folder = Path(override).resolve()
        except (OSError, RuntimeError):
            folder = None
        if folder is not None and not any(folder == s or s in folder.parents for s in _KEEP_OUT):
            return folder
    try:
        return cache_root() / "tokenreach" / "engine"
    except CacheUnavailable:
        return Path(os.devnull) / "tokenreach" / "engine"


# Each catalog version (an upgrade, a user's rule edited) compiles a database of its own, ~15 MB:
# without a limit the folder only grows. ``prune_engine_dir`` runs when a new one is written, and
# keeps the most recently used of each kind: at most ENGINE_KEEP, and no more than ENGINE_BUDGET
# bytes beyond the first ENGINE_KEEP_ALWAYS (a test suite's small databases stay beside a catalog's).
ENGINE_KEEP = 8
ENGINE_KEEP_ALWAYS = 2
ENGINE_BUDGET = 64 << 20
_ENGINE_KINDS = (("hs-", ".db"), ("catalog-", ".json"), ("rules-", ".marshal"))
_STALE_TMP = 3600  # seconds: a .tmp this old was left by a process that died while writing it


def prune_engine_dir(folder: Path) -> None:
    """Drop the engine cache's least recently used files (a load marks a database used) and the
    temporary files a dead process left. Errors are ignored: another process may be pruning too,
    and a missing file is only rebuilt."""
    try:
        entries = [(e.name, e.stat(follow_symlinks=False)) for e in os.scandir(folder)
                   if e.is_file(follow_symlinks=False)]
    except OSError:
        return
    now = time.time()
    doomed = [n for n, st in entries if n.endswith(".tmp") and now - st.st_mtime > _STALE_TMP]
    for prefix, suffix in _ENGINE_KINDS:
        kind = sorted(((st.st_mtime, st.st_size, n) for n, st in entries if n.startswith(prefix)
                       and n.endswith(suffix)), reverse=True)
        total = 0
        for rank, (_, size, name) in enumerate(kind):
            total += size
            if rank >= ENGINE_KEEP or (rank >= ENGINE_KEEP_ALWAYS and total > ENGINE_BUDGET):
                doomed.append(name)
    for name in doomed:
        try:
            os.unlink(folder / name)
        except OSError:
            pass
