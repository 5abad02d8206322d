"""Scale: 1,000,000 lines across 20,000 commits with 5,000 planted tokens of 30 providers.

    pip install -e '.[test]'
    python benchmarks/scale.py [--commits 20000] [--lines 1000000] [--tokens 5000] [--lookups]

Checks, and prints: the scan completes; peak memory (ru_maxrss of the scan process) stays under
1 GB; every planted token is found exactly once, with every location it was planted at; and with
--lookups, lookups against the local fakes finish with each provider's request budget respected.

Tokens are made from each pattern's own examples: the example's secret is varied character by
character within its class (digit, lower, upper), and a variant is kept only when the engine
still attributes it to the same pattern — so checksummed formats stay valid.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ENV = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull, "CI": "1",
       "TOKENREACH_NO_PROGRESS": "1"}
ENV.pop("PYTHONDONTWRITEBYTECODE", None)  # a user's install has its bytecode cached
_ALNUM = ("0123456789", "abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def variants(secret: str, rng: random.Random, n: int) -> list[str]:
    out = set()
    body_start = max(0, len(secret) // 3)
    tries = 0
    while len(out) < n and tries < n * 20:
        tries += 1
        chars = list(secret)
        for i in range(body_start, len(chars)):
            for alphabet in _ALNUM:
                if chars[i] in alphabet:
                    chars[i] = rng.choice(alphabet)
                    break
        out.add("".join(chars))
    return sorted(out)


def plantable(per_provider: int, providers: int, rng: random.Random) -> dict[str, list[tuple[str, str]]]:
    """provider → [(line to plant, secret)] for up to ``providers`` providers."""
    from tokenreach.detectors.registry import all_patterns
    from tokenreach.scanner.engine import default_engine

    engine = default_engine()
    chosen: dict[str, list[tuple[str, str]]] = {}
    # Providers with a lookup first, so that --lookups exercises the lookup runner and budgets.
    for det, pat in sorted(all_patterns(), key=lambda dp: not dp[0].has_lookup()):
        if len(chosen) >= providers or det.provider in chosen or det.generic:
            continue
        example = pat.examples[0]
        hits = [m for m in engine.scan(example.encode()) if m.pattern.id == pat.id]
        if len(hits) != 1 or "\n" in example:
            continue
        secret = hits[0].secret
        lines = []
        for v in variants(secret, rng, per_provider * 2):
            line = example.replace(secret, v)
            found = [m for m in engine.scan(line.encode()) if m.secret == v]
            if len(found) == 1 and found[0].pattern.id == pat.id:
                lines.append((line, v))
            if len(lines) == per_provider:
                break
        if len(lines) == per_provider:
            chosen[det.provider] = lines
    return chosen


def build(dest: Path, commits: int, lines: int, tokens: int, providers: int,
          seed: int = 7) -> dict[tuple[str, str], list[tuple[str, int]]]:
    """Repository via one fast-import stream. Returns (provider, secret) → [(path, line)] planted."""
    rng = random.Random(seed)
    per = -(-tokens // providers)
    chosen = plantable(per, providers, rng)
    pool = [(p, line, s) for p, items in chosen.items() for line, s in items][:tokens]
    rng.shuffle(pool)
    subprocess.run(["git", "init", "-q", "-b", "main", str(dest)], check=True, env=ENV)
    proc = subprocess.Popen(["git", "fast-import", "--quiet"], cwd=dest, stdin=subprocess.PIPE, env=ENV)
    assert proc.stdin is not None
    lines_per_commit = max(1, lines // commits)
    files = 2000
    planted: dict[tuple[str, str], list[tuple[str, int]]] = defaultdict(list)
    token_at = {}  # commit index → token planted in that commit
    step = max(1, commits // max(1, len(pool)))
    for k, item in enumerate(pool):
        token_at[min(commits, 1 + k * step)] = item
    for i in range(1, commits + 1):
        path = f"src/m{rng.randrange(files)}.py"
        body = [f"def f_{i}_{j}(x):  # revision {i}" if j % 4 == 0 else f"    return x * {j} + {i}"
                for j in range(lines_per_commit)]
        if i in token_at:
            provider, line, secret = token_at[i]
            path = f"config/{provider}/settings_{i}.env"
            body[len(body) // 2] = line
            planted[(provider, secret)].append((path, len(body) // 2 + 1))
        data = ("\n".join(body) + "\n").encode()
        msg = f"commit {i}"
        proc.stdin.write(f"commit refs/heads/main\ncommitter Bench <b@example.com> {1700000000 + i} +0000\n"
                         f"data {len(msg)}\n{msg}\nM 100644 inline {path}\ndata {len(data)}\n".encode()
                         + data + b"\n")
    proc.stdin.close()
    if proc.wait() != 0:
        raise SystemExit("fast-import failed")
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=dest, check=True, env=ENV)
    return planted


def scan(repo: Path, extra: list[str], env: dict[str, str]) -> tuple[dict, float, float]:
    tr = Path(sys.executable).parent / "tokenreach"
    start = time.perf_counter()
    proc = subprocess.Popen([str(tr), "scan", str(repo), "--format", "json", *extra], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = proc.communicate()
    wall = time.perf_counter() - start
    peak = _peak_mb()  # the largest child so far: the scans run one after another
    if proc.returncode not in (0, 1):
        raise SystemExit(f"scan failed ({proc.returncode}): {err.decode()[-500:]}")
    return json.loads(out), wall, peak


def _peak_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--commits", type=int, default=20000)
    ap.add_argument("--lines", type=int, default=1_000_000)
    ap.add_argument("--tokens", type=int, default=5000)
    ap.add_argument("--providers", type=int, default=30)
    ap.add_argument("--lookups", action="store_true", help="also look every token up against local fakes")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "scale"
        t0 = time.perf_counter()
        planted = build(repo, args.commits, args.lines, args.tokens, args.providers)
        print(f"built {args.commits} commits, ~{args.lines} lines, {len(planted)} planted tokens "
              f"in {time.perf_counter() - t0:.1f}s")
        doc, wall, peak = scan(repo, ["--offline"], ENV)
        # Matched by fingerprint (a hash of provider and secret), exact where redacted forms collide.
        from tokenreach.detectors.redaction import fingerprint

        by_fingerprint = defaultdict(list)
        for f in doc["findings"]:
            by_fingerprint[f["fingerprint"]].append(f)
        missing, dupes, wrong_locs = 0, 0, 0
        for (provider, secret), locs in planted.items():
            matches = by_fingerprint.get(fingerprint(provider, secret), [])
            if not matches:
                missing += 1
                continue
            if len(matches) > 1:
                dupes += 1
            got = {(loc["path"], loc["line"]) for loc in matches[0]["locations"]}
            if got != set(locs):
                wrong_locs += 1
        wanted = {fingerprint(*k) for k in planted}
        extra = [f for f in doc["findings"] if f["fingerprint"] not in wanted]
        unplanted = len(extra)
        print(f"offline scan: {wall:.1f}s wall, peak {peak:.0f} MB, {doc['stats']['blobs']} blobs, "
              f"{doc['stats']['bytes'] / 1e6:.0f} MB, {len(doc['findings'])} findings")
        print(f"planted {len(planted)}: missing {missing}, found more than once {dupes}, "
              f"wrong locations {wrong_locs}, findings not planted {unplanted}")
        for f in extra[:10]:  # what the planted lines hold besides the planted token
            loc = f["locations"][0]
            print(f"  not planted: {f['provider']} {f.get('kind')} {f['redacted']} at {loc['path']}:{loc['line']}")
        print("memory under 1 GB:", "yes" if peak < 1024 else "NO")
        if args.lookups:
            lookups(repo)


def lookups(repo: Path) -> None:
    import importlib

    from tokenreach.detectors.http import env_var_for
    from tokenreach.detectors.registry import by_provider

    fakes = {}
    for name in by_provider():
        try:
            module = importlib.import_module(f"tests.fakes.{name}")
        except ImportError:
            continue
        if hasattr(module, "make"):
            fakes[name] = module.make().start()
    env = {**ENV, **{env_var_for(n): f.url for n, f in fakes.items()}}
    _doc, wall, _peak = scan(repo, ["--lookup-timeout", "120"], env)
    over = []
    for name, fake in fakes.items():
        budget = by_provider()[name].request_budget
        if len(fake.requests) > budget:
            over.append((name, len(fake.requests), budget))
        fake.stop()
    sent = sum(len(f.requests) for f in fakes.values())
    print(f"lookups against {len(fakes)} fakes: {wall:.1f}s wall, {sent} requests; "
          f"budgets respected: {'yes' if not over else over}")


if __name__ == "__main__":
    main()
