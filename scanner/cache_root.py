"""Where tokenreach keeps its caches (lookups, the compiled engine, the parsed catalog): under an
absolute ``$XDG_CACHE_HOME`` or ``~/.cache``, and never inside a folder being scanned. It imports
nothing of tokenreach, so that every layer may ask it."""

from __future__ import annotations

import os
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
