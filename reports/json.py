"""JSON report: a documented, versioned schema (docs/json-schema.md)."""

from __future__ import annotations

import base64
import json
from typing import Any

from tokenreach.reports import _view as view
from tokenreach.reports.escape import clean, json_text, raw_bytes
from tokenreach.scanner.model import Finding, Location, ScanResult

SCHEMA_VERSION = "1.2"  # 1.1: locations gain fenced_from and readable_by; 1.2: lookups_failed
# A sweep of several repositories (scanner/sweep.py): locations gain repository, and the
# document repositories; a scan of one path stays 1.2, byte for byte.
FLEET_SCHEMA_VERSION = "1.3"


def document(result: ScanResult, show_secrets: bool = False) -> dict[str, Any]:
    s = result.stats
    doc: dict[str, Any] = {
        "version": SCHEMA_VERSION,
        "tool": {"name": "tokenreach", "version": _version()},
        "root": result.root,
        "findings": [_finding(f, show_secrets) for f in view.ranked(result)],
        "stats": {
            "files": s.files,
            "blobs": s.blobs,
            "commits": s.commits,
            "bytes": s.bytes,
            "skipped": dict(sorted(s.skipped.items())),
            "not_reported": s.not_reported,  # placeholders and published examples
            "duration": round(result.duration, 3),
            "lookup_duration": _seconds(result.lookup_duration),
            "total_duration": _seconds(result.total_duration),
            "engine": result.engine,
        },
        "warnings": list(s.warnings),
        "notices": list(result.notices),
        "lookups_failed": result.lookups_failed,
    }
    if result.repositories:
        doc["version"] = FLEET_SCHEMA_VERSION
        doc["repositories"] = [r.to_json() for r in result.repositories]
    return doc


def _seconds(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def _finding(f: Finding, show_secrets: bool) -> dict[str, Any]:
    """The finding's own JSON; a path that is not valid UTF-8 also as ``path_base64`` (its exact
    bytes), since ``path`` shows each such byte as ``\\xNN``."""
    out = f.to_json(show_secret=show_secrets)
    for loc, shown in zip(sorted(f.locations, key=Location.sort_key), out["locations"], strict=True):
        raw = raw_bytes(loc.path)
        if raw is not None:
            shown["path_base64"] = base64.b64encode(raw).decode("ascii")
    return out


def render(result: ScanResult, show_secrets: bool = False) -> str:
    return dumps(document(result, show_secrets))


def dumps(doc: dict[str, Any]) -> str:
    """Indented JSON that every UTF-8 writer accepts and a terminal prints as text."""
    return json_text(json.dumps(clean(doc), indent=2, ensure_ascii=False)) + "\n"


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("tokenreach")
    except Exception:
        return "unknown"
