"""Credential stores in the user's home (opt-in, ``--home``): where an agent goes looking when it
"finds a token in an unrelated file". Exposure ``home``."""

from __future__ import annotations

import fnmatch
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path

from tokenreach.scanner.model import SourceStats
from tokenreach.scanner.sources import Chunk, Origin, read_regular, stores, to_text_bytes

_MAX_DEPTH = 4
_GLOB = frozenset("*?[")


def chunks(home: Path, stats: SourceStats, *, max_size: int) -> Iterator[Chunk]:
    """Every file of every home store (stores.toml), each once, shown as ``~/…``."""
    seen: set[str] = set()
    for store in stores.home_stores():
        for rel in _expand(home, store.path.rstrip("/"), stats):
            if rel in seen:
                continue
            seen.add(rel)
            yield from _visit(home / rel, f"~/{rel}", stats, max_size, 0, store.only)


def _expand(home: Path, pattern: str, stats: SourceStats) -> Iterator[str]:
    """The relative paths a store's path names: a literal path as is; ``*`` and ``?`` matched
    within one name, in a listed folder (never through a symbolic link)."""
    parts = pattern.split("/")
    if not any(_GLOB & set(part) for part in parts):
        yield pattern
        return
    prefixes = [""]
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        nxt: list[str] = []
        for prefix in prefixes:
            if not (_GLOB & set(part)):
                nxt.append(f"{prefix}{part}")
                continue
            folder = home / prefix if prefix else home
            try:
                if not stat.S_ISDIR(folder.lstat().st_mode):
                    continue
                names = sorted(os.listdir(folder))
            except FileNotFoundError:
                continue
            except OSError as exc:
                stats.warn(f"~/{prefix}: cannot list folder ({exc.strerror or exc})")
                continue
            nxt.extend(f"{prefix}{name}" for name in names if fnmatch.fnmatchcase(name, part))
        prefixes = nxt if last else [f"{p}/" for p in nxt]
    yield from prefixes


def _visit(path: Path, shown: str, stats: SourceStats, max_size: int, depth: int,
           only: str | None = None) -> Iterator[Chunk]:
    try:
        st = path.lstat()
    except FileNotFoundError:
        return
    except OSError as exc:
        stats.warn(f"{shown}: cannot stat ({exc.strerror or exc})")
        stats.skip("unreadable")
        return
    if stat.S_ISLNK(st.st_mode):
        stats.skip("symbolic link")
        return
    if stat.S_ISDIR(st.st_mode):
        if depth >= _MAX_DEPTH:
            return
        try:
            names = sorted(os.listdir(path))
        except OSError as exc:
            stats.warn(f"{shown}: cannot list folder ({exc.strerror or exc})")
            stats.skip("unreadable")
            return
        for name in names:
            yield from _visit(path / name, f"{shown}/{name}", stats, max_size, depth + 1, only)
        return
    data = read_regular(path, shown, st, stats, max_size)
    if data is None:
        return
    text = to_text_bytes(data)
    if text is None:
        stats.skip("binary")
        return
    if only == "unencrypted-keys" and _has_passphrase(text):
        stats.skip("private key with a passphrase")
        return
    stats.files += 1
    stats.bytes += len(data)
    yield Chunk(text, Origin(shown, "home"))


_BLOCK = re.compile(rb"-----BEGIN ([A-Z0-9 ]*PRIVATE KEY)-----.*?-----END \1-----", re.S)


def _has_passphrase(text: bytes) -> bool:
    """A file whose private keys all have a passphrase: whoever reads it cannot use them."""
    from tokenreach.detectors.providers.private_key import inspect

    blocks = [m.group(0).decode("ascii", "replace") for m in _BLOCK.finditer(text)]
    infos = [inspect(b) for b in blocks]
    return bool(infos) and all(i is not None and i.encrypted for i in infos)
