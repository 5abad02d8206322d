"""Running git on a repository we do not trust.

The scanned repository's own config is read by git (it must be: object format, extensions), so
everything in it that can run a program, or change what git lists or how it writes it, is
overridden on the command line, and the environment shuts out the rest: no hooks, no fsmonitor,
no textconv or external diff, no pager, no credential helpers or prompts, no optional index
writes, no grafts, no commit-graph or multi-pack-index shortcuts. The scan never changes .git.

Where the repository is, is decided here from the file system (``locate``), never by git's own
discovery: ``core.bare`` and ``core.worktree`` in the scanned config could otherwise point the
scan away from the folder it was given. Every git process runs with ``--git-dir`` and
``--work-tree`` set explicitly.

A FIFO or a device where git reads a file would block git forever, so the git folder is checked
for special files before git runs at all (``examine``), and every git process has a time limit:
a whole command (``TIMEOUT``), or, for the long streams, one read of its output (``IDLE_TIMEOUT``).
"""

from __future__ import annotations

import enum
import io
import os
import stat
import subprocess
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Final, Literal

from tokenreach.scanner.reading import file_kind, read_file

# `-c` settings beat every config file, including the repository's.
_SAFE_CONFIG = (
    # Nothing runs.
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
    "log.showSignature=false",
    # Output is what the parsers expect, whatever the repository prefers.
    "color.ui=false",
    "color.diff=false",
    "core.quotePath=false",
    "core.precomposeUnicode=false",  # paths as the file system spells them, as os.scandir sees them
    "i18n.logOutputEncoding=UTF-8",  # also beats i18n.commitEncoding, which log would fall back on
    "log.showRoot=true",  # false hides every file of a root commit
    "log.follow=false",
    "log.mailmap=false",  # mailmap.file / .mailmap are files git would open (a FIFO hangs it)
    "diff.orderFile=/dev/null",  # another file git would open
    "diff.relative=false",
    "diff.renames=false",
    "diff.ignoreSubmodules=none",
    # Objects and history come from the objects themselves, not from files that summarise them
    # (a forged commit-graph can drop a commit's parents; a forged multi-pack-index, objects).
    "core.commitGraph=false",
    "core.multiPackIndex=false",
    "advice.graftFileDeprecated=false",
    "safe.directory=*",
)

PROBE_TIMEOUT = 30.0  # the first command on a repository: it reads only config and HEAD
TIMEOUT = 300.0  # any other short git command, start to finish (ls-files on a huge tree)
IDLE_TIMEOUT = 300.0  # a streaming command that produces no output for this long is stuck

_SMALL_FILE = 1 << 16  # .git files read here (a gitfile, commondir) are a line long


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
        GIT_GRAFT_FILE=os.devnull,  # info/grafts would cut history short; --no-replace-objects keeps it
        GIT_NO_LAZY_FETCH="1",  # a partial clone never fetches a missing object (git >= 2.44)
        LC_ALL="C",
    )
    return env


# Where the repository is -------------------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """A repository as found on disk, before git has read any of it."""

    gitdir: Path
    commondir: Path  # objects, refs and config (differs from gitdir in a linked worktree)
    top: Path | None  # the working tree; None for a bare repository
    problem: str | None = None  # why git must not run here

    def show(self, path: Path) -> str:
        """``path`` as the user knows it: relative to the working tree, or to a bare repository
        (absolute when outside it, as a linked worktree's shared config is)."""
        base = self.top or self.gitdir
        try:
            return path.relative_to(base).as_posix()
        except ValueError:
            return str(path)


def locate(path: Path) -> Layout | None:
    """The repository containing ``path``, found the way git finds it (a ``.git`` folder or file
    in ``path`` or a parent, or a bare repository), without reading any git configuration.
    Stops at a file-system boundary, as git does."""
    try:
        start = path.resolve()
        dev = os.stat(start).st_dev
    except OSError:
        return None
    for folder in (start, *start.parents):
        try:
            if os.stat(folder).st_dev != dev:
                return None
        except OSError:
            return None
        dotgit = folder / ".git"
        try:
            st = os.lstat(dotgit)
        except OSError:
            st = None
        if st is not None:
            found = _from_dotgit(folder, dotgit, st)
            if found is not _KEEP_LOOKING:
                return found
        if _is_gitdir(folder):
            if folder.name == ".git" and folder != start:
                return None  # inside a working tree's .git folder: not a repository to scan
            common, problem = _commondir(folder)
            return Layout(folder, common, None, problem)
    return None


class _Keep(enum.Enum):
    LOOKING = "keep looking"  # a .git that names no repository: look in the parent folder


_KEEP_LOOKING: Final = _Keep.LOOKING


def _from_dotgit(folder: Path, dotgit: Path, st: os.stat_result) -> Layout | Literal[_Keep.LOOKING] | None:
    mode = st.st_mode
    if stat.S_ISLNK(mode):
        try:
            mode = os.stat(dotgit).st_mode
        except OSError:
            return _KEEP_LOOKING
    if stat.S_ISDIR(mode):
        if not _is_gitdir(dotgit):
            return _KEEP_LOOKING  # git, too, looks further up past an invalid .git folder
        common, problem = _commondir(dotgit)
        return Layout(dotgit, common, folder, problem)
    if not stat.S_ISREG(mode):
        return Layout(dotgit, dotgit, folder, f".git is not a regular file or folder ({file_kind(mode)})")
    try:
        data = read_file(dotgit, _SMALL_FILE, follow=True)
    except OSError:
        return None
    text = (data or b"").decode("utf-8", "surrogateescape").strip()
    if not text.startswith("gitdir:"):
        return None  # git stops here too: "invalid gitfile format"
    gitdir = (folder / text.removeprefix("gitdir:").strip()).resolve()
    if not _is_gitdir(gitdir):
        return None
    common, problem = _commondir(gitdir)
    return Layout(gitdir, common, folder, problem)


def _is_gitdir(path: Path) -> bool:
    # git's is_git_directory(), by file type only: HEAD, and objects + refs (or a commondir).
    return os.path.lexists(path / "HEAD") and (
        (os.path.isdir(path / "objects") and os.path.isdir(path / "refs")) or os.path.lexists(path / "commondir"))


def _commondir(gitdir: Path) -> tuple[Path, str | None]:
    marker = gitdir / "commondir"
    try:
        if not stat.S_ISREG(os.stat(marker).st_mode):
            return gitdir, None  # special_file() names it: it lives in gitdir
    except OSError:
        return gitdir, None  # none (or a dangling link, which git ignores as well)
    try:
        data = read_file(marker, _SMALL_FILE, follow=True)
    except OSError as exc:
        return gitdir, f"{marker.name} cannot be read ({exc.strerror or exc})"
    if data is None:
        return gitdir, f"{marker.name} is larger than a git commondir file can be"
    return (gitdir / data.decode("utf-8", "surrogateescape").strip()).resolve(), None


def special_file(layout: Layout) -> str | None:
    """The first FIFO or device (or link to one) in the git folder, where git could open it and
    wait forever; as a one-line reason, or None. Sockets are left alone: git opens none of them
    here, and fsmonitor daemons keep one in .git."""
    common = str(layout.commondir)
    for root in dict.fromkeys((str(layout.gitdir), common)):
        stack = [root]  # strings: a Path per folder cost more than the walk (hundreds of repositories)
        while stack:
            folder = stack.pop()
            try:
                entries = list(os.scandir(folder))
            except OSError:
                continue  # git fails on what it cannot read; it does not hang
            for entry in entries:
                try:
                    if entry.is_dir(follow_symlinks=False):
                        if not (folder == common and entry.name == "modules"):  # submodules'
                            stack.append(entry.path)
                        continue
                    if entry.is_file(follow_symlinks=False):
                        continue
                    mode = os.stat(entry.path).st_mode if entry.is_symlink() else entry.stat(
                        follow_symlinks=False).st_mode
                except OSError:
                    continue  # a dangling link: git sees no file, and waits for nothing
                if stat.S_ISFIFO(mode) or stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
                    return f"{layout.show(Path(entry.path))} is not a regular file ({file_kind(mode)})"
    return None


@dataclass(frozen=True)
class Examined:
    layout: Layout | None
    problem: str | None = None  # a repository was found, but git is not run on it: why
    object_format: str = "sha1"  # of its object ids, as git reports it ("sha1" or "sha256")
    refs: bytes | None = None  # refs(), when examine() was asked for them and git could list them
    refs_error: str | None = None  # why git could not list them, when it was asked

    @property
    def info(self) -> tuple[Path, Path, bool] | None:
        if self.layout is None or self.problem:
            return None
        lay = self.layout
        return (lay.top or lay.gitdir), lay.gitdir, lay.top is None


def examine(path: Path, *, with_refs: bool = False) -> Examined:
    """The repository containing ``path``, checked before any real work: no special file in its
    git folder, and git itself can read it (within PROBE_TIMEOUT). ``with_refs``: also its refs()."""
    layout = locate(path)
    if layout is None:
        return Examined(None)
    problem = layout.problem or special_file(layout)
    if problem:
        return Examined(layout, f"{problem}: git is not run on this repository, so its history is not "
                                "scanned and working-tree files are not told apart by git")
    where = layout.top or layout.gitdir
    listed: bytes | None = None
    unlisted: str | None = None
    if with_refs:
        # The listing a history scan needs anyway is the probe, and its object ids' length is the
        # object format: one git start-up less per repository (a sweep of hundreds pays each one).
        # It keeps refs()'s own time limit. A listing that fails (a damaged ref, an object store
        # that hangs) is not yet a repository git cannot read: the probe below says, and the
        # failure is kept, so that nobody waits for the listing twice.
        try:
            listed = refs(where)
        except GitError as exc:
            unlisted = str(exc)
        except OSError:
            return Examined(None)  # no git at all: a plain folder
        fmt = {40: "sha1", 64: "sha256"}.get(len(listed.split(b" ", 1)[0])) if listed else None
        if fmt:
            return Examined(layout, object_format=fmt, refs=listed)
    try:
        # The probe also asks the object format, which hashing working-tree files needs: one git
        # start-up less per repository (a sweep of hundreds pays each one).
        out = run(where, "rev-parse", "--git-dir", "--show-object-format", timeout=PROBE_TIMEOUT)
    except GitError as exc:
        return Examined(layout, f"git cannot read the repository at {layout.gitdir} ({exc}): its history is "
                                "not scanned")
    except OSError:
        return Examined(None)  # no git at all: a plain folder
    lines = out.splitlines()
    fmt = lines[1].decode("ascii", "replace").strip() if len(lines) > 1 else ""
    return Examined(layout, object_format=fmt or "sha1", refs=listed, refs_error=unlisted)


def repo_info(path: Path) -> tuple[Path, Path, bool] | None:
    """(top level, git dir, is bare) for the repository containing ``path``, or None.

    A bare repository has no top level: its git dir stands in for it."""
    return examine(path).info


# Running git ------------------------------------------------------------------------------------


def git_argv(repo: Path, *args: str, options: Sequence[str] = ()) -> list[str]:
    """argv for ``git <options> <args>`` on the repository at ``repo`` (its top level, or the git
    folder of a bare one); ``options`` are git's own options (e.g. ``--shallow-file``)."""
    argv = ["git", "-C", str(repo)]
    layout = located(repo)
    if layout is not None:
        argv += ["--git-dir", str(layout.gitdir)]
        if layout.top is not None:
            argv += ["--work-tree", str(layout.top)]
    argv += ["--no-pager", "--no-replace-objects", *options]
    for item in _SAFE_CONFIG:
        argv += ["-c", item]
    return argv + list(args)


# git_argv's answers by repository: a scan runs git on one repository a few times in a row, and
# finding it again (a resolve, a stat per parent folder) cost a tenth of a git start-up. An entry
# holds while the repository's .git (or a bare one's HEAD) is the same file, unchanged.
_layouts: dict[Path, tuple[tuple[int, int, int], Layout | None]] = {}


def located(repo: Path) -> Layout | None:
    """The repository at ``repo`` (a top level, or a bare one's git folder), as git_argv runs git on it."""
    stamp = _stamp(repo)
    known = _layouts.get(repo)
    if stamp is not None and known is not None and known[0] == stamp:
        return known[1]
    layout = locate(repo)
    if stamp is not None:
        if len(_layouts) >= 256:
            _layouts.clear()
        _layouts[repo] = (stamp, layout)
    return layout


def _stamp(repo: Path) -> tuple[int, int, int] | None:
    for name in (".git", "HEAD"):
        try:
            st = os.lstat(os.path.join(repo, name))
        except OSError:
            continue
        return st.st_dev, st.st_ino, st.st_mtime_ns
    return None


def run(repo: Path, *args: str, check: bool = True, input: bytes | None = None,
        timeout: float | None = None, options: Sequence[str] = ()) -> bytes:
    """git's standard output. A command that has not finished within ``timeout`` (default
    TIMEOUT) is killed and raises GitError, whatever ``check`` says."""
    limit = TIMEOUT if timeout is None else timeout
    try:
        proc = subprocess.run(git_argv(repo, *args, options=options), env=git_env(), input=input,
                              capture_output=True, stdin=None if input is not None else subprocess.DEVNULL,
                              timeout=limit)
    except subprocess.TimeoutExpired:
        raise GitError(_stalled(args, limit)) from None
    if check and proc.returncode != 0:
        raise GitError(_first_line(proc.stderr) or f"git {args[0]} failed ({proc.returncode})")
    return proc.stdout


def _stalled(args: Sequence[str], seconds: float) -> str:
    return (f"git {args[0] if args else ''} made no progress in {seconds:g} s and was stopped "
            "(does the repository hold a FIFO or a device where git reads a file?)")


class Stream:
    """A long-running git process read as a stream. A read of its output that waits longer than
    IDLE_TIMEOUT kills it: ``stalled`` is then True and the reader sees end of file. Time the
    reader spends elsewhere (scanning what it read) does not count. Standard error is collected
    on the side, so git never blocks on a full stderr pipe."""

    def __init__(self, argv: list[str], what: str, *, stdin: bool, idle: float) -> None:
        self.what = what
        self.idle = idle
        self.stalled = False
        self.proc = subprocess.Popen(argv, env=git_env(), stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=1 << 16, pipesize=1 << 20)
        self.stdin = self.proc.stdin
        stdout, stderr = self.proc.stdout, self.proc.stderr
        # Both are pipes, and a buffered one (bufsize) is a BufferedReader: read1() is there.
        assert isinstance(stdout, io.BufferedReader) and stderr is not None
        self.stdout = _Watched(stdout, self)
        self.stderr = _Collected(stderr)
        self.waiting_since: float | None = None
        threading.Thread(target=self._watch, daemon=True).start()

    def _watch(self) -> None:
        step = min(1.0, self.idle / 4)
        while self.proc.poll() is None:
            time.sleep(step)
            since = self.waiting_since
            if since is not None and time.monotonic() - since > self.idle:
                self.stalled = True
                self.proc.kill()
                return

    def poll(self) -> int | None:
        return self.proc.poll()

    def kill(self) -> None:
        self.proc.kill()

    def wait(self) -> int:
        return self.proc.wait()

    def error(self, fallback: str) -> GitError:
        """The GitError for a stream that ended badly: stalled, or git's own first line."""
        if self.stalled:
            return GitError(_stalled([self.what], self.idle))
        return GitError(_first_line(self.stderr.read()) or fallback)


class _Watched:
    """A pipe whose blocking reads the stream's watchdog times."""

    def __init__(self, raw: io.BufferedReader, stream: Stream) -> None:
        self._raw = raw
        self._stream = stream

    def read(self, n: int = -1) -> bytes:
        self._stream.waiting_since = time.monotonic()
        try:
            return self._raw.read(n)
        finally:
            self._stream.waiting_since = None

    def read1(self, n: int = -1) -> bytes:
        """Whatever is there (at most ``n``), waiting only while there is nothing."""
        self._stream.waiting_since = time.monotonic()
        try:
            return self._raw.read1(n)
        finally:
            self._stream.waiting_since = None

    def readline(self) -> bytes:
        self._stream.waiting_since = time.monotonic()
        try:
            return self._raw.readline()
        finally:
            self._stream.waiting_since = None

    def close(self) -> None:
        self._raw.close()


class _Collected:
    """Standard error, drained by a thread, the first 64 KiB kept."""

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw
        self._data = b""
        self._thread = threading.Thread(target=self._drain, daemon=True)
        self._thread.start()

    def _drain(self) -> None:
        try:
            while True:
                piece = self._raw.read(1 << 14)
                if not piece:
                    return
                if len(self._data) < 1 << 16:
                    self._data += piece
        except (OSError, ValueError):
            return

    def read(self) -> bytes:
        self._thread.join(timeout=5)
        return self._data


def popen(repo: Path, *args: str, stdin: bool = False, options: Sequence[str] = ()) -> Stream:
    return Stream(git_argv(repo, *args, options=options), args[0] if args else "git", stdin=stdin,
                  idle=IDLE_TIMEOUT)


def _first_line(data: bytes) -> str:
    lines = [line.strip() for line in data.decode("utf-8", "replace").strip().splitlines()]
    if not lines:
        return ""
    first = lines[0].removeprefix("fatal: ")
    if first.endswith(":") and len(lines) > 1:  # "unknown repository extension found:\n\tname"
        first = f"{first} {lines[1]}"
    return first


def nul_split(data: bytes) -> Iterator[bytes]:
    for item in data.split(b"\0"):
        if item:
            yield item


def refs(repo: Path) -> bytes:
    """Every ref, a line each: ``<object id> <object type> <ref name>`` (GitError when git cannot
    list them). Listed once a scan: it says whether there are commits, and history reads what the
    refs name (history.add_ref_targets)."""
    return run(repo, "for-each-ref", "--format=%(objectname) %(objecttype) %(refname)")


def has_commits(repo: Path, listed: bytes | None) -> bool:
    """Whether the repository has any commit: a ref (``listed``, from refs()), or a HEAD that
    resolves (a detached HEAD with no ref)."""
    if listed and listed.strip():
        return True
    return run(repo, "rev-parse", "--verify", "-q", "HEAD", check=False).strip() != b""


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
