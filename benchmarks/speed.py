"""Speed, side by side: tokenreach vs detect-secrets vs Kingfisher on the same repository.

    pip install . detect-secrets kingfisher-bin
    python benchmarks/speed.py                  # generated repository (deterministic)
    python benchmarks/speed.py --repo PATH      # any repository

The generated repository has >= 5,000 commits and >= 300 MB of unique blobs of real source
text (the Python standard library, varied per commit) with planted tokens. Each tool runs in
its own process; wall time, MB/s of unique blob bytes and peak memory (ru_maxrss of the child)
are printed as a table, plus ratios against Kingfisher.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / "work"
ENV = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull, "CI": "1",
       "TOKENREACH_NO_PROGRESS": "1"}
# A user's install has its bytecode cached; without it every run recompiles ~200 modules (~0.2 s).
ENV.pop("PYTHONDONTWRITEBYTECODE", None)

PLANTED = [
    "HF_TOKEN=hf_BenchBenchBenchBenchBenchBenchBe{:02d}",
    "GITHUB_TOKEN=ghp_{:02d}BenchmarkBenchmarkBenchmarkBench12",
    "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMP{:02d}",
]


def corpus() -> list[bytes]:
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    files = sorted(p for p in stdlib.rglob("*.py") if "site-packages" not in p.parts and "test" not in p.parts)
    texts = []
    for p in files:
        try:
            data = p.read_bytes()
        except OSError:
            continue
        if 2_000 < len(data) < 200_000:
            texts.append(data)
    return texts


def generate(dest: Path, commits: int, target_mb: int) -> Path:
    """A deterministic repository built with one `git fast-import` stream."""
    if (dest / ".git").exists():
        return dest
    dest.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", "-b", "main", str(dest)], check=True, env=ENV)
    texts = corpus()
    rng = random.Random(1234)
    per_commit = max(1, (target_mb * 1_000_000) // commits)
    proc = subprocess.Popen(["git", "fast-import", "--quiet"], cwd=dest, stdin=subprocess.PIPE, env=ENV)
    assert proc.stdin is not None
    n_paths = 12  # modules per package: 60 x 12 paths keep the working tree near 20 MB
    for i in range(1, commits + 1):
        proc.stdin.write(f"commit refs/heads/main\ncommitter Bench <bench@example.com> {1700000000 + i * 60} +0000\n"
                         f"data {len(f'change {i}')}\nchange {i}\n".encode())
        size = 0
        while size < per_commit:
            text = texts[rng.randrange(len(texts))]
            path = f"src/pkg{rng.randrange(60)}/mod{rng.randrange(n_paths)}.py"
            body = b"# revision %d\n" % i + text
            if rng.random() < 0.002:
                body += (PLANTED[rng.randrange(len(PLANTED))].format(i % 100) + "\n").encode()
            proc.stdin.write(b"M 100644 inline " + path.encode() + b"\ndata %d\n" % len(body) + body + b"\n")
            size += len(body)
    proc.stdin.close()
    if proc.wait() != 0:
        raise SystemExit("git fast-import failed")
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=dest, check=True, env=ENV)
    return dest


def unique_blob_bytes(repo: Path) -> int:
    out = subprocess.run(
        ["git", "cat-file", "--batch-all-objects", "--unordered", "--batch-check=%(objecttype) %(objectsize)"],
        cwd=repo, capture_output=True, env=ENV, check=True).stdout
    return sum(int(line.split()[1]) for line in out.splitlines() if line.startswith(b"blob "))


def tree_bytes(repo: Path) -> int:
    total = 0
    for root, dirs, files in os.walk(repo):
        dirs[:] = [d for d in dirs if d != ".git"]
        total += sum(os.path.getsize(os.path.join(root, f)) for f in files)
    return total


def timed(argv: list[str], cwd: Path) -> tuple[float, float, int]:
    """(wall seconds, peak MB of the child, exit code)."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1, 200, 205):
        err = proc.stderr.read().decode(errors="replace")[-400:] if proc.stderr else ""
        print(f"  ! {' '.join(argv[:3])} exited {proc.returncode}: {err}", file=sys.stderr)
    return wall, usage.ru_maxrss / 1024, proc.returncode


def tool(name: str) -> str | None:
    local = Path(sys.executable).parent / name
    return str(local) if local.exists() else shutil.which(name)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repo", type=Path, help="benchmark this repository instead of a generated one")
    ap.add_argument("--commits", type=int, default=5000)
    ap.add_argument("--mb", type=int, default=300, help="unique blob megabytes to generate")
    ap.add_argument("--runs", type=int, default=1, help="runs per tool (best is reported)")
    ap.add_argument("--tools", default="tokenreach,kingfisher,detect-secrets", help="comma-separated")
    ap.add_argument("--staged-only", action="store_true", help="only the --staged start-up runs")
    args = ap.parse_args()

    repo = args.repo.resolve() if args.repo else generate(WORK / f"gen-{args.commits}-{args.mb}", args.commits, args.mb)
    blob_mb = unique_blob_bytes(repo) / 1e6
    tree_mb = tree_bytes(repo) / 1e6
    print(f"repository {repo}: {blob_mb:.0f} MB unique blobs, {tree_mb:.1f} MB working tree")

    wanted = set(args.tools.split(","))
    tr, ds, kf = (tool(t) if t in wanted else None for t in ("tokenreach", "detect-secrets", "kingfisher"))
    if args.staged_only:
        if tr:
            subprocess.run([tr, "scan", str(repo), "--offline", "--no-history"], env=ENV, capture_output=True)
            staged_bench(tr, repo)
        return
    runs: list[tuple[str, str, list[str], float]] = []
    if tr:
        # Warm the engine cache once, as every run after the first on a machine is.
        subprocess.run([tr, "scan", str(repo), "--offline", "--no-history"], env=ENV, capture_output=True)
        runs += [
            ("tokenreach", "working tree", [tr, "scan", ".", "--offline", "--no-history"], tree_mb),
            ("tokenreach", "full history", [tr, "scan", ".", "--offline"], blob_mb),
        ]
    if kf:
        common = [kf, "scan", ".", "--no-validate", "--no-update-check", "--format", "json"]
        runs += [
            ("kingfisher", "working tree", [*common, "--git-history", "none"], tree_mb),
            ("kingfisher", "full history", common, blob_mb),
        ]
    if ds:
        runs.append(("detect-secrets", "working tree", [ds, "scan", "--all-files"], tree_mb))

    results: dict[tuple[str, str], tuple[float, float]] = {}
    print(f"{'tool':<16}{'mode':<14}{'wall s':>9}{'MB/s':>9}{'peak MB':>9}")
    for name, mode, argv, mb in runs:
        best = min((timed(argv, repo) for _ in range(args.runs)), key=lambda r: r[0])
        results[(name, mode)] = best[:2]
        print(f"{name:<16}{mode:<14}{best[0]:>9.2f}{mb / best[0]:>9.1f}{best[1]:>9.0f}")

    def ratio(a: tuple[str, str], b: tuple[str, str]) -> str:
        if a in results and b in results:
            return f"{results[a][0] / results[b][0]:.2f}x"
        return "n/a"

    print()
    print("full history, tokenreach / kingfisher wall time:", ratio(("tokenreach", "full history"),
                                                                  ("kingfisher", "full history")))
    print("working tree, tokenreach / kingfisher wall time:", ratio(("tokenreach", "working tree"),
                                                                  ("kingfisher", "working tree")))
    print("working tree, detect-secrets / tokenreach wall time:", ratio(("detect-secrets", "working tree"),
                                                                      ("tokenreach", "working tree")))
    if tr:
        staged_bench(tr, repo)


def staged_bench(tr: str, repo: Path) -> None:
    """--staged --offline on a one-file change in this repository (the pre-commit path): a change
    with no token, one with a token of a real token's shape (random: its fingerprint is the light
    scrypt), and one with a guessable token (the full-cost scrypt, detectors/redaction.py)."""
    changes = {
        "no token": "def f():\n    return 42\n",
        "a random token": "def f():\n    return 'HF=hf_q7Rk2ZtP9wXc4LmV8nB3sJd6Yf1Hg5TaEu'\n",
        "a guessable token": "def f():\n    return 'HF=hf_StagedStagedStagedStagedStagedSt99'\n",
    }
    with tempfile.TemporaryDirectory() as tmp:
        clone = Path(tmp) / "clone"
        subprocess.run(["git", "clone", "-q", "--shared", str(repo), str(clone)], env=ENV, check=True)
        for what, text in changes.items():
            (clone / "new_module.py").write_text(text)
            subprocess.run(["git", "add", "new_module.py"], cwd=clone, env=ENV, check=True)
            walls = sorted(timed([tr, "scan", ".", "--staged", "--offline"], clone)[0] for _ in range(7))
            print(f"--staged --offline on a one-file change ({what}): best {walls[0]:.3f}s, median {walls[3]:.3f}s "
                  "(interpreter start included)")

if __name__ == "__main__":
    main()
