"""History the scan used to miss (issue 17, item 6): every object a ref, a reflog or a stash entry
reaches is scanned, messages included, and no file in .git can cut the walk short."""

from __future__ import annotations

import hashlib
import os
import re
import struct
import subprocess
import zlib
from pathlib import Path

from tests.helpers import GIT_ENV, Repo
from tokenreach.scanner.model import Location
from tokenreach.scanner.run import RunOptions, run


def hf(word: str, n: int) -> str:
    """A Hugging Face-shaped fake token (hf_ and 34 letters and digits)."""
    return "hf_" + (word * 34)[:32] + f"{n:02d}"


def found(path: Path) -> dict[str, list[Location]]:
    result = run(RunOptions(path=path, offline=True, use_baseline=False, use_config=False))
    return {f.token.secret: f.locations for f in result.findings}


def scan_result(path: Path):
    return run(RunOptions(path=path, offline=True, use_baseline=False, use_config=False))


def base(repo: Repo) -> str:
    repo.write("README.md", "hello\n")
    return repo.commit("start")


def test_commit_reachable_only_from_the_reflog(repo):
    tok = hf("ReflogOnly", 61)
    base(repo)
    repo.write("oops.env", f"HF_TOKEN={tok}\n")
    sha = repo.commit("oops")
    repo.git("reset", "-q", "--hard", "HEAD~1")  # the commit now lives only in the reflogs
    locs = found(repo.root)[tok]
    assert [(loc.path, loc.exposure, loc.commit) for loc in locs] == [("oops.env", "history", sha)]


def test_every_stash_entry_and_its_untracked_files(repo):
    older, newer, untracked = hf("OlderStash", 62), hf("NewerStash", 63), hf("UntrackedStash", 64)
    base(repo)
    repo.write("README.md", f"{older}\n")
    repo.git("stash", "-q")
    repo.write("README.md", f"{newer}\n")
    repo.git("stash", "-q")
    repo.write("new.env", f"HF_TOKEN={untracked}\n")
    repo.git("stash", "-q", "-u")
    assert len(repo.git("stash", "list").splitlines()) == 3
    secrets = found(repo.root)
    for tok, path in ((older, "README.md"), (newer, "README.md"), (untracked, "new.env")):
        assert [(loc.path, loc.exposure) for loc in secrets[tok]] == [(path, "history")], tok


def test_commit_and_tag_messages(repo):
    in_commit, in_tag = hf("CommitMessage", 65), hf("TagMessage", 66)
    base(repo)
    sha = repo.commit(f"deploy\n\nused HF_TOKEN={in_commit} for the upload")
    repo.git("tag", "-a", "v1", "-m", f"release\n\ntoken {in_tag}")
    tag_id = repo.git("rev-parse", "v1").strip()
    secrets = found(repo.root)
    [loc] = secrets[in_commit]
    assert (loc.exposure, loc.commit, loc.line, loc.author) == ("history", sha, 3, "Ada Author <ada@example.com>")
    [loc] = secrets[in_tag]
    assert (loc.exposure, loc.commit, loc.line, loc.author) == ("history", tag_id, 3, "Ada Author <ada@example.com>")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", loc.date or ""), loc.date


def test_tags_that_point_at_a_blob_or_a_tree(repo):
    in_blob, in_tree, nested = hf("BlobTag", 67), hf("TreeTag", 68), hf("NestedTag", 69)
    base(repo)
    blob = _hash_object(repo, f"HF_TOKEN={in_blob}\n")
    repo.git("tag", "raw-blob", blob)
    inner = _hash_object(repo, f"HF_TOKEN={in_tree}\n")
    tree = _mktree(repo, f"100644 blob {inner}\tsecret.env\n")
    repo.git("tag", "-a", "-m", "a tree", "tree-tag", tree)
    deep = _hash_object(repo, f"HF_TOKEN={nested}\n")
    repo.git("tag", "-a", "-m", "inner", "inner-tag", deep)
    repo.git("tag", "-a", "-m", "outer", "outer-tag", "inner-tag")
    repo.git("tag", "-d", "inner-tag")  # only the outer tag still reaches the blob, through the inner
    secrets = found(repo.root)
    assert [(loc.path, loc.exposure) for loc in secrets[in_blob]] == [("refs/tags/raw-blob", "history")]
    assert [(loc.path, loc.exposure) for loc in secrets[in_tree]] == [("refs/tags/tree-tag:secret.env", "history")]
    assert [loc.exposure for loc in secrets[nested]] == ["history"]


def _hash_object(repo: Repo, text: str) -> str:
    return subprocess.run(["git", "hash-object", "-w", "--stdin"], cwd=repo.root, input=text, text=True,
                          capture_output=True, check=True, env={**os.environ, **GIT_ENV}).stdout.strip()


def _mktree(repo: Repo, listing: str) -> str:
    return subprocess.run(["git", "mktree"], cwd=repo.root, input=listing, text=True, capture_output=True,
                          check=True, env={**os.environ, **GIT_ENV}).stdout.strip()


def history_below(repo: Repo, tok: str) -> str:
    """A token added and removed in the past, then two clean commits; returns the newest."""
    base(repo)
    repo.write("old.env", f"HF_TOKEN={tok}\n")
    repo.commit("add")
    repo.git("rm", "-q", "old.env")
    repo.commit("remove")
    repo.write("README.md", "more\n")
    return repo.commit("newest")


def test_grafts_cannot_cut_history(repo):
    tok = hf("GraftHidden", 70)
    head = history_below(repo, tok)
    (repo.root / ".git" / "info").mkdir(exist_ok=True)
    (repo.root / ".git" / "info" / "grafts").write_text(f"{head}\n")  # HEAD "has no parents"
    assert [loc.exposure for loc in found(repo.root)[tok]] == ["history"]


def test_forged_shallow_file_cannot_cut_history(repo):
    tok = hf("ShallowHidden", 71)
    head = history_below(repo, tok)
    (repo.root / ".git" / "shallow").write_text(f"{head}\n")
    result = scan_result(repo.root)
    assert [loc.exposure for f in result.findings if f.token.secret == tok for loc in f.locations] == ["history"]
    assert any("shallow" in w for w in result.scan.stats.warnings)


def test_forged_entry_above_a_real_shallow_boundary(repo, tmp_path):
    tok = hf("ShallowAbove", 72)
    base(repo)
    repo.write("old.env", f"HF_TOKEN={tok}\n")
    repo.commit("add")
    repo.git("rm", "-q", "old.env")
    repo.commit("remove")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "2", f"file://{repo.root}", str(clone)], check=True,
                   env={**os.environ, **GIT_ENV}, capture_output=True)
    head = Repo(clone, init=False).git("rev-parse", "HEAD").strip()
    shallow = clone / ".git" / "shallow"
    shallow.write_text(shallow.read_text() + f"{head}\n")
    result = scan_result(clone)
    assert [loc.exposure for f in result.findings if f.token.secret == tok for loc in f.locations] == ["history"]
    assert result.scan.stats.commits == 2  # the real boundary still holds: "start" is not in the clone


def test_forged_commit_graph_cannot_cut_history(repo):
    tok = hf("CommitGraph", 73)
    head = history_below(repo, tok)
    repo.git("commit-graph", "write", "--reachable")
    _cut_parent_in_commit_graph(repo.root / ".git" / "objects" / "info" / "commit-graph", head)
    assert repo.git("log", "--format=%H").split() == [head]  # git itself is fooled
    assert [loc.exposure for loc in found(repo.root)[tok]] == ["history"]


def _cut_parent_in_commit_graph(path: Path, commit: str) -> None:
    """Rewrite ``commit``'s first parent in a commit-graph file to "none" (format: git's
    Documentation/gitformat-commit-graph.txt), with a valid trailing checksum."""
    data = bytearray(path.read_bytes())
    assert data[:4] == b"CGPH" and data[5] == 1  # SHA-1 graph
    offsets = {}
    for i in range(data[6] + 1):
        cid, off = struct.unpack(">4sQ", data[8 + 12 * i:20 + 12 * i])
        offsets[cid] = off
    oidl, cdat = offsets[b"OIDL"], offsets[b"CDAT"]
    oids = [bytes(data[oidl + 20 * i:oidl + 20 * (i + 1)]) for i in range((cdat - oidl) // 20)]
    record = cdat + 36 * oids.index(bytes.fromhex(commit))
    struct.pack_into(">I", data, record + 20, 0x70000000)  # GRAPH_PARENT_NONE
    data[-20:] = hashlib.sha1(bytes(data[:-20])).digest()
    path.chmod(0o644)
    path.write_bytes(bytes(data))


def test_a_corrupt_object_does_not_end_the_history_scan(repo):
    """git cat-file dies on a corrupt object; the blobs after it must still be read."""
    older, newer = hf("BeforeCorrupt", 74), hf("AfterCorrupt", 75)
    base(repo)
    repo.write("older.env", f"HF_TOKEN={older}\n")
    repo.commit("older")
    repo.git("rm", "-q", "older.env")
    repo.write("broken.txt", "this blob gets corrupted\n")
    repo.commit("broken")
    repo.git("rm", "-q", "broken.txt")
    repo.write("newer.env", f"HF_TOKEN={newer}\n")
    repo.commit("newer")
    repo.git("rm", "-q", "newer.env")
    repo.commit("clean")
    oid = repo.git("rev-parse", "HEAD~2:broken.txt").strip()
    loose = repo.root / ".git" / "objects" / oid[:2] / oid[2:]
    loose.chmod(0o644)
    loose.write_bytes(zlib.compress(b"blob 25\0") + b"not zlib at all")  # a valid header, then garbage
    result = scan_result(repo.root)
    assert {f.token.secret for f in result.findings} == {older, newer}
    assert any(oid[:12] in w for w in result.scan.stats.warnings), result.scan.stats.warnings
