"""Running git on a repository we do not trust.

The scanned repository's own config is read by git (it must be: object format, worktree), so
everything in it that can run a program is overridden on the command line, and the environment
shuts out the rest: no hooks, no fsmonitor, no textconv or external diff, no pager, no
credential helpers or prompts, no optional index writes. The scan never changes .git.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator, Sequence
from pathlib import Path

# `-c` settings beat every config file, including the repository's.
_SAFE_CONFIG = (
    "core.fsmonitor=false",
    "core.hooksPath=/dev/null",
    "core.pager=cat",
    "core.sshCommand=false",
    "core.gitProxy=",
    "core.askPass=",
    "core.editor=false",
    "core.untrackedCache=false",
    "credential.helper=",
    "diff.external=",
    "protocol.allow=never",
    "submodule.recurse=false",
    "fetch.recurseSubmodules=false",
    "gc.auto=0",
    "maintenance.auto=false",
    "color.ui=false",
    "log.showSignature=false",
    "core.quotePath=false",
    "safe.directory=*",
)


class GitError(Exception):
    """git failed; the message is git's own first line, safe to show."""


def git_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_TERMINAL_PROMPT="0",
        GIT_OPTIONAL_LOCKS="0",  # a status/ls-files refresh must not rewrite the index
        GIT_PAGER="cat",
        GIT_ASKPASS="false",
        SSH_ASKPASS="false",
        GIT_EXTERNAL_DIFF="",
        GIT_NO_REPLACE_OBJECTS="1",
        LC_ALL="C",
    )
    return env


def git_argv(repo: Path, *args: str) -> list[str]:
    argv = ["git", "-C", str(repo), "--no-pager", "--no-replace-objects"]
    for item in _SAFE_CONFIG:
        argv += ["-c", item]
    return argv + list(args)


def run(repo: Path, *args: str, check: bool = True, input: bytes | None = None) -> bytes:
    proc = subprocess.run(git_argv(repo, *args), env=git_env(), input=input, capture_output=True,
                          stdin=None if input is not None else subprocess.DEVNULL)
    if check and proc.returncode != 0:
        raise GitError(_first_line(proc.stderr) or f"git {args[0]} failed ({proc.returncode})")
    return proc.stdout


def popen(repo: Path, *args: str, stdin: bool = False) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        git_argv(repo, *args),
        env=git_env(),
        stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        bufsize=1 << 16,
    )


def _first_line(data: bytes) -> str:
    text = data.decode("utf-8", "replace").strip()
    return text.splitlines()[0].removeprefix("fatal: ") if text else ""


def nul_split(data: bytes) -> Iterator[bytes]:
    for item in data.split(b"\0"):
        if item:
            yield item


def repo_info(path: Path) -> tuple[Path, Path, bool] | None:
    """(top level, git dir, is bare) for the repository containing ``path``, or None.

    A bare repository has no top level: its git dir stands in for it."""
    try:
        out = run(path, "rev-parse", "--absolute-git-dir", "--is-bare-repository")
    except (GitError, OSError):
        return None
    lines = out.decode("utf-8", "surrogateescape").splitlines()
    if len(lines) != 2:
        return None
    gitdir, bare = Path(lines[0]), lines[1] == "true"
    if bare:
        return gitdir, gitdir, True
    try:
        top = run(path, "rev-parse", "--show-toplevel").decode("utf-8", "surrogateescape").strip()
    except (GitError, OSError):
        return None  # inside .git itself
    return Path(top), gitdir, False


def has_commits(repo: Path) -> bool:
    return bool(run(repo, "for-each-ref", "--count=1", "--format=%(objectname)", check=False).strip()) or (
        run(repo, "rev-parse", "--verify", "-q", "HEAD", check=False).strip() != b""
    )


def object_format(repo: Path) -> str:
    out = run(repo, "rev-parse", "--show-object-format", check=False).strip()
    return out.decode() or "sha1"


def blob_id(content: bytes, fmt: str = "sha1") -> str:
    """git's object id of a blob with this content."""
    import hashlib

    h = hashlib.new("sha256" if fmt == "sha256" else "sha1")
    h.update(b"blob %d\0" % len(content))
    h.update(content)
    return h.hexdigest()


def decode_path(raw: bytes) -> str:
    return raw.decode("utf-8", "surrogateescape")


def ls_files(repo: Path, *args: str) -> list[str]:
    return [decode_path(p) for p in nul_split(run(repo, "ls-files", "-z", *args))]


def paths_arg(paths: Sequence[str]) -> list[str]:
    return ["--", *paths] if paths else []
