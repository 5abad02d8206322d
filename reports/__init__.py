"""One renderer per format. Each module has ``render(result, show_secrets=False) -> str``."""

from __future__ import annotations

import importlib

from tokenreach.scanner.model import ScanResult

# format name → module in this package
FORMATS: dict[str, str] = {
    "text": "text",
    "json": "json",
    "sarif": "sarif",
    "markdown": "markdown",
    "html": "html",
}


def render(fmt: str, result: ScanResult, show_secrets: bool = False) -> str:
    module = importlib.import_module(f"{__name__}.{FORMATS[fmt]}")
    return module.render(result, show_secrets=show_secrets)
