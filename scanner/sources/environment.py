"""The environment of the process that runs tokenreach (``--env``), exposure ``environment``.

An agent's terminal inherits these variables, and ``env`` prints them all. Each variable is one
chunk, ``NAME=value``, reported at the path ``$NAME``: reports name the variable, and the value
never leaves redacted form like any other secret.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from tokenreach.scanner.model import SourceStats
from tokenreach.scanner.sources import Chunk, Origin


def chunks(environ: Mapping[str, str], stats: SourceStats) -> Iterator[Chunk]:
    for name in sorted(environ):
        data = f"{name}={environ[name]}\n".encode("utf-8", "surrogateescape")
        stats.bytes += len(data)
        yield Chunk(data, Origin(f"${name}", "environment"))


def variable_of(path: str) -> str | None:
    """``GITHUB_TOKEN`` for the location path ``$GITHUB_TOKEN``."""
    return path[1:] if path.startswith("$") else None
