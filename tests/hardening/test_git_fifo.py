"""A FIFO (or a device) where git expects a file must never hang the scan (issue 17, item 5).

Inside .git such a file is refused before git runs, with a warning naming it, and the working
tree is still scanned. Anything git opens outside .git (an alternate object store, a .gitignore)
is bounded by the timeout every git process gets. Each scan runs in a subprocess with a generous
bound, so an unfixed scanner fails the test instead of hanging the suite.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.helpers import GIT_ENV, TOKENREACH, Repo

T_TREE = "hf_" + ("FifoWorkingTree" * 3)[:32] + "51"
T_HISTORY = "hf_" + ("FifoHistory" * 3)[:32] + "52"
BOUND = 90  # seconds: far above a real scan of these tiny repositories


def fifo_repo(repo: Repo) -> Repo:
    repo.write("old.env", f"HF_TOKEN={T_HISTORY}\n")
    repo.commit("old")
    repo.git("rm", "-q", "old.env")
    repo.commit("gone")
    repo.write("local.env", f"HF_TOKEN={T_TREE}\n")
    return repo


def release_all(root: Path) -> None:
    """Readers an unfixed scanner left blocked on a FIFO under ``root`` get end of file."""
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            path = os.path.join(dirpath, name)
            try:
                if not stat.S_ISFIFO(os.stat(path).st_mode):
                    continue
            except OSError:
                continue
            for _ in range(50):
                try:
                    os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
                except OSError:
                    break


def scan(path: Path, cleanup: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **GIT_ENV, "TOKENREACH_NO_PROGRESS": "1"}
    try:
        return subprocess.run([*TOKENREACH, "scan", str(path), "--offline", "--format", "json"], env=env,
                              capture_output=True, text=True, timeout=BOUND)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the scan hung (no result in {BOUND} s)")
    finally:
        release_all(cleanup)


@pytest.mark.parametrize("special", ["config", "HEAD", "objects/info/alternates", "packed-refs", "index",
                                     "info/grafts", "shallow", "logs/HEAD", "refs/heads/fifo-branch",
                                     "info/exclude", "commondir"])
def test_fifo_inside_git_dir_is_refused_with_a_warning(repo, tmp_path, special):
    fifo_repo(repo)
    target = repo.root / ".git" / special
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    os.mkfifo(target)
    proc = scan(repo.root, tmp_path)
    assert proc.returncode in (0, 1), proc.stderr
    doc = json.loads(proc.stdout)
    assert any(f".git/{special}" in w and "not a regular file" in w for w in doc["warnings"]), doc["warnings"]
    assert {f["locations"][0]["path"] for f in doc["findings"]} >= {"local.env"}


def test_symlink_to_a_fifo_and_a_fifo_dot_git(repo, tmp_path):
    fifo_repo(repo)
    outside = tmp_path / "outside.fifo"
    os.mkfifo(outside)
    config = repo.root / ".git" / "config"
    config.unlink()
    config.symlink_to(outside)
    proc = scan(repo.root, tmp_path)
    assert proc.returncode in (0, 1), proc.stderr
    doc = json.loads(proc.stdout)
    assert any(".git/config" in w for w in doc["warnings"]), doc["warnings"]

    bare_fifo = Repo(tmp_path / "dotgit-fifo", init=False)
    bare_fifo.write("local.env", f"HF_TOKEN={T_TREE}\n")
    os.mkfifo(bare_fifo.root / ".git")
    proc = scan(bare_fifo.root, tmp_path)
    assert proc.returncode in (0, 1), proc.stderr
    doc = json.loads(proc.stdout)
    assert any(".git" in w and "not a regular file" in w for w in doc["warnings"]), doc["warnings"]
    assert [f["locations"][0]["path"] for f in doc["findings"]] == ["local.env"]


# Outside .git nothing is checked beforehand: the timeout is what bounds git. The scan runs with
# the timeouts shortened, in a child interpreter, so the test takes seconds rather than minutes.
_CHILD = textwrap.dedent("""
    import sys
    from pathlib import Path
    from tokenreach.scanner.sources import git
    git.TIMEOUT = git.IDLE_TIMEOUT = 2.0
    from tokenreach.scanner.run import RunOptions, run
    try:
        result = run(RunOptions(path=Path(sys.argv[1]), offline=True))
    except git.GitError as exc:
        print("GitError:", exc)
    else:
        print("findings:", sorted({loc.path for f in result.findings for loc in f.locations}))
        print("warnings:", result.scan.stats.warnings)
""")


def child_scan(path: Path, cleanup: Path) -> str:
    env = {**os.environ, **GIT_ENV, "TOKENREACH_NO_PROGRESS": "1"}
    try:
        proc = subprocess.run([sys.executable, "-c", _CHILD, str(path)], env=env, capture_output=True,
                              text=True, timeout=BOUND)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the scan hung (no result in {BOUND} s)")
    finally:
        release_all(cleanup)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


def test_fifo_in_an_alternate_object_store_times_out(repo, tmp_path):
    fifo_repo(repo)
    ext = tmp_path / "ext" / "objects"
    (ext / "info").mkdir(parents=True)
    os.mkfifo(ext / "info" / "alternates")
    (repo.root / ".git" / "objects" / "info" / "alternates").write_text(f"{ext}\n")
    out = child_scan(repo.root, tmp_path)
    assert out.startswith("GitError:") and "no progress" in out, out


def test_fifo_gitignore_in_the_working_tree_times_out_and_the_scan_goes_on(repo, tmp_path):
    fifo_repo(repo)
    os.mkfifo(repo.root / ".gitignore")
    out = child_scan(repo.root, tmp_path)
    assert "findings: ['local.env', 'old.env']" in out, out
    assert "git ls-files" in out, out
