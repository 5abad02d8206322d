"""Reading (never verifying) JSON Web Tokens: the claims say what a key was minted for."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime, timezone
from typing import Any


def b64url_decode(part: str) -> bytes:
    part = part.strip()
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def claims(token: str) -> dict[str, Any] | None:
    """The payload of a compact JWT, or None when the string is not one."""
    pieces = token.split(".")
    if len(pieces) != 3:
        return None
    try:
        header = json.loads(b64url_decode(pieces[0]))
        payload = json.loads(b64url_decode(pieces[1]))
    except (ValueError, binascii.Error, UnicodeDecodeError, RecursionError):  # nesting beyond the stack
        return None
    if not isinstance(header, dict) or not isinstance(payload, dict):
        return None
    return payload


def expiry(payload: dict[str, Any]) -> str | None:
    """``exp`` as an ISO 8601 UTC string."""
    exp = payload.get("exp")
    if isinstance(exp, bool) or not isinstance(exp, (int, float)):
        return None
    try:
        return datetime.fromtimestamp(exp, tz=timezone.utc).isoformat().replace("+00:00", "Z")
    except (OverflowError, OSError, ValueError):
        return None
