"""Helpers shared by the tests: git repositories in temp folders, running the CLI, lookups."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tokenreach.detectors.http import env_var_for
from tokenreach.scanner.engine import tokens_in
from tokenreach.scanner.lookup import LookupOptions, lookup_one
from tokenreach.scanner.model import Access, Token

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Ada Author",
    "GIT_AUTHOR_EMAIL": "ada@example.com",
    "GIT_COMMITTER_NAME": "Ada Author",
    "GIT_COMMITTER_EMAIL": "ada@example.com",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
}


def token(text: str, provider: str | None = None) -> Token:
    """The one token of ``provider`` (or the only token) that the engine finds in ``text``."""
    found = [t for t in tokens_in(text) if provider is None or t.provider == provider]
    assert len(found) == 1, f"expected one token, found {[(t.provider, t.pattern_id) for t in found]}"
    return found[0]


def lookup(tok: Token, fake_url: str | Mapping[str, str], timeout: float = 10.0, **kw: Any) -> Access:
    """Look ``tok`` up against a fake: ``fake_url`` for its provider, or a {provider: url} map."""
    urls = {tok.provider: fake_url} if isinstance(fake_url, str) else dict(fake_url)
    environ = {env_var_for(p): u for p, u in urls.items()}
    return lookup_one(tok, LookupOptions(environ=environ, total_timeout=timeout, **kw))


class Repo:
    """A real git repository in a temporary folder."""

    def __init__(self, root: Path, init: bool = True) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        if init:
            self.git("init", "-q", "-b", "main")

    def git(self, *args: str) -> str:
        env = {**os.environ, **GIT_ENV}
        return subprocess.run(["git", *args], cwd=self.root, env=env, check=True,
                              capture_output=True, text=True).stdout

    def write(self, rel: str, text: str | bytes) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text)
        return path

    def commit(self, message: str, *paths: str, date: str | None = None) -> str:
        self.git("add", "-A", *paths) if not paths else self.git("add", *paths)
        args = ["commit", "-q", "--allow-empty", "-m", message]
        if date:
            args += ["--date", date]
        env_date = {"GIT_COMMITTER_DATE": date} if date else {}
        env = {**os.environ, **GIT_ENV, **env_date}
        subprocess.run(["git", *args], cwd=self.root, env=env, check=True, capture_output=True)
        return self.git("rev-parse", "HEAD").strip()

    def fast_import_commits(self, count: int, path: str, branch: str = "main") -> None:
        """Append ``count`` commits that each change ``path``, in one `git fast-import` (fast)."""
        parent = self.git("rev-parse", "HEAD").strip()
        stream = []
        for i in range(1, count + 1):
            data = f"{i}\n".encode()
            stream.append(f"commit refs/heads/{branch}\nmark :{i}\n"
                          f"committer Ada Author <ada@example.com> {1767225600 + i} +0000\n"
                          f"data 3\nc{i % 10}\n")
            if i == 1:
                stream.append(f"from {parent}\n")
            stream.append(f"M 100644 inline {path}\ndata {len(data)}\n{data.decode()}\n")
        subprocess.run(["git", "fast-import", "--quiet"], cwd=self.root, input="".join(stream).encode(),
                       check=True, env={**os.environ, **GIT_ENV})
        self.git("reset", "-q", "--hard", branch)


# The installed console script next to this interpreter (a venv need not be activated).
_SCRIPT = Path(sys.executable).parent / "tokenreach"
TOKENREACH = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "tokenreach.scanner.cli"]


def run_cli(args: list[str], env: Mapping[str, str | None] | None = None, cwd: Path | None = None,
            stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run the CLI in this process, as `tokenreach ARGS` would run (same entry, exit code, streams).

    In-process saves ~0.5 s of interpreter and engine start-up per call; tests that need a real
    process (signals, a pty, a faked resolver, the installed entry point) use run_cli_subprocess.
    """
    from typer.testing import CliRunner  # typer vendors click: no click import of our own

    from tokenreach.scanner.cli.app import main

    runner = CliRunner()
    full_env: dict[str, str | None] = {**GIT_ENV, "TOKENREACH_NO_PROGRESS": "1", **(env or {})}  # None: unset
    old_cwd, old_argv = os.getcwd(), sys.argv
    with runner.isolation(input=stdin, env=full_env) as (out, err, _):
        try:
            if cwd is not None:
                os.chdir(cwd)
            sys.argv = ["tokenreach", *args]
            main()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        finally:
            os.chdir(old_cwd)
            sys.argv = old_argv
            sys.stdout.flush()
            sys.stderr.flush()
        stdout = out.getvalue().decode("utf-8", "replace")
        stderr = err.getvalue().decode("utf-8", "replace")
    return subprocess.CompletedProcess(["tokenreach", *args], code, stdout, stderr)


def run_cli_subprocess(args: list[str], env: Mapping[str, str] | None = None, cwd: Path | None = None,
                       stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run the installed CLI in a subprocess, the way a user does."""
    full_env = {**os.environ, **GIT_ENV, "TOKENREACH_NO_PROGRESS": "1", **(env or {})}
    return subprocess.run([*TOKENREACH, *args], cwd=cwd, env=full_env, capture_output=True,
                          text=True, input=stdin, timeout=300)


def scan_json(path: Path, *extra: str, env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """`tokenreach scan PATH --format json`; asserts the exit code is 0 or 1 and returns the JSON."""
    proc = run_cli(["scan", str(path), "--format", "json", *extra], env=env)
    assert proc.returncode in (0, 1), f"exit {proc.returncode}: {proc.stderr}"
    return json.loads(proc.stdout)


def fake_env(urls: Mapping[str, str]) -> dict[str, str]:
    """Environment that points providers at fakes: {provider: fake_url}."""
    return {env_var_for(p): u for p, u in urls.items()}
