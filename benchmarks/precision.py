"""Precision, side by side: what tokenreach, detect-secrets and Kingfisher report on code without live secrets.

    pip install . kingfisher-bin                 # detect-secrets is a dependency of tokenreach
    python benchmarks/precision.py               # totals and top rules per tool, both trees
    python benchmarks/precision.py --list        # ... and every tokenreach finding, redacted
    python benchmarks/precision.py --tools tokenreach --trees deps --list

Two trees of real, published code that hold no live credential, only the deliberately fake keys
of test fixtures and documentation:

* ``stdlib``: the Python standard library of this interpreter (``sysconfig`` "stdlib"),
  without its ``site-packages`` folder (that is the second tree);
* ``deps``: the installed dependencies (``sysconfig`` "purelib", i.e. site-packages), without
  tokenreach's own files (editable finder, .pth, dist-info), the Kingfisher binary installed for
  this benchmark, and the benchmark's work folder.

Each tree is mirrored (hard links where the file system allows, else copies) into a work folder
outside any git repository, without ``__pycache__``, ``.git`` folders and symbolic links, so every
tool reads exactly the same plain files and none of them walks into git history. Each tool runs
on the mirror with its own defaults plus the flags that make a plain, offline directory scan:

    tokenreach scan . --no-history --offline --format json --include-deps
    detect-secrets scan --all-files .
    kingfisher scan . --git-history none --no-validate --no-update-check --format json

``--include-deps`` because tokenreach otherwise skips folders named like dependency folders
(``venv``, ``node_modules`` …) that the other two read. A finding is what each tool reports as one
(tokenreach: one per distinct secret; detect-secrets: one per file, plugin and secret;
Kingfisher: its deduplicated findings); "locations" counts the distinct file:line pairs. Every
finding on these trees is a test fixture or a false positive; which is which is for a person to
judge from ``--list``. No secret is printed in full: tokenreach's own redaction, and for the
peers at most the first 4 characters and the length.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ("tokenreach", "detect-secrets", "kingfisher")
TREES = ("stdlib", "deps")
SKIP_DIRS = frozenset({"__pycache__", ".git"})
INSTALL_HINT = {"tokenreach": "pip install -e .", "detect-secrets": "pip install detect-secrets",
                "kingfisher": "pip install kingfisher-bin"}


@dataclass
class Tree:
    name: str
    source: Path
    path: Path
    version: str
    files: int = 0
    bytes: int = 0
    skipped_links: int = 0


@dataclass
class Finding:
    tree: str
    path: str
    line: int
    rule: str  # tokenreach: provider; detect-secrets: plugin type; Kingfisher: rule id
    pattern: str = ""
    shown: str = ""  # redacted
    variable: str = ""
    key: str = ""  # tokenreach: the finding's fingerprint (one finding, many locations)


@dataclass
class Result:
    tool: str
    tree: str
    argv: list[str]
    ok: bool = False
    error: str = ""
    wall: float = 0.0
    findings: list[Finding] = field(default_factory=list)
    reported: int = 0  # findings as the tool counts them

    @property
    def locations(self) -> int:
        return len({(f.path, f.line) for f in self.findings})


# Trees ------------------------------------------------------------------------------------------


def peek(secret: str) -> str:
    """A peer's secret, as far as this script ever shows one: 4 characters and the length."""
    return f"{secret[:4]}…({len(secret)})"


def mirror(src: Path, dest: Path, skip: Callable[[Path, str], bool]) -> Tree:
    """Hard-link (or copy) every regular file of ``src`` into ``dest``; ``skip(folder, name)``."""
    tree = Tree(dest.name, src, dest, "")
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    can_link = True
    for folder, dirs, files in os.walk(src, followlinks=False):
        here = Path(folder)
        rel = here.relative_to(src)
        kept = []
        for d in sorted(dirs):
            if d in SKIP_DIRS or skip(here, d):
                continue
            if (here / d).is_symlink():
                tree.skipped_links += 1
                continue
            kept.append(d)
            (dest / rel / d).mkdir()
        dirs[:] = kept
        for name in sorted(files):
            path = here / name
            if skip(here, name):
                continue
            if path.is_symlink():
                tree.skipped_links += 1
                continue
            if not path.is_file():
                continue
            target = dest / rel / name
            if can_link:
                try:
                    os.link(path, target)
                except OSError:
                    can_link = False
            if not can_link:
                try:
                    shutil.copy2(path, target)
                except OSError:
                    continue
            tree.files += 1
            tree.bytes += target.stat().st_size
    return tree


def distributions(purelib: Path) -> list[str]:
    from importlib.metadata import distributions as dists

    return sorted({f"{d.metadata['Name']}=={d.version}" for d in dists(path=[str(purelib)]) if d.metadata['Name']})


def build_trees(work: Path, wanted: list[str]) -> list[Tree]:
    paths = sysconfig.get_paths()
    stdlib, purelib = Path(paths["stdlib"]).resolve(), Path(paths["purelib"]).resolve()
    work_r = work.resolve()
    py = f"{platform.python_implementation()} {platform.python_version()}"
    never = {work_r, ROOT}

    def stdlib_skip(folder: Path, name: str) -> bool:
        p = (folder / name).resolve()
        return p == purelib or p in never or name == "site-packages"

    def deps_skip(folder: Path, name: str) -> bool:
        if (folder / name).resolve() in never:
            return True
        if folder.resolve() != purelib:
            return False
        low = name.lower()
        # tokenreach's own files, and the peer installed only to be measured.
        return (low == "tokenreach" or (low.startswith("__editable__") and "tokenreach" in low)
                or (low.startswith("tokenreach-") and low.endswith((".dist-info", ".egg-info")))
                or low == "kingfisher" or (low.startswith("kingfisher_bin-") and low.endswith(".dist-info")))

    trees = []
    if "stdlib" in wanted:
        t = mirror(stdlib, work / "stdlib", stdlib_skip)
        t.version = f"{py} standard library"
        trees.append(t)
    if "deps" in wanted:
        t = mirror(purelib, work / "deps", deps_skip)
        dists = [d for d in distributions(purelib)
                 if not d.lower().startswith(("tokenreach==", "kingfisher-bin==", "kingfisher_bin=="))]
        (work / "deps-distributions.txt").write_text("\n".join(dists) + "\n")
        digest = hashlib.sha256("\n".join(dists).encode()).hexdigest()[:12]
        t.version = f"{py} site-packages, {len(dists)} distributions (sha256 {digest}: {work}/deps-distributions.txt)"
        trees.append(t)
    return trees


# Tools ------------------------------------------------------------------------------------------


def find_tool(name: str) -> str | None:
    local = Path(sys.executable).parent / name
    return str(local) if local.exists() else shutil.which(name)


def tool_version(exe: str, name: str) -> str:
    argv = [exe, "--version"] if name != "tokenreach" else [sys.executable, "-c",
                                                            "import importlib.metadata as m;"
                                                            "print(m.version('tokenreach'))"]
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=60).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "?"
    return out.split()[-1] if out else "?"


def argv_for(name: str, exe: str) -> list[str]:
    if name == "tokenreach":
        return [exe, "scan", ".", "--no-history", "--offline", "--format", "json", "--include-deps"]
    if name == "detect-secrets":
        return [exe, "scan", "--all-files", "."]
    return [exe, "scan", ".", "--git-history", "none", "--no-validate", "--no-update-check", "--format", "json"]


OK_CODES = {"tokenreach": {0, 1}, "detect-secrets": {0}, "kingfisher": {0, 200, 205}}


def run_to_file(res: Result, cwd: Path, env: dict[str, str], out: Path, timeout: float, ok: set[int]) -> bool:
    """Run ``res.argv`` in ``cwd`` with its stdout in ``out``; True when it exited with a code in
    ``ok``, else False with ``res.error`` saying why. ``res.wall`` is its wall time."""
    start = time.perf_counter()
    try:
        with out.open("wb") as fh:
            proc = subprocess.run(res.argv, cwd=cwd, env=env, stdout=fh, stderr=subprocess.PIPE, timeout=timeout)
    except subprocess.TimeoutExpired:
        res.error = f"timed out after {timeout:.0f}s"
        return False
    except OSError as exc:
        res.error = f"could not start: {exc.strerror or exc}"
        return False
    res.wall = time.perf_counter() - start
    if proc.returncode not in ok:
        tail = proc.stderr.decode(errors="replace").strip().splitlines()[-3:]
        res.error = f"exited {proc.returncode}: {' | '.join(tail)[-300:]}"
        return False
    return True


def run_tool(name: str, exe: str, tree: Tree, work: Path, env: dict[str, str], timeout: float) -> Result:
    argv = argv_for(name, exe)
    res = Result(name, tree.name, argv)
    out = work / f"{name}-{tree.name}.json"
    if not run_to_file(res, tree.path, env, out, timeout, OK_CODES[name]):
        return res
    try:
        text = out.read_text(errors="replace")
        parse = {"tokenreach": parse_tokenreach, "detect-secrets": parse_detect_secrets,
                 "kingfisher": parse_kingfisher}[name]
        parse(text, res)
    except (ValueError, KeyError, TypeError) as exc:
        res.error = f"unreadable output ({type(exc).__name__}: {exc})"[:300]
        return res
    res.ok = True
    return res


def parse_tokenreach(text: str, res: Result) -> None:
    report = json.loads(text)
    for f in report["findings"]:
        for loc in f["locations"]:
            res.findings.append(Finding(res.tree, loc["path"], int(loc.get("line") or 0), f["provider"],
                                        f.get("pattern") or "", f.get("redacted") or "", f.get("variable") or "",
                                        f.get("fingerprint") or ""))
    res.reported = len(report["findings"])


def parse_detect_secrets(text: str, res: Result) -> None:
    report = json.loads(text)
    for path, entries in report["results"].items():
        for e in entries:  # detect-secrets reports hashes only: nothing to redact
            res.findings.append(Finding(res.tree, path.removeprefix("./"), int(e.get("line_number") or 0), e["type"]))
            res.reported += 1


def parse_kingfisher(text: str, res: Result) -> None:
    # stdout holds the report object, then a summary object: read the first.
    report, _ = json.JSONDecoder().raw_decode(text.lstrip())
    for item in report.get("findings", []):
        rule, f = item["rule"], item["finding"]
        res.findings.append(Finding(res.tree, str(f.get("path", "")).removeprefix("./"), int(f.get("line") or 0),
                                    rule.get("id") or rule.get("name") or "?", rule.get("name") or "",
                                    peek(str(f.get("snippet", "")))))
        res.reported += 1


# Report -----------------------------------------------------------------------------------------


def human(n: float) -> str:
    return f"{n / 1e6:,.1f} MB"


def tokenreach_revision() -> str:
    try:
        rev = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                             text=True, timeout=30).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--", "detectors", "scanner"],
                               capture_output=True, text=True, timeout=60).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "?"
    return f"{rev}{' + uncommitted changes' if dirty else ''}" if rev else "?"


def catalog_size() -> str:
    try:
        from tokenreach.detectors.registry import all_detectors, all_patterns
    except ImportError:
        return "?"
    return f"{len(all_detectors())} providers, {len(all_patterns())} patterns"


def print_totals(results: dict[tuple[str, str], Result], tools: list[str], trees: list[Tree]) -> None:
    names = [t.name for t in trees]
    print(f"{'findings (locations)':<22}" + "".join(f"{n:>20}" for n in [*names, "total"]))
    for tool in tools:
        cells = []
        total = locs = 0
        failed = False
        for n in names:
            r = results.get((tool, n))
            if not r or not r.ok:
                cells.append("n/a")
                failed = True
                continue
            total += r.reported
            locs += r.locations
            cells.append(f"{r.reported:,} ({r.locations:,})")
        cells.append("n/a" if failed and total == 0 else f"{total:,} ({locs:,})" + (" *" if failed else ""))
        print(f"{tool:<22}" + "".join(f"{c:>20}" for c in cells))
    print(f"{'wall seconds':<22}")
    for tool in tools:
        cells = [f"{results[(tool, n)].wall:.1f}" if (tool, n) in results and results[(tool, n)].ok else "n/a"
                 for n in names]
        print(f"  {tool:<20}" + "".join(f"{c:>20}" for c in cells))


def rule_counts(r: Result) -> Counter[str]:
    if r.tool == "tokenreach":
        return Counter(rule for rule, _ in {(f.rule, f.key) for f in r.findings})
    return Counter(f.rule for f in r.findings)


def print_rules(results: dict[tuple[str, str], Result], tool: str, trees: list[Tree], top: int) -> None:
    # Counted as the totals count them: tokenreach once per distinct secret, the peers per finding.
    per_tree = {t.name: rule_counts(results[(tool, t.name)]) for t in trees
                if (tool, t.name) in results and results[(tool, t.name)].ok}
    if not per_tree:
        return
    total = sum(per_tree.values(), Counter())
    label = "provider" if tool == "tokenreach" else "rule"
    print(f"\n{tool}: findings per {label} (top {top} of {len(total)})")
    print(f"  {label:<44}" + "".join(f"{n:>10}" for n in [*per_tree, "total"]))
    for rule, n in total.most_common(top):
        print(f"  {rule[:44]:<44}" + "".join(f"{c[rule]:>10}" for c in per_tree.values()) + f"{n:>10}")


def print_list(results: dict[tuple[str, str], Result], tool: str, trees: list[Tree]) -> None:
    rows = [f for t in trees if (tool, t.name) in results for f in results[(tool, t.name)].findings]
    print(f"\n{tool}: every finding location ({len(rows)}; #fingerprint, shared by the locations of one finding)")
    for f in sorted(rows, key=lambda f: (f.rule, f.pattern, f.key, f.tree, f.path, f.line)):
        var = f"  {f.variable}" if f.variable else ""
        key = f"  #{f.key[:8]}" if f.key else ""
        print(f"  {f.tree}/{f.path}:{f.line}  {f.rule}  {f.pattern}  {f.shown}{var}{key}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--trees", nargs="+", choices=TREES, default=list(TREES))
    ap.add_argument("--tools", nargs="+", choices=TOOLS, default=list(TOOLS))
    ap.add_argument("--top", type=int, default=15, help="rules per tool to print (default 15)")
    ap.add_argument("--list", action="store_true", help="print every tokenreach finding (redacted)")
    ap.add_argument("--list-peers", action="store_true", help="also print every peer finding (at most 4 chars)")
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "tokenreach-precision",
                    help="work folder for the mirrored trees and raw outputs (outside any git repository)")
    ap.add_argument("--timeout", type=float, default=3600, help="seconds per tool and tree")
    ap.add_argument("--json", type=Path, help="also write the counts (no secrets) to this file")
    args = ap.parse_args()

    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    inside = subprocess.run(["git", "-C", str(work), "rev-parse", "--show-toplevel"], capture_output=True, text=True)
    if inside.returncode == 0:
        raise SystemExit(f"{work} is inside the git repository {inside.stdout.strip()}: pick a --work outside it")
    # No tool may look for a repository above the mirrored trees.
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull, "CI": "1",
           "TOKENREACH_NO_PROGRESS": "1", "GIT_CEILING_DIRECTORIES": str(work)}

    exes: dict[str, str] = {}
    versions: dict[str, str] = {}
    for name in args.tools:
        exe = find_tool(name)
        if exe is None:
            print(f"! {name}: not installed, skipped ({INSTALL_HINT[name]})", file=sys.stderr)
            continue
        exes[name] = exe
        versions[name] = tool_version(exe, name)
    tools = [t for t in args.tools if t in exes]

    print(f"precision benchmark, {time.strftime('%Y-%m-%d %H:%M:%S %Z')}, {platform.platform()}")
    print(f"tokenreach {versions.get('tokenreach', 'not run')} at {tokenreach_revision()}, {catalog_size()}")
    print(", ".join(f"{n} {versions[n]}" for n in tools if n != "tokenreach") or "no peer installed")
    start = time.perf_counter()
    trees = build_trees(work, args.trees)
    print(f"trees (mirrored in {time.perf_counter() - start:.0f}s without __pycache__, .git, symbolic links):")
    for t in trees:
        print(f"  {t.name:<7} {t.files:>7,} files {human(t.bytes):>11}  {t.version}")
        links = f", {t.skipped_links} symbolic links left out" if t.skipped_links else ""
        print(f"  {'':<7} from {t.source}{links}")
    print()

    results: dict[tuple[str, str], Result] = {}
    for t in trees:
        for name in tools:
            r = run_tool(name, exes[name], t, work, env, args.timeout)
            results[(name, t.name)] = r
            if not r.ok:
                print(f"! {name} on {t.name}: {r.error}", file=sys.stderr)
    for name in tools:
        print(f"  {' '.join(argv_for(name, name))}")
    print()
    print_totals(results, tools, trees)
    if len(tools) < len(TOOLS):
        missing = [n for n in TOOLS if n not in tools]
        print(f"(not run: {', '.join(missing)})")

    for name in tools:
        print_rules(results, name, trees, args.top)

    def total(tool: str) -> int | None:
        rs = [results.get((tool, t.name)) for t in trees]
        return sum(r.reported for r in rs if r) if rs and all(r and r.ok for r in rs) else None

    def locations(tool: str) -> int:
        return sum(results[(tool, t.name)].locations for t in trees if (tool, t.name) in results)

    tr = total("tokenreach")
    peers = {n: total(n) for n in tools if n != "tokenreach"}
    if tr is not None and peers:
        print()
        for n, v in peers.items():
            if v is None:
                print(f"tokenreach {tr:,} findings vs {n}: n/a (it did not finish every tree)")
                continue
            verdict = "fewer" if tr < v else "NOT fewer"
            print(f"tokenreach {tr:,} findings ({locations('tokenreach'):,} locations) vs {n} {v:,} "
                  f"({locations(n):,}): {verdict} findings")

    if args.list and "tokenreach" in tools:
        print_list(results, "tokenreach", trees)
    if args.list_peers:
        for name in tools:
            if name != "tokenreach":
                print_list(results, name, trees)
    if args.json:
        summary = {
            "python": platform.python_version(), "tools": versions,
            "trees": {t.name: {"source": str(t.source), "files": t.files, "bytes": t.bytes, "version": t.version}
                      for t in trees},
            "results": {f"{r.tool}/{r.tree}": {"ok": r.ok, "error": r.error, "findings": r.reported,
                                               "locations": r.locations, "wall": round(r.wall, 2),
                                               "per_rule": dict(rule_counts(r).most_common())}
                        for r in results.values()},
        }
        args.json.write_text(json.dumps(summary, indent=2) + "\n")


if __name__ == "__main__":
    main()
