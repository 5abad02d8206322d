"""Git history: every object a ref, a reflog entry or a stash entry reaches, each unique blob read
once and attributed to the commit that introduced it; commit and tag messages too.

1. ``git log --raw --all --reflog`` lists, per commit, the blobs it added or changed: the commits
   of every ref, and those only a reflog still names (every stash entry, commits a reset or a
   rebase left behind). Walking newest to oldest and overwriting, each blob ends up attributed to
   its oldest introduction. Only the blob id and a small index into the commit table are kept:
   memory stays bounded by the number of unique blobs, not their size or the number of commits.
2. Refs that name something other than a commit (``add_ref_targets``): annotated tags, whose
   messages are scanned, and the blobs and trees a tag names directly, which log never shows.
3. Blobs and commits (whose messages are scanned as ``(commit message)``) are read in the order
   asked, straight from the pack files (packs.py) where a pack's index lists them. One long-lived
   ``git cat-file --batch-command`` answers for the others, asked in the same order so that its
   answers merge in (``_Answers``, ``_in_order``): every object's size (``info``), so that
   oversized objects are never read, then the contents of the others (``contents``, fed by a
   writer thread). A git older than 2.36 has no ``--batch-command``: ``--batch-check``, then
   ``--batch``. An object a pack lists but cannot give is asked of git at the end.

Nothing in .git that summarises history may cut it short: grafts, the commit-graph and the
multi-pack-index are switched off in git.py, and a shallow file is believed only for commits
whose parents really are missing (``shallow_options``).
"""

from __future__ import annotations

import os
import re
import tempfile
import threading
from array import array
from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

from tokenreach.scanner.model import Exposure, SourceStats
from tokenreach.scanner.reading import read_exactly, read_file
from tokenreach.scanner.sources import Chunk, Origin, git, member_path, packs, texts_of, to_text_bytes

_SKIP_MODES = (b"160000", b"120000", b"000000")  # submodule links, symlinks, deletions
COMMIT_MESSAGE = "(commit message)"  # the path of a location in a commit's message
TAG_MESSAGE = "(tag message)"
_TAG_DEPTH = 16  # tags of tags: git allows any depth, real repositories use one
_MAX_RESTARTS = 32  # a cat-file that dies on a corrupt object is restarted past it, this often
_SHALLOW_CAP = 64 << 20  # .git/shallow: 41 bytes a line, so 1.6 million boundary commits
_HEX_ID = re.compile(rb"[0-9a-f]{40}|[0-9a-f]{64}")


@dataclass(frozen=True, slots=True)
class Commit:
    """Where a blob came from: a commit, an annotated tag (``sha`` is the tag's id, the author its
    tagger) or a ref that names a blob or tree directly (no id, author or date)."""

    sha: str
    author: str
    date: str


class BlobIndex:
    """blob id → (commit index, path) of its oldest introduction, and the messages to scan."""

    def __init__(self) -> None:
        self.commits: list[Commit] = []
        self.blobs: dict[str, tuple[int, str]] = {}
        self.log_commits = 0  # commits[:log_commits] came from git log; their messages are read
        self.tag_messages: list[tuple[int, bytes]] = []  # (commit index of the tag, message)

    def origin(self, oid: str, exposure: Exposure = "history") -> Origin:
        ci, path = self.blobs[oid]
        return self.origin_of(ci, path, exposure)

    def origin_of(self, ci: int, path: str, exposure: Exposure = "history") -> Origin:
        c = self.commits[ci]
        return Origin(path, exposure, c.sha or None, c.author or None, c.date or None)

    def add_commit(self, commit: Commit) -> int:
        self.commits.append(commit)
        return len(self.commits) - 1


def index_blobs(repo: Path, revs: Iterable[str], stats: SourceStats, *,
                options: Iterable[str] = ()) -> BlobIndex:
    """Parse ``git log --raw -z`` for ``revs`` (e.g. ["--all", "--reflog"] or ["BASE..HEAD"]);
    ``options`` are git's own (``shallow_options``)."""
    index = BlobIndex()
    proc = git.popen(
        repo, "log", *revs, "--no-renames", "--raw", "--no-abbrev", "-z", "--diff-merges=first-parent",
        "--no-textconv", "--no-ext-diff", "--no-color", "--format=%x01%H%x02%an <%ae>%x02%aI",
        options=tuple(options),
    )
    assert proc.stdout is not None
    current = -1
    pending_meta: bytes | None = None
    buf = b""
    while True:
        block = proc.stdout.read1(1 << 20)  # not read(): that waits for a full MiB, and the watchdog with it
        if not block:
            break
        buf += block
        *items, buf = buf.split(b"\0")
        for item in items:
            if pending_meta is not None:
                _add(index, pending_meta, item, current)
                pending_meta = None
                continue
            item = item.lstrip(b"\n")
            if item.startswith(b"\x01"):
                # The author's name and e-mail are the commit's bytes and may hold \x02 too: the
                # hash is the first field, the date the last, the author everything between.
                sha, sep, rest = item[1:].partition(b"\x02")
                author, sep2, date = rest.rpartition(b"\x02")
                if sep and sep2:
                    index.commits.append(Commit(*(f.decode("utf-8", "replace") for f in (sha, author, date))))
                    current = len(index.commits) - 1
            elif item.startswith(b":"):
                pending_meta = item
    err = proc.stderr.read() if proc.stderr else b""
    if proc.wait() != 0:
        if getattr(proc, "stalled", False):
            raise proc.error("git log failed")
        raise git.GitError(err.decode("utf-8", "replace").strip().removeprefix("fatal: ") or "git log failed")
    stats.commits = len(index.commits)
    index.log_commits = len(index.commits)
    return index


def _add(index: BlobIndex, meta: bytes, path: bytes, commit: int) -> None:
    # ":100644 100644 <old> <new> M"
    parts = meta[1:].split(b" ")
    if len(parts) < 5 or parts[1] in _SKIP_MODES or commit < 0:
        return
    oid = parts[3].decode()
    if set(oid) == {"0"}:
        return
    index.blobs[oid] = (commit, git.decode_path(path))


def full_index(repo: Path, stats: SourceStats, *, max_size: int, listed: bytes | None = None) -> BlobIndex:
    """Everything every ref and every reflog entry reaches (``listed``: git.refs(), when the caller
    has listed the refs already)."""
    with shallow_options(repo, stats) as options:
        index = index_blobs(repo, ["--all", "--reflog"], stats, options=options)
    add_ref_targets(repo, index, stats, max_size=max_size, listed=listed)
    return index


def range_index(repo: Path, since: str, stats: SourceStats) -> BlobIndex:
    """What ``since..HEAD`` introduced (a pull request)."""
    with shallow_options(repo, stats) as options:
        return index_blobs(repo, [f"{since}..HEAD"], stats, options=options)


# A shallow file that lies ------------------------------------------------------------------------


@contextmanager
def shallow_options(repo: Path, stats: SourceStats) -> Iterator[list[str]]:
    """git options that make log believe .git/shallow only where it is true.

    A shallow clone lists its boundary commits in .git/shallow: their parents were never fetched,
    and git must not look for them. Anyone can add a commit to that list, and git then stops
    there, hiding everything below it. So each listed commit whose parents are all in the object
    store is dropped: the walk goes on through them, and only real boundaries remain."""
    layout = git.locate(repo)
    path = layout.commondir / "shallow" if layout else None
    if path is None or not os.path.lexists(path):
        yield []
        return
    try:
        data = read_file(path, _SHALLOW_CAP, follow=True)
    except OSError as exc:
        raise git.GitError(f"{layout.show(path) if layout else path}: cannot read ({exc.strerror or exc})") from None
    if data is None:
        stats.warn(f"{layout.show(path) if layout else path} is larger than {_SHALLOW_CAP >> 20} MB: "
                   "not checked for commits it lists falsely")
        yield []
        return
    listed = [line.strip().decode() for line in data.splitlines() if _HEX_ID.fullmatch(line.strip())]
    forged = _not_boundaries(repo, listed)
    if not forged:
        yield []
        return
    stats.warn(f"{layout.show(path) if layout else path} lists {len(forged)} commit(s) whose parents are in the "
               "repository: the history below them is scanned as well")
    kept = [oid for oid in listed if oid not in forged]
    if not kept:
        yield ["--shallow-file", ""]  # git reads "" as: not shallow at all
        return
    fd, tmp = tempfile.mkstemp(prefix="tokenreach-shallow-")
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write("".join(oid + "\n" for oid in kept))
        yield ["--shallow-file", tmp]
    finally:
        os.unlink(tmp)


def _not_boundaries(repo: Path, listed: list[str]) -> set[str]:
    """The listed commits that have parents, all of them present."""
    parents: dict[str, list[str]] = {}
    for oid, data in read_blobs(repo, listed):
        if data is not None:
            header = data.split(b"\n\n", 1)[0]
            parents[oid] = [line[7:].decode("ascii", "replace") for line in header.split(b"\n")
                            if line.startswith(b"parent ")]
    present = object_types(repo, sorted({p for ps in parents.values() for p in ps}))
    return {oid for oid, ps in parents.items() if ps and all(p in present for p in ps)}


# Refs that name no commit --------------------------------------------------------------------


def add_ref_targets(repo: Path, index: BlobIndex, stats: SourceStats, *, max_size: int,
                    listed: bytes | None = None) -> None:
    """Annotated tags (their messages, and what they name) and the blobs and trees a ref or tag
    names directly: git log follows tags to commits and silently drops everything else."""
    # Listed again only when the caller could not: a listing that fails here is this scan's error.
    out = listed if listed is not None else git.refs(repo)
    tags: list[tuple[str, str]] = []
    trees: list[tuple[str, str, int]] = []
    direct = -1
    for line in out.splitlines():
        raw_oid, _, rest = line.partition(b" ")
        kind, _, raw_ref = rest.partition(b" ")
        name = git.decode_path(raw_ref)
        if kind == b"tag":
            tags.append((raw_oid.decode(), name))
        elif kind in (b"blob", b"tree"):
            if direct < 0:
                direct = index.add_commit(Commit("", "", ""))
            if kind == b"blob":
                index.blobs.setdefault(raw_oid.decode(), (direct, name))
            else:
                trees.append((raw_oid.decode(), name, direct))
    seen: set[str] = set()
    for _ in range(_TAG_DEPTH):
        tags = [(oid, ref) for oid, ref in tags if oid not in seen]
        if not tags:
            break
        seen.update(oid for oid, _ in tags)
        refs = dict(tags)
        sizes, read = sized_reader(repo, list(refs))
        readable = [oid for oid in refs if sizes.get(oid, (b"", 0))[0] == b"tag"]
        for oid in readable:
            if sizes[oid][1] > max_size:
                stats.skip("larger than the size limit")
        tags = []
        for oid, data in read([o for o in readable if sizes[o][1] <= max_size]):
            if data is None:
                continue
            target, kind, tagger, message = _parse_tag(data)
            ci = index.add_commit(Commit(oid, *tagger))
            if message.strip():
                index.tag_messages.append((ci, message))
            if kind == b"blob":
                index.blobs.setdefault(target, (ci, refs[oid]))
            elif kind == b"tree":
                trees.append((target, refs[oid], ci))
            elif kind == b"tag":
                tags.append((target, refs[oid]))
    for tree, ref, ci in trees:
        listing = git.run(repo, "ls-tree", "-r", "-z", "--full-tree", tree, check=False)
        for item in git.nul_split(listing):
            meta, _, path = item.partition(b"\t")
            parts = meta.split(b" ")
            if len(parts) == 3 and parts[1] == b"blob" and parts[0] not in _SKIP_MODES:
                index.blobs.setdefault(parts[2].decode(), (ci, f"{ref}:{git.decode_path(path)}"))


def _parse_tag(data: bytes) -> tuple[str, bytes, tuple[str, str], bytes]:
    """(target id, target type, (tagger, ISO date), message) of a tag object."""
    header, _, message = data.partition(b"\n\n")
    target, kind, tagger = "", b"", ("", "")
    for line in header.split(b"\n"):
        key, _, value = line.partition(b" ")
        if key == b"object":
            target = value.decode("ascii", "replace")
        elif key == b"type":
            kind = value
        elif key == b"tagger":
            tagger = _ident(value)
    return target, kind, tagger, message


def _ident(value: bytes) -> tuple[str, str]:
    """``Name <email> 1700000000 +0100`` → ("Name <email>", "2023-11-14T23:13:20+01:00")."""
    who, _, when = value.rpartition(b">")
    date = ""
    fields = when.split()
    if len(fields) == 2 and fields[0].isdigit() and re.fullmatch(rb"[+-]\d{4}", fields[1]):
        sign = -1 if fields[1][:1] == b"-" else 1
        offset = timedelta(hours=int(fields[1][1:3]), minutes=int(fields[1][3:5])) * sign
        try:
            date = datetime.fromtimestamp(int(fields[0]), timezone(offset)).isoformat()
        except (OverflowError, OSError, ValueError):
            date = ""
    return (who + b">").decode("utf-8", "replace") if who else "", date


# Reading objects ---------------------------------------------------------------------------------


Types = dict[str, tuple[bytes, int]]  # oid → (type, size) of the objects that exist


def object_types(repo: Path, oids: list[str]) -> Types:
    """oid → (type, size) of the objects that exist."""
    if not oids:
        return {}
    out = git.run(repo, "cat-file", "--batch-check=%(objectname) %(objecttype) %(objectsize)",
                  input=("\n".join(oids) + "\n").encode(), check=False)
    found: Types = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[2].isdigit():
            found[parts[0].decode()] = (parts[1], int(parts[2]))
    return found


Reader = Callable[[list[str]], Iterator[tuple[str, bytes | None]]]
# Whether this git has ``cat-file --batch-command`` (2.36): None until a repository has said.
_batch_command: bool | None = None


def sized_reader(repo: Path, oids: list[str]) -> tuple[Types, Reader]:
    """The type and size of each object in ``oids`` that exists, and a reader that the caller
    calls exactly once, with the objects it chose from those sizes (``read_blobs``' answers).

    One git process does both where git has ``cat-file --batch-command``: ``info`` for every
    object, then ``contents`` for the chosen. Two (``--batch-check``, ``--batch``) elsewhere. A
    sweep of hundreds of small repositories pays mostly git start-ups."""
    global _batch_command
    if oids and _batch_command is not False:
        stream = git.popen(repo, "cat-file", "--batch-command", "--buffer", stdin=True)
        writer = _feed(stream, [b"info " + oid.encode() + b"\n" for oid in oids] + [b"flush\n"], close=False)
        types: Types = {}
        answered = 0
        for _ in oids:
            parts = stream.stdout.readline().split()
            if not parts:
                break  # git ended: see below
            answered += 1
            if len(parts) == 3 and parts[2].isdigit():
                types[parts[0].decode()] = (parts[1], int(parts[2]))
        writer.join()
        if answered == len(oids):
            _batch_command = True
            return types, lambda chosen: read_blobs(repo, chosen, first=_contents(stream, chosen))
        stream.kill()
        stream.wait()
        if stream.stalled:
            raise stream.error("git cat-file failed")
        if b"batch-command" in stream.stderr.read():  # git before 2.36: "unknown option"
            _batch_command = False
    return object_types(repo, oids), lambda chosen: read_blobs(repo, chosen)


def _feed(stream: git.Stream, lines: list[bytes], *, close: bool = True) -> threading.Thread:
    """Write ``lines`` to git from a thread (git answers while it reads: a pipe filled both ways
    would block both), then close its input unless it is to take more."""
    stdin = stream.stdin
    assert stdin is not None

    def feed() -> None:
        try:
            for line in lines:
                stdin.write(line)
            if close:
                stdin.close()
            else:
                stdin.flush()
        except (BrokenPipeError, OSError, ValueError):
            pass

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    return writer


def read_blobs(repo: Path, oids: list[str], *,
               first: Generator[tuple[str, bytes | None], None, tuple[int, bool]] | None = None,
               ) -> Iterator[tuple[str, bytes | None]]:
    """(oid, content) for each oid through ``git cat-file --batch`` (or ``first``, a stream that
    already serves ``oids``); None when missing, or when git cannot give it whole (a corrupt
    object: git writes its header, then nothing, or dies). A new cat-file then goes on with the
    rest, so one bad object never hides the ones after it."""
    pos = restarts = 0
    while pos < len(oids):
        if first is not None:
            batch, first = first, None
        else:
            batch = _batch(repo, oids[pos:] if pos else oids)
        answered, bad = yield from batch
        pos += answered
        if pos < len(oids):
            restarts += 1
            if restarts > _MAX_RESTARTS:
                raise git.GitError(f"git cat-file failed on {restarts} objects of this repository; "
                                   "is its object store damaged?")
            if bad or not answered:
                yield oids[pos], None
                pos += 1
    if first is not None:  # nothing was chosen: end the process that would have read it
        yield from first


def _batch(repo: Path, oids: list[str]) -> Generator[tuple[str, bytes | None], None, tuple[int, bool]]:
    """One ``git cat-file --batch`` over ``oids``."""
    stream = git.popen(repo, "cat-file", "--batch", stdin=True)
    return (yield from _answers(stream, oids, _feed(stream, [oid.encode() + b"\n" for oid in oids])))


def _contents(stream: git.Stream, oids: list[str]) -> Generator[tuple[str, bytes | None], None, tuple[int, bool]]:
    """The contents of ``oids`` from a ``cat-file --batch-command`` that has answered its ``info``."""
    return (yield from _answers(stream, oids, _feed(stream, [b"contents " + oid.encode() + b"\n" for oid in oids])))


def _answers(stream: git.Stream, oids: list[str],
             writer: threading.Thread) -> Generator[tuple[str, bytes | None], None, tuple[int, bool]]:
    """cat-file's answers for ``oids``. Returns how many it answered, and whether the next one is
    bad (True) or the stream merely fell out of step before it (False: the object before it was
    shorter than its header said, and the next header is not where it should be)."""
    out = stream.stdout
    answered, bad = 0, True
    try:
        for oid in oids:
            header = out.readline()
            parts = header.split()
            if not parts:
                break  # git died on this one
            if parts[0] != oid.encode():
                bad = False
                break
            if len(parts) == 2 and parts[1] in (b"missing", b"ambiguous"):
                answered += 1
                yield oid, None
                continue
            if len(parts) != 3 or not parts[2].isdigit():
                break
            size = int(parts[2])
            data = read_exactly(out, size)  # in pieces: a length from a header is not an allocation
            if len(data) < size or out.read(1) != b"\n":  # less than the header said: corrupt
                break
            answered += 1
            yield oid, data
    finally:
        if stream.poll() is None:
            stream.kill()
        stream.wait()
        writer.join(timeout=1)
    if stream.stalled:
        raise stream.error("git cat-file failed")
    return answered, bad


def read_texts(repo: Path, oids: list[str], stats: SourceStats, *,
               max_size: int) -> Iterator[tuple[str, str, bytes]]:
    """(blob id, archive member or "", text) of every blob in ``oids`` that exists, fits
    ``max_size`` and is text (or an archive holding text), in ``oids`` order; each one left out is
    counted in ``stats`` with its reason."""
    with _opened_packs(repo) as store:
        located, loose = _located(store, oids)
        answers = _Answers(repo, loose, [], stats, max_size)
        for oid, data in _in_order(store, oids, "blob", max_size, located, answers):
            for member, text in _blob_texts(oid, data, stats, max_size):
                yield oid, member, text


@contextmanager
def _opened_packs(repo: Path) -> Iterator[packs.Packs | None]:
    layout = git.located(repo)
    store = packs.Packs.open(layout.commondir / "objects") if layout is not None else None
    try:
        yield store
    finally:
        if store is not None:
            store.close()


Located = tuple["array[int]", "array[int]"] | None  # packs.Packs.locate()


def _located(store: packs.Packs | None, oids: list[str]) -> tuple[Located, list[str]]:
    """Where the pack files hold each of ``oids``, and those they do not list (loose objects, an
    alternate's), in order: git's to read."""
    if store is None:
        return None, list(oids)
    located = store.locate(oids)
    return located, [oid for oid, which in zip(oids, located[0], strict=True) if which < 0]


class _Answers:
    """git's answers for the blobs and then the commits that the pack files do not hold, asked of
    one ``cat-file`` in that order, so that they merge into the order asked (``_in_order``)."""

    def __init__(self, repo: Path, blobs: list[str], commits: list[str], stats: SourceStats, max_size: int) -> None:
        self._repo, self._stats, self._max_size = repo, stats, max_size
        self._stream: Iterator[tuple[str, bytes | None]] = iter(())
        if blobs or commits:
            types, read = sized_reader(repo, blobs + commits)
            self._stream = read(_readable_blobs(blobs, types, stats, max_size)
                                + _readable_commits(commits, types, stats, max_size))
        self._next: tuple[str, bytes | None] | None = next(self._stream, None)

    def take(self, oid: str) -> tuple[str, bytes | None] | None:
        """git's answer for ``oid`` if it is the next one (an object git found missing or too
        large has none: it was counted when git sized it)."""
        got = self._next
        if got is None or got[0] != oid:
            return None
        self._next = next(self._stream, None)
        return got

    def late(self, kind: str, oids: list[str]) -> Iterator[tuple[str, bytes | None]]:
        """git's answers, from a process of their own, for objects a pack lists but could not give
        (a damaged entry, an object over the limit)."""
        if not oids:
            return
        types, read = sized_reader(self._repo, oids)
        readable = _readable_blobs if kind == "blob" else _readable_commits
        yield from read(readable(oids, types, self._stats, self._max_size))


def _in_order(store: packs.Packs | None, oids: list[str], kind: str, max_size: int, located: Located,
              answers: _Answers) -> Iterator[tuple[str, bytes | None]]:
    """(id, content) of ``oids`` in order: from the pack files where ``located`` says, else git's
    next answer; then git's answers for what a pack lists but cannot give as a ``kind``."""
    refused: list[str] = []
    for i, oid in enumerate(oids):
        if store is None or located is None or located[0][i] < 0:
            got = answers.take(oid)
            if got is not None:
                yield got
            continue
        found = store.read_at(located[0][i], located[1][i], max_size)
        if found is None or found[0] != kind:
            refused.append(oid)
        else:
            yield oid, found[1]
    yield from answers.late(kind, refused)


def _readable_blobs(oids: list[str], types: Types, stats: SourceStats,
                    max_size: int) -> list[str]:
    readable: list[str] = []
    for oid in oids:
        kind, size = types.get(oid, (b"", 0))
        if kind != b"blob":
            stats.warn(f"git object {oid[:12]} is missing or corrupt; skipped")
            stats.skip("missing git object")
        elif size > max_size:
            stats.skip("larger than the size limit")
        else:
            readable.append(oid)
    return readable


def _blob_texts(oid: str, data: bytes | None, stats: SourceStats, max_size: int) -> list[tuple[str, bytes]]:
    """The texts in one blob (or its archive's members), counted in ``stats``."""
    if data is None:
        stats.warn(f"git object {oid[:12]} cannot be read; skipped")
        stats.skip("missing git object")
        return []
    texts = texts_of(data, max_size)
    if not texts:
        stats.skip("binary")
        return []
    stats.blobs += 1
    stats.bytes += len(data)
    return texts


def chunks(
    repo: Path,
    index: BlobIndex,
    stats: SourceStats,
    *,
    max_size: int,
    skip: set[str] | frozenset[str] = frozenset(),
    tracked_in_head: dict[str, str] | None = None,
) -> Iterator[Chunk]:
    """Scan-ready chunks for every indexed blob not in ``skip`` (blobs identical to a tracked
    working-tree file, already scanned there), then for every commit and tag message.
    ``tracked_in_head`` (path → blob id) marks blobs that are the current tracked version of
    their path as ``tracked`` rather than ``history``.

    What the pack files do not hold, blobs and commits, is sized and read by one ``sized_reader``:
    one git start-up per repository at most (a sweep of hundreds of small repositories pays mostly
    start-ups), none for a packed one."""
    blobs = wanted(index, skip)
    shas = commit_shas(index)
    positions = commit_positions(index)
    with _opened_packs(repo) as store:
        (blobs_at, loose_blobs), (shas_at, loose_commits) = _located(store, blobs), _located(store, shas)
        answers = _Answers(repo, loose_blobs, loose_commits, stats, max_size)
        for oid, data in _in_order(store, blobs, "blob", max_size, blobs_at, answers):
            for member, text in _blob_texts(oid, data, stats, max_size):
                yield Chunk(text, blob_origin(index, oid, member, tracked_in_head))
        for sha, data in _in_order(store, shas, "commit", max_size, shas_at, answers):
            if data:
                yield from _message_chunk(index, positions[sha], data)
    yield from tag_messages(index)


def wanted(index: BlobIndex, skip: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """The indexed blobs to read, in the order every scan reads them."""
    return [oid for oid in index.blobs if oid not in skip]


def blob_origin(index: BlobIndex, oid: str, member: str, tracked_in_head: dict[str, str] | None) -> Origin:
    """Where a blob (or a member of the archive it is) came from; ``tracked_in_head`` marks the
    current tracked version of its path as ``tracked``."""
    exposure: Exposure = "history"
    if tracked_in_head is not None and tracked_in_head.get(index.blobs[oid][1]) == oid:
        exposure = "tracked"
    origin = index.origin(oid, exposure)
    return replace(origin, path=member_path(origin.path, member)) if member else origin


def message_texts(repo: Path, shas: list[str], stats: SourceStats, *, max_size: int) -> Iterator[tuple[str, bytes]]:
    """(commit id, message) of each commit in ``shas`` whose message holds text, in order."""
    with _opened_packs(repo) as store:
        located, loose = _located(store, shas)
        answers = _Answers(repo, [], loose, stats, max_size)
        for sha, data in _in_order(store, shas, "commit", max_size, located, answers):
            text = _message_text(data) if data else None
            if text:
                yield sha, text


def commit_shas(index: BlobIndex) -> list[str]:
    return [c.sha for c in index.commits[:index.log_commits]]


def commit_positions(index: BlobIndex) -> dict[str, int]:
    """commit id → its index in ``index.commits``, for the commits git log listed."""
    return {c.sha: ci for ci, c in enumerate(index.commits[:index.log_commits])}


def _readable_commits(shas: list[str], types: Types, stats: SourceStats, max_size: int) -> list[str]:
    """The commits in ``shas`` that exist and fit ``max_size`` (each one over it counted)."""
    readable: list[str] = []
    for sha in shas:
        if types.get(sha, (b"", 0))[1] > max_size:
            stats.skip("larger than the size limit")
        elif sha in types:
            readable.append(sha)
    return readable


def _message_chunk(index: BlobIndex, ci: int, commit: bytes) -> Iterator[Chunk]:
    text = _message_text(commit)
    if text:
        yield Chunk(text, index.origin_of(ci, COMMIT_MESSAGE))


def _message_text(commit: bytes) -> bytes | None:
    text = to_text_bytes(_message(commit))
    return text if text and text.strip() else None


def tag_messages(index: BlobIndex) -> Iterator[Chunk]:
    """The message of every annotated tag, as chunks located at the tag."""
    for ci, message in index.tag_messages:
        text = to_text_bytes(message)
        if text:
            yield Chunk(text, index.origin_of(ci, TAG_MESSAGE))


def _message(commit: bytes) -> bytes:
    """A commit object's message: everything after the header's blank line."""
    _, sep, message = commit.partition(b"\n\n")
    return message if sep else b""
