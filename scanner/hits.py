"""What one buffer holds: the engine's matches as tokens, each with its line, column and inline-ignore
verdict. Everything that needs the buffer's bytes happens here, so that the bytes can be dropped
where they were read: in this process, or in a history worker (scanner/parallel.py)."""

from __future__ import annotations

from dataclasses import dataclass

from tokenreach.scanner.engine import Engine, LineCursor, token_of
from tokenreach.scanner.model import Token
from tokenreach.scanner.sources import Origin

# Ours, then detect-secrets' and gitleaks' inline markers, honoured so that existing ignores keep working.
IGNORE_MARKERS = (b"tokenreach:ignore", b"pragma: allowlist secret", b"gitleaks:allow")
_COMMENT_LEADERS = (b"#", b"//", b"--", b";", b"/*", b"<!--", b"%", b"'", b"*", b"rem ", b"REM ")


@dataclass(frozen=True, slots=True)
class Hit:
    token: Token
    pattern_name: str
    line: int
    column: int
    encoding: str | None
    ignored: bool  # an inline ignore marker covers it


def hits_in(eng: Engine, buf: bytes) -> list[Hit]:
    """Every match in ``buf``, in the engine's order."""
    matches = eng.scan(buf)
    if not matches:
        return []
    where = _places(buf, {m.start for m in matches})
    out = []
    for m in matches:
        line, col, ignored = where[m.start]
        out.append(Hit(token_of(m), m.pattern.name, line, col, m.encoding, ignored))
    return out


# Inline ignores: a marker in the scanned text keeps a match out of the findings ------------------


def ignored_inline(buf: bytes, start: int) -> bool:
    """An ignore marker on the match's own line, or alone in a comment on the line before it
    (a marker trailing a line of code covers that line only)."""
    lines = LineCursor(buf)
    return _ignored_line(buf, lines.line(start), lines.previous_line(start))


def _ignored_line(buf: bytes, line: tuple[int, int], previous: tuple[int, int] | None) -> bool:
    text = buf[line[0]:line[1]]
    if any(marker in text for marker in IGNORE_MARKERS):
        return True
    if previous is None:
        return False
    prev = buf[previous[0]:previous[1]].strip()
    return prev.startswith(_COMMENT_LEADERS) and any(marker in prev for marker in IGNORE_MARKERS)


def _places(buf: bytes, starts: set[int]) -> dict[int, tuple[int, int, bool]]:
    """Line, column and inline-ignore verdict of each offset, in one pass over the buffer in
    offset order (many matches in one file, even on one minified line, stay linear): each line
    is looked at once, however many matches it holds."""
    lines = LineCursor(buf)
    verdicts: dict[int, bool] = {}  # by line start
    out: dict[int, tuple[int, int, bool]] = {}
    for start in sorted(starts):
        line, col = lines.line_col(start)
        span = lines.line(start)
        ignored = verdicts.get(span[0])
        if ignored is None:
            ignored = verdicts[span[0]] = _ignored_line(buf, span, lines.previous_line(start))
        out[start] = (line, col, ignored)
    return out


@dataclass(frozen=True, slots=True)
class Matched:
    """A chunk already matched where it was read (a history worker): its origin and hits."""

    origin: Origin
    hits: list[Hit]
    size: int
