"""Repository text made safe to show: every renderer's first step for a string it did not write.

Two dangers, whatever the format:
- a file name that is not valid UTF-8 reaches us as ``str`` with lone surrogates (git paths are
  decoded with ``surrogateescape``, which keeps them lossless); no UTF-8 writer accepts those, so
  each such byte is shown as ``\\xNN``;
- control characters (C0, DEL, C1) and bidirectional overrides in a file or author name drive a
  terminal (erase a line, set the window title) or reorder what a reader sees; in terminal
  output each is shown as ``\\xNN`` or ``\\uNNNN``.

Standard library only: the pre-commit hook and the error line load it.
"""

from __future__ import annotations

import re
from typing import Any

# C0, DEL, C1; the bidi embeddings/overrides (U+202A to U+202E) and isolates (U+2066 to U+2069); the
# line and paragraph separators (some viewers break lines there); any lone surrogate.
_TERMINAL = re.compile("[\x00-\x1f\x7f-\x9f\u2028-\u202e\u2066-\u2069\ud800-\udfff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
# What the JSON and SARIF writers leave raw (json.dumps already writes C0 as \\u00NN).
_JSON_RAW = re.compile("[\x7f-\x9f\u2028-\u202e\u2066-\u2069]")


def _shown(ch: str) -> str:
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, as surrogateescape keeps it
        return f"\\x{code - 0xDC00:02x}"
    if code < 0x80:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def undecodable(text: str) -> str:
    """``text`` with each byte that was not UTF-8 as ``\\xNN``: valid Unicode, for any writer."""
    return _SURROGATE.sub(lambda m: _shown(m.group()), text) if _SURROGATE.search(text) else text


def terminal(text: object) -> str:
    """``text`` for a terminal (or any log a person reads): control characters, bidi overrides
    and undecodable bytes as visible escapes. Line breaks too: call it per line, not per report."""
    s = str(text)
    return _TERMINAL.sub(lambda m: _shown(m.group()), s) if _TERMINAL.search(s) else s


def raw_bytes(text: str) -> bytes | None:
    """The bytes of a name that was not valid UTF-8 (None when it was): the lossless form."""
    if not _SURROGATE.search(text):
        return None
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate surrogateescape never makes: no byte form to give
        return None


def clean(value: Any) -> Any:
    """A JSON-able document with :func:`undecodable` applied to every string, keys included."""
    if isinstance(value, str):
        return undecodable(value)
    if isinstance(value, dict):
        return {clean(k): clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean(v) for v in value]
    return value


def json_text(text: str) -> str:
    """JSON text (``ensure_ascii=False``) with DEL, C1 and the bidi controls written as ``\\uNNNN``:
    the same document, harmless when printed to a terminal. They only occur inside strings."""
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
