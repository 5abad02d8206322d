"""`tokenreach rules …`: the detection rules as data (docs/rules.md).

* ``rules list``: every rule a scan here would use: id, provider, kind, keywords, source file.
* ``rules check [PATH]…``: compiles rules in both engines and runs their examples and
  counterexamples; warns about a rule with no keyword. Exit 1 when anything fails.

Only typer and the standard library load at import, so `tokenreach --help` stays fast.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from tokenreach.scanner.cli.common import errors_exit_2, setup_logging

if TYPE_CHECKING:
    from tokenreach.detectors.base import Detector, Pattern
    from tokenreach.scanner.engine import Engine

app = typer.Typer(no_args_is_help=True, pretty_exceptions_enable=False,
                  help="List and check detection rules (docs/rules.md).")

RulesOption = Annotated[list[Path] | None, typer.Option(
    "--rules", help="Also the rule files in PATH, a file or a folder of *.toml (repeatable).")]
ConfigOption = Annotated[Path | None, typer.Option(help="Configuration file (default: found here).")]
NoConfigOption = Annotated[bool, typer.Option("--no-config", help="Ignore configuration files.")]


def _printable(text: str) -> str:
    """Rule files may come from a scanned repository's configuration: no control character of
    theirs reaches the terminal."""
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" if ord(c) < 256 else f"\\u{ord(c):04x}"
                   for c in text)


def _shown_source(det: Detector, pattern: Pattern) -> str:
    """Where a rule is written: its rule file, else its provider module; the package's own files
    relative to the package."""
    source = pattern.source or getattr(det, "source", None)
    if source is None:
        module = sys.modules.get(type(det).__module__)
        source = getattr(module, "__file__", None) or type(det).__module__
    package = Path(__file__).resolve().parents[2]  # the folder holding detectors/ and scanner/
    try:
        return str(Path(source).resolve().relative_to(package))
    except ValueError:
        return str(source)


def _configured_paths(config: Path | None, no_config: bool) -> list[Path]:
    """The rule files named by the configuration a scan of the current folder would use."""
    from tokenreach.scanner.run import RunOptions, load_config, root_of

    here = Path(".")
    cfg = load_config(RunOptions(path=here, config_path=config, use_config=not no_config), root_of(here))
    return [Path(p) for p in cfg.rules]


def _configured(config: Path | None, no_config: bool, extra: list[Path]) -> list[Detector]:
    """The users' rule files a scan of the current folder would use: its configuration's, then
    ``--rules``."""
    from tokenreach.scanner.config import Config
    from tokenreach.scanner.run import user_rules

    return user_rules(Config(rules=tuple(map(str, _configured_paths(config, no_config)))), extra)


@app.command("list")
def list_command(
    rules: RulesOption = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    config: ConfigOption = None,
    no_config: NoConfigOption = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False,
) -> None:
    """Every rule a scan here would use: id, provider, kind, keywords and the file it comes from."""
    from tokenreach.detectors.registry import all_detectors
    from tokenreach.scanner.errors import ScanError

    setup_logging(verbose)
    with errors_exit_2():
        if fmt not in ("text", "json"):
            raise ScanError("--format must be text or json")
        dets = [*all_detectors(), *_configured(config, no_config, rules or [])]
        rows: list[dict[str, Any]] = [{"id": p.id, "provider": d.provider, "kind": p.kind, "keywords": list(p.keywords),
                 "source": _shown_source(d, p), "user": bool(getattr(d, "user", False))}
                for d in dets for p in d.patterns]
    if fmt == "json":
        sys.stdout.write(json.dumps({"rules": rows}, indent=2) + "\n")
        return
    table = [tuple(_printable(str(c)) for c in (r["id"], r["provider"], r["kind"] or "-",
                                                 _cut(", ".join(r["keywords"]) or "(none)"), r["source"]))
             for r in rows]
    head = ("id", "provider", "kind", "keywords", "source")
    widths = [max(len(row[i]) for row in [head, *table]) for i in range(4)]
    for row in [head, *table]:
        sys.stdout.write("  ".join(c.ljust(w) for c, w in zip(row[:4], widths, strict=True)) + "  " + row[4] + "\n")
    users = sum(1 for r in rows if r["user"])
    sys.stdout.write(f"\n{len(rows)} rules from {len(dets)} providers"
                     + (f" ({users} from your rule files)" if users else "") + "\n")


def _cut(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


@dataclass
class _Report:
    failures: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    examples: int = 0
    counterexamples: int = 0
    hyperscan_clean: bool = False  # every rule compiled together: none needs checking alone

    def fail(self, where: str, message: str) -> None:
        self.failures.append(f"FAIL {where}: {message}")

    def warn(self, where: str, message: str) -> None:
        self.warnings.append(f"WARN {where}: {message}")


@app.command("check")
def check_command(
    paths: Annotated[list[Path] | None, typer.Argument(
        help="Rule files or folders of *.toml (default: the built-in rules and the configuration's).")] = None,
    config: ConfigOption = None,
    no_config: NoConfigOption = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False,
) -> None:
    """Compile rules in Python re and Hyperscan, run every example (it must be found, by that rule,
    in both engines) and counterexample (it must not), and warn about a rule with no keyword."""
    from tokenreach.detectors.registry import all_detectors

    setup_logging(verbose)
    report = _Report()
    with errors_exit_2():
        builtin = list(all_detectors())
        providers = {d.provider for d in builtin}
        if paths:
            checked = _load_each(paths, providers, report)
        else:
            configured = _configured_paths(config, no_config)
            checked = [*builtin, *(_load_each(configured, providers, report) if configured else [])]
        pairs = [(d, p) for d in checked for p in d.patterns]
        engines = _engines([(d, p) for d in builtin for p in d.patterns] if paths else [], pairs, report)
        for det, pat in pairs:
            _check_rule(det, pat, engines, report)
    for line in report.failures + report.warnings:
        typer.echo(_printable(line))
    backends = " and ".join(name for name, _ in engines) or "no engine"
    typer.echo(f"{len(pairs)} rules, {report.examples} examples and {report.counterexamples} counterexamples "
               f"checked in {backends}: {len(report.failures)} failures, {len(report.warnings)} warnings", err=True)
    raise typer.Exit(1 if report.failures else 0)


def _load_each(paths: list[Path], builtin: set[str], report: _Report) -> list[Detector]:
    """Every rule file at ``paths``; a broken one is a failure, and the others are still checked."""
    from tokenreach.detectors import rule_files

    try:
        files = rule_files.rule_paths(paths)
    except rule_files.RuleError as exc:
        report.failures.append(f"FAIL {exc}")
        return []
    found: list[Detector] = []
    seen: dict[str, str] = {}
    for path in files:
        try:
            spec = rule_files.load(path, strict=True)
        except rule_files.RuleError as exc:
            report.failures.append(f"FAIL {exc}")
            continue
        if spec.provider in builtin or spec.provider in seen:
            other = "a built-in provider" if spec.provider in builtin else f"also defined in {seen[spec.provider]}"
            report.fail(spec.path, f"provider {spec.provider!r} is {other}")
            continue
        seen[spec.provider] = spec.path
        found.append(rule_files.RuleDetector(spec, user=True))
    return found


def _engines(others: list[tuple[Detector, Pattern]], checked: list[tuple[Detector, Pattern]],
             report: _Report) -> list[tuple[str, Engine]]:
    """Both engines over what a scan runs: the built-in rules with the checked ones, so that a
    rule another one shadows is seen to miss its example. Hyperscan only where it is installed
    and compiles every checked rule (a rule it rejects is reported by ``_check_rule``)."""
    from tokenreach.detectors.rule_files import hyperscan_problem
    from tokenreach.scanner.engine import Engine, hyperscan_expression

    pairs = others + checked
    engines: list[tuple[str, Engine]] = [("re", Engine(pairs, use_hyperscan=False))]
    try:
        import hyperscan  # noqa: F401
    except ImportError:
        report.warnings.append("WARN Hyperscan is not installed: rules were checked in Python re only")
        return engines
    # Together first: when they all compile, no rule needs compiling alone (a thousand compiles).
    engine = Engine(pairs, use_hyperscan=True)
    if engine.backend == "hyperscan":
        report.hyperscan_clean = True
        return [*engines, ("Hyperscan", engine)]
    usable = [(d, p) for d, p in pairs if not hyperscan_problem(hyperscan_expression(p).decode())]
    engine = Engine(usable, use_hyperscan=True)
    if engine.backend != "hyperscan":
        report.failures.append("FAIL Hyperscan could not compile the rules together (each one alone compiles)")
        return engines
    engines.append(("Hyperscan", engine))
    return engines


def _check_rule(det: Detector, pat: Pattern, engines: list[tuple[str, Engine]], report: _Report) -> None:
    import re

    from tokenreach.detectors.rule_files import hyperscan_problem
    from tokenreach.scanner.engine import hyperscan_expression

    where = f"{_shown_source(det, pat)}: {pat.id}"
    for what, regex in (("regex", pat.regex), ("prefilter", pat.prefilter)):
        if regex is None:
            continue
        try:
            re.compile(regex.encode())
        except (re.error, RecursionError, OverflowError) as exc:
            report.fail(where, f"{what} does not compile in Python re ({exc})")
            return
    hs_problem = None
    if len(engines) > 1 and not report.hyperscan_clean:
        hs_problem = hyperscan_problem(hyperscan_expression(pat).decode())
        if hs_problem:
            report.fail(where, f"Hyperscan cannot compile it ({hs_problem})")
    if not pat.keywords:
        report.warn(where, "no literal keyword: without Hyperscan its regex runs on every buffer, which slows "
                           "every scan")
    short = [k for k in pat.keywords if len(k) < 3]
    if short:
        report.warn(where, f"keyword(s) shorter than 3 characters match almost everywhere: {short}")
    for i, example in enumerate(pat.examples, 1):
        if pat.keywords and not any(k in example.lower() for k in pat.keywords):
            report.warn(where, f"example {i} holds none of the keywords: without Hyperscan the rule never runs on it")
    report.examples += len(pat.examples)
    report.counterexamples += len(pat.counterexamples)
    for name, engine in engines:
        if name == "Hyperscan" and hs_problem:
            continue
        for i, example in enumerate(pat.examples, 1):
            if not any(m.pattern.id == pat.id for m in engine.scan(example.encode())):
                report.fail(where, f"example {i} is not found in {name}")
        for i, counter in enumerate(pat.counterexamples, 1):
            if any(m.pattern.id == pat.id for m in engine.scan(counter.encode())):
                report.fail(where, f"counterexample {i} is found in {name}")
