"""On-disk lookup cache (opt-in, ``--cache-ttl``): what a lookup learned, under a keyed hash of the
token, until an expiry time.

Layout, under ``$XDG_CACHE_HOME/tokenreach`` (``~/.cache/tokenreach`` when that variable is unset
or relative, since the XDG spec makes a relative value invalid and a relative value would land in
whatever folder the scan runs from, often the scanned repository)::

    cache.key            32 random bytes (0600), created once: whoever links it first wins
    lookups/<hmac>.json  {"version": 2, "expires": <unix time>, "access": {...}} (0600)

* The key is an HMAC under the random per-cache key, so the cache cannot confirm a guessed
  low-entropy secret; no token, nor any part of one, is ever written.
* One file per entry, written to a temporary file and renamed over: two scans sharing the cache
  at once keep both scans' entries, and a reader never sees half an entry.
* The cache is an optimisation, never a reason to fail: a folder that cannot be used (a file,
  ``/proc``, a read-only mount, inside the scanned folder) or an entry that cannot be read or
  written is a notice, and the scan goes on without it. An entry of the wrong shape (an expiry
  that is a string, capabilities that are not a list) is a miss.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import secrets
import tempfile
import time
from pathlib import Path
from typing import Any

from tokenreach.scanner.cache_root import CacheUnavailable, cache_root, keep_out_of
from tokenreach.scanner.model import CAPABILITY_ORDER, REACH_ORDER, Access, Evidence
from tokenreach.scanner.reading import RefusedFile, read_regular_file

CACHE_VERSION = 2
KEY_BYTES = 32
ENTRY_CAP = 1 << 20  # an entry is a few kB; a larger file is not one of ours
_EVIDENCE: tuple[Evidence, ...] = ("api", "offline", "prefix")


def default_cache_dir() -> Path:
    return cache_root() / "tokenreach"


def open_cache(ttl: float, target: Path) -> tuple[LookupCache | None, str | None]:
    """The lookup cache for a scan of ``target``, or (None, the notice saying why there is none)."""
    keep_out_of(target)
    try:
        return LookupCache(default_cache_dir(), ttl), None
    except CacheUnavailable as exc:
        return None, f"lookup cache not used: {exc}; lookups were not cached"


class LookupCache:
    def __init__(self, directory: Path, ttl: float, now: float | None = None) -> None:
        self.directory = directory
        self.entries = directory / "lookups"
        self.ttl = ttl
        self.now = now if now is not None else time.time()
        self.problems: list[str] = []  # notices for the report: what went wrong, once each
        try:
            self.entries.mkdir(parents=True, exist_ok=True, mode=0o700)
            self._key = self._load_key()
        except (OSError, RefusedFile) as exc:
            raise CacheUnavailable(f"{directory}: {getattr(exc, 'strerror', None) or exc}") from None

    def _load_key(self) -> bytes:
        path = self.directory / "cache.key"
        key = self._read_key(path)
        if key is not None:
            return key
        fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".cache.key.")  # 0600
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(secrets.token_bytes(KEY_BYTES))
            try:
                os.link(tmp, path)  # atomic, and only if there is none: two first runs agree on one key
            except FileExistsError:
                key = self._read_key(path)
                if key is not None:
                    return key
                os.replace(tmp, path)  # an unusable key file: ours replaces it
            except OSError:  # a file system without hard links
                os.replace(tmp, path)
            key = self._read_key(path)
            if key is None:
                raise CacheUnavailable(f"{path}: the key file cannot be read back")
            return key
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)

    @staticmethod
    def _read_key(path: Path) -> bytes | None:
        try:
            key = read_regular_file(path, 4096)
        except FileNotFoundError:
            return None
        return key if len(key) >= KEY_BYTES else None

    def key_for(self, provider: str, secret: str) -> str:
        return hmac.new(self._key, f"{provider}\0{secret}".encode(), hashlib.sha256).hexdigest()

    def _problem(self, text: str) -> None:
        if text not in self.problems and len(self.problems) < 5:
            self.problems.append(text)

    def get(self, provider: str, secret: str) -> Access | None:
        path = self.entries / f"{self.key_for(provider, secret)}.json"
        try:
            raw = read_regular_file(path, ENTRY_CAP)
        except FileNotFoundError:
            return None
        except (OSError, RefusedFile) as exc:
            self._problem(f"lookup cache: an entry in {self.entries} cannot be read "
                          f"({getattr(exc, 'strerror', None) or exc}); looked up again")
            return None
        try:
            doc = json.loads(raw.decode("utf-8"))
        except (ValueError, RecursionError):
            return None
        if not isinstance(doc, dict) or doc.get("version") != CACHE_VERSION:
            return None
        expires = doc.get("expires")
        if isinstance(expires, bool) or not isinstance(expires, (int, float)):
            return None
        if expires <= self.now:
            with contextlib.suppress(OSError):
                path.unlink()  # expired: tidied as it is met
            return None
        return access_from_json(doc.get("access"))

    def put(self, provider: str, secret: str, access: Access) -> None:
        payload = json.dumps({"version": CACHE_VERSION, "expires": self.now + self.ttl,
                              "access": access.to_json()})
        path = self.entries / f"{self.key_for(provider, secret)}.json"
        tmp: str | None = None
        try:
            fd, tmp = tempfile.mkstemp(dir=self.entries, prefix=".entry.")  # 0600
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(payload)
            os.replace(tmp, path)
            tmp = None
        except OSError as exc:
            self._problem(f"lookup cache: cannot write in {self.entries} ({exc.strerror or exc}); "
                          "lookups of this run were not all cached")
        finally:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)

    def save(self) -> None:
        """Nothing left to do: each entry is written when it is put."""


def access_from_json(data: Any) -> Access | None:
    """An Access from its JSON form, or None when any field has the wrong shape."""
    if not isinstance(data, dict):
        return None

    def strings(key: str) -> list[str] | None:
        value = data.get(key) or []
        return value if isinstance(value, list) and all(isinstance(v, str) for v in value) else None

    live, reach, total = data.get("live"), data.get("reach"), data.get("resources_total")
    identity, expires_at = data.get("identity"), data.get("expires_at")
    evidence, facts = data.get("evidence") or "api", data.get("facts") or {}
    caps, grants, resources, notes = (strings(k) for k in ("capabilities", "grants", "resources", "notes"))
    if (not (live is None or isinstance(live, bool))
            or (reach is not None and reach not in REACH_ORDER)
            or (total is not None and (isinstance(total, bool) or not isinstance(total, int)))
            or not isinstance(identity, (str, type(None))) or not isinstance(expires_at, (str, type(None)))
            or evidence not in _EVIDENCE or not isinstance(facts, dict)
            or caps is None or any(c not in CAPABILITY_ORDER for c in caps)
            or grants is None or resources is None or notes is None):
        return None
    # Every name in caps is one of CAPABILITY_ORDER (checked above): this is set(caps), typed.
    return Access(live=live, identity=identity, reach=reach, capabilities={c for c in CAPABILITY_ORDER if c in caps},
                  grants=grants, resources=resources, resources_total=total, expires_at=expires_at,
                  evidence=evidence, notes=notes, facts=facts)
