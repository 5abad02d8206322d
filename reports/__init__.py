"""One renderer per format. Each module has ``render(result, show_secrets=False) -> str``."""

from __future__ import annotations

import importlib
import importlib.util

from tokenreach.scanner.model import ScanResult

# format name → module in this package
FORMATS: dict[str, str] = {
    "text": "text",
    "json": "json",
    "sarif": "sarif",
    "markdown": "markdown",
    "html": "html",
}


def available() -> list[str]:
    """Formats whose renderer module exists in this installation."""
    out = []
    for name, module in FORMATS.items():
        if importlib.util.find_spec(f"{__name__}.{module}") is not None:
            out.append(name)
    return out


def render(fmt: str, result: ScanResult, show_secrets: bool = False) -> str:
    module = importlib.import_module(f"{__name__}.{FORMATS[fmt]}")
    return module.render(result, show_secrets=show_secrets)
