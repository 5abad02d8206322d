"""On-disk lookup cache: a keyed hash of each token with its Access and an expiry time.

The key is an HMAC under a random per-cache secret, so the cache file cannot be used to confirm
a guessed low-entropy secret; no token, nor any part of one, is ever written.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import tempfile
import time
from pathlib import Path
from typing import Any

from tokenreach.scanner.model import Access

CACHE_VERSION = 1


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "tokenreach"


class LookupCache:
    def __init__(self, directory: Path, ttl: float, now: float | None = None) -> None:
        self.directory = directory
        self.ttl = ttl
        self.now = now if now is not None else time.time()
        self.path = directory / "lookups.json"
        self._key = self._load_key()
        self._entries: dict[str, dict[str, Any]] = self._load()
        self._dirty = False

    def _load_key(self) -> bytes:
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        key_path = self.directory / "cache.key"
        try:
            key = key_path.read_bytes()
            if len(key) >= 32:
                return key
        except OSError:
            pass
        key = secrets.token_bytes(32)
        fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(key)
        return key

    def _load(self) -> dict[str, dict[str, Any]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("version") != CACHE_VERSION:
            return {}
        entries = data.get("entries")
        if not isinstance(entries, dict):
            return {}
        return {k: v for k, v in entries.items() if isinstance(v, dict) and v.get("expires", 0) > self.now}

    def key_for(self, provider: str, secret: str) -> str:
        return hmac.new(self._key, f"{provider}\0{secret}".encode(), hashlib.sha256).hexdigest()

    def get(self, provider: str, secret: str) -> Access | None:
        entry = self._entries.get(self.key_for(provider, secret))
        if not entry or entry.get("expires", 0) <= self.now:
            return None
        try:
            return access_from_json(entry["access"])
        except (KeyError, TypeError, ValueError):
            return None

    def put(self, provider: str, secret: str, access: Access) -> None:
        self._entries[self.key_for(provider, secret)] = {
            "expires": self.now + self.ttl,
            "access": access.to_json(),
        }
        self._dirty = True

    def save(self) -> None:
        if not self._dirty:
            return
        payload = json.dumps({"version": CACHE_VERSION, "entries": self._entries})
        fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".lookups.")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(payload)
        os.chmod(tmp, 0o600)
        os.replace(tmp, self.path)
        self._dirty = False


def access_from_json(data: dict[str, Any]) -> Access:
    return Access(
        live=data.get("live"),
        identity=data.get("identity"),
        reach=data.get("reach"),
        capabilities=set(data.get("capabilities") or ()),
        grants=list(data.get("grants") or ()),
        resources=list(data.get("resources") or ()),
        resources_total=data.get("resources_total"),
        expires_at=data.get("expires_at"),
        evidence=data.get("evidence") or "api",
        notes=list(data.get("notes") or ()),
        facts=dict(data.get("facts") or {}),
    )
