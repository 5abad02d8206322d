"""Fences: which coding agent's file tools are kept away from each location, by its own ignore or
deny files, read with each agent's documented syntax.

* Cursor: ``.cursorignore`` (gitignore syntax), and by default what ``.gitignore`` ignores and
  ``.env`` files (cursor.com/docs/reference/ignore-file).
* Claude Code: ``permissions.deny`` rules ``Read(…)`` in ``~/.claude/settings.json``,
  ``.claude/settings.json`` and ``.claude/settings.local.json``; the lists merge and deny wins
  (code.claude.com/docs/en/settings). A rule's path: ``//abs`` from the filesystem root, ``~/p`` from
  the home folder, ``/p`` from the project root, ``p`` or ``./p`` from the project (the folder
  Claude Code starts in); gitignore pattern syntax.
* Gemini (``.aiexclude``, ``.geminiignore``), aider (``.aiderignore``), Windsurf
  (``.codeiumignore``), JetBrains AI Assistant (``.aiignore``), Continue (``.continueignore``),
  Cline (``.clineignore``): gitignore syntax, at the project root.

Every vendor documents that the fence binds the agent's file tools only: its terminal can still
``cat`` the file. So a fence never lowers severity; it is named in the reasons.
Gitignore-syntax fences cover the project's own files only (the folder the agent opened); a file
in $HOME or in another project is outside them. Claude Code's ``~/`` and ``//`` rules reach there.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import pathspec

from tokenreach.scanner.errors import ScanError
from tokenreach.scanner.model import Finding, Location
from tokenreach.scanner.reading import CONFIG_CAP, RefusedFile, read_regular_file


@dataclass(frozen=True)
class Agent:
    id: str
    title: str
    ignore_files: tuple[str, ...]  # gitignore-syntax files at the project root
    markers: tuple[str, ...]  # a path here that says the agent is used in this project


AGENTS: dict[str, Agent] = {a.id: a for a in (
    Agent("cursor", "Cursor", (".cursorignore",), (".cursor", ".cursorignore", ".cursorrules")),
    Agent("claude", "Claude Code", (), (".claude", "CLAUDE.md", ".mcp.json")),
    Agent("gemini", "Gemini", (".aiexclude", ".geminiignore"), (".gemini", "GEMINI.md", ".aiexclude", ".geminiignore")),
    Agent("aider", "aider", (".aiderignore",), (".aiderignore", ".aider.conf.yml")),
    Agent("windsurf", "Windsurf", (".codeiumignore",), (".windsurf", ".windsurfrules", ".codeiumignore")),
    Agent("jetbrains", "JetBrains AI Assistant", (".aiignore",), (".aiignore",)),
    Agent("continue", "Continue", (".continueignore",), (".continue", ".continueignore")),
    Agent("cline", "Cline", (".clineignore",), (".clinerules", ".clineignore")),
)}
# Cursor ignores these by default, whatever its ignore files say (its "default ignore list").
CURSOR_DEFAULTS = (".env", ".env.*")
CLAUDE_SETTINGS = (".claude/settings.json", ".claude/settings.local.json")


def parse_agents(text: str | None) -> tuple[str, ...] | None:
    """``cursor,claude`` → ("cursor", "claude"); None when not given; unknown names refused."""
    if text is None:
        return None
    names = tuple(dict.fromkeys(n.strip().lower() for n in text.split(",") if n.strip()))
    unknown = [n for n in names if n not in AGENTS]
    if unknown or not names:
        raise ScanError(f"--agents: unknown agent {', '.join(unknown) or repr(text)} "
                        f"(known: {', '.join(AGENTS)})")
    return names


def detect(project: Path) -> tuple[str, ...]:
    """The agents this project shows signs of: their folders, rule or ignore files."""
    return tuple(a.id for a in AGENTS.values() if any(_exists(project / m) for m in a.markers))


def _exists(path: Path) -> bool:
    try:
        path.lstat()
        return True
    except OSError:
        return False
