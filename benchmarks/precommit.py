"""What the pre-commit hook adds to a commit: `git commit` with the real pre-commit framework and
the `tokenreach-offline` hook, against `git commit --no-verify`, on a typical commit (three edited
files of a 40-file project), and the hook's entry alone in the hook's own environment.

    pip install -e '.[test]'          # pre-commit
    python benchmarks/precommit.py    # --rounds 10 for steadier medians

The hook's environment is built the way a user's is (`pre-commit install-hooks`, a pip install of
this checkout's HEAD, which must be committed) in a temporary PRE_COMMIT_HOME; that install is
timed too. Offline: nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GIT_ENV = {"GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.com", "GIT_COMMITTER_NAME": "Bench",
           "GIT_COMMITTER_EMAIL": "bench@example.com", "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}


def run(argv: list[str], cwd: Path, env: dict[str, str]) -> float:
    started = time.perf_counter()
    proc = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv[:4])} exited {proc.returncode}:\n{proc.stdout}{proc.stderr}")
    return time.perf_counter() - started


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=5, help="commits timed with and without the hook")
    args = ap.parse_args()
    rev = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True,
                         check=True).stdout.strip()
    with tempfile.TemporaryDirectory() as tmp:
        home, repo = Path(tmp) / "pre-commit-home", Path(tmp) / "project"
        env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(home), "TOKENREACH_NO_PROGRESS": "1"}
        repo.mkdir()
        run(["git", "init", "-q", "-b", "main"], repo, env)
        (repo / ".pre-commit-config.yaml").write_text(
            f"repos:\n- repo: {ROOT}\n  rev: {rev}\n  hooks:\n  - id: tokenreach-offline\n")
        pre_commit = [sys.executable, "-m", "pre_commit"]
        run([*pre_commit, "install"], repo, env)
        install = run([*pre_commit, "install-hooks"], repo, env)
        for i in range(40):
            (repo / "src").mkdir(exist_ok=True)
            (repo / f"src/mod{i}.py").write_text("".join(f"def f{j}(x):\n    return x + {j}\n" for j in range(50)))
        run(["git", "add", "-A"], repo, env)
        run(["git", "commit", "-q", "-m", "init"], repo, env)
        with_hook, without_hook = [], []
        for round_ in range(args.rounds):
            for verify, bucket in ((True, with_hook), (False, without_hook)):
                for i in range(3):
                    (repo / f"src/mod{i}.py").write_text(f"# edit {round_} {verify}\n" + f"VALUE = {round_}\n" * 80)
                run(["git", "add", "-A"], repo, env)
                bucket.append(run(["git", "commit", "-q", "-m", f"edit {round_}",
                                   *(() if verify else ("--no-verify",))], repo, env))
        [python] = sorted(home.glob("repo*/py_env-*/bin/python"))[:1]
        for i in range(3):
            (repo / f"src/mod{i}.py").write_text("# staged, not committed\n" + "VALUE = 1\n" * 80)
        run(["git", "add", "-A"], repo, env)
        alone = [run([str(python), "-m", "tokenreach.scanner.cli.precommit", "--offline"], repo, env)
                 for _ in range(args.rounds)]
    hooked, plain = statistics.median(with_hook), statistics.median(without_hook)
    print(f"hook environment installed in {install:.1f} s (pip install of {rev[:12]} and its dependencies)")
    print(f"git commit, median of {args.rounds}: {hooked:.3f} s with tokenreach-offline, {plain:.3f} s with "
          f"--no-verify: the hook adds {hooked - plain:.3f} s (pre-commit's own start-up included)")
    print(f"the hook's entry alone, in its environment: {statistics.median(alone):.3f} s")


if __name__ == "__main__":
    main()
