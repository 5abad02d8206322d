"""`tokenreach allow FINGERPRINT --reason TEXT`: accept one token in the repository's `.tokenreach.toml`.

The file belongs to people: it is edited, never rewritten. The fingerprint goes into the top-level
``allow`` list as one new line with the reason as its comment; a file without the list gets one
above its first table. The result is parsed again and must equal the old configuration plus that
one fingerprint, or nothing is written (the user is told what to add by hand).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

from tokenreach.scanner import config as configs
from tokenreach.scanner.cli.common import errors_exit_2
from tokenreach.scanner.errors import ScanError
from tokenreach.scanner.output_file import OutputError, write_text
from tokenreach.scanner.run import root_of

CONFIG_NAME = ".tokenreach.toml"
_FINGERPRINT = re.compile(r"[0-9a-f]{32}")
_ALLOW_LINE = re.compile(r"^allow[ \t]*=[ \t]*\[", re.MULTILINE)
_TABLE = re.compile(r"^[ \t]*\[", re.MULTILINE)
_MAX_REASON = 200


def allow_command(
    fingerprint: Annotated[str, typer.Argument(help="The token's fingerprint (`tokenreach scan -v` shows it).")],
    reason: Annotated[str, typer.Option("--reason", help="Why this token is accepted (kept as a comment).")],
    path: Annotated[Path, typer.Option("--path", help="The repository (default: the current one).")] = Path("."),
) -> None:
    """Accept one token: add its fingerprint to the repository's .tokenreach.toml allow list, with
    the reason as a comment. Later scans do not report it (nor send it anywhere)."""
    with errors_exit_2():
        fp = _checked_fingerprint(fingerprint)
        why = _checked_reason(reason)
        if not path.is_dir():
            raise ScanError(f"{path}: not a folder")
        root = root_of(path)
        target = root / CONFIG_NAME
        if not target.exists() and configs.find(root) is not None:
            raise ScanError(f"{configs.find(root)}: the configuration is in [tool.tokenreach]; a "
                            f"{CONFIG_NAME} would replace it: add \"{fp}\" to its allow list by hand")
        try:
            text = configs.read_text(target) if target.exists() else ""
        except configs.ConfigError as exc:  # the same reading, and the same words, as a scan's
            raise ScanError(str(exc)) from None
        before = _parse(text, target)
        if fp in _allow_list(before, target):
            typer.echo(f"tokenreach: {fp} is already allowed in {target}", err=True)
            return
        after = _with_entry(text, fp, why)
        expected = {**before, "allow": [*before.get("allow", []), fp]}
        if _parsed_or_none(after) != expected:
            raise ScanError(f"{target}: cannot add the entry without rewriting the file: add "
                            f"\"{fp}\",  # {why} to its allow list by hand")
        try:
            write_text(target, after, inside=root)
        except OutputError:
            raise
        except OSError as exc:
            raise ScanError(f"{target}: cannot write ({exc.strerror or exc})") from None
    typer.echo(f"tokenreach: {fp} allowed in {target}", err=True)


def _checked_fingerprint(value: str) -> str:
    fp = value.strip().lower()
    if not _FINGERPRINT.fullmatch(fp) or fp != value.lower():
        raise ScanError("not a tokenreach fingerprint (32 hex characters, as `tokenreach scan -v` "
                        "or the JSON report's \"fingerprint\" shows it)")
    return fp


def _checked_reason(value: str) -> str:
    why = value.strip()
    if not why:
        raise ScanError("--reason must say why the token is accepted")
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in why):
        raise ScanError("--reason must be one line of text (no control characters)")
    if len(why) > _MAX_REASON:
        raise ScanError(f"--reason is longer than {_MAX_REASON} characters")
    return why


def _parse(text: str, target: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScanError(f"{target}: invalid TOML ({exc}); fix it first") from None
    except RecursionError:
        raise ScanError(f"{target}: invalid TOML (nested too deeply); fix it first") from None


def _parsed_or_none(text: str) -> dict[str, Any] | None:
    try:
        return tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError):
        return None


def _allow_list(data: dict[str, Any], target: Path) -> list[Any]:
    allow = data.get("allow", [])
    if not isinstance(allow, list):
        raise ScanError(f"{target}: allow must be a list of fingerprints")
    return allow


def _with_entry(text: str, fp: str, why: str) -> str:
    """``text`` with one more line in its top-level allow list (or a new list)."""
    m = _ALLOW_LINE.search(text)
    first_table = _TABLE.search(text)
    if m is None or (first_table is not None and first_table.start() < m.start()):
        block = f'allow = [\n  "{fp}",  # {why}\n]\n'
        if first_table is None:
            return text + ("\n" if text and not text.endswith("\n") else "") + block
        return text[:first_table.start()] + block + "\n" + text[first_table.start():]
    close, last = _array_end(text, m.end())
    if close < 0:
        return text  # the verification refuses it
    comma = "" if text[last] in "[," else ","
    line_start = text.rfind("\n", 0, close) + 1
    if text[line_start:close].strip():  # "]" shares its line with values: break it
        entry = f'\n  "{fp}",  # {why}\n'
        return text[:last + 1] + comma + text[last + 1:close] + entry + text[close:]
    entry = f'{_indent(text, m.end(), close)}"{fp}",  # {why}\n'
    return text[:last + 1] + comma + text[last + 1:line_start] + entry + text[line_start:]


def _array_end(text: str, start: int) -> tuple[int, int]:
    """(offset of the "]" closing the array opened just before ``start``, offset of its last
    character that is neither blank nor comment); (-1, -1) when the array never closes."""
    depth, i, last = 1, start, start - 1
    while i < len(text):
        c = text[i]
        if c == "#":
            nl = text.find("\n", i)
            i = len(text) if nl < 0 else nl
            continue
        if c in "\"'":
            end = text.find(c, i + 1)  # fingerprints and the reasons' own strings hold no escapes
            if end < 0:
                return -1, -1
            last, i = end, end + 1
            continue
        if c == "[":
            depth += 1
        elif c == "]":
            depth -= 1
            if depth == 0:
                return i, last
        if not c.isspace():
            last = i
        i += 1
    return -1, -1


def _indent(text: str, start: int, close: int) -> str:
    """The indentation of the list's last entry line, else two spaces."""
    lines = [ln for ln in text[start:close].split("\n")[1:] if ln.strip() and not ln.lstrip().startswith("#")]
    if not lines:
        return "  "
    last = lines[-1]
    return last[:len(last) - len(last.lstrip())] or "  "
