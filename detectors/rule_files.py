"""Rule files: a provider's patterns as data (``detectors/rules/<provider>.toml``, or a user's file).

One TOML file describes one provider: its id, name and remediation facts, and its rules, each a
regex with keywords, kind, literal examples and counterexamples and declarative offline checks
(``detectors/checks.py``). docs/rules.md is the reference for the format.

A provider that needs code (a lookup, offline classification, an unusual check) keeps its Python
module, which reads its patterns from its file with :func:`rules_for`; every other provider is its
file alone, made into a :class:`RuleDetector` by the registry. Users' rule files (``--rules``,
``rules = [...]`` in configuration) go through :func:`load_user_rules`, with stricter checks: every
regex must compile in both engines, and a provider id must not be a built-in one.

Every problem is a :class:`RuleError` whose one-line message names the file and the line.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import re
import stat
import sys
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, cached_property, lru_cache
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

from tokenreach.detectors import catalog, checks
from tokenreach.detectors.base import Detector, Pattern

RULES_DIR = Path(__file__).resolve().parent / "rules"
MAX_FILE_SIZE = 1 << 20  # a rule file is text a person writes; a megabyte is far past any

PROVIDER_ID = re.compile(r"[a-z0-9][a-z0-9_]{0,39}")
_RULE_ID = re.compile(r"[a-z0-9][a-z0-9_]{0,39}\.[a-z0-9][a-z0-9_.\-]{0,79}")
FILE_KEYS = ("provider", "name", "revoke_url", "least_privilege", "rotate_hint", "generic", "context", "rules")
RULE_KEYS = ("id", "name", "regex", "named", "value", "gap", "keywords", "kind", "lookup", "prefilter", "examples",
             "counterexamples", "check", "public")
# A name in ``named`` that is a plain word is also its keyword; anything else is a regex.
_PLAIN_NAME = re.compile(r"[a-z0-9][a-z0-9_\-]*")
_MAX_GAP = 80
_SEPARATOR = re.compile(r"[_\-]")
_MIN_KEYWORD = 4  # a shorter literal (api, key, io) is in too many files to prefilter anything
# A provider's name shorter than this is too often an ordinary word in code (line, here, split,
# close) for the client, YAML and URL forms of catalog.after_provider: each would cost every scan.
_MIN_PROVIDER_WORD = 6
_PROVIDER_WORD = re.compile(r"[a-z0-9]+")
_NOT_PROVIDER_WORDS = frozenset({"secret", "appsecret", "apikey"})  # keywords that name no provider


def _any_separator(name: str) -> tuple[str, str]:
    """A plain name as code spells it in every case style: ``acme_api`` is also ``acme.api``,
    ``acme-api`` and ``acmeApi`` (the pattern is case-insensitive). Returns the name's regex and
    the literal every match of it holds (its longest word), or the name itself where that word
    would be too short to be worth a prefilter."""
    words = _SEPARATOR.split(name)
    longest = max(words, key=len)
    if len(words) == 1 or len(longest) < _MIN_KEYWORD:
        return name, name
    return r"[_.\-]?".join(words), longest


class RuleError(Exception):
    """A rule file that cannot be used. ``str()`` is one line: ``file:line: what is wrong``."""

    def __init__(self, path: str, line: int | None, message: str) -> None:
        self.path, self.line, self.message = path, line, message
        super().__init__(f"{path}:{line}: {message}" if line else f"{path}: {message}")


@dataclass(frozen=True)
class RuleFile:
    """One parsed rule file."""

    path: str
    provider: str
    name: str
    patterns: tuple[Pattern, ...]
    revoke_url: str | None = None
    least_privilege: str | None = None
    rotate_hint: str | None = None
    generic: bool = False
    context: Mapping[str, str] = field(default_factory=dict)


class RuleDetector(Detector):
    """A provider defined by a rule file alone: detection and the default offline classification,
    no lookup. ``user`` marks one read from a user's rule file."""

    def __init__(self, spec: RuleFile, user: bool = False) -> None:
        self.provider = spec.provider
        self.title = spec.name
        self.patterns = spec.patterns
        self.revoke_url = spec.revoke_url
        self.least_privilege = spec.least_privilege
        self.rotate_hint = spec.rotate_hint
        self.generic = spec.generic
        self.context_patterns = dict(spec.context)
        self.source = spec.path
        self.user = user

    def __repr__(self) -> str:
        return f"RuleDetector({self.provider!r}, {self.source!r})"


# Reading ----------------------------------------------------------------------------------------


def load(path: Path, *, strict: bool = False) -> RuleFile:
    """Read and check one rule file. ``strict`` (users' files) also compiles every regex in ``re``
    and, when it is installed, Hyperscan, so that a broken rule stops the run with its line."""
    where = str(path)
    try:
        # Only a regular file, and only so much of it: a FIFO or /dev/zero named as a rule file
        # must not hang the run.
        with open(path, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                raise RuleError(where, None, "not a regular file")
            raw = fh.read(MAX_FILE_SIZE + 1)
        if len(raw) > MAX_FILE_SIZE:
            raise RuleError(where, None, f"larger than {MAX_FILE_SIZE // 1024} KB: not a rule file")
        text = raw.decode("utf-8")
    except OSError as exc:
        raise RuleError(where, None, f"cannot read ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise RuleError(where, None, "not UTF-8 text") from None
    return parse(text, where, strict=strict)


def parse(text: str, where: str, *, strict: bool = False) -> RuleFile:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        at = re.search(r"\s*\(at line (\d+), column \d+\)$", message)
        line = int(at.group(1)) if at else None
        raise RuleError(where, line, f"invalid TOML: {message[:at.start()] if at else message}") from None
    except RecursionError:
        raise RuleError(where, None, "invalid TOML: nested too deeply") from None
    return _Reader(lambda: text, where, strict).file(data)


class _Reader:
    """Checks a parsed file field by field; errors point at the line that holds the field (the
    text is read for that only, when there is an error)."""

    def __init__(self, text: Callable[[], str], where: str, strict: bool) -> None:
        self._text = text
        self.where = where
        self.strict = strict

    @cached_property
    def lines(self) -> list[str]:
        try:
            return self._text().splitlines()
        except (OSError, UnicodeDecodeError):
            return []

    @cached_property
    def rule_starts(self) -> list[int]:
        return [i + 1 for i, line in enumerate(self.lines) if re.match(r"\s*\[\[\s*rules\s*\]\]", line)]

    # where things are --------------------------------------------------------------------------

    def line_of(self, key: str, rule: int | None = None) -> int | None:
        """The line of ``key = …`` (top level when ``rule`` is None, else in the rule-th
        ``[[rules]]`` block); the block's own line when the key is not found there."""
        if rule is None:
            lo, hi = 0, (self.rule_starts[0] - 1 if self.rule_starts else len(self.lines))
        elif rule < len(self.rule_starts):
            lo = self.rule_starts[rule] - 1
            hi = self.rule_starts[rule + 1] - 1 if rule + 1 < len(self.rule_starts) else len(self.lines)
        else:  # rules given inline (rules = [{…}]): the line of "rules"
            return self.line_of("rules")
        leaf = key.rsplit(".", 1)[-1].split("[", 1)[0]
        pattern = re.compile(rf"(?:^|[\s{{,]){re.escape(leaf)}\s*=|^\s*\[+\s*rules\.{re.escape(leaf)}\s*\]")
        for i in range(lo, hi):
            if pattern.search(self.lines[i]):
                return i + 1
        if rule is None:
            return None
        return lo + 1

    def error(self, message: str, key: str, rule: int | None = None, rule_id: str | None = None) -> RuleError:
        who = f"rule {rule_id!r}: " if rule_id else (f"rules[{rule}]: " if rule is not None else "")
        return RuleError(self.where, self.line_of(key, rule), f"{who}{_shown_key(key)}: {message}")

    # the file ----------------------------------------------------------------------------------

    def file(self, data: dict[str, Any]) -> RuleFile:
        unknown = sorted(set(data) - set(FILE_KEYS))
        if unknown:
            raise self.error(f"unknown key (known: {', '.join(FILE_KEYS)})", unknown[0])
        provider = data.get("provider")
        if not isinstance(provider, str) or not PROVIDER_ID.fullmatch(provider):
            raise self.error("required: a lowercase id of letters, digits and _ (at most 40), e.g. "
                             '"acme_cloud"', "provider")
        name = self.text(data, "name", required=True)
        meta = {k: self.text(data, k) for k in ("revoke_url", "least_privilege", "rotate_hint")}
        if meta["revoke_url"] is not None and not meta["revoke_url"].startswith("https://"):
            raise self.error("must be an https:// URL", "revoke_url")
        generic = data.get("generic", False)
        if not isinstance(generic, bool):
            raise self.error("must be true or false", "generic")
        context = data.get("context", {})
        if not isinstance(context, dict) or not all(isinstance(v, str) and v for v in context.values()):
            raise self.error("must be a table of name = regex", "context")
        for key, rx in context.items():
            self.compiles(rx, f"context.{key}", None, None, hyperscan=False)
        rules = data.get("rules")
        if not isinstance(rules, list) or not rules or not all(isinstance(r, dict) for r in rules):
            raise self.error("required: at least one [[rules]] table", "rules")
        patterns = tuple(self.rule(r, i, provider) for i, r in enumerate(rules))
        ids = [p.id for p in patterns]
        for i, pid in enumerate(ids):
            if pid in ids[:i]:
                raise self.error("the same id as an earlier rule", "id", i, pid)
        return RuleFile(path=self.where, provider=provider, name=str(name), patterns=patterns,
                        revoke_url=meta["revoke_url"], least_privilege=meta["least_privilege"],
                        rotate_hint=meta["rotate_hint"], generic=generic, context=dict(context))

    def text(self, data: dict[str, Any], key: str, required: bool = False, rule: int | None = None,
             rule_id: str | None = None) -> str | None:
        value = data.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.error("required: a non-empty string" if value is None else "must be a non-empty string",
                             key, rule, rule_id)
        return value

    def strings(self, data: dict[str, Any], key: str, rule: int, rule_id: str, required: bool) -> tuple[str, ...]:
        value = data.get(key, [] if not required else None)
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value) or (required and not value):
            what = "a non-empty list" if required else "a list"
            raise self.error(f"must be {what} of non-empty strings", key, rule, rule_id)
        return tuple(value)

    def rule(self, r: dict[str, Any], i: int, provider: str) -> Pattern:
        rid = r.get("id")
        if not isinstance(rid, str) or not _RULE_ID.fullmatch(rid):
            raise self.error(f'required: "{provider}.<name>" (lowercase letters, digits, _ . -)', "id", i)
        if not rid.startswith(provider + "."):
            raise self.error(f"must start with the file's provider id, {provider + '.'!r}", "id", i, rid)
        unknown = sorted(set(r) - set(RULE_KEYS))
        if unknown:
            raise self.error(f"unknown key (known: {', '.join(RULE_KEYS)})", unknown[0], i, rid)
        name = self.text(r, "name", True, i, rid)
        keywords = tuple(k.lower() for k in self.strings(r, "keywords", i, rid, required=False))
        regex: str | None
        names = owner = ""  # a "named" rule's names, and its provider's own, each as one regex
        if "named" in r:
            regex, keywords, names, owner = self.named(r, i, rid, provider, keywords)
        else:
            regex = self.text(r, "regex", True, i, rid)
            for key in ("value", "gap"):
                if key in r:
                    raise self.error('only with "named"', key, i, rid)
        assert name is not None and regex is not None
        prefilter = self.text(r, "prefilter", False, i, rid)
        if prefilter is None and "named" in r:
            prefilter = catalog.assigned_prefilter(names, r["value"], owner)
        kind = self.text(r, "kind", False, i, rid)
        if kind is not None and not re.fullmatch(r"[a-z0-9_]{1,60}", kind):
            raise self.error("must be a lowercase word such as api_key (letters, digits, _)", "kind", i, rid)
        lookup = r.get("lookup", True)
        if not isinstance(lookup, bool):
            raise self.error("must be true or false", "lookup", i, rid)
        public = r.get("public", False)
        if not isinstance(public, bool):
            raise self.error("must be true or false", "public", i, rid)
        examples = self.strings(r, "examples", i, rid, required=True)
        counterexamples = self.strings(r, "counterexamples", i, rid, required=False)
        self.compiles(regex, "regex", i, rid, hyperscan=prefilter is None)
        if prefilter is not None:
            self.compiles(prefilter, "prefilter", i, rid, hyperscan=True)
        validate = None
        if "check" in r:
            try:
                validate = checks.validator(checks.build_all(r["check"]))
            except checks.CheckError as exc:
                raise self.error(exc.message, exc.field, i, rid) from None
        return Pattern(id=rid, name=name, regex=regex, keywords=keywords, examples=examples,
                       counterexamples=counterexamples, kind=kind, validate=validate, lookup=lookup,
                       prefilter=prefilter, public=public, source=self.where)

    def named(self, r: dict[str, Any], i: int, rid: str, provider: str,
              keywords: tuple[str, ...]) -> tuple[str, tuple[str, ...], str, str]:
        """The shared form of a key with no prefix of its own, recognisable only by the provider's name
        in the variable it is assigned to: the names and the value's shape are data, the assignment
        grammar around them (catalog.ASSIGN, every language's way of assigning) is written once."""
        if "regex" in r:
            raise self.error('give either "regex" or "named" with "value", not both', "named", i, rid)
        names = self.strings(r, "named", i, rid, required=True)
        value = self.text(r, "value", True, i, rid)
        assert value is not None
        gap = r.get("gap", 40)
        if isinstance(gap, bool) or not isinstance(gap, int) or not 0 <= gap <= _MAX_GAP:
            raise self.error(f"must be a whole number from 0 to {_MAX_GAP}", "gap", i, rid)
        # The provider's own name, where the credential's name comes after it (catalog.after_provider):
        # the provider id, and the rule's own keywords that name the provider (wandb, hcloud, nexmo).
        words = [_any_separator(provider)]
        words += [(k, k) for k in keywords if _PROVIDER_WORD.fullmatch(k) and k not in _NOT_PROVIDER_WORDS]
        words = [(w, k) for w, k in words if len(k) >= _MIN_PROVIDER_WORD]
        if not keywords:
            if any(not _PLAIN_NAME.fullmatch(n) for n in names):
                raise self.error('a name that is a regex needs "keywords": the literals one of which is in '
                                 "every match", "named", i, rid)
            names, keywords = zip(*map(_any_separator, names), strict=True)
        self.compiles(value, "value", i, rid, hyperscan=False)
        alternatives = "|".join(names)
        owner = "|".join(dict.fromkeys(w for w, _ in words))
        keywords = tuple(dict.fromkeys([*keywords, *(k for _, k in words)]))
        return catalog.assigned(alternatives, value, gap=gap, provider=owner), keywords, alternatives, owner

    def compiles(self, regex: str, key: str, rule: int | None, rule_id: str | None, hyperscan: bool) -> None:
        """Built-in files are compiled by the tests; a user's file here, so that it fails with its line."""
        if not self.strict:
            return
        try:
            re.compile(regex.encode())
        except (re.error, RecursionError, OverflowError) as exc:
            raise self.error(f"invalid regular expression ({exc})", key, rule, rule_id) from None
        if hyperscan:
            problem = hyperscan_problem(regex)
            if problem:
                raise self.error(f"Hyperscan cannot compile it ({problem}); simplify it or give a prefilter",
                                 key, rule, rule_id)


def _shown_key(key: str) -> str:
    """A key as an error names it: the file is the user's, but a key that is not one of ours may
    be anything (a token pasted as a key), so a long one is redacted."""
    head, dot, leaf = key.rpartition(".")
    if len(leaf) <= 20 and re.fullmatch(r"[\w\-\[\]]*", leaf):
        return key
    from tokenreach.detectors.redaction import redact

    return f"{head}{dot}{redact(leaf)!r}"


@lru_cache(maxsize=4096)
def hyperscan_problem(regex: str) -> str | None:
    """Why Hyperscan rejects ``regex`` as the engine would give it, or None (also without Hyperscan)."""
    try:
        import hyperscan
    except ImportError:
        return None
    db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    try:
        db.compile(expressions=[catalog.relax_bounds(regex)], ids=[0], elements=1,
                   flags=[hyperscan.HS_FLAG_SINGLEMATCH])
    except hyperscan.error as exc:
        return str(exc).strip().splitlines()[0] if str(exc).strip() else "rejected"
    return None


# Built-in rule files ------------------------------------------------------------------------------


def builtin_files() -> list[Path]:
    return [RULES_DIR / f"{provider}.toml" for provider in sorted(_builtin_data())]


@cache
def builtin(provider: str) -> RuleFile:
    """The built-in rule file of ``provider`` (``detectors/rules/<provider>.toml``). Once the whole
    catalog's files are read (builtin_files()), from them; before that, this file alone: a run
    whose engine names the one provider it found parses one file, not the cache of 900."""
    path = RULES_DIR / f"{provider}.toml"
    data = _builtin_data().get(provider) if _builtin_data.cache_info().currsize else None
    if data is None:  # read alone; or not there, or it does not parse: load() says why, with the line
        spec = load(path)
    else:
        spec = _Reader(lambda: path.read_text(encoding="utf-8"), str(path), strict=False).file(data)
    if spec.provider != provider:
        raise RuleError(spec.path, None, f"provider {spec.provider!r} does not match the file name")
    return spec


# TOML is slow to parse in pure Python (the catalog's ~170 files take ~60 ms, a third of a
# pre-commit run): the parsed files are cached as marshal data, keyed like a .pyc by each file's
# name, size and modification time, beside the compiled Hyperscan database.
_DATA_VERSION = 1


@cache
def _builtin_data() -> dict[str, dict[str, Any]]:
    try:
        entries = sorted((e.name, e.stat().st_size, e.stat().st_mtime_ns) for e in os.scandir(RULES_DIR)
                         if e.name.endswith(".toml") and e.is_file())
    except OSError:
        return {}
    key = hashlib.sha256(repr((_DATA_VERSION, str(RULES_DIR), sys.version_info[:2], entries)).encode())
    cache_file = _cache_dir() / f"rules-{key.hexdigest()[:24]}.marshal"
    try:
        cached = marshal.loads(cache_file.read_bytes())
        if isinstance(cached, dict):
            return cached
    except (OSError, EOFError, ValueError, TypeError):
        pass  # none yet, or unreadable: parse
    data: dict[str, dict[str, Any]] = {}
    complete = True
    for name, _, _ in entries:
        try:
            data[name[:-5]] = tomllib.loads((RULES_DIR / name).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
            complete = False  # builtin() reports it, file and line, when the file is used
    if complete:
        try:
            raw = marshal.dumps(data)
            cache_file.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache_file.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(raw)
            os.replace(tmp, cache_file)
        except (OSError, ValueError):
            pass  # a read-only home only costs the parse next run
    return data


def _cache_dir() -> Path:
    from tokenreach.scanner.cache_root import engine_dir

    return engine_dir()


def rules_for(provider: str, *, validate: Mapping[str, Callable[[str], bool]] | None = None,
              accept: Mapping[str, Callable[[Mapping[str, str]], bool]] | None = None,
              extract: Mapping[str, Callable[[str], Iterable[tuple[int, int, str | None]]]] | None = None,
              ) -> tuple[Pattern, ...]:
    """The patterns of a provider module, read from its rule file, with the code the file cannot
    hold attached by rule id (a validate the check vocabulary cannot say, an accept, an extract)."""
    spec = builtin(provider)
    by_id = {p.id: p for p in spec.patterns}
    for what, table in (("validate", validate), ("accept", accept), ("extract", extract)):
        for rid in table or {}:
            if rid not in by_id:
                raise RuleError(spec.path, None, f"{provider} module attaches {what} to unknown rule {rid!r}")
            if what == "validate" and by_id[rid].validate is not None:
                raise RuleError(spec.path, None, f"rule {rid!r} has both a check and a validate in code")

    def attach(p: Pattern) -> Pattern:
        if validate and p.id in validate:
            p = replace(p, validate=validate[p.id])
        if accept and p.id in accept:
            p = replace(p, accept=accept[p.id])
        if extract and p.id in extract:
            p = replace(p, extract=extract[p.id])
        return p

    return tuple(attach(p) for p in spec.patterns)


# Users' rule files --------------------------------------------------------------------------------


def rule_paths(paths: Sequence[Path]) -> list[Path]:
    """Each path a rule file, or a folder whose ``*.toml`` files are (not recursive)."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.glob("*.toml") if p.is_file())
            if not found:
                raise RuleError(str(path), None, "no rule files (*.toml) in this folder")
            out.extend(found)
        elif path.is_file():
            out.append(path)
        else:
            raise RuleError(str(path), None, "no such rule file or folder")
    return out


def load_user_rules(paths: Sequence[Path], builtin_providers: Collection[str]) -> list[RuleDetector]:
    """Detectors from users' rule files. A provider id that is built in, or that two files claim,
    is an error: a user's file adds providers and never silently replaces one."""
    found: list[RuleDetector] = []
    seen: dict[str, str] = {}
    for path in dict.fromkeys(p.resolve() for p in rule_paths(paths)):
        spec = load(path, strict=True)
        reader_line = _provider_line(path)
        if spec.provider in builtin_providers:
            raise RuleError(spec.path, reader_line, f"provider: {spec.provider!r} is a built-in provider; a user's "
                            "rule file cannot replace or extend it (choose another id, e.g. "
                            f"{'my_' + spec.provider!r})")
        if spec.provider in seen:
            raise RuleError(spec.path, reader_line, f"provider: {spec.provider!r} is also defined in "
                            f"{seen[spec.provider]}")
        seen[spec.provider] = spec.path
        found.append(RuleDetector(spec, user=True))
    return found


def _provider_line(path: Path) -> int | None:
    try:
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.match(r"\s*provider\s*=", line):
                return i
    except (OSError, UnicodeDecodeError):
        pass
    return None
