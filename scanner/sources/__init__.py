"""Where bytes come from: the working tree, git history, the index, standard input."""

from __future__ import annotations

from dataclasses import dataclass

from tokenreach.scanner.model import Exposure

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
