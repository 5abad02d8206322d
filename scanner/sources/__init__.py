"""Where bytes come from: the working tree, git history, the index, standard input."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from tokenreach.scanner.model import Exposure, SourceStats
from tokenreach.scanner.reading import read_file
from tokenreach.scanner.sources import archives
from tokenreach.scanner.sources.keytab import looks_like_keytab

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


# Bytes of text: printable ASCII, tab, newline, form feed, carriage return, and every byte >= 0x80
# (UTF-8 and legacy encodings). Whatever is left once these are deleted is a control byte.
_TEXT_BYTES = bytes([8, 9, 10, 12, 13, 27, *range(0x20, 0x7F), *range(0x80, 0x100)])
# Text may hold a stray NUL or control byte (a token after a NUL was missed): up to this share of
# the first BINARY_SNIFF bytes. Compressed or random data has ~11% (28 of 256 byte values).
_MAX_CONTROL_SHARE = 0.02


def read_regular(path: Path, shown: str, st: os.stat_result, stats: SourceStats, max_size: int) -> bytes | None:
    """The bytes of the regular file ``st`` describes (an lstat, never followed), within
    ``max_size``; otherwise None, with the reason counted in ``stats`` (and a warning when it could
    not be read): every source skips a file the same way and says so."""
    if not stat.S_ISREG(st.st_mode):
        stats.skip("not a regular file")
        return None
    if st.st_size > max_size:
        stats.skip("larger than the size limit")
        return None
    try:
        data = read_file(path, max_size)
    except OSError as exc:
        stats.warn(f"{shown}: cannot read ({exc.strerror or exc})")
        stats.skip("unreadable")
        return None
    if data is None:  # it grew past the limit since the lstat
        stats.skip("larger than the size limit")
    return data


def to_text_bytes(data: bytes) -> bytes | None:
    """Bytes the engine can scan, or None for binary content.

    UTF-16 is re-encoded as UTF-8 so its tokens are found: with a byte-order mark, or without one
    when every other byte of its start is NUL (ASCII text in UTF-16). Other data is binary when
    control bytes (NUL among them) are more than a stray few at its start.
    """
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            return None
    head = data[:BINARY_SNIFF]
    if b"\0" not in head:
        return data
    encoding = _utf16_without_bom(head)
    if encoding is not None:
        return data[:len(data) & ~1].decode(encoding, "replace").encode("utf-8")
    if len(head.translate(None, _TEXT_BYTES)) > _MAX_CONTROL_SHARE * len(head):
        return None
    return data


def _utf16_without_bom(head: bytes) -> str | None:
    """"utf-16-le" or "utf-16-be" when ``head`` reads as mostly-ASCII UTF-16: NUL in nine of ten
    high bytes, and in almost none of the low ones."""
    even, odd = head[0::2], head[1::2]
    if len(odd) < 8:
        return None
    for encoding, high, low in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if high.count(0) >= 0.9 * len(high) and low.count(0) <= 0.02 * len(low):
            return encoding
    return None


def texts_of(data: bytes, max_size: int) -> list[tuple[str, bytes]] | None:
    """What the engine scans of one file: ``[("", text)]``, or ``(member, text)`` for each text
    file inside a gzip or zip archive (sources/archives.py: one level deep, bounded); None for
    other binary data."""
    text = to_text_bytes(data)
    if text is not None:
        return [("", text)]
    if archives.is_archive(data):
        return list(archives.members(data, max_size, to_text_bytes))
    if looks_like_keytab(data):  # binary, but its start names a Kerberos principal with keys
        return [("", data)]
    return None


def member_path(path: str, member: str) -> str:
    """The path a location inside an archive is reported at: ``backup.zip!/config/.env``."""
    return f"{path}!/{member}" if member else path
