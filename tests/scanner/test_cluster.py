"""--cluster on a real Dask scheduler and two workers on 127.0.0.1 (issue 14)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes import github as fake_github
from tests.helpers import Repo, run_cli, scan_json
from tokenreach.scanner import cluster, sweep
from tokenreach.scanner.errors import ScanError
from tokenreach.scanner.run import RunOptions

distributed = pytest.importorskip("distributed")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(args: list[str], log: Path) -> subprocess.Popen[bytes]:
    # Its own session, so that the worker's nanny and its child die together.
    env = {**os.environ, "DASK_DISTRIBUTED__WORKER__DAEMON": "False"}
    return subprocess.Popen(args, stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True, env=env)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    proc.wait(timeout=30)


@pytest.fixture(scope="module")
def dask_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[subprocess.Popen[bytes]]]]:
    logs = tmp_path_factory.mktemp("dask")
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    procs = [_start([sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port",
                     str(port), "--dashboard-address", "127.0.0.1:0"], logs / "scheduler.log")]
    try:
        for i in range(2):
            procs.append(_start([sys.executable, "-m", "distributed.cli.dask_worker", address, "--host", "127.0.0.1",
                                 "--nthreads", "1", "--nworkers", "1", "--name", f"w{i}",
                                 "--dashboard-address", "127.0.0.1:0", "--local-directory", str(logs / f"w{i}")],
                                logs / f"worker{i}.log"))
        client = distributed.Client(address, timeout=60, set_as_default=False)
        try:
            client.wait_for_workers(2, timeout=120)
        finally:
            client.close()
        yield address, procs
    finally:
        for p in reversed(procs):
            _stop(p)


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("fleet")
    for i in range(8):
        r = Repo(base / f"svc{i}")
        r.write("app.env", f"GITHUB_TOKEN={fake_github.CLASSIC_NARROW}\n")
        r.write("old.env", f"ADMIN={fake_github.CLASSIC_BROAD}\n")
        r.commit("init")
        (r.root / "old.env").unlink()
        r.git("commit", "-qam", "rm")
        # Enough history that a task lasts (so killing a worker catches some in flight), and over
        # parallel.MIN_BLOBS, where a local scan would fork history workers (a Dask worker may not).
        r.fast_import_commits(2100, "counter.txt")
    return base


@pytest.mark.slow
def test_cluster_sweep_gives_the_local_pools_findings(dask_cluster: tuple[str, list], fleet: Path) -> None:
    address, _ = dask_cluster
    local = scan_json(fleet, "--offline", "--jobs", "2")
    remote = scan_json(fleet, "--offline", "--cluster", address)
    assert remote["findings"] == local["findings"]
    assert [r["name"] for r in remote["repositories"]] == [r["name"] for r in local["repositories"]]
    assert all(r["error"] is None for r in remote["repositories"])
    assert sorted(len(f["locations"]) for f in remote["findings"]) == [8, 8]  # one token, 8 repositories


@pytest.mark.slow
def test_a_worker_killed_mid_sweep_and_the_sweep_still_finishes(dask_cluster: tuple[str, list],
                                                                   fleet: Path) -> None:
    address, procs = dask_cluster
    killed: list[str] = []

    def kill_one(outcome: sweep.Outcome, done: int, total: int) -> None:
        if not killed:  # after the first repository: the others are queued or running on both
            os.killpg(procs[1].pid, signal.SIGKILL)
            killed.append(outcome.target.name)

    out = sweep.sweep(RunOptions(path=fleet, offline=True), sweep.targets_for([fleet]), cluster=address,
                      done=kill_one)
    assert killed
    assert len(out.scan.repositories) == 8
    scanned = [r for r in out.scan.repositories if r.error is None]
    assert scanned  # the surviving worker finished the sweep
    for r in out.scan.repositories:  # a repository lost twice is reported, never silently dropped
        assert r.error is None or "failed twice" in r.error


def test_addresses_are_checked() -> None:
    assert cluster.check_address("tcp://127.0.0.1:8786") is None
    assert cluster.check_address("tls://scheduler.example:8786") is None
    warning = cluster.check_address("tcp://10.1.2.3:8786")
    assert warning and "tls://" in warning
    with pytest.raises(ScanError, match="expected tcp://"):
        cluster.check_address("http://127.0.0.1:8786")


@pytest.mark.slow
def test_an_unreachable_scheduler_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Dask retries a refused connection until the timeout: 30 s by default, one here (in-process
    # CLI): a refused port answers at once, so the retries, not the wait, are what is exercised.
    monkeypatch.setattr("tokenreach.scanner.cluster.CONNECT_TIMEOUT", 1)
    for name in ("a", "b"):
        r = Repo(tmp_path / name)
        r.write("x.txt", "x\n")
        r.commit("x")
    proc = run_cli(["scan", str(tmp_path), "--offline", "--cluster", f"tcp://127.0.0.1:{_free_port()}"])
    assert proc.returncode == 2, proc.stderr
    assert "cannot reach the scheduler" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.slow
def test_each_sweep_names_its_own_tasks(dask_cluster: tuple[str, list], tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    # The scheduler names tasks by key for all its clients. Keys were the repository's name alone:
    # two sweeps of repositories with the same names (two teams' checkouts at once, or the hourly
    # sweep started while the last one's tasks are released) shared tasks, and one reported the
    # other's findings. Here: two sweeps back to back, each with its own token.
    address, _ = dask_cluster
    tokens = {"a": fake_github.CLASSIC_NARROW, "b": fake_github.CLASSIC_BROAD}
    for side, token in tokens.items():
        for i in range(3):
            r = Repo(tmp_path / side / f"svc{i}")
            r.write("app.env", f"GITHUB_TOKEN={token}\n")
            r.commit("init")
    keys: list[str] = []
    submit = distributed.Client.submit

    def recording(self: distributed.Client, *args: object, **kwargs: object) -> object:
        keys.append(str(kwargs["key"]))
        return submit(self, *args, **kwargs)

    monkeypatch.setattr(distributed.Client, "submit", recording)
    found: dict[str, set[str]] = {}
    named: dict[str, set[str]] = {}
    for side in tokens:
        keys.clear()
        out = sweep.sweep(RunOptions(path=tmp_path / side, offline=True), sweep.targets_for([tmp_path / side]),
                          cluster=address)
        assert [r.error for r in out.scan.repositories] == [None] * 3
        found[side] = {f.token.secret for f in out.scan.findings}
        named[side] = set(keys)
    assert found == {side: {token} for side, token in tokens.items()}
    assert len(named["a"]) == len(named["b"]) == 3
    assert not named["a"] & named["b"], "two sweeps share task keys"
