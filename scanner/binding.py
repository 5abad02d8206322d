"""Which value near a token is bound to it: the host (a shop, a project) a token is sent to.

A token only works on its own tenant's host, and a host written anywhere near it may be another
tenant's: sent there, a live token answers 401 and would read as revoked. So a host is paired with
a token only when the text binds them together, in this order:

1. the same URL (``https://a.myshopify.com/admin/api/…?access_token=shpat_…``);
2. the same line, when it names exactly one such host (``createClient("https://<ref>.supabase.co",
   key)``, ``{"shop": "a.myshopify.com", "token": "shpat_…"}``);
3. the same configuration block, when exactly one such host is *assigned* there
   (``SHOPIFY_SHOP=a.myshopify.com`` on a line next to ``SHOPIFY_TOKEN=shpat_…``). A block is the
   run of non-blank lines around the token at its indentation or deeper, up to a section header
   (``[section]``, ``---``) or the next YAML list item; commented-out lines do not count.

Anything else (a host in a comment or in prose, hosts in other blocks, two hosts in the token's
block) binds nothing, and the caller treats the host as unknown.
"""

from __future__ import annotations

import re

# How far either side of the token a binding may reach, in bytes and lines.
WINDOW = 2048
MAX_BLOCK_LINES = 40

# Bytes that end a URL (or any unquoted value) in text.
_URL_STOP = re.compile(rb"[\s\"'`<>()\[\]{}|\\^]")
# A value standing as an assignment's right-hand side: NAME=v, NAME: v, "name": "v", name => v.
_ASSIGNED = re.compile(rb"""[\w.\-\]"']\s*(?::=|=>|[:=])\s*[\["'`(]?\s*$""")
_COMMENT = (b"#", b"//", b";", b"--", b"/*", b"*", b"<!--", b"rem ", b"REM ")


def bound_value(buf: bytes, rx: re.Pattern[bytes], start: int, end: int) -> bytes | None:
    """The value (``rx``'s group 1, else its whole match) bound to the token at ``start:end`` of
    ``buf``, or None when no value, or more than one, is bound to it."""
    line_lo = buf.rfind(b"\n", max(0, start - WINDOW), start) + 1 or max(0, start - WINDOW)
    nl = buf.find(b"\n", end, end + WINDOW)
    line_hi = nl if nl >= 0 else min(len(buf), end + WINDOW)

    # 1. The same URL: the token and the host in one run of URL characters holding "://".
    run_lo, run_hi = _run(buf, start, end, line_lo, line_hi)
    if b"://" in buf[run_lo:run_hi]:
        in_url = _values(rx, buf, run_lo, run_hi, start, end)
        if len(in_url) == 1:
            return next(iter(in_url.values()))
    # 2. The same line.
    on_line = _values(rx, buf, line_lo, line_hi, start, end)
    if on_line:
        return next(iter(on_line.values())) if len(on_line) == 1 else None
    # 3. The one host assigned in the token's block.
    assigned: dict[bytes, bytes] = {}
    for lo, hi in _block_lines(buf, line_lo, line_hi):
        if buf[lo:hi].lstrip().startswith(_COMMENT):
            continue
        for m in rx.finditer(buf, lo, hi):
            value = m.group(1) if rx.groups else m.group(0)
            if value is not None and _is_assigned(buf, lo, m.start()):
                assigned.setdefault(value.lower(), value)
    return next(iter(assigned.values())) if len(assigned) == 1 else None


def _values(rx: re.Pattern[bytes], buf: bytes, lo: int, hi: int, start: int, end: int) -> dict[bytes, bytes]:
    """The values of ``rx`` in ``buf[lo:hi]`` outside the token itself, keyed case-insensitively."""
    found: dict[bytes, bytes] = {}
    for m in rx.finditer(buf, lo, hi):
        if m.start() < end and m.end() > start:
            continue
        value = m.group(1) if rx.groups else m.group(0)
        if value is not None:
            found.setdefault(value.lower(), value)
    return found


def _run(buf: bytes, start: int, end: int, lo: int, hi: int) -> tuple[int, int]:
    """The run of non-delimiter bytes around ``start:end``, within ``lo:hi``."""
    m = _URL_STOP.search(buf, end, hi)
    run_hi = m.start() if m else hi
    run_lo = lo
    for m in _URL_STOP.finditer(buf, lo, start):
        run_lo = m.end()
    return run_lo, run_hi


def _is_assigned(buf: bytes, line_lo: int, at: int) -> bool:
    """Whether the value holding offset ``at`` is the right-hand side of an assignment."""
    value_lo = max(buf.rfind(b"=", line_lo, at) + 1, line_lo)
    for m in _URL_STOP.finditer(buf, value_lo, at):
        value_lo = m.end()
    return _ASSIGNED.search(buf, line_lo, value_lo) is not None


def _indent(line: bytes) -> tuple[int, bool]:
    """(column where the content starts, whether the line starts a YAML list item)."""
    body = line.lstrip(b" \t")
    col = len(line) - len(body)
    if body.startswith((b"- ", b"-\t")):
        rest = body[1:].lstrip(b" \t")
        return col + len(body) - len(rest), True
    return col, False


def _boundary(line: bytes) -> bool:
    text = line.strip()
    return not text or text.startswith(b"---") or (text.startswith(b"[") and text.endswith(b"]"))


def _block_lines(buf: bytes, line_lo: int, line_hi: int) -> list[tuple[int, int]]:
    """The (start, end) of each line of the token's block, the token's line included."""
    indent, item = _indent(buf[line_lo:line_hi])
    lines = [(line_lo, line_hi)]
    floor = max(0, line_lo - WINDOW)
    lo = line_lo
    while not item and lo > floor and len(lines) < MAX_BLOCK_LINES:
        prev = buf.rfind(b"\n", floor, lo - 1) + 1 or floor
        line = buf[prev:lo - 1]
        col, is_item = _indent(line)
        if _boundary(line) or col < indent:
            break
        lines.append((prev, lo - 1))
        lo = prev
        if is_item and col == indent:
            break  # the list item this line belongs to starts here
    ceiling = min(len(buf), line_hi + WINDOW)
    hi = line_hi
    while hi < ceiling and len(lines) < 2 * MAX_BLOCK_LINES:
        nxt = buf.find(b"\n", hi + 1, ceiling)
        nxt = nxt if nxt >= 0 else ceiling
        line = buf[hi + 1:nxt]
        col, is_item = _indent(line)
        if _boundary(line) or col < indent or (is_item and col <= indent):
            break
        lines.append((hi + 1, nxt))
        hi = nxt
    return lines
