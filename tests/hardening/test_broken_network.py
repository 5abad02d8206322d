"""Broken networks: every way a lookup can fail ends in ``live: null`` with a reason, on time, and
never sends the token anywhere but the host it was meant for.

Every server here listens on 127.0.0.1 (tests/fakes/hostile_net.py, tests/fakes/server.py), and
name resolution is faked (``fake_dns``: loopback names only), so nothing can reach a real DNS
server or the internet. Each test records the connections the lookup made and asserts they all
went to the one fake it was pointed at.
"""

from __future__ import annotations

import itertools
import json
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.fakes import github as github_fake
from tests.fakes import huggingface as hf_fake
from tests.fakes import openai as openai_fake
from tests.fakes import slack as slack_fake
from tests.fakes.hostile_net import (
    RawServer,
    closed_port,
    endless_body,
    fake_dns,
    garbage,
    headers_trickle,
    netlog_env,
    never_answers,
    only_loopback,
    read_netlog,
    recording_connections,
    resets,
    self_signed_context,
    tls_answers_json,
    truncated_body,
)
from tests.fakes.server import FakeServer, Reply, Request
from tests.helpers import Repo, fake_env, run_cli_subprocess
from tokenreach.detectors.http import MAX_BODY_BYTES, env_var_for
from tokenreach.detectors.registry import all_patterns, by_provider
from tokenreach.scanner.engine import tokens_in
from tokenreach.scanner.lookup import LookupOptions, offline_access, run_lookups
from tokenreach.scanner.model import Access, Token

TIMEOUT = 2.0  # LookupOptions.total_timeout of the in-process lookups
# The lookup phase may end up to 0.5 s after its deadline (in-flight requests get that long to
# report their own reason); the rest is scheduling slack on a loaded machine.
MARGIN = 1.0
DEAD_HOST = "tokenreach-hardening.invalid"  # RFC 6761: never resolves; fake_dns makes sure of it
# Providers whose token makes a request, for the sweeps over every lookup.
UNKNOWN = re.compile(r"liveness unknown|time limit|timed out|answered HTTP|not JSON|not XML|malformed")


@pytest.fixture(autouse=True)
def _no_real_dns() -> Iterator[None]:
    with fake_dns():
        yield


def example_token(provider: str) -> tuple[str, Token]:
    """(the example text, its token) of the first pattern of ``provider`` whose example yields a
    token that must be looked up online (not decided offline, not skipped)."""
    det = by_provider()[provider]
    for d, pattern in all_patterns():
        if d is not det or not pattern.lookup:
            continue
        for example in pattern.examples:
            found = [t for t in tokens_in(example) if t.pattern_id == pattern.id]
            if len(found) != 1:
                continue
            offline = offline_access(det, found[0])
            if offline.live is None and not offline.facts.get("skip_lookup"):
                return example, found[0]
    raise AssertionError(f"no example of {provider} needs a lookup")


HF_TEXT, HF = example_token("huggingface")


def timed_lookup(tok: Token, url: str, timeout: float = TIMEOUT,
                 **kw: Any) -> tuple[Access, float, list[tuple[str, Any]]]:
    """(access, seconds taken, connections made) of one in-process lookup of ``tok`` at ``url``."""
    options = LookupOptions(environ={env_var_for(tok.provider): url}, total_timeout=timeout, **kw)
    with recording_connections() as events:
        started = time.monotonic()
        access = run_lookups({"t": tok}, options)["t"]
        elapsed = time.monotonic() - started
    return access, elapsed, list(events)


def assert_unknown(access: Access, reason: str | re.Pattern[str], secret: str) -> None:
    """live: null, never revoked, the last note says why (matching ``reason``), no note has the secret."""
    assert access.live is None, access.notes
    assert access.notes, "no reason given"
    assert re.search(reason, access.notes[-1]), access.notes
    assert all(secret not in n for n in access.notes)


def assert_on_time(elapsed: float, timeout: float = TIMEOUT) -> None:
    assert elapsed < timeout + MARGIN, f"took {elapsed:.2f}s for a {timeout}s lookup budget"


def port_of(url: str) -> int:
    return int(url.rsplit(":", 1)[1].split("/")[0])


def every_request_fails(reply: Callable[[Request], Reply]) -> FakeServer:
    fake = FakeServer()
    for method in ("GET", "POST", "HEAD"):
        fake.add(method, ".*", reply)
    return fake


# Transport failures ---------------------------------------------------------------------------


def test_connection_refused():
    port = closed_port()
    access, elapsed, events = timed_lookup(HF, f"http://127.0.0.1:{port}")
    assert_unknown(access, r"connection refused", HF.secret)
    assert_on_time(elapsed)
    assert only_loopback(events, {port}) == []
    # Retried once (a transport failure may be transient), then given up.
    assert [e for e in events if e[0] == "connect"] == [("connect", ("127.0.0.1", port))] * 2


def test_dns_failure_never_leaves_the_machine():
    access, elapsed, events = timed_lookup(HF, f"https://{DEAD_HOST}")
    assert_unknown(access, r"DNS lookup failed", HF.secret)
    assert_on_time(elapsed)
    assert ("resolve", DEAD_HOST) in events
    assert [e for e in events if e[0] == "connect"] == [], "nothing to connect to, nothing connected"
    assert only_loopback(events, set(), hosts=frozenset({DEAD_HOST})) == []


def test_untrusted_certificate_gets_no_request():
    with RawServer(tls_answers_json, tls=self_signed_context()) as srv:
        access, elapsed, events = timed_lookup(HF, srv.url)
    assert_unknown(access, r"TLS handshake failed", HF.secret)
    assert_on_time(elapsed)
    assert srv.connections >= 1 and srv.received == [], "the request (and its token) must not cross bad TLS"
    assert only_loopback(events, {srv.port}) == []


@pytest.mark.parametrize("handler, reason", [
    (never_answers, r"timed out|time limit"),
    (headers_trickle(1.0), r"time limit|timed out"),
    (resets, r"network error|could not connect|connection"),
    (garbage, r"network error"),
    (truncated_body, r"network error"),
    (endless_body, rf"larger than {MAX_BODY_BYTES // 2**20} MB|time limit"),
], ids=["never-answers", "headers-a-byte-a-second", "reset", "not-http", "truncated-body", "endless-body"])
def test_raw_server_misbehaves(handler, reason):
    with RawServer(handler) as srv:
        access, elapsed, events = timed_lookup(HF, srv.url)
        received = list(srv.received)
    assert_unknown(access, reason, HF.secret)
    assert_on_time(elapsed)
    assert received, "the fake saw the request"
    assert only_loopback(events, {srv.port}) == []


def test_body_trickling_a_byte_a_second():
    body = json.dumps({"name": "alice", "auth": {"accessToken": {"role": "write"}}, "pad": "x" * 200})
    fake = every_request_fails(lambda req: Reply(200, body, trickle=1.0))
    with fake:
        access, elapsed, events = timed_lookup(HF, fake.url)
        port = port_of(fake.url)
    assert_unknown(access, r"time limit", HF.secret)
    assert_on_time(elapsed)
    assert only_loopback(events, {port}) == []


# HTTP answers that say nothing about the token -----------------------------------------------


@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_errors_are_retried_then_unknown(status):
    fake = every_request_fails(lambda req: Reply(status, {"error": "down"}))
    with fake:
        access, elapsed, events = timed_lookup(HF, fake.url)
        port = port_of(fake.url)
    assert_unknown(access, rf"HTTP {status}$", HF.secret)
    assert_on_time(elapsed)
    assert len(fake.requests) == 3, "the first try and max_retries=2 retries"
    assert only_loopback(events, {port}) == []


def test_429_without_retry_after_backs_off_then_unknown():
    fake = every_request_fails(lambda req: Reply(429, {"error": "slow down"}))
    with fake:
        access, elapsed, events = timed_lookup(HF, fake.url)
        port = port_of(fake.url)
    assert_unknown(access, r"HTTP 429$", HF.secret)
    assert_on_time(elapsed)
    assert len(fake.requests) == 3
    assert only_loopback(events, {port}) == []


def test_429_retry_after_is_honoured():
    stamps: list[float] = []

    def reply(req: Request) -> Reply:
        stamps.append(time.monotonic())
        return Reply(429, {"error": "slow down"}, headers={"Retry-After": "1"})

    with every_request_fails(reply) as fake:
        access, elapsed, events = timed_lookup(HF, fake.url, timeout=3.0)
        port = port_of(fake.url)
    assert_unknown(access, r"HTTP 429 \(Retry-After 1s\)", HF.secret)
    assert_on_time(elapsed, 3.0)
    assert len(stamps) == 3
    assert all(b - a >= 0.9 for a, b in itertools.pairwise(stamps)), "each retry waited the Retry-After"
    assert only_loopback(events, {port}) == []


def test_429_retry_after_beyond_the_deadline_gives_up_at_once():
    with every_request_fails(lambda req: Reply(429, {}, headers={"Retry-After": "120"})) as fake:
        access, elapsed, _ = timed_lookup(HF, fake.url)
    assert_unknown(access, r"HTTP 429 \(Retry-After 120s\)", HF.secret)
    assert elapsed < 1.0, "no point waiting past the lookup deadline"
    assert len(fake.requests) == 1


@pytest.mark.parametrize("body", ["<html><body>Bad gateway</body></html>", "", '{"name": "alice", "auth',
                                  "null", b"\xff\xfe\x00garbage"],
                         ids=["html", "empty", "truncated-json", "json-null", "binary"])
def test_200_with_a_malformed_body(body):
    with every_request_fails(lambda req: Reply(200, body, headers={"Content-Type": "application/json"})) as fake:
        access, elapsed, events = timed_lookup(HF, fake.url)
        port = port_of(fake.url)
    assert_unknown(access, r"not JSON|unexpected JSON shape", HF.secret)
    assert_on_time(elapsed)
    assert only_loopback(events, {port}) == []


def test_200_with_a_huge_body():
    huge = b'{"name": "' + b"a" * (MAX_BODY_BYTES + 1024) + b'"}'
    with every_request_fails(lambda req: Reply(200, huge)) as fake:
        access, elapsed, events = timed_lookup(HF, fake.url)
        port = port_of(fake.url)
    assert_unknown(access, rf"larger than {MAX_BODY_BYTES // 2**20} MB", HF.secret)
    assert_on_time(elapsed)
    assert only_loopback(events, {port}) == []


# Redirects ------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_redirect_to_another_host_is_never_followed(status):
    elsewhere = every_request_fails(lambda req: Reply(200, hf_fake._whoami("write")))
    with elsewhere:
        target = elsewhere.url + "/api/whoami-v2"
        for location in (target, f"https://{DEAD_HOST}/steal"):
            with every_request_fails(lambda req, loc=location: Reply(status, "", headers={"Location": loc})) as fake:
                access, elapsed, events = timed_lookup(HF, fake.url)
                port = port_of(fake.url)
            assert_unknown(access, rf"answered {status} redirect; not followed", HF.secret)
            assert_on_time(elapsed)
            assert len(fake.requests) == 1
            assert only_loopback(events, {port}) == [], "the redirect target was contacted"
    assert elsewhere.requests == []


# Every provider at once -----------------------------------------------------------------------


def lookup_tokens() -> dict[str, Token]:
    """One token per pattern that has a lookup, from the detectors' own examples."""
    out: dict[str, Token] = {}
    for det, pattern in all_patterns():
        if not det.has_lookup() or not pattern.lookup:
            continue
        for example in pattern.examples:
            found = [t for t in tokens_in(example) if t.pattern_id == pattern.id]
            if found:
                out[pattern.id] = found[0]
                break
    return out


BROKEN: dict[str, Callable[[], Any]] = {
    "http-503": lambda: every_request_fails(lambda req: Reply(503, "unavailable")),
    "http-429": lambda: every_request_fails(lambda req: Reply(429, "slow", headers={"Retry-After": "30"})),
    "200-html": lambda: every_request_fails(lambda req: Reply(200, "<html>maintenance</html>")),
    "200-json-null": lambda: every_request_fails(lambda req: Reply(200, "null")),
    "hangs": lambda: RawServer(never_answers),
    "untrusted-tls": lambda: RawServer(tls_answers_json, tls=self_signed_context()),
    "not-http": lambda: RawServer(garbage),
}


@pytest.mark.parametrize("kind", list(BROKEN))
def test_no_provider_reads_a_broken_network_as_revoked(kind):
    tokens = lookup_tokens()
    assert len({t.provider for t in tokens.values()}) >= 20
    offline = {k: offline_access(by_provider()[t.provider], t) for k, t in tokens.items()}
    server = BROKEN[kind]()
    with server:
        url = server.url
        options = LookupOptions(environ={env_var_for(t.provider): url for t in tokens.values()},
                                total_timeout=TIMEOUT)
        with recording_connections() as events:
            started = time.monotonic()
            results = run_lookups(tokens, options)
            elapsed = time.monotonic() - started
    assert_on_time(elapsed)
    asked = 0
    for key, access in results.items():
        decided = offline[key]
        if decided.live is not None:  # decided from the bytes alone (an expired or retired format)
            assert access.live == decided.live, key
            continue
        assert access.live is None, f"{key}: {kind} read as live={access.live}: {access.notes}"
        new_notes = access.notes[len(decided.notes):]
        assert all(tokens[key].secret not in n for n in access.notes), key
        if new_notes and UNKNOWN.search(new_notes[-1]):
            asked += 1
    assert asked >= 60, f"only {asked} lookups said why they are unknown"
    assert only_loopback(list(events), {port_of(url)}) == []


# The command line, end to end ----------------------------------------------------------------


def cli_scan(repo: Repo, env: dict[str, str], timeout: float, tmp: Path) -> tuple[dict[str, Any], float, list]:
    """`tokenreach scan --format json --lookup-timeout` with its connections logged:
    (document, wall seconds, connection events)."""
    net_env, netlog = netlog_env(tmp)
    started = time.monotonic()
    proc = run_cli_subprocess(["scan", str(repo.root), "--format", "json", "--lookup-timeout", str(timeout)],
                   env={**env, **net_env})
    elapsed = time.monotonic() - started
    assert proc.returncode in (0, 1), proc.stderr
    assert "Traceback" not in proc.stderr
    return json.loads(proc.stdout), elapsed, read_netlog(netlog)


@pytest.fixture(scope="module")
def _overhead_repo(tmp_path_factory, _session_cache) -> tuple[Repo, Path, str]:
    """A small repository with one token, and its first scan done (the caches filled)."""
    tmp = tmp_path_factory.mktemp("overhead")
    repo = Repo(tmp / "r")
    repo.write("a.env", HF_TEXT + "\n")
    repo.commit("a")
    with hf_fake.make() as fake:
        cli_scan(repo, {"XDG_CACHE_HOME": str(_session_cache), **fake_env({"huggingface": fake.url})}, 10.0, tmp)
    return repo, tmp, str(_session_cache)


@pytest.fixture
def cli_overhead(_overhead_repo) -> float:
    """Wall time of a CLI scan of a small repository whose one lookup a fake answers at once:
    interpreter start, engine load, the HTTP stack, scan and render, everything a timed CLI run
    pays besides waiting on its lookups. (An offline scan loads neither the HTTP stack nor the
    token's provider, so it would leave those out.) Measured just before each timed run, under the
    same load from the other xdist worker, not once at a quiet moment."""
    repo, tmp, cache = _overhead_repo
    with hf_fake.make() as fake:
        return cli_scan(repo, {"XDG_CACHE_HOME": cache, **fake_env({"huggingface": fake.url})}, 10.0, tmp)[1]


def by_provider_of(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["provider"]: f for f in doc["findings"]}


def test_cli_one_provider_hangs_the_others_answer(tmp_path, cli_overhead):
    repo = Repo(tmp_path / "repo")
    repo.write(".gitignore", ".env\n")
    repo.write(".env", f"HF_TOKEN={hf_fake.READ}\nSLACK_BOT_TOKEN={slack_fake.BOT}\n")
    repo.write("deploy.py", f'GITHUB_TOKEN = "{github_fake.CLASSIC_NARROW}"\n')
    repo.write("old.py", f'OPENAI_API_KEY = "{openai_fake.ALL}"\n')
    repo.commit("init")
    repo.git("rm", "-q", "old.py")
    repo.commit("remove the key")  # the OpenAI key now lives in history only
    repo.write("untracked.txt", example_token("gitlab")[0] + "\n")
    timeout = 3.0
    fakes = {"huggingface": hf_fake.make(), "slack": slack_fake.make(), "github": github_fake.make(),
             "openai": openai_fake.make()}
    with fakes["huggingface"], fakes["slack"], fakes["github"], fakes["openai"], RawServer(never_answers) as hung:
        urls = {p: f.url for p, f in fakes.items()} | {"gitlab": hung.url}
        doc, elapsed, events = cli_scan(repo, fake_env(urls), timeout, tmp_path)
        hung_received = list(hung.received)
    found = by_provider_of(doc)
    assert set(found) == {"huggingface", "slack", "github", "openai", "gitlab"}
    for provider in ("huggingface", "slack", "github", "openai"):
        assert found[provider]["access"]["live"] is True, (provider, found[provider]["access"]["notes"])
    assert found["openai"]["exposure"] == "history"
    hung_access = found["gitlab"]["access"]
    assert hung_access["live"] is None
    assert re.search(r"timed out|time limit", hung_access["notes"][-1]), hung_access["notes"]
    assert found["gitlab"]["severity"] != "info"  # info is what a revoked token gets
    assert hung_received, "the hung fake did receive the lookup"
    assert elapsed < timeout + cli_overhead + 1.5, f"{elapsed:.2f}s for --lookup-timeout {timeout}"
    ports = {port_of(u) for u in urls.values()}
    assert only_loopback(events, ports) == []
    assert any(kind == "connect" for kind, _ in events), "the connection log is live"


def test_cli_every_kind_of_broken_network_at_once(tmp_path, cli_overhead):
    """Twelve providers, each at a different broken server, one scan: all unknown, none revoked,
    on time, and the host one of them redirects to gets nothing."""
    elsewhere = every_request_fails(lambda req: Reply(200, {"ok": True}))
    servers: dict[str, Any] = {
        "huggingface": RawServer(never_answers),
        "github": RawServer(headers_trickle(1.0)),
        "slack": RawServer(tls_answers_json, tls=self_signed_context()),
        "linear": every_request_fails(lambda req: Reply(500, "oops")),
        "anthropic": every_request_fails(lambda req: Reply(429, "", headers={"Retry-After": "120"})),
        "vercel": every_request_fails(lambda req: Reply(200, b"[" * (MAX_BODY_BYTES + 10))),
        "netlify": every_request_fails(lambda req: Reply(200, "<html>")),
        "digitalocean": RawServer(resets),
        "sendgrid": RawServer(garbage),
        "openai": None,  # connection refused
        "gitlab": None,  # DNS failure
        "stripe": None,  # redirect to ``elsewhere``
    }
    reasons = {
        "huggingface": r"timed out|time limit", "github": r"time limit|timed out", "slack": r"TLS handshake failed",
        "linear": r"HTTP 500", "anthropic": r"HTTP 429 \(Retry-After 120s\)", "vercel": r"larger than",
        "netlify": r"not JSON", "digitalocean": r"network error|connect", "sendgrid": r"network error",
        "openai": r"connection refused", "gitlab": r"DNS lookup failed", "stripe": r"redirect; not followed",
    }
    repo = Repo(tmp_path / "repo")
    lines = []
    for provider in servers:
        text, _ = example_token(provider)
        lines.append(text)
    repo.write("settings.env", "\n".join(lines) + "\n")
    repo.commit("init")
    timeout = 3.0
    with elsewhere:
        redirector = every_request_fails(lambda req: Reply(302, "", headers={"Location": elsewhere.url + "/x"}))
        with redirector:
            started = [s.start() for s in servers.values() if s is not None]
            try:
                urls = {p: s.url for p, s in servers.items() if s is not None}
                urls |= {"openai": f"http://127.0.0.1:{closed_port()}", "gitlab": f"https://{DEAD_HOST}",
                         "stripe": redirector.url}
                doc, elapsed, events = cli_scan(repo, fake_env(urls), timeout, tmp_path)
            finally:
                for s in started:
                    s.stop()
    found = by_provider_of(doc)
    assert set(found) == set(servers)
    for provider, reason in reasons.items():
        access = found[provider]["access"]
        assert access["live"] is None, (provider, access["notes"])
        assert re.search(reason, access["notes"][-1]), (provider, access["notes"])
        assert found[provider]["severity"] != "info", provider
    assert elsewhere.requests == [], "the redirect was followed"
    assert elapsed < timeout + cli_overhead + 1.5, f"{elapsed:.2f}s for --lookup-timeout {timeout}"
    ports = {port_of(u) for u in urls.values() if "127.0.0.1" in u}
    assert only_loopback(events, ports, hosts=frozenset({DEAD_HOST})) == []
    assert ("resolve", DEAD_HOST) in events


def test_cli_exits_on_time_while_a_server_trickles_slowly(tmp_path, cli_overhead):
    """One byte every 1.8 s never trips a 2 s read timeout: the scan must still end at its deadline,
    not when the trickling server lets the last lookup thread go."""
    repo = Repo(tmp_path / "repo")
    repo.write("a.env", HF_TEXT + "\n")
    repo.commit("a")
    timeout = 2.0
    with RawServer(headers_trickle(1.8)) as slow:
        doc, elapsed, events = cli_scan(repo, fake_env({"huggingface": slow.url}), timeout, tmp_path)
    access = by_provider_of(doc)["huggingface"]["access"]
    assert access["live"] is None and re.search(r"time limit|timed out", access["notes"][-1]), access["notes"]
    assert elapsed < timeout + cli_overhead + 1.5, f"{elapsed:.2f}s for --lookup-timeout {timeout}"
    assert only_loopback(events, {slow.port}) == []


@pytest.mark.slow
def test_the_precommit_hook_process_exits_on_time_with_every_lookup_hung(tmp_path, cli_overhead):
    """Six staged tokens, each provider at a server that accepts and never answers: the hook's
    process (not just its main()) ends by the deadline plus a second. benchmarks/deadline.py
    measures the same for `scan` and `scan --staged`."""
    providers = ["huggingface", "github", "slack", "openai", "gitlab", "anthropic"]
    repo = Repo(tmp_path / "repo")
    repo.write("settings.env", "\n".join(example_token(p)[0] for p in providers) + "\n")
    repo.git("add", "settings.env")
    timeout = 2.0
    net_env, netlog = netlog_env(tmp_path)
    with RawServer(never_answers) as hung:
        env = {**fake_env({p: hung.url for p in providers}), **net_env}
        started = time.monotonic()
        proc = run_cli_subprocess(["ci", "precommit", "--lookup-timeout", str(timeout)], env=env, cwd=repo.root)
        elapsed = time.monotonic() - started
        held = len(hung.received)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert held >= 1, "the lookups did reach the hung server"
    # xdist shares the cores: the same 1.5 s of slack as its siblings (benchmarks/deadline.py
    # measures it bare).
    assert elapsed < timeout + cli_overhead + 1.5, f"{elapsed:.2f}s for --lookup-timeout {timeout}"
    assert only_loopback(read_netlog(netlog), {hung.port}) == []
