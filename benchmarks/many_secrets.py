"""Many secrets in one file: ~3.5 MB holding ~50,000 GitLab-shaped tokens (issue 17, item 15).

    pip install -e '.[test]'
    python benchmarks/many_secrets.py [--secrets 50000] [--size-mb 3.5] [--same] [--one-line]

Writes the file into a temporary folder (not a git repository), runs
`tokenreach scan FOLDER --offline --format json` in a subprocess, and prints the wall time, the
peak memory of the scan process (ru_maxrss) and whether every planted token was found exactly at
the line and column it was planted at. ``--same`` plants one token 50,000 times (one finding
with 50,000 locations) instead of 50,000 distinct tokens; ``--one-line`` puts everything on a
single line (a minified file).

The tokens are random `glpat-` + 20 alphanumerics: the documented shape of a GitLab personal
access token, random, never a real one.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
_ALNUM = string.ascii_letters + string.digits
ENV = {**os.environ, "TOKENREACH_NO_PROGRESS": "1", "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}


def generate(secrets: int, size: int, same: bool, one_line: bool,
             seed: int = 17) -> tuple[bytes, dict[str, list[tuple[int, int]]]]:
    """The file's bytes and, per token, every (line, column) it was planted at."""
    rng = random.Random(seed)
    fixed = "glpat-" + "".join(rng.choice(_ALNUM) for _ in range(20))
    line_len = max(48, size // secrets)
    parts: list[bytes] = []
    planted: dict[str, list[tuple[int, int]]] = {}
    offset_in_line = 0
    line = 1
    for i in range(secrets):
        tok = fixed if same else "glpat-" + "".join(rng.choice(_ALNUM) for _ in range(20))
        head = f"gitlab_token_{i:06d} = \""
        tail = "\"  # " + "x" * max(0, line_len - len(head) - len(tok) - 5)
        planted.setdefault(tok, []).append((line, offset_in_line + len(head) + 1))
        text = head + tok + tail
        if one_line:
            text += " ; "
            offset_in_line += len(text)
        else:
            text += "\n"
            line += 1
        parts.append(text.encode())
    return b"".join(parts), planted


_STAGE = """
import json, resource, sys, time
from pathlib import Path
from tokenreach.scanner.engine import default_engine
from tokenreach.scanner.findings import _add_hits
from tokenreach.scanner.hits import hits_in
from tokenreach.scanner.model import SourceStats
from tokenreach.scanner.sources import Origin
data = Path(sys.argv[1]).read_bytes()
eng = default_engine()
eng.scan(b"warm up")
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
found, stats = {}, SourceStats()
started = time.perf_counter()
_add_hits(found, Origin("tokens.env", "untracked"), hits_in(eng, data), stats)
elapsed = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
where = {s: sorted((loc.line, loc.column) for loc in f.locations) for (p, s), f in found.items() if p == "gitlab"}
json.dump({"seconds": elapsed, "rss_before_kb": before, "rss_peak_kb": peak, "where": where}, sys.stdout)
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--secrets", type=int, default=50_000)
    ap.add_argument("--size-mb", type=float, default=3.5)
    ap.add_argument("--same", action="store_true", help="one token planted many times")
    ap.add_argument("--one-line", action="store_true", help="everything on one line")
    ap.add_argument("--cli", action="store_true",
                    help="time the whole CLI (adds a slow scrypt fingerprint per distinct token, and the report)")
    args = ap.parse_args()

    data, planted = generate(args.secrets, int(args.size_mb * 1024 * 1024), args.same, args.one_line)
    print(f"file: {len(data) / 1e6:.2f} MB, {args.secrets} planted, {len(planted)} distinct"
          f"{', one line' if args.one_line else ''}")
    with tempfile.TemporaryDirectory(prefix="tokenreach-many-") as tmp:
        folder = Path(tmp) / "target"
        folder.mkdir()
        target = folder / "tokens.env"
        target.write_bytes(data)
        expected = {tok: [list(lc) for lc in sorted(v)] for tok, v in planted.items()}
        if args.cli:
            return _cli(folder, expected)
        started = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", _STAGE, str(target)], env=ENV, capture_output=True, text=True)
        wall = time.perf_counter() - started
    if proc.returncode != 0:
        print(proc.stderr, file=sys.stderr)
        return 2
    out = json.loads(proc.stdout)
    exact = out["where"] == expected
    print(f"scan stage (engine + findings over the file): {out['seconds']:.2f} s, "
          f"peak RSS {out['rss_peak_kb'] / 1024:.0f} MB ({(out['rss_peak_kb'] - out['rss_before_kb']) / 1024:.0f} MB "
          f"over the loaded engine), process wall {wall:.1f} s; {len(out['where'])} gitlab findings, "
          f"every line and column exact: {exact}")
    return 0 if exact else 1


def _cli(folder: Path, expected: dict[str, list[list[int]]]) -> int:
    cmd = [sys.executable, "-m", "tokenreach.scanner.cli", "scan", str(folder), "--offline",
           "--format", "json", "--fail-on", "critical"]
    started = time.perf_counter()
    proc = subprocess.run(cmd, env=ENV, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    if proc.returncode not in (0, 1):
        print(proc.stderr, file=sys.stderr)
        return 2
    found = sorted(sorted([loc["line"], loc["column"]] for loc in f["locations"])
                   for f in json.loads(proc.stdout)["findings"] if f["provider"] == "gitlab")
    exact = found == sorted(expected.values())
    print(f"whole CLI: {elapsed:.1f} s wall, peak RSS {peak_mb:.0f} MB, {len(found)} gitlab findings, "
          f"every line and column exact: {exact}")
    return 0 if exact else 1


if __name__ == "__main__":
    raise SystemExit(main())
