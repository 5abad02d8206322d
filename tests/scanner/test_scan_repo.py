"""`tokenreach scan` on real git repositories: exact findings, locations, exposures, exit codes."""

from __future__ import annotations

import json

from tests.helpers import Repo, run_cli, scan_json
from tokenreach.detectors.redaction import fingerprint

# Synthetic Hugging Face-shaped tokens: a format the core owns, so these tests do not depend on
# any other provider module.
T_TRACKED = "hf_TrackedTrackedTrackedTrackedTrac01"
T_IGNORED = "hf_IgnoredIgnoredIgnoredIgnoredIgno02"
T_UNTRACKED = "hf_UntrackedUntrackedUntrackedUntra03"
T_DELETED = "hf_DeletedDeletedDeletedDeletedDele04"
T_BRANCH = "hf_BranchBranchBranchBranchBranchBr05"
T_TAG = "hf_TaggedTaggedTaggedTaggedTaggedTa06"
T_STAGED = "hf_StagedStagedStagedStagedStagedSt07"


def by_redacted(doc: dict) -> dict[str, dict]:
    return {f["fingerprint"]: f for f in doc["findings"]}


def red(tok: str) -> str:
    return fingerprint("huggingface", tok)


def build(repo: Repo) -> dict[str, str]:
    shas = {}
    repo.write(".gitignore", ".env\nconfig/local.yml\n")
    repo.write("app/settings.py", f'HF_TOKEN = "{T_TRACKED}"\n')
    repo.write("old.txt", f"token: {T_DELETED}\n")
    shas["first"] = repo.commit("first", date="2026-01-02T03:04:05+00:00")
    repo.git("rm", "-q", "old.txt")
    shas["second"] = repo.commit("remove old", date="2026-01-03T00:00:00+00:00")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("feature.cfg", f"api_key={T_BRANCH}\n")
    shas["feature"] = repo.commit("feature", date="2026-01-04T00:00:00+00:00")
    repo.git("checkout", "-q", "main")
    repo.git("checkout", "-q", "--orphan", "tagonly")
    repo.git("rm", "-rq", "--cached", ".")
    repo.write("tagged.txt", f"{T_TAG}\n")
    shas["tag"] = repo.commit("tagged", "tagged.txt", date="2026-01-05T00:00:00+00:00")
    repo.git("tag", "v1")
    repo.git("checkout", "-q", "-f", "main")
    repo.git("branch", "-D", "tagonly")
    (repo.root / "tagged.txt").unlink(missing_ok=True)
    repo.write(".env", f"X=1\nHUGGINGFACE_TOKEN={T_IGNORED}\n")
    repo.write("config/local.yml", "nothing: here\n")
    repo.write("notes/todo.md", f"try {T_UNTRACKED}\n")
    return shas


def test_every_exposure_is_exact(repo):
    shas = build(repo)
    doc = scan_json(repo.root, "--offline")
    found = by_redacted(doc)
    assert set(found) == {red(t) for t in (T_TRACKED, T_IGNORED, T_UNTRACKED, T_DELETED, T_BRANCH, T_TAG)}

    tracked = found[red(T_TRACKED)]
    assert tracked["locations"] == [{"path": "app/settings.py", "line": 1, "column": 13, "exposure": "tracked",
        "fenced_from": [], "readable_by": []}]
    assert tracked["variable"] == "HF_TOKEN"
    assert tracked["provider"] == "huggingface" and tracked["kind"] == "user_token"

    ignored = found[red(T_IGNORED)]
    assert ignored["locations"] == [{"path": ".env", "line": 2, "column": 19, "exposure": "ignored",
        "fenced_from": [], "readable_by": []}]
    assert ignored["variable"] == "HUGGINGFACE_TOKEN"

    assert found[red(T_UNTRACKED)]["locations"][0]["exposure"] == "untracked"

    deleted = found[red(T_DELETED)]["locations"]
    assert deleted == [{"path": "old.txt", "line": 1, "column": 8, "exposure": "history",
                        "commit": shas["first"], "author": "Ada Author <ada@example.com>",
                        "date": "2026-01-02T03:04:05+00:00", "fenced_from": [], "readable_by": []}]
    branch = found[red(T_BRANCH)]["locations"]
    assert [(b["path"], b["commit"], b["exposure"]) for b in branch] == [("feature.cfg", shas["feature"], "history")]
    tag = found[red(T_TAG)]["locations"]
    assert [(t["path"], t["commit"]) for t in tag] == [("tagged.txt", shas["tag"])]
    # Tracked token: its history blob is the same file, so no redundant history location.
    assert doc["stats"]["commits"] == 4
    assert doc["version"] == "1.2"
    assert set(doc["stats"]) >= {"files", "blobs", "bytes", "skipped", "duration"}


def test_secret_in_tree_and_history_is_one_finding(repo):
    repo.write("a.py", f"T='{T_TRACKED}'\n")
    first = repo.commit("a")
    repo.write("a.py", f"# moved\nT='{T_TRACKED}'\n")
    repo.write("b.py", f"other = '{T_TRACKED}'\n")
    repo.commit("b")
    repo.git("rm", "-q", "b.py")
    repo.commit("rm b")
    doc = scan_json(repo.root, "--offline")
    assert len(doc["findings"]) == 1
    locs = doc["findings"][0]["locations"]
    # The tracked file once, and the deleted b.py from history; the old version of a.py is the
    # same secret in the same tracked file, so it is not repeated.
    assert [(loc["path"], loc["line"], loc["exposure"]) for loc in locs] == [
        ("a.py", 2, "tracked"), ("b.py", 1, "history")]
    assert first


def test_token_kept_for_1000_commits_is_scanned_once(repo):
    repo.write("creds.txt", f"{T_DELETED}\n")
    first = repo.commit("add creds")
    repo.fast_import_commits(999, "counter.txt")
    repo.git("rm", "-q", "creds.txt")
    repo.commit("remove creds")
    doc = scan_json(repo.root, "--offline")
    assert len(doc["findings"]) == 1
    locs = doc["findings"][0]["locations"]
    assert len(locs) == 1 and locs[0]["commit"] == first and locs[0]["exposure"] == "history"
    assert doc["stats"]["commits"] == 1001
    # Unique blobs: creds.txt once, counter.txt 999 versions (one per distinct content).
    assert doc["stats"]["blobs"] <= 1000


def test_no_history_flag(repo):
    build(repo)
    doc = scan_json(repo.root, "--offline", "--no-history")
    assert {loc["exposure"] for f in doc["findings"] for loc in f["locations"]} == {"tracked", "ignored", "untracked"}
    assert doc["stats"]["blobs"] == 0


def test_staged_scans_exactly_the_index(repo):
    repo.write("a.py", f"T='{T_TRACKED}'\n")
    repo.commit("a")
    repo.write("b.py", f"S='{T_STAGED}'\n")
    repo.write("c.py", f"U='{T_UNTRACKED}'\n")  # not staged
    repo.git("add", "b.py")
    repo.write("b.py", "edited after staging\n")  # the index still holds the token
    doc = scan_json(repo.root, "--offline", "--staged")
    assert [(f["fingerprint"], f["locations"]) for f in doc["findings"]] == [
        (red(T_STAGED), [{"path": "b.py", "line": 1, "column": 4, "exposure": "staged",
        "fenced_from": [], "readable_by": []}])]


def test_staged_on_first_commit(repo):
    repo.write("b.py", f"S='{T_STAGED}'\n")
    repo.git("add", "b.py")
    doc = scan_json(repo.root, "--offline", "--staged")
    assert [f["fingerprint"] for f in doc["findings"]] == [red(T_STAGED)]


def test_since_limits_to_new_commits(repo):
    repo.write("old.txt", f"{T_DELETED}\n")
    base = repo.commit("base")
    repo.write("new.txt", f"{T_BRANCH}\n")
    repo.commit("new")
    doc = scan_json(repo.root, "--offline", "--since", base)
    assert [(f["fingerprint"], f["locations"][0]["exposure"]) for f in doc["findings"]] == [(red(T_BRANCH), "tracked")]


def test_exit_codes_and_fail_on(repo):
    repo.write("a.py", f"T='{T_TRACKED}'\n")
    repo.commit("a")
    assert run_cli(["scan", str(repo.root), "--offline"]).returncode == 1  # unconfirmed in tree: high
    assert run_cli(["scan", str(repo.root), "--offline", "--fail-on", "critical"]).returncode == 0
    clean = Repo(repo.root.parent / "clean")
    clean.write("a.py", "print('hello')\n")
    clean.commit("a")
    proc = run_cli(["scan", str(clean.root), "--offline"])
    assert proc.returncode == 0 and "0 secret(s)" in proc.stdout


def test_user_errors_are_one_line_and_exit_2(tmp_path, repo):
    cases = [
        (["scan", str(tmp_path / "missing")], "no such file or folder"),
        (["scan", str(tmp_path), "--format", "xml"], "--format must be one of"),
        (["scan", str(tmp_path), "--fail-on", "urgent"], "--fail-on must be one of"),
        (["scan", str(tmp_path), "--max-file-size", "lots"], "is not a size"),
        (["scan", str(repo.root)], "empty repository"),
        (["scan", str(tmp_path / "plain"), "--staged"], "not inside a git repository"),
    ]
    (tmp_path / "plain").mkdir()
    for args, message in cases:
        proc = run_cli(args)
        assert proc.returncode == 2, (args, proc.stdout, proc.stderr)
        assert message in proc.stderr
        assert "Traceback" not in proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr


def test_not_a_repository_scans_tree_with_notice(tmp_path):
    (tmp_path / "x.env").write_text(f"HF={T_UNTRACKED}\n")
    proc = run_cli(["scan", str(tmp_path), "--offline", "--format", "json"])
    doc = json.loads(proc.stdout)
    assert [f["locations"][0]["exposure"] for f in doc["findings"]] == ["untracked"]
    assert any("not a git repository" in n for n in doc["notices"])


def test_secrets_never_printed_unless_asked(repo):
    build(repo)
    for fmt in ("text", "json"):
        out = run_cli(["scan", str(repo.root), "--offline", "--format", fmt, "-v"])
        for tok in (T_TRACKED, T_IGNORED, T_UNTRACKED, T_DELETED, T_BRANCH, T_TAG):
            assert tok not in out.stdout and tok not in out.stderr
    shown = run_cli(["scan", str(repo.root), "--offline", "--format", "json", "--show-secrets"])
    assert T_IGNORED in shown.stdout


def test_output_file(repo, tmp_path):
    build(repo)
    out = tmp_path / "report.json"
    proc = run_cli(["scan", str(repo.root), "--offline", "--format", "json", "--output", str(out)])
    assert proc.stdout == ""
    assert "secret(s)" in proc.stderr
    assert len(json.loads(out.read_text())["findings"]) == 6
