"""The lookup deadline holds until the process exits, whatever the network does.

    python benchmarks/deadline.py              # 6 providers, --lookup-timeout 2
    python benchmarks/deadline.py --tokens 12 --timeout 3

Every looked-up provider is pointed (``TOKENREACH_<PROVIDER>_API_URL``) at one server on 127.0.0.1
that accepts each connection and never answers, the worst network there is: nothing fails fast.
Each way of running tokenreach is timed from process start to process exit (not to the return of
``main()``: unfinished lookup threads can keep a process alive after it). The target is the lookup
deadline plus one second plus the same command's offline time (start-up, scan and report).
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

GIT_ENV = {"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_AUTHOR_NAME": "b",
           "GIT_AUTHOR_EMAIL": "b@example.com", "GIT_COMMITTER_NAME": "b", "GIT_COMMITTER_EMAIL": "b@example.com"}


class NeverAnswers:
    """Accepts every connection, reads what is sent, and never writes a byte."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(128)
        self.held: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.held.append(conn)


def example_tokens(n: int) -> list[tuple[str, str]]:
    """(provider, example line) for ``n`` providers whose example must be looked up online."""
    from tokenreach.detectors.registry import all_patterns
    from tokenreach.scanner.engine import tokens_in
    from tokenreach.scanner.lookup import offline_access

    out: dict[str, str] = {}
    for det, pattern in all_patterns():
        if det.provider in out or not pattern.lookup or not det.has_lookup() or getattr(det, "self_hosted", False):
            continue
        for example in pattern.examples:
            found = [t for t in tokens_in(example) if t.pattern_id == pattern.id]
            if len(found) == 1:
                offline = offline_access(det, found[0])
                if offline.live is None and not offline.facts.get("skip_lookup"):
                    out[det.provider] = example
                    break
        if len(out) == n:
            break
    return list(out.items())


def make_repo(root: Path, lines: list[str]) -> None:
    env = {**os.environ, **GIT_ENV}
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True, env=env)
    (root / "settings.env").write_text("\n".join(lines) + "\n")
    subprocess.run(["git", "add", "settings.env"], cwd=root, check=True, env=env)


def timed(argv: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, int]:
    started = time.monotonic()
    proc = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, timeout=600)
    elapsed = time.monotonic() - started
    if proc.returncode not in (0, 1):
        sys.exit(f"{' '.join(argv[2:4])} failed (exit {proc.returncode}): {proc.stderr.decode()[-500:]}")
    return elapsed, proc.returncode


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tokens", type=int, default=6)
    ap.add_argument("--timeout", type=float, default=2.0, help="--lookup-timeout given to each command")
    args = ap.parse_args()
    from tokenreach.detectors.http import env_var_for

    server = NeverAnswers()
    tokens = example_tokens(args.tokens)
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "repo"
        make_repo(repo, [line for _, line in tokens])
        env = {**os.environ, **GIT_ENV, "TOKENREACH_NO_PROGRESS": "1", "XDG_CACHE_HOME": str(Path(tmp) / "cache")}
        env |= {env_var_for(p): server.url for p, _ in tokens}
        t = str(args.timeout)
        exe = [sys.executable, "-m"]
        commands = {
            "scan": [*exe, "tokenreach.scanner.cli.app", "scan", ".", "--format", "json", "--lookup-timeout", t],
            "scan --staged": [*exe, "tokenreach.scanner.cli.app", "scan", ".", "--staged", "--format", "json",
                              "--lookup-timeout", t],
            "pre-commit hook": [*exe, "tokenreach.scanner.cli.precommit", "--lookup-timeout", t],
        }
        print(f"{len(tokens)} tokens ({', '.join(p for p, _ in tokens)}), every lookup to a server that never "
              f"answers, --lookup-timeout {t}")
        print(f"{'command':<18}{'offline':>9}{'online':>9}{'limit':>9}  verdict")
        worst = 0.0
        timed(commands["scan"] + ["--offline"], repo, env)  # compiles the engine into the cache once
        for name, argv in commands.items():
            offline, _ = timed([*argv, "--offline"], repo, env)
            online, code = timed(argv, repo, env)
            limit = offline + args.timeout + 1.0
            worst = max(worst, online - limit)
            verdict = "ok" if online <= limit else f"OVER by {online - limit:.2f}s"
            print(f"{name:<18}{offline:>8.2f}s{online:>8.2f}s{limit:>8.2f}s  {verdict} (exit {code})")
        print(f"connections held by the server: {len(server.held)}")
    return 0 if worst <= 0 else 1


if __name__ == "__main__":
    sys.exit(main())
