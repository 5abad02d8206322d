"""The command line builds typer's click command once a process, and for a named sub-command only
that one (scanner/cli/app.py _command): what a user sees is the same as from the whole group."""

from __future__ import annotations

from typing import Any

import pytest

from tokenreach.scanner.cli import app as cli


def _output(command: Any, args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[object, str, str]:
    with pytest.raises(SystemExit) as exited:
        command.main(args=args, prog_name="tokenreach")
    out, err = capsys.readouterr()
    return exited.value.code, out, err


def test_a_named_sub_command_builds_that_one_alone() -> None:
    assert set(cli._command("scan").commands) == {"scan"}
    assert set(cli._command("ci").commands) == {"ci"}
    assert set(cli._command(None).commands) == {"scan", "baseline", "inspect", "allow", "guard", "ci", "rules"}
    assert cli._command("scan") is cli._command("scan")  # once a process


@pytest.mark.parametrize("args", [["scan", "--help"], ["scan", "--no-such-option"], ["ci", "--help"],
                                  ["ci", "precommit", "--help"], ["rules", "check", "--help"], ["inspect", "--help"]])
def test_help_and_errors_are_those_of_the_whole_group(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    alone = _output(cli._command(args[0]), args, capsys)
    assert alone == _output(cli._command(None), args, capsys)
    assert "Usage: tokenreach " + " ".join(a for a in args if not a.startswith("-")) in alone[1] + alone[2]


@pytest.mark.parametrize(("argv", "name"), [(["tokenreach", "scan", "."], "scan"), (["tokenreach", "--version"], None),
                                            (["tokenreach"], None), (["tokenreach", "no-such"], None),
                                            (["tokenreach", "rules", "list"], "rules")])
def test_the_sub_command_is_the_first_argument(monkeypatch: pytest.MonkeyPatch, argv: list[str],
                                               name: str | None) -> None:
    monkeypatch.setattr("sys.argv", argv)
    assert cli._named() == name
