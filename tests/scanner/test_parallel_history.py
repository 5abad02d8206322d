"""A history scanned by worker processes gives exactly what a serial scan gives (scanner/parallel.py)."""

from __future__ import annotations

import os
import random
import string
import subprocess
from pathlib import Path

import pytest

from tests.helpers import GIT_ENV
from tokenreach.scanner import parallel
from tokenreach.scanner.findings import ScanOptions, scan
from tokenreach.scanner.model import ScanResult

pytestmark = pytest.mark.skipif(not parallel.can_fork(), reason="history workers are forked (Linux)")

BLOBS = 1200
# Tokens planted in some blobs, several of them in more than one blob.
_RNG = random.Random(7)
TOKENS = ["sk_live_" + "".join(_RNG.choices(string.ascii_letters + string.digits, k=24)) for _ in range(200)]


def _fast_import(root: Path) -> None:
    """One repository of BLOBS distinct blobs over 12 commits, written in one fast-import stream."""
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True, env={**os.environ, **GIT_ENV})
    out: list[bytes] = []
    per_commit = BLOBS // 12
    n = 0
    for c in range(12):
        out.append(b"commit refs/heads/main\n")
        out.append(f"author A <a@example.com> {1700000000 + c} +0000\n".encode())
        out.append(f"committer A <a@example.com> {1700000000 + c} +0000\n".encode())
        msg = f"commit {c}\n".encode()
        out.append(b"data %d\n%s\n" % (len(msg), msg))
        for _ in range(per_commit):
            body = f"# file {n}\nvalue = {n * 7919}\n".encode()
            if n % 97 == 0:
                body += f"STRIPE_KEY={TOKENS[n % 5]}\n".encode()  # five tokens, many copies
            if n % 89 == 0:
                body += f"STRIPE_KEY={TOKENS[5 + n % 100]}  # tokenreach:ignore\n".encode()
            if n % 101 == 0:
                body += b"\x00\x01binary"
            out.append(f"M 100644 inline f{n % 40}/n{n}.txt\n".encode())
            out.append(b"data %d\n%s\n" % (len(body), body))
            n += 1
    subprocess.run(["git", "fast-import", "--quiet"], cwd=root, input=b"".join(out), check=True,
                   env={**os.environ, **GIT_ENV})


@pytest.fixture(scope="module")
def history_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("parallel") / "repo"
    _fast_import(root)
    return root


def _view(result: ScanResult) -> tuple[object, ...]:
    findings = [(f.token.provider, f.token.secret, f.token.variable, f.pattern_name,
                 [(x.path, x.line, x.column, x.exposure, x.commit, x.author, x.date) for x in f.locations])
                for f in result.findings]
    s = result.stats
    return findings, s.blobs, s.bytes, s.commits, dict(s.skipped), sorted(s.warnings), s.not_reported


def test_workers_give_the_serial_scans_findings_in_the_same_order(history_repo, monkeypatch):
    monkeypatch.setattr(parallel, "SLICE_BLOBS", 50)  # many slices, taken in turn by the workers
    serial = scan(ScanOptions(path=history_repo, worktree=False, jobs=1))
    workers = scan(ScanOptions(path=history_repo, worktree=False, jobs=2))
    assert len(serial.findings) == 5
    assert serial.stats.skipped["ignored inline (tokenreach:ignore)"] > 0
    assert serial.stats.skipped["binary"] > 0
    assert _view(workers) == _view(serial)


def test_a_worker_that_dies_loses_nothing(history_repo, monkeypatch):
    monkeypatch.setattr(parallel, "SLICE_BLOBS", 50)
    parent = os.getpid()
    real = parallel._scan_slice
    done_here: list[str] = []

    def dies_on_a_slice(repo, oids, *args, **kwargs):  # type: ignore[no-untyped-def]
        if os.getpid() != parent and oids[0] == first_of_slice_3:
            os._exit(9)  # killed mid-scan, e.g. by the out-of-memory killer
        if os.getpid() == parent:
            done_here.append(oids[0])
        return real(repo, oids, *args, **kwargs)

    serial = scan(ScanOptions(path=history_repo, worktree=False, jobs=1))
    from tokenreach.scanner.sources import history

    index = history.full_index(history_repo, serial.stats.__class__(), max_size=1 << 20)
    first_of_slice_3 = history.wanted(index)[150]
    monkeypatch.setattr(parallel, "_scan_slice", dies_on_a_slice)
    workers = scan(ScanOptions(path=history_repo, worktree=False, jobs=2))
    assert _view(workers) == _view(serial)
    assert done_here == [first_of_slice_3]  # the parent scanned the dead worker's slice, and only that


def test_how_many_workers():
    assert parallel.jobs_for(1, 10**6) == 1
    assert parallel.jobs_for(3, 10) == 3
    assert parallel.jobs_for(0, parallel.MIN_BLOBS - 1) == 1
    assert parallel.jobs_for(0, parallel.MIN_BLOBS) == min(len(os.sched_getaffinity(0)), 8)


def test_loose_objects_among_packed_ones_keep_the_serial_order(tmp_path, monkeypatch):
    # git reads the loose objects, the pack reader the others (scanner/sources/packs.py); their
    # answers merge in the order asked, in a worker's slice as in the serial read.
    root = tmp_path / "repo"
    _fast_import(root)
    env = {**os.environ, **GIT_ENV}
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=root, check=True, env=env)
    for i in range(3):  # tokens the packed blobs hold too: one finding, locations from both readers
        (root / f"loose{i}.txt").write_text(f"STRIPE_KEY={TOKENS[i]}\n")
        subprocess.run(["git", "add", "-A"], cwd=root, check=True, env=env)
        subprocess.run(["git", "commit", "-q", "-m", f"loose {i}"], cwd=root, check=True, env=env)
    assert list((root / ".git" / "objects").glob("??/*"))  # some objects are loose
    monkeypatch.setattr(parallel, "SLICE_BLOBS", 50)
    serial = scan(ScanOptions(path=root, worktree=False, jobs=1))
    workers = scan(ScanOptions(path=root, worktree=False, jobs=2))
    assert _view(workers) == _view(serial)
    paths = [x.path for f in serial.findings for x in f.locations]
    assert "loose0.txt" in paths and any(p.startswith("f") for p in paths)
