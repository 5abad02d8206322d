"""``--lookup-timeout`` bounds the run even when the resolver never answers (issue 17, item 12).

``getaddrinfo()`` has no timeout and cannot be interrupted: a lookup thread blocked in it used to
outlive the lookup phase, and the process exit (which joins those threads) waited for it. With a
resolver that never answered, ``--lookup-timeout 5`` took 21 s. Names are now resolved within the
lookup's own deadline; the process exits within the deadline plus one second.

The resolver is faked (tests/fakes/hostile_net.py): no query leaves the machine.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import threading
import time
from pathlib import Path

from tests.fakes.hostile_net import fake_dns, netlog_env, read_netlog, recording_connections
from tests.hardening.test_broken_network import HF_TEXT, example_token
from tests.helpers import GIT_ENV, TOKENREACH, Repo, fake_env
from tokenreach.detectors.http import env_var_for
from tokenreach.scanner.engine import tokens_in
from tokenreach.scanner.lookup import LookupOptions, run_lookups

STALLED = "stalled-resolver.invalid"  # the fake resolver never answers for this name
TIMEOUT = 2.0
MARGIN = 1.0  # the process (or the lookup phase) may end this long after its deadline
SLOW_REASON = re.compile(r"DNS lookup timed out|time limit")


def lookup_threads() -> set[threading.Thread]:
    return {t for t in threading.enumerate() if t.name.startswith("lookup") and t.is_alive()}


def test_stalled_resolver_frees_every_lookup_thread_by_the_deadline():
    tokens = {p: example_token(p)[1] for p in ("huggingface", "github", "openai", "slack")}
    before = lookup_threads()
    with fake_dns(stall=frozenset({STALLED})), recording_connections() as events:
        options = LookupOptions(environ={env_var_for(p): f"https://{STALLED}" for p in tokens},
                                total_timeout=TIMEOUT)
        started = time.monotonic()
        results = run_lookups(tokens, options)
        elapsed = time.monotonic() - started
        # The lookup threads must be free too: the process exit waits for every one of them.
        while lookup_threads() - before and time.monotonic() - started < TIMEOUT + MARGIN:
            time.sleep(0.05)
        stuck = lookup_threads() - before
        freed_after = time.monotonic() - started
    assert elapsed < TIMEOUT + MARGIN, f"lookups took {elapsed:.2f}s for a {TIMEOUT}s budget"
    assert not stuck, f"{len(stuck)} lookup thread(s) still blocked in the resolver after {freed_after:.2f}s"
    for provider, access in results.items():
        assert access.live is None, (provider, access.notes)
        assert SLOW_REASON.search(access.notes[-1]), (provider, access.notes)
        assert all(tokens[provider].secret not in n for n in access.notes)
    assert ("resolve", STALLED) in events
    assert [e for e in events if e[0] == "connect"] == [], "nothing resolved, nothing connected"


def test_a_name_that_resolves_is_connected_to_as_before():
    """The resolved address is what the connection uses: a loopback fake still answers."""
    from tests.fakes import huggingface as hf_fake

    tok = tokens_in(f"HF_TOKEN={hf_fake.READ}")[0]
    with fake_dns(), hf_fake.make() as fake, recording_connections() as events:
        url = fake.url.replace("127.0.0.1", "localhost")
        access = run_lookups({"t": tok}, LookupOptions(environ={env_var_for("huggingface"): url},
                                                       total_timeout=10))["t"]
    assert ("resolve", "localhost") in events
    assert access.live is True, access.notes


def cli(repo: Path, env: dict[str, str], *args: str) -> tuple[subprocess.CompletedProcess[str], float]:
    full = {**os.environ, **GIT_ENV, "TOKENREACH_NO_PROGRESS": "1", **env}
    started = time.monotonic()
    proc = subprocess.run([*TOKENREACH, "scan", str(repo), "--format", "json", *args], env=full,
                          capture_output=True, text=True, timeout=60)
    return proc, time.monotonic() - started


def test_cli_exits_within_the_deadline_when_the_resolver_never_answers(tmp_path):
    repo = Repo(tmp_path / "repo")
    repo.write("a.env", HF_TEXT + "\n")
    repo.commit("a")
    net_env, netlog = netlog_env(tmp_path)
    # Everything the run costs besides waiting on its lookups: interpreter start, engine, the HTTP
    # stack, scan, report; measured with the lookup answered at once by a fake (an offline run
    # loads neither the HTTP stack nor the token's provider).
    from tests.fakes import huggingface as hf_fake

    with hf_fake.make() as fake:
        answered = {**net_env, **fake_env({"huggingface": fake.url})}
        overhead = min(cli(repo.root, answered)[1] for _ in range(2))
    env = {**net_env, "HARDENING_DNS_STALL": STALLED, env_var_for("huggingface"): f"https://{STALLED}"}
    proc, elapsed = cli(repo.root, env, "--lookup-timeout", str(TIMEOUT))
    assert proc.returncode in (0, 1), proc.stderr
    assert "Traceback" not in proc.stderr
    # A full xdist run shares the cores: half a second more, as the CLI tests in test_broken_network.
    assert elapsed < TIMEOUT + overhead + MARGIN + 0.5, (
        f"{elapsed:.2f}s for --lookup-timeout {TIMEOUT} (a run whose lookup is answered at once takes "
        f"{overhead:.2f}s)")
    finding = next(f for f in json.loads(proc.stdout)["findings"] if f["provider"] == "huggingface")
    assert finding["access"]["live"] is None
    assert SLOW_REASON.search(finding["access"]["notes"][-1]), finding["access"]["notes"]
    assert finding["severity"] != "info"
    assert ("resolve", STALLED) in read_netlog(netlog)
