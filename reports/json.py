"""JSON report: a documented, versioned schema (docs/json-schema.md)."""

from __future__ import annotations

import json
from typing import Any

from tokenreach.scanner.model import ScanResult

SCHEMA_VERSION = "1.0"


def document(result: ScanResult, show_secrets: bool = False) -> dict[str, Any]:
    s = result.stats
    return {
        "version": SCHEMA_VERSION,
        "tool": {"name": "tokenreach", "version": _version()},
        "root": result.root,
        "findings": [f.to_json(show_secret=show_secrets) for f in result.findings],
        "stats": {
            "files": s.files,
            "blobs": s.blobs,
            "commits": s.commits,
            "bytes": s.bytes,
            "skipped": dict(sorted(s.skipped.items())),
            "duration": round(result.duration, 3),
            "engine": result.engine,
        },
        "warnings": list(s.warnings),
        "notices": list(result.notices),
    }


def render(result: ScanResult, show_secrets: bool = False) -> str:
    return json.dumps(document(result, show_secrets), indent=2, ensure_ascii=False) + "\n"


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("tokenreach")
    except Exception:
        return "unknown"
