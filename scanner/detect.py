"""Text in, tokens out: the engine's matches as Tokens (for `inspect`, stdin and tests)."""

from __future__ import annotations

from functools import cache

from tokenreach.detectors.base import Token
from tokenreach.detectors.registry import all_patterns
from tokenreach.scanner.engine import Engine, RawMatch


@cache
def default_engine() -> Engine:
    return Engine(all_patterns())


def token_of(match: RawMatch) -> Token:
    return Token(
        provider=match.detector.provider,
        secret=match.secret,
        kind=match.kind or match.pattern.kind,
        pattern_id=match.pattern.id,
        variable=match.variable,
        extras=dict(match.extras),
        context=dict(match.context),
    )


def tokens_in(text: str | bytes, engine: Engine | None = None) -> list[Token]:
    """Every token in ``text``, in order of appearance."""
    buf = text.encode() if isinstance(text, str) else text
    matches = (engine or default_engine()).scan(buf)
    return [token_of(m) for m in sorted(matches, key=lambda m: m.start)]
