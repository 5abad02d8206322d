"""Configuration: ``.tokenreach.toml``, or ``[tool.tokenreach]`` in ``pyproject.toml``.

Configuration inside a scanned repository can narrow or annotate the scan; it has no key that
could redirect a lookup to another host or reveal secrets (those are operator settings: the
``TOKENREACH_<PROVIDER>_API_URL`` environment and ``--show-secrets``). Every key is documented in
docs/configuration.md; an unknown key or a wrong type is an error naming the key and the file.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

from tokenreach.detectors.redaction import redact
from tokenreach.scanner.model import CAPABILITY_ORDER, REACH_ORDER
from tokenreach.scanner.reading import CONFIG_CAP, RefusedFile, read_regular_file

SEVERITIES = ("info", "low", "medium", "high", "critical")
PROVIDER_MODES = ("on", "offline", "off")


class ConfigError(Exception):
    """A configuration problem; the message names the file and the key."""


def _shown(value: Any) -> str:
    """A wrong value as an error quotes it: long strings redacted, since a token pasted where a
    fingerprint or a word belongs must not be echoed into a CI log."""
    if isinstance(value, str):
        return repr(redact(value)) if len(value) > 16 else repr(value)
    if value is None or isinstance(value, (bool, int, float)):
        return repr(value)
    return f"a value of type {type(value).__name__}"  # a list or table: its items are not quoted


@dataclass(frozen=True)
class Intent:
    """What tokens at some paths / in some variables are for: the most they should be able to do."""

    source: str  # "file:key" for messages
    purpose: str | None = None
    paths: tuple[str, ...] = ()
    variables: tuple[str, ...] = ()
    provider: str | None = None
    capabilities: frozenset[str] | None = None
    reach: str | None = None
    grants: frozenset[str] | None = None


@dataclass
class Config:
    source: str | None = None
    exclude: tuple[str, ...] = ()
    max_file_size: int | None = None
    fail_on: str | None = None
    fail_on_over_privileged: bool | None = None
    allow: frozenset[str] = frozenset()  # fingerprints accepted as known and harmless
    baseline: str | None = None
    include_deps: bool | None = None
    providers: dict[str, str] = field(default_factory=dict)
    intents: tuple[Intent, ...] = ()
    rules: tuple[str, ...] = ()  # rule files or folders (docs/rules.md), resolved inside the config's folder


def parse_size(value: str | int, where: str = "--max-file-size") -> int:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ValueError(f"{where}: expected a size such as 10M, got {_shown(value)}")
    if isinstance(value, int):
        if value <= 0:
            raise ValueError(f"{where}: must be positive")
        return value
    units = {"k": 1024, "m": 1024**2, "g": 1024**3}
    v = value.strip().lower().removesuffix("b")
    try:
        size = int(float(v[:-1]) * units[v[-1]]) if v and v[-1] in units else int(v)
    except (ValueError, IndexError, OverflowError):
        raise ValueError(f"{where}: {_shown(value)} is not a size (e.g. 10M, 512k, 1048576)") from None
    if size <= 0:
        raise ValueError(f"{where}: must be positive")
    return size


def find(root: Path) -> Path | None:
    """The configuration file for a scan rooted at ``root``: .tokenreach.toml wins over pyproject.

    Anything at those names counts (a FIFO, a link to a device, a huge file): load() refuses it
    with one line rather than the scan going on as if there were no configuration."""
    dedicated = root / ".tokenreach.toml"
    if os.path.lexists(dedicated):
        return dedicated
    pyproject = root / "pyproject.toml"
    if os.path.lexists(pyproject):
        try:
            data = tomllib.loads(read_text(pyproject))
        except (ConfigError, tomllib.TOMLDecodeError, RecursionError):
            return pyproject  # load() reports the problem with the file name
        if isinstance(data.get("tool"), dict) and "tokenreach" in data["tool"]:
            return pyproject
    return None


def read_text(path: Path) -> str:
    """A configuration file's text: a regular file of at most CONFIG_CAP bytes, in UTF-8."""
    try:
        return read_regular_file(path, CONFIG_CAP).decode("utf-8")
    except RefusedFile as exc:
        raise ConfigError(f"{path}: {exc}") from None
    except FileNotFoundError:
        raise ConfigError(f"{path}: configuration file not found") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None


def load(path: Path) -> Config:
    text = read_text(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML ({exc})") from None
    except RecursionError:
        raise ConfigError(f"{path}: invalid TOML (nested too deeply)") from None
    prefix = ""
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        section = tool.get("tokenreach", {}) if isinstance(tool, dict) else {}
        prefix = "tool.tokenreach."
        if not isinstance(section, dict):
            raise ConfigError(f"{path}: [tool.tokenreach] must be a table")
        data = section
    return _parse(data, str(path), prefix)


_KEYS = {"exclude", "max_file_size", "fail_on", "fail_on_over_privileged", "allow", "baseline",
         "include_deps", "providers", "intent", "rules"}
_INTENT_KEYS = {"purpose", "paths", "variables", "provider", "capabilities", "reach", "grants"}


def _parse(data: dict[str, Any], where: str, prefix: str) -> Config:
    def err(key: str, message: str) -> ConfigError:
        return ConfigError(f"{where}: {prefix}{key}: {message}")

    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise err(unknown[0], f"unknown key (known: {', '.join(sorted(_KEYS))})")
    cfg = Config(source=where)
    cfg.exclude = tuple(_str_list(data, "exclude", err))
    if "max_file_size" in data:
        try:
            cfg.max_file_size = parse_size(data["max_file_size"], f"{where}: {prefix}max_file_size")
        except ValueError as exc:
            raise ConfigError(str(exc)) from None
    if "fail_on" in data:
        value = data["fail_on"]
        if value not in SEVERITIES:
            raise err("fail_on", f"must be one of {', '.join(SEVERITIES)}, got {_shown(value)}")
        cfg.fail_on = value
    for key in ("fail_on_over_privileged", "include_deps"):
        if key in data:
            if not isinstance(data[key], bool):
                raise err(key, f"must be true or false, got {_shown(data[key])}")
            setattr(cfg, key, data[key])
    allow = _str_list(data, "allow", err)
    for fp in allow:
        if not (len(fp) == 32 and all(c in "0123456789abcdef" for c in fp)):
            raise err("allow", f"{_shown(fp)} is not a tokenreach fingerprint (32 hex characters)")
    cfg.allow = frozenset(allow)
    if "baseline" in data:
        if not isinstance(data["baseline"], str) or not data["baseline"]:
            raise err("baseline", "must be a file path")
        cfg.baseline = data["baseline"]
    if "providers" in data:
        table = data["providers"]
        if not isinstance(table, dict):
            raise err("providers", 'must be a table such as { datadog = "off", aws = "offline" }')
        from tokenreach.detectors.registry import by_provider, detector

        for name, mode in table.items():
            if not isinstance(name, str) or detector(name) is None:  # the whole list only to say so
                raise err(f"providers.{name}", f"unknown provider (known: {', '.join(sorted(by_provider()))})")
            if mode not in PROVIDER_MODES:
                raise err(f"providers.{name}", f"must be one of {', '.join(PROVIDER_MODES)}, got {_shown(mode)}")
        cfg.providers = dict(table)
    cfg.rules = tuple(_rule_path(r, where, err) for r in _str_list(data, "rules", err))
    if "intent" in data:
        items = data["intent"]
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise err("intent", "must be an array of tables ([[intent]])")
        cfg.intents = tuple(_intent(item, i, where, prefix) for i, item in enumerate(items))
    return cfg


def _rule_path(value: str, where: str, err: Any) -> str:
    """A rule file or folder named by configuration: relative to the configuration file and inside
    its folder, since the configuration may be the scanned repository's own (it must not make the
    scan read files elsewhere on the machine)."""
    base = Path(where).resolve().parent
    if not value or Path(value).is_absolute():
        raise err("rules", f"{_shown(value)} must be a path relative to the configuration file")
    path = (base / value).resolve()
    if not path.is_relative_to(base):
        raise err("rules", f"{_shown(value)} leads outside the configuration file's folder")
    return str(path)


def _str_list(data: dict[str, Any], key: str, err: Any, ctx: str = "") -> list[str]:
    if key not in data:
        return []
    value = data[key]
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise err(ctx + key, "must be a list of strings")
    return value


def _intent(item: dict[str, Any], index: int, where: str, prefix: str) -> Intent:
    ctx = f"intent[{index}]."

    def err(key: str, message: str) -> ConfigError:
        return ConfigError(f"{where}: {prefix}{key}: {message}")

    unknown = sorted(set(item) - _INTENT_KEYS)
    if unknown:
        raise err(ctx + unknown[0], f"unknown key (known: {', '.join(sorted(_INTENT_KEYS))})")
    paths = tuple(_str_list(item, "paths", err, ctx))
    variables = tuple(_str_list(item, "variables", err, ctx))
    if not paths and not variables and "provider" not in item:
        raise err(ctx.rstrip("."), "needs at least one of paths, variables or provider to say which tokens it covers")
    caps = _str_list(item, "capabilities", err, ctx) if "capabilities" in item else None
    if caps is not None:
        bad = [c for c in caps if c not in CAPABILITY_ORDER]
        if bad:
            raise err(ctx + "capabilities", f"{_shown(bad[0])} is not one of {', '.join(CAPABILITY_ORDER)}")
    reach = item.get("reach")
    if reach is not None and reach not in REACH_ORDER:
        raise err(ctx + "reach", f"must be one of {', '.join(REACH_ORDER)}, got {_shown(reach)}")
    provider = item.get("provider")
    if provider is not None:
        from tokenreach.detectors.registry import detector

        if not isinstance(provider, str) or detector(provider) is None:
            raise err(ctx + "provider", f"unknown provider {_shown(provider)}")
    purpose = item.get("purpose")
    if purpose is not None and not isinstance(purpose, str):
        raise err(ctx + "purpose", "must be a string")
    grants = _str_list(item, "grants", err, ctx) if "grants" in item else None
    return Intent(
        source=f"{where}: {prefix}{ctx.rstrip('.')}",
        purpose=purpose,
        paths=paths,
        variables=variables,
        provider=provider,
        capabilities=frozenset(caps) if caps is not None else None,
        reach=reach,
        grants=frozenset(grants) if grants is not None else None,
    )
