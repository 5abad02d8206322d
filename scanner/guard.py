"""``tokenreach guard``: the fence entries that would keep each agent's file tools off every file
holding a token, and (``--write``) the smallest edits that add them.

* An ignore file (gitignore syntax) gets a marked block at its end; entries already in the file
  are not repeated, the user's lines are never touched.
* A Claude Code settings file gets its missing ``Read(…)`` rules inserted into
  ``permissions.deny`` in place: every other byte stays where it was, and the result is parsed
  back before it is written. A file that is not valid JSON is refused (the rules are printed).
* Running it twice changes nothing.

What no fence can help is said, with what to do instead: a tracked file is in every clone (rotate
the token); a file outside this project cannot be named by a gitignore-syntax ignore file; a
file in another project is fenced in that project. Claude Code's ``~/`` rules reach the home
folder; they go to ``.claude/settings.local.json``, the personal file.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from tokenreach.scanner.errors import ScanError
from tokenreach.scanner.fences import AGENTS, title
from tokenreach.scanner.model import Finding, Location
from tokenreach.scanner.output_file import write_text
from tokenreach.scanner.reading import CONFIG_CAP, RefusedFile, read_regular_file

BEGIN = "# >>> tokenreach guard: files that hold tokens, kept from this agent's file tools"
END = "# <<< tokenreach guard"
CLAUDE_PROJECT = ".claude/settings.json"
CLAUDE_PERSONAL = ".claude/settings.local.json"
_FENCEABLE_IN_PROJECT = ("ignored", "untracked", "git-config")


@dataclass
class Plan:
    """What guard would write, file by file, and what it cannot fence."""

    entries: dict[str, list[str]] = field(default_factory=dict)  # fence file (relative) → new entries
    cannot: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)

    def add(self, fence_file: str, entry: str) -> None:
        items = self.entries.setdefault(fence_file, [])
        if entry not in items:
            items.append(entry)


def plan(findings: Iterable[Finding], agents: tuple[str, ...]) -> Plan:
    out = Plan()
    seen: set[tuple[str, str]] = set()
    for f in findings:
        for loc in f.locations:
            if loc.exposure in ("history", "staged", "stdin"):
                continue
            if (loc.path, loc.exposure) in seen:
                continue
            seen.add((loc.path, loc.exposure))
            _plan_location(out, loc, agents)
    return out


def _plan_location(out: Plan, loc: Location, agents: tuple[str, ...]) -> None:
    path = loc.path.split("!/", 1)[0]
    if loc.exposure == "environment":
        out.cannot.append(f"{path}: an environment variable; no file fence hides it from an agent's terminal "
                          "(`env` prints it). Unset it where agents run, or narrow the token.")
        return
    if loc.exposure == "tracked":
        out.cannot.append(f"{path}: tracked by git, so it is in every clone and fork; no fence keeps it from them. "
                          "Rotate the token and keep its replacement out of the repository.")
        return
    fenced = {a for a, _ in loc.fenced_from}
    for agent in agents:
        if agent in fenced:
            source = dict(loc.fenced_from)[agent]
            out.already.append(f"{path}: {title(agent)} already fenced ({source})")
            continue
        if agent == "claude":
            if loc.exposure in _FENCEABLE_IN_PROJECT:
                out.add(CLAUDE_PROJECT, f"Read(./{_gitignore_escape(path)})")
            elif loc.exposure == "home" and path.startswith("~/"):
                out.add(CLAUDE_PERSONAL, f"Read({path})")
            else:
                out.cannot.append(f"{path}: in another project; fence it there (its .claude/settings.json), "
                                  "or better, move the token out of reach.")
            continue
        ignore_file = AGENTS[agent].ignore_files[0] if AGENTS[agent].ignore_files else None
        if ignore_file is None:
            continue
        if loc.exposure in _FENCEABLE_IN_PROJECT:
            out.add(ignore_file, "/" + _gitignore_escape(path))
        elif loc.exposure == "home":
            out.cannot.append(f"{path}: {title(agent)}'s ignore files cannot reach it (outside this project); "
                              "its terminal reads it anyway. Rotate the token, or log the CLI out where agents run.")
        else:
            out.cannot.append(f"{path}: in another project; {title(agent)}'s ignore file there "
                              f"({ignore_file}) can fence it, this project's cannot.")


def _gitignore_escape(path: str) -> str:
    """A path as one literal gitignore pattern: special characters escaped."""
    out = "".join("\\" + c if c in "*?[]!#\\" else c for c in path)
    return out[:-1] + "\\ " if out.endswith(" ") else out


# Writing ------------------------------------------------------------------------------------------


def apply(project: Path, p: Plan) -> list[str]:
    """Write every planned entry that is still missing; the lines written, one per file."""
    done = []
    for rel, entries in p.entries.items():
        target = project / rel
        old = _read(target)
        if rel.endswith(".json"):
            new = add_deny_rules(old, entries, rel)
        else:
            new = add_ignore_entries(old, entries)
        if new != old:
            target.parent.mkdir(parents=True, exist_ok=True)
            write_text(target, new, inside=project)
            done.append(f"wrote {rel}")
    return done


def _read(path: Path) -> str:
    try:
        return read_regular_file(path, CONFIG_CAP).decode("utf-8")
    except FileNotFoundError:
        return ""
    except (OSError, RefusedFile, UnicodeDecodeError) as exc:
        raise ScanError(f"{path}: cannot be edited ({getattr(exc, 'strerror', None) or exc})") from None


def missing_ignore_entries(text: str, entries: list[str]) -> list[str]:
    present = {line.strip() for line in text.splitlines()}
    return [e for e in entries if e not in present]


def add_ignore_entries(text: str, entries: list[str]) -> str:
    """``text`` with the missing entries added to the guard's block (created at the end)."""
    missing = missing_ignore_entries(text, entries)
    if not missing:
        return text
    lines = text.splitlines(keepends=True)
    end_at = next((i for i, line in enumerate(lines) if line.strip() == END), None)
    if end_at is not None and any(line.strip() == BEGIN for line in lines[:end_at]):
        return "".join(lines[:end_at]) + "".join(e + "\n" for e in missing) + "".join(lines[end_at:])
    prefix = text if not text or text.endswith("\n") else text + "\n"
    gap = "\n" if prefix.strip() else ""
    return prefix + gap + BEGIN + "\n" + "".join(e + "\n" for e in missing) + END + "\n"


def add_deny_rules(text: str, rules: list[str], shown: str) -> str:
    """``text`` (a settings file's JSON) with the missing rules appended to ``permissions.deny``,
    inserted in place so that every other byte is kept; checked by parsing the result."""
    if not text.strip():
        body = ",\n".join(f"      {json.dumps(r)}" for r in rules)
        return '{\n  "permissions": {\n    "deny": [\n' + body + "\n    ]\n  }\n}\n"
    try:
        before = json.loads(text)
    except ValueError:
        raise ScanError(f"{shown}: not valid JSON; add these rules to permissions.deny by hand: "
                        + ", ".join(rules)) from None
    if not isinstance(before, dict):
        raise ScanError(f"{shown}: not a JSON object; add these rules to permissions.deny by hand")
    perms = before.get("permissions")
    deny = perms.get("deny") if isinstance(perms, dict) else None
    if (perms is not None and not isinstance(perms, dict)) or (deny is not None and not isinstance(deny, list)):
        raise ScanError(f"{shown}: permissions.deny is not a list; add these rules by hand")
    missing = [r for r in rules if r not in (deny or [])]
    if not missing:
        return text
    spans = _spans(text)
    if deny is not None:
        new = _insert_items(text, spans[("permissions", "deny")], [json.dumps(r) for r in missing])
    elif perms is not None:
        new = _insert_member(text, spans[("permissions",)], "deny", missing)
    else:
        new = _insert_member(text, spans[()], "permissions", {"deny": missing})
    after = json.loads(new)
    expected = dict(before)
    expected["permissions"] = {**(perms or {}), "deny": [*(deny or []), *missing]}
    if after != expected:  # the edit must add exactly the rules, and keep everything else
        raise ScanError(f"{shown}: could not be edited safely; add these rules to permissions.deny by hand: "
                        + ", ".join(missing))
    return new


def _spans(text: str) -> dict[tuple[str, ...], tuple[int, int]]:
    """(start, end) offsets of every object and array, by key path (array items are not entered
    by key). Walks the JSON text once, strings skipped with their escapes."""
    out: dict[tuple[str, ...], tuple[int, int]] = {}
    stack: list[tuple[tuple[str, ...], int, str]] = []  # (path, start, kind)
    key: str | None = None
    last_string: str | None = None
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            last_string = json.loads(text[i:j + 1])
            i = j + 1
            continue
        if c == ":":
            key = last_string
        elif c in "{[":
            path = stack[-1][0] if stack else ()
            if stack and stack[-1][2] == "{" and key is not None:
                path = (*path, key)
            elif stack and stack[-1][2] == "[":
                path = (*path, "[]")
            stack.append((path, i, c))
            key = None
        elif c in "}]":
            path, start, _ = stack.pop()
            out.setdefault(path, (start, i))
        elif c == ",":
            key = None
        i += 1
    return out


def _indent_of(text: str, pos: int) -> str:
    line_start = text.rfind("\n", 0, pos) + 1
    line = text[line_start:pos]
    return line[:len(line) - len(line.lstrip())]


def _insert_items(text: str, span: tuple[int, int], items: list[str]) -> str:
    start, end = span
    inner = text[start + 1:end]
    if not inner.strip():  # an empty list: one item per line, indented one step deeper
        base = _indent_of(text, start)
        step = "  "
        body = ",\n".join(base + step + it for it in items)
        return text[:start + 1] + "\n" + body + "\n" + base + text[end:]
    last = start + 1 + len(inner.rstrip())  # just after the last item
    first = inner[:len(inner) - len(inner.lstrip())]
    sep = ("," + first) if "\n" in first else ", "
    return text[:last] + "".join(sep + it for it in items) + text[last:]


def _insert_member(text: str, span: tuple[int, int], name: str, value: object) -> str:
    start, end = span
    inner = text[start + 1:end]
    base = _indent_of(text, start)
    first = inner[:len(inner) - len(inner.lstrip())]
    member_indent = first.rsplit("\n", 1)[-1] if "\n" in first else base + "  "
    rendered = json.dumps(value, indent=2).replace("\n", "\n" + member_indent)
    member = f"{json.dumps(name)}: {rendered}"
    if not inner.strip():
        return text[:start + 1] + "\n" + member_indent + member + "\n" + base + text[end:]
    last = start + 1 + len(inner.rstrip())
    sep = ("," + first) if "\n" in first else ", "
    return text[:last] + sep + member + text[last:]


def report(p: Plan, agents: tuple[str, ...], how: str, written: list[str] | None) -> str:
    lines = [f"tokenreach guard: agents {', '.join(title(a) for a in agents)} ({how})"]
    if p.entries:
        lines.append("Fence entries" + (" written:" if written is not None else " to add (--write adds them):"))
        for rel, entries in p.entries.items():
            where = f"{rel} (permissions.deny)" if rel.endswith(".json") else rel
            lines.append(f"  {where}")
            lines.extend(f"    {e}" for e in entries)
    if p.cannot:
        lines.append("Cannot be fenced:")
        lines.extend(f"  {c}" for c in p.cannot)
    if p.already:
        lines.append("Already fenced:")
        lines.extend(f"  {a}" for a in p.already)
    if written is not None:
        lines.extend(written or ["nothing to write: every entry is already there"])
    lines.append("A fence keeps an agent's file tools out; its terminal can still read the file. "
                 "The real remedy is a narrower token kept out of reach.")
    return "\n".join(lines) + "\n"
