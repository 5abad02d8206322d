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


def b64_json(part: str) -> dict[str, Any] | None:
    """The JSON object that ``part`` encodes (base64 of either alphabet, padding optional), or
    None. Validators run inside the engine on untrusted bytes: no error may escape, not even the
    RecursionError of JSON nested beyond the stack."""
    try:
        obj = json.loads(b64url_decode(part))
    except (ValueError, binascii.Error, UnicodeDecodeError, RecursionError):
        return None
    return obj if isinstance(obj, dict) else None


def claims(token: str) -> dict[str, Any] | None:
    """The payload of a compact JWT, or None when the string is not one."""
    pieces = token.split(".")
    if len(pieces) != 3 or b64_json(pieces[0]) is None:
        return None
    return b64_json(pieces[1])


def expiry(payload: dict[str, Any]) -> str | None:
    """``exp`` as an ISO 8601 UTC string."""
    exp = payload.get("exp")
    if isinstance(exp, bool) or not isinstance(exp, (int, float)):
        return None
    try:
        return datetime.fromtimestamp(exp, tz=timezone.utc).isoformat().replace("+00:00", "Z")
    except (OverflowError, OSError, ValueError):
        return None
