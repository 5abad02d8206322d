"""A scanner is pointed at untrusted repositories: nothing in one may execute, nothing is written."""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import GIT_ENV, Repo, run_cli, scan_json
from tokenreach.detectors.redaction import fingerprint

TOK = "hf_HostileHostileHostileHostileHost01"
TOK2 = "hf_StagedHostileStagedHostileStaged02"
FP1, FP2 = fingerprint("huggingface", TOK), fingerprint("huggingface", TOK2)


def tree_digest(root: Path) -> dict[str, str]:
    """Every file under root (the .git folder included) → sha256 of its bytes and mode."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in filenames + [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]:
            p = os.path.join(dirpath, name)
            st = os.lstat(p)
            if stat.S_ISLNK(st.st_mode):
                out[p] = "link:" + os.readlink(p)
            elif stat.S_ISREG(st.st_mode):
                with open(p, "rb") as fh:
                    out[p] = hashlib.sha256(fh.read()).hexdigest() + f":{st.st_mode:o}"
    return out


@pytest.fixture
def hostile(tmp_path) -> tuple[Repo, Path]:
    marker_dir = tmp_path / "markers"
    marker_dir.mkdir()
    repo = Repo(tmp_path / "hostile")
    repo.write(".gitattributes", "* diff=evil filter=evil\n")
    repo.write("app.py", f"T='{TOK}'\n")
    repo.write("old.py", "x = 1\n")
    repo.commit("one")
    repo.git("rm", "-q", "old.py")
    repo.commit("two")
    hooks = repo.root / ".git" / "evil-hooks"
    hooks.mkdir()
    for hook in ("pre-commit", "post-checkout", "post-index-change", "reference-transaction", "fsmonitor-watchman"):
        script = hooks / hook
        script.write_text(f"#!/bin/sh\ntouch {marker_dir}/hook-{hook}\n")
        script.chmod(0o755)
    for name in ("fsmonitor", "textconv", "external", "ssh", "alias", "clean", "smudge", "pager", "askpass"):
        (marker_dir / f"{name}.sh").write_text(f"#!/bin/sh\ntouch {marker_dir}/{name}\ncat\n")
        (marker_dir / f"{name}.sh").chmod(0o755)
    m = marker_dir
    with open(repo.root / ".git" / "config", "a") as fh:
        fh.write(f"""
[core]
    fsmonitor = {m}/fsmonitor.sh
    hooksPath = {hooks}
    sshCommand = {m}/ssh.sh
    pager = {m}/pager.sh
    askPass = {m}/askpass.sh
[diff]
    external = {m}/external.sh
[diff "evil"]
    textconv = {m}/textconv.sh
[filter "evil"]
    clean = {m}/clean.sh
    smudge = {m}/smudge.sh
    process = {m}/clean.sh
[alias]
    log = !{m}/alias.sh
    ls-files = !{m}/alias.sh
    cat-file = !{m}/alias.sh
[credential]
    helper = !{m}/askpass.sh
""")
    # Something staged, so --staged has work to do.
    repo.write("staged.py", f"S='{TOK2}'\n")
    safe = ["-c", "core.fsmonitor=false", "-c", "core.hooksPath=/dev/null", "-c", "filter.evil.clean=cat",
            "-c", "filter.evil.process="]
    subprocess.run(["git", *safe, "add", "staged.py"], cwd=repo.root, check=True, env={**os.environ, **GIT_ENV})
    for f in marker_dir.iterdir():
        if not f.name.endswith(".sh"):
            f.unlink()
    return repo, marker_dir


def test_hostile_config_executes_nothing_and_nothing_is_written(hostile):
    repo, markers = hostile
    before = tree_digest(repo.root)
    full = scan_json(repo.root, "--offline")
    staged = scan_json(repo.root, "--offline", "--staged")
    head = repo.git("rev-parse", "HEAD~1").strip()
    since = scan_json(repo.root, "--offline", "--since", head)
    assert sorted(p.name for p in markers.iterdir() if not p.name.endswith(".sh")) == []
    assert tree_digest(repo.root) == before
    assert {f["fingerprint"] for f in full["findings"]} >= {FP1}
    assert [f["fingerprint"] for f in staged["findings"]] == [FP2]
    assert since["stats"]["commits"] == 1


def test_symlinks_fifos_and_odd_files(repo, tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text(f"{TOK}\n")
    repo.write("real.py", f"T='{TOK2}'\n")
    repo.commit("a")
    os.symlink(outside, repo.root / "to-outside.txt")
    os.symlink("/etc/passwd", repo.root / "passwd")
    os.symlink("loop-b", repo.root / "loop-a")
    os.symlink("loop-a", repo.root / "loop-b")
    (repo.root / "dirloop").mkdir()
    os.symlink("..", repo.root / "dirloop" / "up")
    os.mkfifo(repo.root / "fifo")
    repo.write("empty.txt", "")
    repo.write("nul.bin", b"\0\0\0" + TOK.encode())
    repo.write("latin1.txt", b"caf\xe9 \xff\xfe not utf-8 " + f"T={TOK2}".encode())
    repo.write("utf16.txt", f"K={TOK2}\n".encode("utf-16"))
    repo.write("long.txt", "a" * (5 * 1024 * 1024 - 100) + f" {TOK2}\n")
    with open(repo.root / "sparse.img", "wb") as fh:  # 10 GB, nothing on disk
        fh.truncate(10 * 1024**3)
    doc = scan_json(repo.root, "--offline", "--no-history")
    found = {f["fingerprint"]: f for f in doc["findings"]}
    assert set(found) == {FP2}, "the outside file must not be read through a link"
    paths = sorted({loc["path"] for loc in found[FP2]["locations"]})
    assert paths == ["latin1.txt", "long.txt", "real.py", "utf16.txt"]
    skipped = doc["stats"]["skipped"]
    assert skipped["symbolic link"] == 5
    assert skipped["not a regular file"] == 1
    assert skipped["binary"] == 1
    assert skipped["larger than the size limit"] == 1


def test_unreadable_and_vanishing_files_warn_and_continue(repo, monkeypatch):
    from tokenreach.scanner import findings as pipeline
    from tokenreach.scanner import sources

    repo.write("a.py", f"T='{TOK}'\n")
    repo.write("secret/locked.py", "x\n")
    repo.write("gone.py", "y\n")
    repo.commit("a")
    real_read = sources.read_file  # every source reads through sources.read_regular

    def flaky(path, max_size):
        if path.name == "locked.py":
            raise PermissionError(13, "Permission denied")
        if path.name == "gone.py":
            raise FileNotFoundError(2, "No such file or directory")
        return real_read(path, max_size)

    monkeypatch.setattr(sources, "read_file", flaky)
    result = pipeline.scan(pipeline.ScanOptions(repo.root, history=False))
    assert [f.fingerprint for f in result.findings] == [FP1]
    assert any("locked.py: cannot read (Permission denied)" in w for w in result.stats.warnings)
    assert any("gone.py: cannot read" in w for w in result.stats.warnings)
    assert result.stats.skipped["unreadable"] == 2


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file; the monkeypatched test covers EACCES")
def test_permission_denied_for_real(repo):
    repo.write("a.py", f"T='{TOK}'\n")
    locked = repo.write("locked.py", "x\n")
    repo.commit("a")
    locked.chmod(0)
    doc = scan_json(repo.root, "--offline", "--no-history")
    assert any("locked.py" in w for w in doc["warnings"])


@pytest.fixture
def roomy_tmp(tmp_path: Path) -> Iterator[Path]:
    """A folder in memory (tmpfs) where the machine has one: creating and removing 100,000 files on
    the disk's journaled file system took 5 to 50 s a run under the suite's load, for a scan of 4 s.
    The scan reads a folder tree either way; elsewhere, the test's own tmp_path."""
    shm = Path("/dev/shm")
    if not (shm.is_dir() and os.access(shm, os.W_OK)):
        yield tmp_path
        return
    with tempfile.TemporaryDirectory(dir=shm, prefix="tokenreach-many-") as folder:
        yield Path(folder)


@pytest.mark.slow
def test_many_tiny_files(roomy_tmp):
    root = roomy_tmp / "many"
    root.mkdir()
    for i in range(100):
        sub = root / f"d{i}"
        sub.mkdir()
        for j in range(1000):
            (sub / f"f{j}.txt").write_bytes(b"x=1\n")
    (root / "d7" / "f7.txt").write_text(f"T={TOK}\n")
    doc = scan_json(root, "--offline")
    assert doc["stats"]["files"] == 100_000
    assert [f["locations"][0]["path"] for f in doc["findings"]] == ["d7/f7.txt"]


class TestGitEdgeCases:
    def test_no_commits_but_files(self, repo):
        repo.write("a.py", f"T='{TOK}'\n")
        doc = scan_json(repo.root, "--offline")
        assert [f["locations"][0]["exposure"] for f in doc["findings"]] == ["untracked"]

    def test_detached_head_and_orphan_branch(self, repo):
        repo.write("a.py", f"T='{TOK}'\n")
        first = repo.commit("a")
        repo.git("checkout", "-q", "--orphan", "lonely")
        repo.git("rm", "-rq", "--cached", ".")
        (repo.root / "a.py").unlink()
        repo.write("b.py", f"S='{TOK2}'\n")
        repo.commit("orphan", "b.py")
        repo.git("checkout", "-q", "--detach", first)
        doc = scan_json(repo.root, "--offline")
        assert {f["fingerprint"]: f["locations"][0]["exposure"] for f in doc["findings"]} == {
            FP1: "tracked", FP2: "history"}

    def test_shallow_clone(self, repo, tmp_path):
        repo.write("a.py", f"T='{TOK}'\n")
        repo.commit("a")
        repo.git("rm", "-q", "a.py")
        repo.write("b.py", "x\n")
        repo.commit("b")
        clone = tmp_path / "shallow"
        subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone)], check=True,
                       env={**os.environ, **GIT_ENV})
        doc = scan_json(clone, "--offline")
        assert doc["findings"] == []  # the token's commit is not in the shallow clone
        assert doc["stats"]["commits"] == 1

    def test_submodules_are_not_followed(self, repo, tmp_path):
        sub = Repo(tmp_path / "sub")
        sub.write("s.py", f"T='{TOK}'\n")
        sub.commit("s")
        repo.write("main.py", "x\n")
        repo.commit("main")
        subprocess.run(["git", "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(sub.root),
                        "vendor/sub"], cwd=repo.root, check=True, env={**os.environ, **GIT_ENV}, capture_output=True)
        repo.commit("add sub")
        doc = scan_json(repo.root, "--offline")
        assert doc["findings"] == []
        assert doc["stats"]["skipped"].get("submodule (not followed)") == 1

    def test_lfs_pointer_files_are_plain_text(self, repo):
        repo.write("model.bin", "version https://git-lfs.github.com/spec/v1\noid sha256:"
                   + "a" * 64 + "\nsize 12345\n")
        repo.commit("lfs")
        doc = scan_json(repo.root, "--offline")
        assert doc["findings"] == []

    def test_missing_objects_warn_and_continue(self, repo):
        repo.write("a.py", f"T='{TOK}'\n")
        repo.commit("a")
        repo.write("a.py", f"T='{TOK2}'\n")
        repo.commit("b")
        repo.git("rm", "-q", "a.py")
        repo.commit("c")
        # Delete the loose object of the first version of a.py.
        oid = repo.git("rev-parse", "HEAD~2:a.py").strip()
        (repo.root / ".git" / "objects" / oid[:2] / oid[2:]).unlink()
        doc = scan_json(repo.root, "--offline")
        assert [f["fingerprint"] for f in doc["findings"]] == [FP2]
        assert any(oid[:12] in w for w in doc["warnings"])

    def test_bare_repository(self, repo, tmp_path):
        repo.write("a.py", f"T='{TOK}'\n")
        repo.commit("a")
        repo.git("rm", "-q", "a.py")
        repo.write("b.py", f"S='{TOK2}'\n")
        repo.commit("b")
        bare = tmp_path / "bare.git"
        subprocess.run(["git", "clone", "-q", "--bare", str(repo.root), str(bare)], check=True,
                       env={**os.environ, **GIT_ENV})
        doc = scan_json(bare, "--offline")
        assert {f["fingerprint"]: f["locations"][0]["exposure"] for f in doc["findings"]} == {
            FP1: "history", FP2: "tracked"}

    def test_linked_worktree(self, repo, tmp_path):
        repo.write("a.py", f"T='{TOK}'\n")
        repo.commit("a")
        wt = tmp_path / "wt"
        repo.git("worktree", "add", "-q", "-b", "side", str(wt))
        (wt / "local.env").write_text(f"S={TOK2}\n")
        doc = scan_json(wt, "--offline")
        assert {f["fingerprint"]: f["locations"][0]["exposure"] for f in doc["findings"]} == {
            FP1: "tracked", FP2: "untracked"}

    def test_empty_repository_is_exit_2(self, repo):
        proc = run_cli(["scan", str(repo.root)])
        assert proc.returncode == 2 and "empty repository" in proc.stderr
