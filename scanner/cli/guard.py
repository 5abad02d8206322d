"""`tokenreach guard`: print (or, with --write, add) the fence entries that keep the agents used
here off every file holding a token (scanner/guard.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tokenreach.scanner.cli.common import errors_exit_2, setup_logging


def guard_command(
    path: Annotated[Path, typer.Argument(help="Project whose agents to fence.")] = Path("."),
    agents: Annotated[str | None, typer.Option(
        "--agents", help="Agents to fence, e.g. cursor,claude (default: detected here).")] = None,
    write: Annotated[bool, typer.Option("--write", help="Add the entries (minimal, idempotent edits).")] = False,
    nearby: Annotated[int, typer.Option("--nearby", metavar="DEPTH",
                                        help="Also look this deep in the parent folder's other projects.")] = 1,
    verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False,
) -> None:
    """Fence the files that hold tokens from the agents' file tools: ignore files and Claude Code
    deny rules. Reads the working tree, --home stores and nearby projects offline; writes only with
    --write, and only inside PATH's project (its repository's top folder)."""
    from tokenreach.scanner import fences
    from tokenreach.scanner import guard as guards
    from tokenreach.scanner.run import RunOptions, root_of, run

    setup_logging(verbose)
    with errors_exit_2():
        chosen = fences.parse_agents(agents)
        root = root_of(path)
        used = fences.agents_for(root, chosen)
        if not used:
            raise fences.ScanError("no coding agent detected here (.cursor/, .claude/, an agent's ignore file); "
                                   f"name them with --agents ({', '.join(fences.AGENTS)})")
        how = "chosen with --agents" if chosen is not None else "detected here"
        outcome = run(RunOptions(path=path, history=False, home=True, nearby=nearby, offline=True,
                                 agents=used, use_baseline=False))
        p = guards.plan(outcome.scan.findings, used)
        written = guards.apply(root, p) if write else None
        typer.echo(guards.report(p, used, how, written), nl=False)
