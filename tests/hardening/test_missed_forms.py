"""Forms of a token the scan used to miss (issue 17, item 22).

Covered, because real repositories hold them: UTF-16 without a byte-order mark (.NET and
PowerShell output), a stray NUL byte before the token, gzip, tar.gz and zip files (bounded, one
level deep), base64 of base64 (a Kubernetes Secret's .dockerconfigjson), and the Terraform state
under .terraform/ (backend credentials). A token as a file name or as a symbolic link's target is
a documented limit (README.md, "Limits").
"""

from __future__ import annotations

import base64
import gzip
import io
import json
import os
import tarfile
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import Repo, run_cli
from tokenreach.scanner.sources import archives, texts_of, to_text_bytes

GITHUB = "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"  # detectors/providers/github.py's example
SLACK = "xoxb-4729137890-4729137890123-AbCdEfGhIjKlMnOpQrStUvWx"
ENV = f"APP=web\nGITHUB_TOKEN={GITHUB}\n"


def scan(repo: Repo, *args: str) -> dict[str, Any]:
    # In this process: the same entry point, exit code and streams as `tokenreach scan` (an
    # uncaught exception fails the test outright), without an interpreter start per scan.
    proc = run_cli(["scan", str(repo.root), "--offline", "--format", "json", *args])
    assert proc.returncode in (0, 1), proc.stderr
    assert "Traceback" not in proc.stderr
    return json.loads(proc.stdout)


def locations(doc: dict[str, Any], provider: str = "github") -> list[tuple[str, int, int, str]]:
    return sorted((loc["path"], loc["line"], loc["column"], loc["exposure"])
                  for f in doc["findings"] if f["provider"] == provider for loc in f["locations"])


def write_bytes(repo: Repo, rel: str, data: bytes) -> None:
    path = repo.root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def tar_gz(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


def zip_of(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return out.getvalue()


# Encodings and stray bytes ----------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark(tmp_path, encoding):
    repo = Repo(tmp_path / "r")
    write_bytes(repo, "config/settings.txt", ENV.encode(encoding))
    repo.commit("utf-16")
    assert locations(scan(repo, "--no-history")) == [("config/settings.txt", 2, 14, "tracked")]


def test_a_nul_byte_before_the_token(tmp_path):
    repo = Repo(tmp_path / "r")
    write_bytes(repo, ".env", b"APP=web\n\0" + f"GITHUB_TOKEN={GITHUB}\n".encode())
    repo.commit("nul")
    assert locations(scan(repo, "--no-history")) == [(".env", 2, 15, "tracked")]


@pytest.mark.parametrize("data", [
    os.urandom(20_000),  # compressed or random data: ~11% control bytes
    b"\x7fELF\x02\x01\x01" + b"\0" * 200 + GITHUB.encode(),  # an executable's header
], ids=["random", "elf"])
def test_binary_data_stays_binary(data):
    assert to_text_bytes(data) is None


# Archives ------------------------------------------------------------------------------------


def test_gzip_tar_gz_and_zip_in_the_working_tree_and_in_history(tmp_path):
    repo = Repo(tmp_path / "r")
    write_bytes(repo, "backup/env.gz", gzip.compress(ENV.encode()))
    write_bytes(repo, "backup/site.tar.gz", tar_gz({"site/README": b"hello\n", "site/.env": ENV.encode()}))
    write_bytes(repo, "dist/bundle.zip", zip_of({"app/": b"", "app/settings.py": f'TOKEN = "{GITHUB}"\n'.encode()}))
    repo.commit("archives")
    write_bytes(repo, "old/slack.zip", zip_of({"notes.txt": f"bot: {SLACK}\n".encode()}))
    repo.commit("slack")
    repo.git("rm", "-q", "old/slack.zip")
    repo.commit("remove it")  # the Slack token now lives in history only
    doc = scan(repo)
    assert locations(doc) == [
        ("backup/env.gz", 2, 14, "tracked"),
        ("backup/site.tar.gz!/site/.env", 2, 14, "tracked"),
        ("dist/bundle.zip!/app/settings.py", 1, 10, "tracked"),
    ]
    assert locations(doc, "slack") == [("old/slack.zip!/notes.txt", 1, 6, "history")]


def test_decompression_is_bounded_and_one_level_deep():
    inner = zip_of({"deep.env": ENV.encode()})
    bomb = b"a" * (30 << 20) + f"\nSLACK={SLACK}\n".encode()  # 30 MB that deflates to ~30 kB
    data = zip_of({"a.env": ENV.encode(), "nested.zip": inner, "bomb.txt": bomb})
    assert len(bomb) / len(data) > archives.MAX_RATIO
    found = dict(texts_of(data, max_size=10 << 20) or [])
    assert set(found) == {"a.env"}, "the nested zip is not opened; the bomb is cut at the budget"
    assert GITHUB.encode() in found["a.env"]
    gz_bomb = gzip.compress(bomb)
    [(name, text)] = texts_of(gz_bomb, max_size=10 << 20) or []
    assert name == "" and len(text) <= archives.MAX_RATIO * len(gz_bomb) and SLACK.encode() not in text


@pytest.mark.parametrize("data", [
    b"PK\x03\x04" + os.urandom(100),
    gzip.compress(ENV.encode())[:20],  # truncated
    b"\x1f\x8b" + os.urandom(50),
    zip_of({"a.env": ENV.encode()})[:-30],  # central directory cut off
], ids=["zip-garbage", "gzip-truncated", "gzip-garbage", "zip-truncated"])
def test_damaged_archives_never_raise(data):
    result = texts_of(data, max_size=1 << 20)
    assert result is None or isinstance(result, list)


# Base64 twice --------------------------------------------------------------------------------


def test_base64_of_base64_in_a_kubernetes_secret(tmp_path):
    config = json.dumps({"auths": {"ghcr.io": {"auth": base64.b64encode(f"octocat:{GITHUB}".encode()).decode()}}})
    value = base64.b64encode(config.encode()).decode()
    manifest = (f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: pull\ntype: kubernetes.io/dockerconfigjson\n"
                f"data:\n  .dockerconfigjson: {value}\n")
    repo = Repo(tmp_path / "r")
    repo.write("deploy/pull-secret.yaml", manifest)
    repo.commit("pull secret")
    doc = scan(repo, "--no-history")
    [finding] = [f for f in doc["findings"] if f["provider"] == "github"]
    [loc] = finding["locations"]
    assert (loc["path"], loc["line"], loc["column"], loc["encoding"]) == ("deploy/pull-secret.yaml", 7, 22, "base64")
    assert GITHUB not in json.dumps(doc)


# Terraform state under .terraform/ -----------------------------------------------------------------


def test_terraform_backend_state_under_dot_terraform(tmp_path):
    repo = Repo(tmp_path / "r")
    repo.write(".gitignore", ".terraform/\n")
    repo.write("main.tf", 'terraform {\n  backend "remote" {}\n}\n')
    repo.commit("tf")
    state = {"version": 3, "backend": {"type": "remote", "config": {"hostname": "app.terraform.io",
                                                                   "token": GITHUB}}}
    repo.write(".terraform/terraform.tfstate", json.dumps(state, indent=2) + "\n")
    # Downloaded providers and modules stay skipped, as every dependency folder's content is.
    repo.write(".terraform/modules/vpc/README.md", f"token {SLACK}\n")
    repo.write(".terraform/providers/registry.terraform.io/x/notes.txt", f"token {SLACK}\n")
    doc = scan(repo, "--no-history")
    assert [(p, e) for p, _, _, e in locations(doc)] == [(".terraform/terraform.tfstate", "ignored")]
    assert locations(doc, "slack") == []
    assert doc["stats"]["skipped"].get("dependency folder", 0) >= 2, doc["stats"]["skipped"]


def test_dependency_folders_still_skipped(tmp_path):
    repo = Repo(tmp_path / "r")
    repo.write("a.txt", "nothing\n")
    repo.commit("a")
    Path(repo.root / "node_modules" / "x").mkdir(parents=True)
    (repo.root / "node_modules" / "x" / "terraform.tfstate").write_text(f"token {GITHUB}\n")
    assert locations(scan(repo, "--no-history")) == []
