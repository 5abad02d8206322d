"""Where bytes come from: the working tree, git history, the index, standard input."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from tokenreach.scanner.findings import Exposure

BINARY_SNIFF = 8000


@dataclass(frozen=True, slots=True)
class Origin:
    path: str
    exposure: Exposure
    commit: str | None = None
    author: str | None = None
    date: str | None = None


@dataclass(slots=True)
class Chunk:
    data: bytes
    origin: Origin


@dataclass
class SourceStats:
    files: int = 0  # working-tree files scanned
    blobs: int = 0  # git blobs scanned (history, staged)
    bytes: int = 0
    commits: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)

    def skip(self, reason: str) -> None:
        self.skipped[reason] += 1

    def warn(self, message: str) -> None:
        if len(self.warnings) < 200:
            self.warnings.append(message)
        elif len(self.warnings) == 200:
            self.warnings.append("… further warnings not shown")


def to_text_bytes(data: bytes) -> bytes | None:
    """Bytes the engine can scan, or None for binary content.

    UTF-16 (with a byte-order mark) is re-encoded as UTF-8 so its tokens are found; other data
    with NUL bytes near the start is binary.
    """
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            return None
    if b"\0" in data[:BINARY_SNIFF]:
        return None
    return data
