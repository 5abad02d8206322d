"""A sweep of 200 repositories: serial vs the local pool vs a two-worker loopback Dask cluster vs
Kingfisher on the same folder, and how many lookups the sweep makes per unique token.

    pip install -e '.[cluster]' kingfisher-bin
    python benchmarks/fleet.py                  # 200 repositories in $TMPDIR/tokenreach-fleet
    python benchmarks/fleet.py --repos 50       # a smaller fleet

The fleet is deterministic (seed 14): 150 small repositories (5 commits), 40 medium (40 commits)
and 10 large (250 commits) of real source text (the Python standard library), with 30 GitHub
tokens each planted in 2 to 20 repositories and one token of each repository's own. Every
tokenreach run is offline but the lookup count, which points GitHub's lookups at a local fake
(127.0.0.1) that counts the ``GET /user`` each unique token receives (one per token is the target),
and Hugging Face's at the same fake, which refuses them: no planted token leaves the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Outside any git repository: a folder inside one is scanned as that repository, not as a fleet.
WORK = Path(tempfile.gettempdir()) / "tokenreach-fleet"
ENV = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull, "CI": "1",
       "TOKENREACH_NO_PROGRESS": "1"}
ENV.pop("PYTHONDONTWRITEBYTECODE", None)
SHARED = 30


ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def _random(seed: str, n: int) -> str:
    rng = random.Random(seed)  # random-looking (no placeholder run), the same every time
    return "".join(rng.choice(ALPHABET) for _ in range(n))


def github_token(i: int) -> str:
    from tokenreach.detectors.providers.github import with_checksum

    return with_checksum("ghp", _random(f"shared{i}", 30))


def own_token(i: int) -> str:
    return "hf_" + _random(f"own{i}", 34)


def corpus() -> list[bytes]:
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    files = sorted(p for p in stdlib.rglob("*.py") if "site-packages" not in p.parts and "test" not in p.parts)
    return [d for p in files[:600] if 2_000 < len(d := p.read_bytes()) < 60_000]


def generate(dest: Path, n: int) -> Path:
    marker = dest / f".generated-{n}-v2"
    if marker.exists():
        return dest
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    rng = random.Random(14)
    texts = corpus()
    holders: dict[int, list[int]] = {}
    for t in range(SHARED):
        holders[t] = rng.sample(range(n), min(n, rng.randint(2, 20)))
    for r in range(n):
        size = "large" if r % 20 == 0 else "medium" if r % 5 == 0 else "small"
        commits = {"small": 5, "medium": 40, "large": 250}[size]
        repo = dest / f"repo{r:03d}"
        subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True, env=ENV)
        planted = [f"GITHUB_TOKEN={github_token(t)}" for t, rs in holders.items() if r in rs]
        planted.append(f"HF_TOKEN={own_token(r)}")
        proc = subprocess.Popen(["git", "fast-import", "--quiet"], cwd=repo, stdin=subprocess.PIPE, env=ENV)
        assert proc.stdin is not None
        for c in range(1, commits + 1):
            proc.stdin.write(f"commit refs/heads/main\ncommitter Bench <bench@example.com> {1700000000 + c * 60} "
                             f"+0000\ndata 7\nchange\n".encode())
            for _ in range(3):
                body = b"# rev %d\n" % c + texts[rng.randrange(len(texts))]
                path = f"src/m{rng.randrange(20)}.py"
                proc.stdin.write(b"M 100644 inline " + path.encode() + b"\ndata %d\n" % len(body) + body + b"\n")
            if c == max(1, commits // 2):
                body = ("\n".join(planted) + "\n").encode()
                proc.stdin.write(b"M 100644 inline config/app.env\ndata %d\n" % len(body) + body + b"\n")
        proc.stdin.close()
        if proc.wait() != 0:
            raise SystemExit("git fast-import failed")
        subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=repo, check=True, env=ENV)
    marker.write_text("ok\n")
    return dest


def tool(name: str) -> str | None:
    local = Path(sys.executable).parent / name
    return str(local) if local.exists() else shutil.which(name)


def timed(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, str, int]:
    start = time.perf_counter()
    proc = subprocess.run(argv, env=env or ENV, capture_output=True, text=True)
    wall = time.perf_counter() - start
    print(f"  {wall:8.2f}s  {' '.join(a for a in argv[1:] if not a.startswith('/'))[:90]}", flush=True)
    if proc.returncode not in (0, 1, 200, 205):
        print(f"  ! {' '.join(argv[:4])} exited {proc.returncode}: {proc.stderr[-400:]}", file=sys.stderr)
    return wall, proc.stdout, proc.returncode


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Cluster:
    """A Dask scheduler and two one-thread workers on 127.0.0.1, each in its own session."""

    def __init__(self) -> None:
        self.address = f"tcp://127.0.0.1:{free_port()}"
        port = self.address.rsplit(":", 1)[1]
        self.logs = Path(tempfile.mkdtemp(prefix="fleet-dask-"))
        self.procs = [self._start(["distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", port,
                                   "--dashboard-address", "127.0.0.1:0"], "scheduler")]
        for i in range(2):
            self.procs.append(self._start(["distributed.cli.dask_worker", self.address, "--host", "127.0.0.1",
                                           "--nthreads", "1", "--nworkers", "1", "--dashboard-address",
                                           "127.0.0.1:0", "--local-directory", str(self.logs / f"w{i}")], f"w{i}"))
        from distributed import Client

        with Client(self.address, timeout=60) as c:
            c.wait_for_workers(2, timeout=120)

    def _start(self, args: list[str], name: str) -> subprocess.Popen[bytes]:
        log = (self.logs / f"{name}.log").open("wb")
        return subprocess.Popen([sys.executable, "-m", *args], stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True, env=ENV)

    def close(self) -> None:
        import signal

        for p in reversed(self.procs):
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
            p.wait(timeout=60)
        shutil.rmtree(self.logs, ignore_errors=True)


class CountingGitHub:
    """GET /user answering 200 for any token, counting each token's requests (read-only fake).
    Hugging Face's lookups come here too, and are told 401 (each repository's own token is made
    up): no planted token goes to a real provider, and the run does not wait on the network."""

    def __init__(self) -> None:
        self.users: Counter[str] = Counter()
        counts = self.users

        class H(BaseHTTPRequestHandler):
            disable_nagle_algorithm = True  # headers and body are two writes (tests/fakes/server.py)

            def log_message(self, *a: object) -> None:
                pass

            def do_GET(self) -> None:
                auth = self.headers.get("Authorization", "")
                path = self.path.split("?")[0]
                if path == "/user":
                    counts[auth] += 1
                if path == "/api/whoami-v2":
                    self.reply(401, {"error": "Invalid credentials in Authorization header"})
                else:
                    self.reply(200, {"login": "fleet"} if path == "/user" else [], {"X-OAuth-Scopes": "repo"})

            def reply(self, status: int, doc: object, headers: dict[str, str] | None = None) -> None:
                body = json.dumps(doc).encode()
                self.send_response(status)
                for name, value in {"Content-Type": "application/json", **(headers or {}),
                                    "Content-Length": str(len(body))}.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), H)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self) -> None:
        self.server.shutdown()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repos", type=int, default=200)
    ap.add_argument("--work", type=Path, default=WORK)
    args = ap.parse_args()
    folder = generate(args.work / str(args.repos), args.repos)
    tr = tool("tokenreach") or "tokenreach"
    from tokenreach.scanner.parallel import cores as count_cores
    from tokenreach.scanner.sweep import pool_size

    cores = count_cores()
    print(f"{args.repos} repositories in {folder} · {cores} cores · {sys.version.split()[0]}")
    rows: list[tuple[str, float, str]] = []
    base = [tr, "scan", str(folder), "--format", "json", "--offline", "--no-config"]
    timed([*base, "--jobs", "1"])  # warm the compiled-engine cache and the page cache
    wall, out, _ = timed([*base, "--jobs", "1"])
    serial = json.loads(out)
    rows.append(("tokenreach, serial (--jobs 1)", wall, f"{len(serial['findings'])} findings"))
    wall, out, _ = timed(base)
    pool = json.loads(out)
    same = _compare(pool["findings"], serial["findings"])
    rows.append((f"tokenreach, local pool ({cores} cores, {pool_size(0)} processes)", wall, same))
    try:
        cluster = Cluster()
    except Exception as exc:  # distributed missing, or it would not start
        rows.append(("tokenreach, 2-worker loopback cluster", float("nan"), f"skipped: {exc}"))
    else:
        try:
            timed([*base, "--cluster", cluster.address])  # the workers build their engine once
            wall, out, code = timed([*base, "--cluster", cluster.address])
            if code in (0, 1):
                same = _compare(json.loads(out)["findings"], serial["findings"])
            else:
                same = f"failed (exit {code})"
            rows.append(("tokenreach, 2-worker loopback cluster", wall, same))
        finally:
            cluster.close()
    kf = tool("kingfisher")
    if kf:
        argv = [kf, "scan", str(folder), "--git-history", "full", "--no-validate", "--no-update-check",
                "--format", "json"]
        timed(argv)
        wall, out, _ = timed(argv)
        rows.append(("kingfisher (same folder, history, no validation)", wall, _kingfisher_count(out)))
    else:
        rows.append(("kingfisher", float("nan"), "skipped: pip install kingfisher-bin"))
    fake = CountingGitHub()
    try:
        env = {**ENV, "TOKENREACH_GITHUB_API_URL": fake.url, "TOKENREACH_HUGGINGFACE_API_URL": fake.url}
        online = [a for a in base if a != "--offline"]
        wall, out, _ = timed(online, env)
    finally:
        fake.close()
    doc = json.loads(out)
    planted = [github_token(t) for t in range(SHARED)]
    found = {f["redacted"] for f in doc["findings"] if f["provider"] == "github"}
    per = sorted(sum(n for auth, n in fake.users.items() if auth.endswith(" " + tok)) for tok in planted)
    print()
    print(f"{'run':<52} {'seconds':>8}  note")
    for name, secs, note in rows:
        print(f"{name:<52} {secs:>8.2f}  {note}")
    print()
    print(f"lookups: {len(planted)} planted GitHub tokens in {len(found)} findings; GET /user per planted token: "
          f"min {per[0]} max {per[-1]}; {sum(fake.users.values())} GET /user in all "
          f"(sweep with lookups: {wall:.2f}s)")


def _compare(got: list[dict[str, object]], want: list[dict[str, object]]) -> str:
    if got == want:
        return "same findings as serial"
    a = {(f["fingerprint"], json.dumps(f, sort_keys=True)) for f in got}
    b = {(f["fingerprint"], json.dumps(f, sort_keys=True)) for f in want}
    return f"FINDINGS DIFFER: {len(got)} vs {len(want)}, {len(a - b)} not in serial, {len(b - a)} missing"


def _kingfisher_count(out: str) -> str:
    n = 0
    for line in out.splitlines():
        line = line.strip()
        if line.startswith("{") or line.startswith("["):
            try:
                doc = json.loads(line)
            except ValueError:
                continue
            n += len(doc) if isinstance(doc, list) else 1
    if not n:
        try:
            doc = json.loads(out)
            n = len(doc.get("findings", doc)) if isinstance(doc, dict) else len(doc)
        except ValueError:
            return "output not parsed"
    return f"{n} findings reported"


if __name__ == "__main__":
    main()
