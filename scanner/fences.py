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
import os
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from tokenreach.scanner.errors import ScanError
from tokenreach.scanner.model import Finding, Location
from tokenreach.scanner.reading import CONFIG_CAP, RefusedFile, read_regular_file

if TYPE_CHECKING:
    import pathspec


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


def agents_for(project: Path, chosen: tuple[str, ...] | None) -> tuple[str, ...]:
    return chosen if chosen is not None else detect(project)


@dataclass(frozen=True)
class Rule:
    """One fence: files under ``base`` that ``spec`` matches (None: every file) are fenced off
    from ``agent``'s file tools, as ``source`` says."""

    agent: str
    source: str  # ".cursorignore", "~/.claude/settings.json: Read(~/.aws/**)" …
    base: Path | None  # None: the project, for paths inside it only
    spec: pathspec.PathSpec | None
    project_only: bool = True


@dataclass
class Fences:
    project: Path
    home: Path
    agents: tuple[str, ...]
    rules: list[Rule] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    _cache: dict[tuple[str, str], tuple[tuple[str, str], ...]] = field(default_factory=dict, repr=False)

    def fenced(self, loc: Location) -> tuple[tuple[str, str], ...]:
        """(agent, source) for each configured agent whose file tools are fenced off from ``loc``.
        Computed once per (path, exposure): a token repeated in 50,000 places costs little."""
        key = (loc.path, loc.exposure)
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = self._fenced(loc)
        return found

    def _fenced(self, loc: Location) -> tuple[tuple[str, str], ...]:
        target = self.path_of(loc)
        if target is None:
            return ()
        inside = _relative(target, str(self.project))
        out: dict[str, str] = {}
        for rule in self.rules:
            if rule.agent in out:
                continue
            if rule.agent == "cursor" and rule.source == ".gitignore":
                if loc.exposure == "ignored":
                    out["cursor"] = ".gitignore"
                continue
            rel = inside if rule.base is None else _relative(target, str(rule.base))
            if rel is None:
                continue
            if rule.spec is None or rule.spec.match_file(rel):
                out[rule.agent] = rule.source
        return tuple((a, out[a]) for a in self.agents if a in out)

    def path_of(self, loc: Location) -> str | None:
        """The file a location is, on this machine (an absolute path); None for history, the
        environment, standard input."""
        path = loc.path.split("!/", 1)[0]  # a member of an archive: the archive's own file
        if loc.exposure in ("tracked", "ignored", "untracked", "git-config", "staged"):
            return os.path.join(self.project, path)
        if loc.exposure == "home" and path.startswith("~/"):
            return os.path.join(self.home, path[2:])
        if loc.exposure == "nearby":
            return os.path.normpath(os.path.join(self.project, path))
        return None


def _relative(target: str, base: str) -> str | None:
    """``target`` relative to the folder ``base`` (POSIX separators), or None when outside it."""
    prefix = base if base.endswith(os.sep) else base + os.sep
    if not target.startswith(prefix):
        return None
    return target[len(prefix):].replace(os.sep, "/")


def load(project: Path, home: Path, agents: tuple[str, ...]) -> Fences:
    """Every fence of the configured agents, read from their files (a bad file is a problem, said)."""
    fences = Fences(project, home, agents)
    for agent_id in agents:
        agent = AGENTS[agent_id]
        for name in agent.ignore_files:
            lines = _read_lines(project / name, name, fences.problems)
            if lines:
                fences.rules.append(Rule(agent_id, name, None, _gitignore(lines)))
        if agent_id == "cursor":
            fences.rules.append(Rule("cursor", ".gitignore", None, None))
            fences.rules.append(Rule("cursor", "Cursor's default ignore list", None,
                                     _gitignore(CURSOR_DEFAULTS)))
        if agent_id == "claude":
            for shown, path in (("~/.claude/settings.json", home / ".claude/settings.json"),
                                *((name, project / name) for name in CLAUDE_SETTINGS)):
                for rule in deny_rules(path, shown, fences.problems):
                    fenced = claude_rule(rule, project, home)
                    if fenced is not None:
                        base, spec = fenced
                        # The rule is the repository's text: bounded here, escaped by each report.
                        shown_rule = rule if len(rule) <= 200 else rule[:200] + "…"
                        fences.rules.append(Rule("claude", f"{shown}: {shown_rule}", base, spec))
    return fences


def _read_lines(path: Path, shown: str, problems: list[str]) -> list[str]:
    try:
        data = read_regular_file(path, CONFIG_CAP)
    except FileNotFoundError:
        return []
    except (OSError, RefusedFile) as exc:
        problems.append(f"{shown}: not read as a fence ({getattr(exc, 'strerror', None) or exc})")
        return []
    return data.decode("utf-8", "replace").splitlines()


def deny_rules(path: Path, shown: str, problems: list[str]) -> list[str]:
    """The ``permissions.deny`` entries of a Claude Code settings file (none when it is absent)."""
    lines = _read_lines(path, shown, problems)
    if not lines:
        return []
    try:
        data = json.loads("\n".join(lines))
    except ValueError:
        problems.append(f"{shown}: not valid JSON, its deny rules were not read")
        return []
    perms = data.get("permissions") if isinstance(data, dict) else None
    deny = perms.get("deny") if isinstance(perms, dict) else None
    return [r for r in deny if isinstance(r, str)] if isinstance(deny, list) else []


def _gitignore(lines: Iterable[str]) -> pathspec.PathSpec:
    # Imported here: pathspec takes 20 ms to import, a tenth of a pre-commit run with no fence.
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines(lines)


def claude_rule(rule: str, project: Path, home: Path) -> tuple[Path | None, pathspec.PathSpec | None] | None:
    """What a deny rule fences from reading: (base, pattern), or None for rules of other tools.

    ``Read`` alone: every file. ``Read(//p)``: p from the filesystem root; ``Read(~/p)``: from the
    home folder; ``Read(/p)``: from the project root; ``Read(./p)`` / ``Read(p)``: from the project.
    """
    rule = rule.strip()
    if rule == "Read":
        return Path(project.anchor), None
    if not (rule.startswith("Read(") and rule.endswith(")")):
        return None
    arg = rule[5:-1].strip()
    if not arg:
        return Path(project.anchor), None
    if arg.startswith("//"):
        base, pattern = Path(project.anchor), "/" + arg[2:]
    elif arg.startswith("~/"):
        base, pattern = home, "/" + arg[2:]
    elif arg.startswith("./"):
        base, pattern = project, "/" + arg[2:]
    elif arg.startswith("/"):
        base, pattern = project, arg
    else:
        base, pattern = project, arg
    return base, _gitignore([pattern])


def apply(findings: Iterable[Finding], project: Path, agents: tuple[str, ...], home: Path | None = None) -> list[str]:
    """Fill each location's ``fenced_from`` and ``readable_by``, and say in each finding's reasons
    which fences exist (a fence never lowers severity: the agent's terminal is not fenced).
    Returns the problems met reading fence files."""
    if not agents:  # nothing to say, and nothing to spend on a scan of 100,000 findings
        return []
    # Absolute, so that a Read(//…) rule compares with the same kind of path (not resolved: the
    # locations are shown relative to the project as given).
    fences = load(Path(os.path.abspath(project)), home or Path.home(), agents)
    for f in findings:
        located: list[Location] = []
        for loc in f.locations:
            fenced = fences.fenced(loc)
            fenced_ids = {a for a, _ in fenced}
            located.append(replace(loc, fenced_from=fenced,
                                   readable_by=tuple(a for a in agents if a not in fenced_ids)))
        f.locations = located
        f.reasons.extend(reasons(located, agents))
    return fences.problems


def title(agent: str) -> str:
    return AGENTS[agent].title if agent in AGENTS else agent


def titles(agents: Iterable[str]) -> str:
    names = [title(a) for a in agents]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def reasons(locations: list[Location], agents: tuple[str, ...]) -> list[str]:
    """"Cursor's file tools cannot read .env (.cursorignore); an agent's terminal can." and who
    can read the most exposed places, at most three lines of each."""
    if not agents:
        return []
    out: list[str] = []
    ordered = sorted(locations, key=Location.sort_key)
    for loc in [loc for loc in ordered if loc.fenced_from][:3]:
        for agent, source in loc.fenced_from:
            out.append(f"{title(agent)}'s file tools cannot read {loc.path} ({source}); an agent's terminal can.")
    for loc in [loc for loc in ordered if loc.readable_by][:3]:
        how = "with its file tools and terminal" if len(loc.readable_by) == 1 else "with their file tools and terminals"
        if loc.exposure in ("history", "staged", "environment", "stdin"):
            how = "through its terminal" if len(loc.readable_by) == 1 else "through their terminals"
        out.append(f"{titles(loc.readable_by)} can read {loc.path} {how}: no fence covers it.")
    return out


# Places a file fence could keep an agent's file tools from (not history, the environment, stdin).
_FILE_EXPOSURES = frozenset({"tracked", "ignored", "untracked", "git-config", "staged", "home", "nearby"})


def agent_readable(f: Finding) -> list[Location]:
    """The files holding this token that a configured agent's file tools can read, when the token
    is live or over-privileged (the opt-in check of ``ci github`` and the pre-commit hook)."""
    if not (f.over_privileged or (f.access is not None and f.access.live)):
        return []
    return [loc for loc in f.locations if loc.readable_by and loc.exposure in _FILE_EXPOSURES]


def readable_lines(findings: Iterable[Finding]) -> list[str]:
    """One line per such file: ``.env: a live Railway token, readable by Cursor's file tools``."""
    out = []
    for f in findings:
        state = ", ".join(s for s, on in (("live", f.access is not None and f.access.live),
                                           ("over-privileged", f.over_privileged)) if on)
        for loc in agent_readable(f):
            out.append(f"{loc.path}: {f.pattern_name} {f.redacted} ({state}), readable by "
                       f"{titles(loc.readable_by)}'s file tools: fence it (tokenreach guard) and rotate it")
    return out
