"""The list of places outside a repository where credentials sit (stores.toml), read once.

``--home`` reads the ``home`` stores; ``--list-stores`` prints them; docs/home-stores.md is
generated from them; ``--nearby`` takes its file names from the ``[nearby]`` table.
"""

from __future__ import annotations

import functools
import sys
from dataclasses import dataclass
from importlib import resources

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

GROUP_TITLES = {
    "agent": "Coding agents and MCP servers",
    "shell": "Shell history and start-up files",
    "cli": "CLI credential stores",
}


@dataclass(frozen=True)
class Store:
    path: str  # relative to $HOME (or to a repository, for scope "project")
    tool: str
    holds: str
    group: str
    os: tuple[str, ...] = ("linux", "macos")
    scope: str = "home"
    only: str | None = None  # "unencrypted-keys"

    @property
    def folder(self) -> bool:
        return self.path.endswith("/")

    @property
    def shown(self) -> str:
        return self.path if self.scope == "project" else f"~/{self.path}"


@dataclass(frozen=True)
class Nearby:
    names: tuple[str, ...]
    skip_dirs: frozenset[str]


@functools.cache
def _data() -> dict:
    text = resources.files("tokenreach.scanner.sources").joinpath("stores.toml").read_text("utf-8")
    return tomllib.loads(text)


@functools.cache
def all_stores() -> tuple[Store, ...]:
    out = []
    for item in _data()["store"]:
        out.append(Store(path=item["path"], tool=item["tool"], holds=item["holds"], group=item["group"],
                         os=tuple(item.get("os", ("linux", "macos"))), scope=item.get("scope", "home"),
                         only=item.get("only")))
    return tuple(out)


def home_stores() -> tuple[Store, ...]:
    return tuple(s for s in all_stores() if s.scope == "home")


@functools.cache
def nearby() -> Nearby:
    table = _data()["nearby"]
    return Nearby(tuple(table["names"]), frozenset(table["skip_dirs"]))


def listing() -> str:
    """What ``scan --home --list-stores`` prints: one line per store, grouped."""
    lines: list[str] = []
    for group, title in GROUP_TITLES.items():
        lines.append(f"{title}:")
        for s in all_stores():
            if s.group != group:
                continue
            where = "in a repository, read by the working-tree scan" if s.scope == "project" else "/".join(s.os)
            lines.append(f"  {s.shown:<58} {s.tool}: {s.holds} ({where})")
        lines.append("")
    names = ", ".join(nearby().names)
    lines.append(f"--nearby reads these file names in the parent folder's other projects: {names}")
    return "\n".join(lines) + "\n"


def markdown() -> str:
    """docs/home-stores.md, generated (docs/stores_page.py)."""
    out = [
        "# Where agents look: the stores `--home` reads",
        "",
        "Generated from `scanner/sources/stores.toml` by `python docs/stores_page.py`; a test fails",
        "when this page and the data file disagree. `tokenreach scan --home --list-stores` prints the",
        "same list. Every file is reported with exposure `home` at its `~/…` path; symbolic links are",
        "never followed, a folder is read four levels deep, and an SSH private key is reported only",
        "when it has no passphrase. Paths marked *project* are inside a repository: the working-tree",
        "scan reads them already.",
        "",
    ]
    for group, title in GROUP_TITLES.items():
        out += [f"## {title}", "", "| path | written by | holds | where |", "|---|---|---|---|"]
        for s in all_stores():
            if s.group == group:
                where = "project" if s.scope == "project" else ", ".join(s.os)
                out.append(f"| `{s.shown}` | {s.tool} | {s.holds} | {where} |")
        out.append("")
    out += [
        "## `--nearby`: secret-named files in the parent folder's other projects",
        "",
        "File names (matched against each file's own name): "
        + ", ".join(f"`{n}`" for n in nearby().names) + ".",
        "",
        "Folders never entered: " + ", ".join(f"`{d}`" for d in sorted(nearby().skip_dirs)) + ".",
        "",
    ]
    return "\n".join(out)
