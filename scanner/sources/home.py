"""Credential stores in the user's home (opt-in, ``--home``): where an agent goes looking when it
"finds a token in an unrelated file". Exposure ``home``."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

from tokenreach.scanner.model import SourceStats
from tokenreach.scanner.reading import read_file
from tokenreach.scanner.sources import Chunk, Origin, to_text_bytes

# Files and folders, relative to $HOME, that CLI tools keep credentials in.
CREDENTIAL_FILES = (
    ".railway/config.json", ".railway/config-staging.json", ".railway/config-dev.json",
    ".config/gh/hosts.yml", ".config/hub",
    ".aws/credentials", ".aws/config",
    ".npmrc", ".yarnrc", ".yarnrc.yml", ".pypirc", ".netrc", ".git-credentials",
    ".docker/config.json", ".kube/config",
    ".config/gcloud/application_default_credentials.json", ".config/gcloud/legacy_credentials",
    ".config/gcloud/configurations",
    ".cache/huggingface/token", ".huggingface/token",
    ".wrangler/config/default.toml", ".config/.wrangler/config/default.toml",
    "Library/Preferences/.wrangler/config/default.toml",
    ".fly/config.yml",
    ".local/share/com.vercel.cli/auth.json", ".vercel/auth.json",
    "Library/Application Support/com.vercel.cli/auth.json",
    ".netlify/config.json", ".config/netlify/config.json",
    "Library/Preferences/netlify/config.json",
    ".supabase/access-token",
    ".config/heroku/config.json", ".local/share/heroku/config.json",
    ".config/doctl/config.yaml", ".terraform.d/credentials.tfrc.json",
    ".config/stripe/config.toml", ".gem/credentials", ".cargo/credentials.toml", ".cargo/credentials",
)
_MAX_DEPTH = 4


def chunks(home: Path, stats: SourceStats, *, max_size: int) -> Iterator[Chunk]:
    for rel in CREDENTIAL_FILES:
        path = home / rel
        yield from _visit(path, f"~/{rel}", stats, max_size, 0)


def _visit(path: Path, shown: str, stats: SourceStats, max_size: int, depth: int) -> Iterator[Chunk]:
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
            yield from _visit(path / name, f"{shown}/{name}", stats, max_size, depth + 1)
        return
    if not stat.S_ISREG(st.st_mode):
        stats.skip("not a regular file")
        return
    if st.st_size > max_size:
        stats.skip("larger than the size limit")
        return
    try:
        data = read_file(path, max_size)
    except OSError as exc:
        stats.warn(f"{shown}: cannot read ({exc.strerror or exc})")
        stats.skip("unreadable")
        return
    if data is None:  # it grew past the limit since lstat()
        stats.skip("larger than the size limit")
        return
    text = to_text_bytes(data)
    if text is None:
        stats.skip("binary")
        return
    stats.files += 1
    stats.bytes += len(data)
    yield Chunk(text, Origin(shown, "home"))
