"""Issue 17, item 8: terminal escapes in file names and commit authors were printed raw. In a terminal
emulator one file name erased its finding, printed "No secrets found." and set the window title.
Every line a person reads (the text report, its summary, warnings and notices, the pre-commit
line, the one error line, GitHub's log annotations) shows control characters escaped."""

from __future__ import annotations

import io
import os
import re

import pytest

from tests.helpers import GIT_ENV, Repo, run_cli
from tests.integrations.helpers import HF, HF2
from tests.reports.sample import sample_result
from tokenreach.reports import oneline, text
from tokenreach.reports.escape import terminal
from tokenreach.scanner.cli.common import Verdict
from tokenreach.scanner.cli.github import annotation_lines
from tokenreach.scanner.cli.precommit import run_precommit
from tokenreach.scanner.errors import ScanError, one_line
from tokenreach.scanner.model import Location

# Sets the window title, erases the line, moves up, prints a lie, then hides the rest; the bidi
# override makes "vne.gpj" read "jpg.env".
NAME = "\x1b]0;pwned\x07\x1b[2K\r\x1b[1ANo secrets found.\x1b[8m\u202egpj.env"
NAME_SHOWN = "\\x1b]0;pwned\\x07\\x1b[2K\\x0d\\x1b[1ANo secrets found.\\x1b[8m\\u202egpj.env"
AUTHOR = "Eve\x1b]0;t\x07\x9b31m\u2066x"
# Everything a terminal acts on: C0 but the line break, DEL, C1, the bidi controls.
CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
SGR = re.compile("\x1b\\[[0-9;]*m")  # colour and style: the only sequences tokenreach itself writes


def test_terminal_escapes_every_control_character_and_nothing_else():
    controls = [chr(c) for c in [*range(0x20), 0x7F, *range(0x80, 0xA0), *range(0x202A, 0x202F),
                                 *range(0x2066, 0x206A)]]
    for ch in controls:
        shown = terminal(f"a{ch}b")
        assert not CONTROL.search(shown) and shown.startswith("a\\") and shown.endswith("b"), repr(ch)
    assert terminal("\x1b") == "\\x1b" and terminal("\x9b") == "\\u009b" and terminal("\u202e") == "\\u202e"
    assert terminal("bad\udcff.env") == "bad\\xff.env"  # a byte that was not UTF-8 (surrogateescape)
    plain = "Crème brûlée · 日本語 · ✓ · tab-free — and an emoji 🔑"
    assert terminal(plain) == plain


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Repo:
    repo = Repo(tmp_path_factory.mktemp("escapes") / "repo")
    (repo.root / NAME).write_text(f"HF_TOKEN={HF}\n")
    (repo.root / "gone.env").write_text(f"HF_TOKEN={HF2}\n")
    repo.git("add", "-A")
    # git keeps control characters in an author name as they are.
    import subprocess

    subprocess.run(["git", "commit", "-q", "-m", "add"], cwd=repo.root, check=True,
                   env={**os.environ, **GIT_ENV, "GIT_AUTHOR_NAME": AUTHOR})
    repo.git("rm", "-q", "gone.env")
    repo.commit("remove one: it stays in history, with its author")
    return repo


def assert_inert(out: str) -> None:
    assert not CONTROL.search(SGR.sub("", out)), repr(CONTROL.search(SGR.sub("", out)))


def test_text_report_escapes_names_and_authors(repo):
    proc = run_cli(["scan", str(repo.root), "--offline"])
    assert proc.returncode == 1, proc.stderr
    assert_inert(proc.stdout)
    assert "\x1b" not in proc.stdout
    assert f"at      {NAME_SHOWN}:1:10 [tracked]" in proc.stdout
    assert "by Eve\\x1b]0;t\\x07\\u009b31m\\u2066x <ada@example.com>" in proc.stdout
    # The lie is on the finding's own line, never at the start of one.
    assert not any(line.startswith("No secrets found.") for line in proc.stdout.splitlines())


def test_coloured_text_report_escapes_them_too(repo):
    proc = run_cli(["scan", str(repo.root), "--offline"], env={"FORCE_COLOR": "1", "NO_COLOR": None})
    assert SGR.search(proc.stdout), "no colour: the test would prove nothing"
    assert_inert(proc.stdout)
    assert NAME_SHOWN in SGR.sub("", proc.stdout)


def test_summary_warnings_and_notices_are_escaped():
    result = sample_result()
    result.stats.warnings.append(f"{NAME}: cannot read (Permission denied)")
    result.notices.append(f"{AUTHOR} noticed")
    result.stats.skipped["odd \x1b[2J reason"] += 1
    result.findings[0].locations.append(Location(NAME, 1, 1, "history", commit="ab" * 20, author=AUTHOR))
    out = text.render(result)
    assert_inert(out)
    assert f"  ! {NAME_SHOWN}: cannot read" in out and "note: Eve\\x1b]0;t" in out
    assert_inert(text.summary_line(result))
    assert_inert(oneline.render(result))


def test_precommit_line_is_escaped(tmp_path):
    staged = Repo(tmp_path / "staged")
    (staged.root / NAME).write_text(f"HF_TOKEN={HF}\n")
    staged.git("add", "-A")
    out = io.StringIO()
    assert run_precommit(staged.root, offline=True, fail_on=None, baseline=None, lookup_timeout=5, out=out) == 1
    assert_inert(out.getvalue())
    assert f"{NAME_SHOWN}:1 [staged]" in out.getvalue()


def test_the_error_line_is_escaped(tmp_path):
    assert one_line(ScanError(f"{NAME}: no such file")) == f"{NAME_SHOWN}: no such file"
    assert one_line(FileNotFoundError(2, "No such file or directory", NAME)) == \
        f"{NAME_SHOWN}: No such file or directory"
    proc = run_cli(["scan", str(tmp_path / NAME)])
    assert proc.returncode == 2
    assert_inert(proc.stderr)
    assert NAME_SHOWN in proc.stderr and len(proc.stderr.splitlines()) == 1


def test_github_annotations_are_escaped(repo):
    from tokenreach.scanner.run import RunOptions, run

    outcome = run(RunOptions(path=repo.root, offline=True))
    lines = annotation_lines(outcome.scan, Verdict("high", False), repo.root, repo.root, offline=True)
    assert lines
    for line in lines:
        assert_inert(line)


def test_inspect_shows_the_providers_answer_escaped(monkeypatch, capsys):
    """A provider's answer is hostile too: a workspace or user name can carry the same sequences."""
    from tokenreach.scanner.cli import inspect
    from tokenreach.scanner.model import Access

    answer = Access(live=True, identity=AUTHOR, reach="account", grants=[NAME], resources=[NAME], resources_total=1,
                    notes=[f"me query answered: {NAME}"], evidence="api")
    monkeypatch.setattr(inspect, "lookup_one", lambda tok, opts: answer)
    assert inspect.inspect_stdin(io.StringIO(f"HF_TOKEN={HF}\n"), provider=None, fmt="text", offline=True,
                                 timeout=5) == 0
    out = capsys.readouterr().out
    assert_inert(out)
    assert "as Eve\\x1b]0;t\\x07" in out and f"grants        {NAME_SHOWN}" in out


def test_a_sweeps_failed_repository_is_escaped():
    from tokenreach.scanner.model import RepositoryStats

    result = sample_result()
    result.repositories = [RepositoryStats("ok", "/r/ok"),
                           RepositoryStats(NAME, f"/r/{NAME}", error=f"{NAME}: the process scanning it died")]
    out = text.render(result)
    assert_inert(out)
    assert f"failed: {NAME_SHOWN}: the process" in out
