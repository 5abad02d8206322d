"""Writes docs/home-stores.md from scanner/sources/stores.toml: run `python docs/stores_page.py`
after changing the list. tests/scanner/test_agent_reach.py fails when the page is stale."""

from __future__ import annotations

from pathlib import Path

from tokenreach.scanner.sources.stores import markdown

DOC = Path(__file__).resolve().parent / "home-stores.md"

if __name__ == "__main__":
    DOC.write_text(markdown(), encoding="utf-8")
    print(f"wrote {DOC}")
