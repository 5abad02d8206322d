"""One run, start to verdict: configuration → scan → lookups → assessment → suppressions → order.

The CLI and the CI integrations call ``run()``; only rendering is left to them.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tokenreach.detectors.base import Detector
from tokenreach.detectors.redaction import legacy_fingerprint
from tokenreach.scanner import baseline as baselines
from tokenreach.scanner import config as configs
from tokenreach.scanner.assess import assess, blocks, order
from tokenreach.scanner.cache import keep_out_of
from tokenreach.scanner.errors import ScanError
from tokenreach.scanner.findings import DEFAULT_MAX_FILE_SIZE, Progress, ScanOptions, check_target, scan
from tokenreach.scanner.model import Finding, RunResult
from tokenreach.scanner.reading import size_text
from tokenreach.scanner.sources import git

MAX_CONFIG_FILE_SIZE = 100 * 1024 * 1024  # the most a configuration file may raise the size limit to


@dataclass
class RunOptions:
    path: Path
    history: bool = True
    staged: bool = False
    staged_names: tuple[str, ...] | None = None
    since: str | None = None
    home: bool = False
    env: bool = False  # --env: this process's environment variables
    nearby: int | None = None  # --nearby DEPTH
    agents: tuple[str, ...] | None = None  # --agents; None: detected from the repository
    max_file_size: int | None = None  # None: configuration, else 10 MB
    include_deps: bool | None = None
    offline: bool = False
    lookup_timeout: float = 60.0
    lookup_private_hosts: bool = False  # connect to private hosts that scanned data names
    cache_ttl: float = 0.0
    config_path: Path | None = None  # --config; None: found next to the scanned repository
    use_config: bool = True
    baseline_path: Path | None = None  # --baseline; None: configuration or .tokenreach-baseline.json
    use_baseline: bool = True
    # Where the configuration, the baseline and .secrets.baseline are found (None: the scanned
    # repository's root). The Action's diff mode points it at the base commit's copies.
    config_root: Path | None = None
    rules: tuple[Path, ...] = ()  # --rules: users' rule files or folders, after the configuration's
    progress: Progress | None = None  # called with (items, bytes) added


def root_of(path: Path) -> Path:
    """Where the configuration and the baselines of ``path`` live: its repository's top level (a
    bare one's git folder), found as git finds it but without running git. Whether git may run
    there is the scan's question (findings.py), asked once."""
    layout = git.locate(path) if path.is_dir() else None
    return (layout.top or layout.gitdir) if layout else path


def load_config(opts: RunOptions, root: Path) -> configs.Config:
    if not opts.use_config:
        return configs.Config()
    path = opts.config_path or configs.find(root)
    if path is None:
        return configs.Config()
    try:
        return configs.load(path)
    except configs.ConfigError as exc:
        raise ScanError(str(exc)) from None


def user_rules(cfg: configs.Config, extra: Sequence[Path] = ()) -> list[Detector]:
    """The users' rule files of this run (the configuration's, then ``--rules``; docs/rules.md),
    registered for the run so that reports and remediation know their providers. A broken file
    is a ScanError naming the file and the line."""
    from tokenreach.detectors import registry

    paths = [Path(p) for p in cfg.rules] + list(extra)
    found: list[Detector] = []
    if paths:
        from tokenreach.detectors import rule_files

        try:
            found = list(rule_files.load_user_rules(
                paths, builtin_providers={d.provider for d in registry.all_detectors()}))
        except rule_files.RuleError as exc:
            raise ScanError(str(exc)) from None
    registry.use_user_detectors(found)
    return found


def run(opts: RunOptions) -> RunResult:
    started = time.perf_counter()
    check_target(opts.path)
    root = root_of(opts.path)
    keep_out_of(root)  # no cache (lookups, the compiled engine) is written into what is scanned
    settings = opts.config_root or root
    cfg = load_config(opts, settings)
    max_file_size, size_notice = _max_file_size(opts, cfg)
    scan_opts = ScanOptions(
        path=opts.path,
        history=opts.history,
        staged=opts.staged,
        staged_names=opts.staged_names,
        since=opts.since,
        home=opts.home,
        env=opts.env,
        nearby=opts.nearby,
        max_file_size=max_file_size,
        exclude=cfg.exclude,
        skip_dependency_dirs=not (opts.include_deps if opts.include_deps is not None else bool(cfg.include_deps)),
    )
    engine = None
    off = {p for p, mode in cfg.providers.items() if mode == "off"}
    user = user_rules(cfg, opts.rules)
    if off or user:
        from tokenreach.detectors.registry import all_patterns
        from tokenreach.scanner.engine import Engine

        pairs = [*all_patterns(), *((d, p) for d in user for p in d.patterns)]
        engine = Engine([(d, p) for d, p in pairs if d.provider not in off])
    result = scan(scan_opts, progress=opts.progress, engine=engine)
    if size_notice:
        result.notices.append(size_notice)
    out = RunResult(result, cfg)

    # Suppressions that need no lookup come first: an allowed token is never sent anywhere.
    findings = result.findings
    if cfg.allow:
        kept = [f for f in findings if f.fingerprint not in cfg.allow]
        legacy = [f for f in kept if legacy_fingerprint(f.provider, f.token.secret) in cfg.allow]
        if legacy:
            result.notices.append(
                f"{len(legacy)} fingerprint(s) in the configuration's allow list are version-1 (fast SHA-256, "
                "guessable for short secrets): replace them with the fingerprints this report shows")
            kept = [f for f in kept if f not in legacy]
        out.suppressed["allowed in configuration"] = len(findings) - len(kept)
        findings = kept
    ds_file = settings / ".secrets.baseline"
    if opts.use_baseline and os.path.lexists(ds_file):  # a FIFO or device there is refused, not skipped
        try:
            audited = baselines.detect_secrets_false_positives(ds_file)
        except baselines.BaselineError as exc:
            raise ScanError(str(exc)) from None
        kept = [f for f in findings if baselines.sha1_hex(f.token.secret) not in audited]
        out.suppressed["audited false positive in .secrets.baseline"] = len(findings) - len(kept)
        findings = kept

    looking_up = time.perf_counter()
    result.lookups_failed = _look_up(findings, opts, cfg, root, result.notices)
    result.lookup_duration = time.perf_counter() - looking_up
    for f in findings:
        assess(f, cfg.intents)
    # Which agent's file tools each location is fenced from (scanner/fences.py): reasons only.
    from tokenreach.scanner import fences

    result.notices.extend(fences.apply(findings, root, fences.agents_for(root, opts.agents)))

    baseline_file = _baseline_path(opts, cfg, settings)
    if baseline_file is not None:
        try:
            accepted = baselines.load(baseline_file)
        except baselines.BaselineError as exc:
            raise ScanError(str(exc)) from None
        if accepted.version == baselines.LEGACY_VERSION:
            result.notices.append(baselines.legacy_notice(baseline_file))
        findings, n = baselines.apply(findings, accepted)
        out.suppressed["in the baseline"] = n
        out.baseline_file = str(baseline_file)
    result.findings = order(findings)
    out.suppressed = {k: v for k, v in out.suppressed.items() if v}
    result.total_duration = time.perf_counter() - started
    return out


def _baseline_path(opts: RunOptions, cfg: configs.Config, root: Path) -> Path | None:
    if not opts.use_baseline:
        return None
    if opts.baseline_path is not None:
        return opts.baseline_path
    if cfg.baseline:
        base = Path(cfg.source).parent if cfg.source else root
        return base / cfg.baseline
    default = root / baselines.BASELINE_NAME
    return default if os.path.lexists(default) else None  # a FIFO or device there is refused, not skipped


def _max_file_size(opts: RunOptions, cfg: configs.Config) -> tuple[int, str | None]:
    """The size limit, and a notice when a configuration file asked for more than it may: the
    command line can set any limit, a configuration (which a scanned repository writes) at most
    MAX_CONFIG_FILE_SIZE."""
    if opts.max_file_size:
        return opts.max_file_size, None
    if cfg.max_file_size is None:
        return DEFAULT_MAX_FILE_SIZE, None
    if cfg.max_file_size <= MAX_CONFIG_FILE_SIZE:
        return cfg.max_file_size, None
    cap = size_text(MAX_CONFIG_FILE_SIZE)
    return MAX_CONFIG_FILE_SIZE, (f"{cfg.source}: max_file_size {size_text(cfg.max_file_size)} is above {cap}, "
                                  f"the most a configuration file may set: files over {cap} were skipped "
                                  "(--max-file-size on the command line can go higher)")


def _look_up(findings: list[Finding], opts: RunOptions, cfg: configs.Config, root: Path,
              notices: list[str]) -> str | None:
    """Each finding's Access; returns what to say when every lookup tried failed."""
    from tokenreach.scanner.lookup import LookupOptions, failure_summary, run_lookups

    if not findings:
        return None
    cache = None
    if opts.cache_ttl > 0 and not opts.offline:
        from tokenreach.scanner.cache import open_cache

        # An unusable cache is a notice, never the end of the scan (nor a write into the target).
        cache, why = open_cache(opts.cache_ttl, root)
        if why:
            notices.append(why)
    offline_providers = frozenset(p for p, mode in cfg.providers.items() if mode == "offline")
    tokens = {f.fingerprint: f.token for f in findings}
    accesses = run_lookups(tokens, LookupOptions(offline=opts.offline, total_timeout=opts.lookup_timeout,
                                                 cache=cache, offline_providers=offline_providers,
                                                 private_hosts=opts.lookup_private_hosts))
    if cache is not None:
        notices.extend(cache.problems)
    for f in findings:
        f.access = accesses.get(f.fingerprint)
    return failure_summary(accesses)


def exit_code(findings: list[Finding], fail_on: str, fail_on_over_privileged: bool) -> int:
    return 1 if any(blocks(f, fail_on, fail_on_over_privileged) for f in findings) else 0
