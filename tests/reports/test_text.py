"""The terminal report: most dangerous first, plain words, the reason when liveness is unknown."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys

import pytest

from tests.helpers import GIT_ENV, TOKENREACH, run_cli, token
from tests.integrations.helpers import HF
from tests.reports.sample import sample_result
from tokenreach.reports import text
from tokenreach.scanner.assess import assess


def test_over_privileged_first_then_severity_and_a_summary_line():
    out = text.render(sample_result())
    blocks = [b for b in out.split("\n\n") if b.strip()]
    heads = [b.splitlines()[0] for b in blocks[:-1]]
    assert "OVER-PRIVILEGED" in heads[0] and heads[0].startswith("CRITICAL")
    flagged = ["OVER-PRIVILEGED" in h for h in heads]
    assert flagged == sorted(flagged, reverse=True), "over-privileged findings lead"
    assert blocks[-1].startswith("6 secret(s), 4 live, 2 over-privileged")
    assert "can read, write, delete, administer" in out


def test_unknown_liveness_says_why(repo):
    tok = token("HF_TOKEN=hf_TextTextTextTextTextTextTextTextTe")
    repo.write("app.py", f"HF_TOKEN={tok.secret}\n")
    proc = run_cli(["scan", str(repo.root), "--offline", "--no-history"])
    assert "status  liveness unknown — not looked up (--offline)" in proc.stdout


def test_revoked_and_assessed_findings_render_without_secrets():
    result = sample_result()
    for f in result.findings:
        assess(f)
    out = text.render(result)
    assert all(f.token.secret not in out for f in result.findings)
    assert all(f.token.secret in text.render(result, show_secrets=True) for f in result.findings)


# Colour (issue 15, item 10): rich decides, from the terminal it finds; NO_COLOR and --no-color win.
SGR = re.compile("\x1b\\[[0-9;]*m")


def test_colour_where_rich_finds_a_colour_terminal(repo):
    repo.write("app.env", f"HF_TOKEN={HF}\n")
    plain = run_cli(["scan", str(repo.root), "--offline", "--no-history"], env={"NO_COLOR": None})
    assert plain.returncode == 1 and "\x1b" not in plain.stdout, "a pipe gets no colour"
    coloured = run_cli(["scan", str(repo.root), "--offline", "--no-history"],
                       env={"FORCE_COLOR": "1", "NO_COLOR": None})
    assert coloured.returncode == 1
    assert "\x1b[1;31m" in coloured.stdout or "\x1b[31m" in coloured.stdout  # HIGH in red
    # The same text once the colour codes are taken out (the summary line's timing aside).
    assert SGR.sub("", coloured.stdout).splitlines()[:-1] == plain.stdout.splitlines()[:-1]


def test_no_color_and_the_flag_switch_it_off(repo, tmp_path):
    repo.write("app.env", f"HF_TOKEN={HF}\n")
    args = ["scan", str(repo.root), "--offline", "--no-history"]
    for env, extra in (({"FORCE_COLOR": "1", "NO_COLOR": "1"}, []), ({"FORCE_COLOR": "1", "NO_COLOR": None},
                                                                     ["--no-color"])):
        proc = run_cli([*args, *extra], env=env)
        assert proc.returncode == 1, proc.stderr
        assert "\x1b" not in proc.stdout, (env, extra)
    out = tmp_path / "report.txt"
    proc = run_cli([*args, "--output", str(out)], env={"FORCE_COLOR": "1", "NO_COLOR": None})
    assert proc.returncode == 1 and "\x1b" not in out.read_text(), "a file is never coloured"


def test_a_real_terminal_gets_colour(repo):
    repo.write("app.env", f"HF_TOKEN={HF}\n")
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE")}
    env.update({**GIT_ENV, "TOKENREACH_NO_PROGRESS": "1", "TERM": "xterm-256color", "COLUMNS": "100"})
    master, slave = pty.openpty()
    proc = subprocess.Popen([*TOKENREACH, "scan", str(repo.root), "--offline", "--no-history"],
                            stdin=subprocess.DEVNULL, stdout=slave, stderr=subprocess.PIPE, env=env)
    os.close(slave)
    received = b""
    while True:
        try:
            data = os.read(master, 1 << 16)
        except OSError:  # EIO: the child closed its end
            break
        if not data:
            break
        received += data
    assert proc.wait(timeout=120) == 1, proc.stderr.read() if proc.stderr else ""
    os.close(master)
    out = received.decode()
    assert SGR.search(out), out
    assert "HF_TOKEN" in SGR.sub("", out)


@pytest.mark.parametrize(("extra_env", "rich_loaded"), [({}, False), ({"FORCE_COLOR": "1"}, True)])
def test_a_pipe_is_written_without_loading_rich(repo, extra_env, rich_loaded):
    """rich's import is a tenth of a short scan: a report to a pipe, which rich would not colour
    anyway, does without it; a variable that makes rich colour a pipe still goes through rich."""
    repo.write("app.env", f"HF_TOKEN={HF}\n")
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE")}
    env.update({**GIT_ENV, "TOKENREACH_NO_PROGRESS": "1", **extra_env})
    code = ("import atexit, sys\n"
            "atexit.register(lambda: print('rich loaded:', 'rich' in sys.modules, file=sys.stderr))\n"
            "from tokenreach.scanner.cli.app import main\n"
            f"sys.argv = ['tokenreach', 'scan', {str(repo.root)!r}, '--offline', '--no-history']\n"
            "main()\n")
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert f"rich loaded: {rich_loaded}" in proc.stderr
    assert "HF_TOKEN" in proc.stdout and ("\x1b[" in proc.stdout) == rich_loaded
