"""`tokenreach inspect`: one token from standard input, its Access printed.

The token is read from stdin only: argv leaks into shell history and the process list.
"""

from __future__ import annotations

import json
from typing import TextIO

from tokenreach.detectors.redaction import redact
from tokenreach.detectors.registry import by_provider, detector
from tokenreach.scanner.engine import tokens_in
from tokenreach.scanner.errors import ScanError
from tokenreach.scanner.lookup import LookupOptions, lookup_one
from tokenreach.scanner.model import Token

MAX_INPUT = 256 * 1024


def read_token(stream: TextIO, provider: str | None) -> Token:
    text = stream.read(MAX_INPUT + 1)
    if len(text) > MAX_INPUT:
        raise ScanError("standard input is larger than 256 KB; give one token")
    if not text.strip():
        raise ScanError("no token on standard input (pipe or paste one token, then Ctrl-D)")
    if provider is not None and provider not in by_provider():
        raise ScanError(f"unknown provider {provider!r}; known: {', '.join(sorted(by_provider()))}")
    found = [t for t in tokens_in(text) if provider is None or t.provider == provider]
    distinct = {(t.provider, t.secret): t for t in found}
    if len(distinct) > 1:
        names = ", ".join(sorted({f"{t.provider} {redact(t.secret)}" for t in distinct.values()}))
        raise ScanError(f"standard input holds {len(distinct)} tokens ({names}); give one")
    if distinct:
        return next(iter(distinct.values()))
    if provider is None:
        raise ScanError("no known token format recognised; name the provider with --provider")
    return Token(provider=provider, secret=text.strip())


def inspect_stdin(stream: TextIO, *, provider: str | None, fmt: str, offline: bool, timeout: float) -> int:
    tok = read_token(stream, provider)
    access = lookup_one(tok, LookupOptions(offline=offline, total_timeout=timeout))
    det = detector(tok.provider)
    if fmt == "json":
        doc = {"provider": tok.provider, "kind": tok.kind, "redacted": redact(tok.secret),
               "access": access.to_json()}
        print(json.dumps(doc, indent=2))
        return 0
    from tokenreach.reports.escape import terminal

    def say(line: str) -> None:  # the provider's answer is shown with control characters escaped
        print(terminal(line))

    live = {True: "live", False: "revoked or invalid", None: "unknown"}[access.live]
    say(f"{det.title if det else tok.provider} {tok.kind or 'token'} {redact(tok.secret)}")
    say(f"  status        {live}" + (f" as {access.identity}" if access.identity else ""))
    say(f"  reach         {access.reach or 'unknown'}")
    say(f"  capabilities  {', '.join(sorted(access.capabilities)) or 'unknown'}")
    if access.grants:
        say(f"  grants        {', '.join(access.grants)}")
    if access.resources:
        say(f"  resources     {', '.join(access.resources)} ({access.resources_total} in all)")
    if access.expires_at:
        say(f"  expires       {access.expires_at}")
    for note in access.notes:
        say(f"  · {note}")
    return 0
