"""No raw token ever leaves tokenreach unless ``--show-secrets`` asks for it.

Fifty tokens of fifty providers, taken from the detectors' own pattern examples, are planted in
a repository (tracked, git-ignored, untracked and history-only files). Every lookup goes to one
local fake that echoes whatever it was sent back in every field a provider might read an identity,
a scope or an error message from. Then every output channel is searched for every raw token:
each report format on stdout, in ``--output`` and in ``--report`` files; warnings, notices and
the ``-v`` debug log; the progress display (on a pseudo-terminal, the only place it is drawn);
error messages; ``tokenreach inspect``; every file of the lookup cache; the request lines the
fake received; log records and exception messages in-process. The same scan with
``--show-secrets`` shows every token, so the search is known to find them when they are there.
"""

from __future__ import annotations

import html
import io
import json
import logging
import os
import pty
import re
import subprocess
import threading
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlencode

import pytest

from tests.fakes.hostile_net import fake_dns, netlog_env, only_loopback, read_netlog
from tests.fakes.server import FakeServer, Reply, Request
from tests.helpers import GIT_ENV, TOKENREACH, Repo, run_cli, run_cli_subprocess
from tokenreach.detectors.base import Detector, LookupUnavailable
from tokenreach.detectors.http import env_var_for
from tokenreach.detectors.redaction import redact
from tokenreach.detectors.registry import all_patterns, by_provider
from tokenreach.scanner.engine import tokens_in
from tokenreach.scanner.model import Token

ROOT = Path(__file__).resolve().parents[2]
N_TOKENS = 50
FORMATS = ("text", "json", "sarif", "markdown", "html")
PLACES = ("tracked", "ignored", "untracked", "history")


@dataclass(frozen=True)
class Planted:
    token: Token
    example: str
    place: str
    path: str
    looked_up: bool

    @property
    def secret(self) -> str:
        return self.token.secret

    @property
    def url_by_design(self) -> bool:
        """An Azure SAS is a URL query by nature: the one token tokenreach sends in a URL (azure.py)."""
        return self.token.provider == "azure" and self.token.kind == "sas"


def choose_tokens() -> list[tuple[Token, str, bool]]:
    """(token, example text, has a lookup) for N_TOKENS providers: every provider with a lookup
    first, then others; one pattern example each whose secret is long enough to be unmistakable."""
    chosen: dict[str, tuple[Token, str, bool]] = {}
    for det, pattern in all_patterns():
        if det.provider in chosen:
            continue
        for example in pattern.examples:
            found = [t for t in tokens_in(example) if t.pattern_id == pattern.id]
            if len(found) == 1 and len(found[0].secret) >= 20 and "\n" not in found[0].secret:
                chosen[det.provider] = (found[0], example, det.has_lookup() and pattern.lookup)
                break
    with_lookup = [c for c in chosen.values() if c[2]]
    without = [c for c in chosen.values() if not c[2]]
    picked = (with_lookup + without)[:N_TOKENS]
    assert len(picked) == N_TOKENS and len({t.secret for t, _, _ in picked}) == N_TOKENS
    return picked


# The echoing fake -----------------------------------------------------------------------------


def echoed(req: Request) -> str:
    """Everything a request carried, as text: path, query, headers, body, decoded Basic auth."""
    parts = [req.path, json.dumps(req.query), json.dumps(req.headers), req.body.decode("utf-8", "replace")]
    if (req.header("authorization") or "").startswith("Basic "):
        try:
            parts.append(":".join(req.basic() or ()))
        except ValueError:
            pass
    return " ".join(parts)


def echo(req: Request) -> Reply:
    """200, 401 or 403 (fixed per path and credential), with the request echoed in every field."""
    v = echoed(req)
    status = (200, 401, 403)[zlib.crc32(req.path.encode() + (req.header("authorization") or "").encode()) % 3]
    if "comp" in req.query:  # Azure Storage listings are XML
        name = v.replace("&", "&amp;").replace("<", "&lt;")
        return Reply(status, (f"<?xml version='1.0'?><EnumerationResults><Containers><Container><Name>{name}"
                              "</Name></Container></Containers><NextMarker/></EnumerationResults>").encode())
    fields = ("name", "login", "email", "id", "username", "user_id", "account", "identity", "message", "error",
              "description", "team", "user", "org", "title", "display_name", "displayName", "uuid", "arn",
              "error_description", "detail", "scope", "role")
    body: dict[str, Any] = {k: v for k in fields}
    body.update(
        ok=status == 200,
        echo=v,
        GetCallerIdentityResponse={"GetCallerIdentityResult": {
            "Arn": f"arn:aws:iam::123456789012:user/{v}", "Account": "123456789012", "UserId": v}},
        data={"viewer": {"id": v, "name": v, "email": v, "organization": {"name": v}},
              "me": {"id": v, "email": v, "name": v}},
        scopes=[v], permissions=[v], orgs=[{"name": v, "roleInOrg": "admin"}],
        auth={"accessToken": {"role": "write", "displayName": v}},
        errors=[{"message": v, "code": v}],
        result={"id": v, "status": "active", "name": v},
    )
    return Reply(status, body, headers={"X-OAuth-Scopes": "repo, admin:org"})


def echo_fake() -> FakeServer:
    fake = FakeServer()
    for method in ("GET", "POST", "HEAD"):
        fake.add(method, ".*", echo)
    return fake


def page_data(text: str) -> str:
    """The JSON an HTML report's script draws its cards from (empty for any other text)."""
    found = re.search(r'<script type="application/json" id="tr-data">(.*?)</script>', text, re.S)
    return found.group(1) if found else ""


def json_strings(text: str) -> list[str]:
    """Every string (keys too) of ``text`` when it is a JSON document, else nothing."""
    try:
        doc = json.loads(text)
    except ValueError:
        return []
    out: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, list):
            for v in value:
                walk(v)
        elif isinstance(value, dict):
            for k, v in value.items():
                out.append(str(k))
                walk(v)

    walk(doc)
    return out


# The planted repository and the runs over it ---------------------------------------------------


@dataclass
class Run:
    args: list[str]
    returncode: int
    stdout: str
    stderr: str
    files: dict[str, str]


class World:
    """The repository, the echo fake, and a CLI runner whose every output is kept for searching."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.repo = Repo(root / "repo")
        self.cache = root / "xdg-cache"
        self.out = root / "out"
        self.out.mkdir()
        self.planted: list[Planted] = []
        self.runs: list[Run] = []
        self.fake = echo_fake().start()
        self.net_env, self.netlog = netlog_env(root / "net")
        self.env = {
            **{env_var_for(p): self.fake.url for p in by_provider()},
            **self.net_env,
            "XDG_CACHE_HOME": str(self.cache),
        }

    def plant(self) -> None:
        repo = self.repo
        repo.write(".gitignore", "local/\n*.env\n")
        history: list[str] = []
        for i, (tok, example, looked_up) in enumerate(choose_tokens()):
            place = PLACES[i % len(PLACES)]
            name = f"{tok.provider}_{i}"
            path = {"tracked": f"src/{name}.txt", "ignored": f"local/{name}.env", "untracked": f"notes/{name}.txt",
                    "history": f"old/{name}.txt"}[place]
            repo.write(path, f"# {tok.provider}\n{example}\n")
            if place == "history":
                history.append(path)
            self.planted.append(Planted(tok, example, place, path, looked_up))
        repo.write("app/version.txt", "1\n")
        repo.commit("initial", ".gitignore", "src", "old", "app")
        missing = repo.git("rev-parse", "HEAD:app/version.txt").strip()
        repo.write("app/version.txt", "2\n")
        repo.git("rm", "-q", *history)
        repo.commit("remove old configuration", "app/version.txt")
        # The first version of app/version.txt is gone from the object store: a warning.
        (repo.root / ".git" / "objects" / missing[:2] / missing[2:]).unlink()

    @property
    def secrets(self) -> list[str]:
        return [p.secret for p in self.planted]

    def cli(self, *args: str, stdin: str | None = None, files: tuple[Path, ...] = (),
            env: dict[str, str] | None = None, process: bool = False) -> Run:
        """``process``: a real subprocess, whose connections the net log records (sitecustomize)."""
        runner = run_cli_subprocess if process else run_cli
        proc = runner(list(args), env={**self.env, **(env or {})}, stdin=stdin)
        run = Run(list(args), proc.returncode, proc.stdout, proc.stderr,
                  {str(f): f.read_text(encoding="utf-8") for f in files if f.exists()})
        self.runs.append(run)
        return run

    def leaks(self, text: str) -> list[str]:
        """The providers of planted tokens whose raw secret occurs in ``text``, as written or once
        the escaping of JSON or HTML is undone (a secret with a backslash or a quote in it would
        otherwise hide behind its own escapes)."""
        views = [text, html.unescape(text), *json_strings(text), *json_strings(page_data(text))]
        return [p.token.provider for p in self.planted if any(p.secret in v for v in views)]

    def assert_clean(self, run: Run) -> None:
        for channel, text in [("stdout", run.stdout), ("stderr", run.stderr), *run.files.items()]:
            assert self.leaks(text) == [], f"{' '.join(run.args)}: raw token(s) in {channel}"
        assert "Traceback" not in run.stderr, run.stderr

    def close(self) -> None:
        self.fake.stop()


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> Iterator[World]:
    w = World(tmp_path_factory.mktemp("never-leak"))
    try:
        w.plant()
        yield w
    finally:
        w.close()


@pytest.fixture(scope="module")
def first_scan(world: World) -> Run:
    """Text on stdout, the four other formats through --report, debug log, lookups, the cache."""
    reports = {fmt: world.out / f"report.{fmt}" for fmt in FORMATS if fmt != "text"}
    args = ["scan", str(world.repo.root), "--format", "text", "-v", "--cache-ttl", "3600"]
    for fmt, path in reports.items():
        args += ["--report", f"{fmt}={path}"]
    run = world.cli(*args, files=tuple(reports.values()), process=True)
    assert run.returncode in (0, 1), run.stderr
    return run


# Scans ----------------------------------------------------------------------------------------


def test_the_planted_tokens(world: World, first_scan: Run):
    planted = world.planted
    assert len(planted) == N_TOKENS
    assert len({p.token.provider for p in planted}) == N_TOKENS
    assert {p.place for p in planted} == set(PLACES)
    assert sum(p.looked_up for p in planted) >= 25
    doc = json.loads(first_scan.files[str(world.out / "report.json")])
    exposures = {f["exposure"] for f in doc["findings"]}
    assert exposures >= {"tracked", "ignored", "untracked", "history"}
    assert doc["warnings"], "the missing object gives a warning, searched like everything else"
    assert len(world.fake.requests) >= 25, "the lookups reached the echoing fake"
    assert any(f["access"]["live"] is True for f in doc["findings"]), "some echoes were read as answers"


def test_first_scan_every_report_and_the_debug_log(world: World, first_scan: Run):
    assert "DEBUG" in first_scan.stderr, "the -v log is there to be searched"
    assert set(first_scan.files) == {str(world.out / f"report.{f}") for f in FORMATS if f != "text"}
    world.assert_clean(first_scan)


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_format_on_stdout_and_in_output_file(world: World, first_scan: Run, fmt: str):
    stdout = world.cli("scan", str(world.repo.root), "--format", fmt, "-v", "--cache-ttl", "3600")
    assert stdout.returncode in (0, 1), stdout.stderr
    world.assert_clean(stdout)
    target = world.out / f"output.{fmt}"
    to_file = world.cli("scan", str(world.repo.root), "--format", fmt, "--output", str(target),
                        "--no-history", files=(target,))
    assert to_file.returncode in (0, 1) and to_file.files, to_file.stderr
    assert "secret(s)" in to_file.stderr  # the summary line
    world.assert_clean(to_file)


def test_show_secrets_shows_every_one(world: World, first_scan: Run):
    """The search is not vacuous: asked to, every channel shows the raw tokens."""
    reports = {fmt: world.out / f"shown.{fmt}" for fmt in FORMATS if fmt != "json"}
    args = ["scan", str(world.repo.root), "--format", "json", "--show-secrets", "--cache-ttl", "3600"]
    for fmt, path in reports.items():
        args += ["--report", f"{fmt}={path}"]
    run = world.cli(*args, files=tuple(reports.values()))
    assert run.returncode in (0, 1), run.stderr
    everyone = sorted(p.token.provider for p in world.planted)
    assert sorted(world.leaks(run.stdout)) == everyone
    for path in reports.values():
        shown = world.leaks(run.files[str(path)])
        assert shown, f"--show-secrets shows nothing in {path.name}"
        if path.suffix in (".text", ".sarif", ".html"):
            assert sorted(shown) == everyone, (path.name, sorted(set(everyone) - set(shown)))
    world.runs.remove(run)  # not searched for leaks with the others


@pytest.mark.slow
def test_progress_display_on_a_terminal(world: World, first_scan: Run):
    """The progress bar is drawn only on a terminal: give the CLI one (a pseudo-terminal on stderr)."""
    env = {k: v for k, v in os.environ.items() if k not in ("TOKENREACH_NO_PROGRESS", "CI")}
    env.update({**GIT_ENV, **world.env, "TERM": "xterm-256color", "COLUMNS": "120", "LINES": "40"})
    master, slave = pty.openpty()
    proc = subprocess.Popen([*TOKENREACH, "scan", str(world.repo.root), "-v", "--cache-ttl", "3600"],
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=slave, env=env)
    os.close(slave)
    received: list[bytes] = []

    def drain() -> None:
        while True:
            try:
                data = os.read(master, 1 << 16)
            except OSError:  # EIO: the child closed its end
                return
            if not data:
                return
            received.append(data)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    stdout, _ = proc.communicate(timeout=120)
    reader.join(10)
    os.close(master)
    terminal = b"".join(received).decode("utf-8", "replace")
    assert "scanning" in terminal and "files/blobs" in terminal, "no progress was drawn"
    run = Run(["scan (pty)"], proc.returncode, stdout.decode("utf-8", "replace"), terminal, {})
    world.runs.append(run)
    world.assert_clean(run)


def test_a_second_scan_from_the_cache(world: World, first_scan: Run):
    before = len(world.fake.requests)
    run = world.cli("scan", str(world.repo.root), "--format", "json", "--cache-ttl", "3600")
    doc = json.loads(run.stdout)
    from_cache = [f for f in doc["findings"] if "from the lookup cache" in f["access"]["notes"]]
    assert from_cache, "nothing came from the cache"
    assert len(world.fake.requests) - before < before, "the cache answered most lookups"
    world.assert_clean(run)


def test_cache_files_hold_no_token(world: World, first_scan: Run):
    files = [p for p in world.cache.rglob("*") if p.is_file()]
    entries = [p for p in files if p.parent == world.cache / "tokenreach" / "lookups" and p.suffix == ".json"]
    assert len(entries) >= 10, "the lookups were cached"
    assert all(json.loads(p.read_text())["access"] for p in entries)
    # The parsed-catalog cache holds the shipped rule files' own literal examples, which some planted
    # tokens are copies of: those, and only those, may appear there.
    catalog = b"".join(f.read_bytes() for f in (ROOT / "detectors" / "rules").glob("*.toml"))
    for path in files:
        data = path.read_bytes()
        for p in world.planted:
            if path.name.startswith("rules-") and path.suffix == ".marshal" and p.secret.encode() in catalog:
                continue
            assert p.secret.encode() not in data, f"{p.token.provider} token in {path}"


def test_error_messages(world: World, first_scan: Run):
    root = str(world.repo.root)
    some = world.planted[0]
    bad = [
        ["scan", root, "--format", "nope"],
        ["scan", root, "--fail-on", "bogus"],
        ["scan", root, "--report", "sarif"],
        ["scan", root, "--report", "pdf=x.pdf"],
        ["scan", root, "--lookup-timeout", "0"],
        ["scan", root, "--max-file-size", "10Q"],
        ["scan", root + "/does-not-exist"],
        ["scan", root, "--since", "no-such-revision"],
        ["scan", root, "--no-such-option"],
        ["scan", root, "--report", f"json={world.out}/no/such/folder/x.json"],
        ["scan", root, "--baseline", str(world.repo.root / "src")],
        ["inspect", "--provider", "no-such-provider"],
    ]
    for args in bad:
        run = world.cli(*args, stdin=some.example)
        assert run.returncode == 2, (args, run.stdout, run.stderr)
        assert run.stderr.strip(), args
        world.assert_clean(run)


def test_configuration_errors_do_not_quote_tokens(world: World, first_scan: Run, tmp_path: Path):
    """A token pasted into the configuration by mistake (a secret where a fingerprint belongs, a
    token on a line that is not valid TOML) must not be echoed by the error about it."""
    # Not a 32-hex token for "allow": that is a fingerprint's form, which allow accepts unquoted.
    a, b, c = [p for p in world.planted[1:] if not re.fullmatch(r"[0-9a-f]{32}", p.secret)][:3]
    configs = {
        "allow.toml": f'allow = ["{a.secret}"]\n',
        "fail.toml": f'fail_on = "{b.secret}"\n',
        "broken.toml": f"exclude = [\n  {c.secret}\n]\n",
        "unknown.toml": f'api_key = "{a.secret}"\n',
        "providers.toml": f'[providers]\ngithub = "{b.secret}"\n',
        "intent.toml": f'[[intent]]\npaths = ["x"]\nreach = "{c.secret}"\n',
    }
    for name, text in configs.items():
        path = tmp_path / name
        path.write_text(text)
        run = world.cli("scan", str(world.repo.root), "--offline", "--config", str(path))
        assert run.returncode == 2 and name in run.stderr, (name, run.stderr)
        world.assert_clean(run)


def test_inspect_command(world: World, first_scan: Run):
    before = len(world.fake.requests)
    checked = 0
    for p in world.planted[:4]:  # all four have lookups (chosen first); every token is inspected in-process below
        for fmt in ("text", "json"):
            run = world.cli("inspect", "--format", fmt, "-v", "--provider", p.token.provider, stdin=p.example)
            assert run.returncode in (0, 2), run.stderr
            if run.returncode == 0:
                shown = json.loads(run.stdout)["redacted"] if fmt == "json" else run.stdout
                assert redact(p.secret) in shown
                checked += 1
            world.assert_clean(run)
    assert checked >= 6
    assert len(world.fake.requests) > before, "inspect looked the tokens up"
    two = world.cli("inspect", stdin=world.planted[0].example + "\n" + world.planted[1].example)
    assert two.returncode == 2 and "give one" in two.stderr
    world.assert_clean(two)


@pytest.mark.slow
def test_inspect_in_process_every_token(world: World, first_scan: Run, monkeypatch, capsys):
    from tokenreach.scanner.cli.inspect import inspect_stdin
    from tokenreach.scanner.errors import ScanError

    for key, value in world.env.items():
        if key.startswith("TOKENREACH_"):
            monkeypatch.setenv(key, value)
    shown = 0
    with fake_dns():
        for p in world.planted:
            for provider in (None, p.token.provider):
                for fmt in ("text", "json"):
                    try:
                        inspect_stdin(io.StringIO(p.example), provider=provider, fmt=fmt, offline=False, timeout=5)
                    except ScanError as exc:
                        assert world.leaks(str(exc)) == [], (p.token.provider, str(exc))
                    else:
                        shown += 1
                    out = capsys.readouterr()
                    assert world.leaks(out.out + out.err) == [], (p.token.provider, fmt)
    assert shown >= 3 * N_TOKENS


def test_the_fake_never_saw_a_token_in_a_url(world: World, first_scan: Run):
    """Request lines (path and query) as received: tokens travel in headers or bodies only."""
    assert world.fake.requests
    by_design = [p for p in world.planted if p.url_by_design]
    for req in world.fake.requests:
        line = req.path + "?" + urlencode(req.query, doseq=True)
        decoded = unquote(req.path) + "?" + "&".join(f"{k}={v}" for k, vs in req.query.items() for v in vs)
        leaked = [p for p in world.planted if p.secret in line or p.secret in decoded]
        assert [p for p in leaked if p not in by_design] == [], f"token in the request line {req.method} {req.path}"


def test_traffic_stayed_on_the_fake(world: World, first_scan: Run):
    events = read_netlog(world.netlog)
    assert any(kind == "connect" for kind, _ in events)
    assert only_loopback(events, {int(world.fake.url.rsplit(":", 1)[1])}) == []


# In-process: log records and exception messages ------------------------------------------------


def test_logs_and_exceptions_in_process(world: World, first_scan: Run, monkeypatch, caplog):
    """The whole run in this process, every logger at DEBUG, and every exception a lookup raises
    recorded (with its cause and context chain): none carries a token."""
    from tokenreach.scanner.run import RunOptions, run

    for key, value in world.env.items():
        if key.startswith("TOKENREACH_"):
            monkeypatch.setenv(key, value)
    monkeypatch.setenv("XDG_CACHE_HOME", str(world.cache))
    raised: list[str] = []

    def recording(original: Any) -> Any:
        def lookup(self: Detector, token: Token, http: Any, offline: Any) -> Any:
            try:
                return original(self, token, http, offline)
            except Exception as exc:
                chain: BaseException | None = exc
                while chain is not None:
                    raised.append(f"{type(chain).__name__}: {chain} {chain.args!r}")
                    chain = chain.__cause__ or chain.__context__
                raise
        return lookup

    for det in by_provider().values():
        if det.has_lookup():
            monkeypatch.setattr(type(det), "lookup", recording(type(det).lookup))
    caplog.set_level(logging.DEBUG)
    for name in ("httpx", "httpcore", "tokenreach"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    try:
        with fake_dns():
            outcome = run(RunOptions(path=world.repo.root, lookup_timeout=20))
    finally:
        for name in ("httpx", "httpcore", "tokenreach"):
            logging.getLogger(name).setLevel(logging.NOTSET)
    assert len(outcome.findings) >= N_TOKENS
    assert any(r.name.startswith("tokenreach") for r in caplog.records), "tokenreach logged nothing at DEBUG"
    assert any(r.name.startswith("httpcore") for r in caplog.records), "the HTTP stack logged nothing"
    assert raised, "no lookup raised anything: the echoes should have upset some parsers"
    assert any(LookupUnavailable.__name__ in r for r in raised)
    by_design = {p.secret for p in world.planted if p.url_by_design}
    for record in caplog.records:
        text = record.getMessage()
        leaked = [p for p in world.planted if p.secret in text]
        if record.name.startswith(("httpx", "httpcore")):  # httpx logs request URLs: only the SAS is in one
            leaked = [p for p in leaked if p.secret not in by_design]
        assert leaked == [], f"{record.name}: {text[:200]}"
    for message in raised:
        assert world.leaks(message) == [], message
    for f in outcome.findings:
        assert world.leaks(json.dumps(f.to_json(show_secret=False))) == [], f.provider
        assert world.leaks(repr(f.token)) == [], f.provider
