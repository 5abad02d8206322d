"""A report must not be a way back to the secret (issue 17, item 1).

The attack: a report shows the redacted form and the fingerprint. With 2 leading and 4 trailing
characters shown and an unkeyed SHA-256 fingerprint, a 10-character password had 4 unknown
characters, and trying every filling took seconds. These tests run that attack against today's
output, and check the two properties that keep it out of reach for every secret.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import string
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers import run_cli, scan_json
from tokenreach.detectors import redaction
from tokenreach.detectors.redaction import (
    HIDDEN,
    MIN_HIDDEN_BITS,
    estimated_bits,
    fingerprint,
    legacy_fingerprint,
    redact,
)

PASSWORD = "hX7#kq2!Lm"  # 10 printable characters, as in the report of the attack


def recover_old_way(redacted: str, fp: str, provider: str, alphabet: str) -> str | None:
    """The published attack: fill the hidden middle and compare against the fingerprint as SHA-256."""
    head, sep, tail = redacted.partition("…")
    if not sep or not head or HIDDEN in redacted:
        return None  # nothing known to build on
    for n in range(1, 5):
        for middle in itertools.product(alphabet, repeat=n):
            guess = head + "".join(middle) + tail
            if hashlib.sha256(f"tokenreach:v1:{provider}:{guess}".encode()).hexdigest()[:32] == fp:
                return guess
    return None


def test_the_published_attack_recovers_nothing():
    # The old output would give it away: 2 + 4 characters shown, 4 digits to try.
    secret = "pw1234word"
    old_redacted = f"{secret[:2]}…{secret[-4:]}"
    assert recover_old_way(old_redacted, legacy_fingerprint("generic", secret), "generic", string.digits) == secret
    # Today's output: nothing shown, and the fingerprint is not that hash.
    assert redact(secret) == HIDDEN
    assert recover_old_way(redact(secret), fingerprint("generic", secret), "generic", string.digits) is None
    assert redact(PASSWORD) == HIDDEN


def test_short_and_low_entropy_secrets_show_nothing():
    for secret in ("hunter2", PASSWORD, "correcthorsebatterystaple", "a" * 60, "sk_live_" + "ab" * 20,
                   "0123456789abcdef0123", "Summer_2024!Summer_2024!"):
        assert redact(secret) == HIDDEN, secret


def test_long_random_tokens_show_their_public_prefix_and_a_short_tail():
    assert redact("ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8") == "ghp_…q7R8"
    assert redact("glpat-x7Kq2Lm9Np4Rs6Tv8Wy0AbCdEfGhIj") == "glpat-…GhIj"
    assert redact("0f3a9c1e7b2d4f6a8c0e1b3d5f7a9c2e4b6d8f0a") == "…8f0a"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126), max_size=120))
def test_whatever_is_shown_leaves_at_least_80_bits_hidden(secret):
    shown = redact(secret)
    if shown == HIDDEN:
        return
    prefix, sep, tail = shown.partition("…")
    assert sep and len(tail) == redaction.TAIL
    s = secret.strip()
    assert s.startswith(prefix) and s.endswith(tail)
    hidden = s[len(prefix):-len(tail)]
    assert estimated_bits(hidden) >= MIN_HIDDEN_BITS


def test_brute_force_over_the_hidden_part_is_out_of_reach():
    """Cost of the cheapest attack, in SHA-256 computations, is at least 2**80 for what is shown.

    A hidden secret is attacked through its fingerprint alone, each guess costing one scrypt run:
    at least 128 * N * r bytes of memory written and read, i.e. >= 2**16 times a SHA-256 block.
    """
    per_guess = math.log2(128 * redaction.SCRYPT_N * redaction.SCRYPT_R / 64)
    assert per_guess >= 16
    # The weakest secret a report shows nothing of: 10 printable characters.
    assert len(PASSWORD) * math.log2(95) + per_guess >= MIN_HIDDEN_BITS
    # The weakest secret a report shows a tail of: >= 80 bits hidden, before the scrypt cost.
    assert MIN_HIDDEN_BITS + per_guess >= 96
    # A secret hashed at the lighter work factor keeps >= MIN_HIDDEN_BITS of estimated randomness
    # beyond its prefix and tail, shown or not: 2**80 guesses, each still 2**13 SHA-256 blocks.
    light = math.log2(128 * redaction.SCRYPT_N_STRONG * redaction.SCRYPT_R / 64)
    assert MIN_HIDDEN_BITS + light >= 92


def test_the_light_work_factor_is_only_for_long_random_secrets():
    assert redaction.work_factor(PASSWORD) == redaction.SCRYPT_N
    assert redaction.work_factor("CorrectHorseBatteryStaple1!") == redaction.SCRYPT_N
    assert redaction.work_factor("0123456789abcdef0123") == redaction.SCRYPT_N  # 64 bits hidden at most
    assert redaction.work_factor("glpat-" + "xK9mQ2vL7pR4tW8nZ3cB") == redaction.SCRYPT_N  # 16 hidden: < 80 bits
    assert redaction.work_factor("aK9mQ2vL7pR4tW8nZ3cBf6Hd") == redaction.SCRYPT_N_STRONG  # 20 hidden, 86 bits
    assert redaction.work_factor("ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8") == redaction.SCRYPT_N_STRONG
    for secret in ("ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8", PASSWORD):
        n = redaction.work_factor(secret)
        expected = hashlib.scrypt(secret.encode(), salt=b"tokenreach/fingerprint/v2/github", n=n, r=8, p=1,
                                  maxmem=2**25, dklen=16).hex()
        assert fingerprint("github", secret) == expected


def test_fingerprint_is_scrypt_salted_per_provider_and_stable():
    expected = hashlib.scrypt(PASSWORD.encode(), salt=b"tokenreach/fingerprint/v2/generic", n=2**13, r=8, p=1,
                              maxmem=2**25, dklen=16).hex()
    assert fingerprint("generic", PASSWORD) == expected
    assert fingerprint("url", PASSWORD) != expected
    assert expected != legacy_fingerprint("generic", PASSWORD)
    assert len(expected) == 32


def test_reports_carry_neither_the_secret_nor_a_guessable_part(repo):
    repo.write("app.env", f"DB_PASSWORD={PASSWORD}\nHF_TOKEN=hf_Zq8Rm3Vx7Np2Kw5Ts9LbQ4Yc6Ud1Hg0Jf3\n")
    repo.commit("config")
    doc = scan_json(repo.root, "--offline")
    text = json.dumps(doc)
    assert PASSWORD not in text and PASSWORD[2:-4] not in text
    fps = {f["redacted"]: f["fingerprint"] for f in doc["findings"]}
    assert "hf_…Jf3" not in fps  # 4 characters of tail, never 3 or 5
    assert "hf_…0Jf3" in fps
    for fp in fps.values():
        assert fp != legacy_fingerprint("huggingface", "hf_Zq8Rm3Vx7Np2Kw5Ts9LbQ4Yc6Ud1Hg0Jf3")


def test_version_1_baselines_are_honoured_with_a_notice_and_rewritten_as_version_2(repo):
    secret = "hf_Zq8Rm3Vx7Np2Kw5Ts9LbQ4Yc6Ud1Hg0Jf3"
    repo.write("a.py", f"T = '{secret}'\n")
    repo.commit("a")
    old = {"version": 1, "generated_by": "tokenreach", "tokens": {
        legacy_fingerprint("huggingface", secret): {"provider": "huggingface", "live": None, "reach": None,
                                                    "capabilities": [], "grants": []}}}
    repo.write(".tokenreach-baseline.json", json.dumps(old))
    proc = run_cli(["scan", str(repo.root), "--offline", "--no-history", "--format", "json"])
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["findings"] == []
    assert any("version-1 baseline" in n and "tokenreach baseline" in n for n in doc["notices"])

    proc = run_cli(["baseline", str(repo.root), "--offline", "--no-history"])
    assert proc.returncode == 0, proc.stderr
    new = json.loads((repo.root / ".tokenreach-baseline.json").read_text())
    assert new["version"] == 2 and list(new["tokens"]) == [fingerprint("huggingface", secret)]
    doc = scan_json(repo.root, "--offline", "--no-history")
    assert doc["findings"] == [] and not any("version-1" in n for n in doc["notices"])


def test_version_1_fingerprints_in_the_allow_list_still_match_and_say_so(repo):
    secret = "hf_Zq8Rm3Vx7Np2Kw5Ts9LbQ4Yc6Ud1Hg0Jf3"
    repo.write("a.py", f"T = '{secret}'\n")
    repo.write(".tokenreach.toml", f'allow = ["{legacy_fingerprint("huggingface", secret)}"]\n')
    repo.commit("a")
    doc = scan_json(repo.root, "--offline", "--no-history")
    assert doc["findings"] == []
    assert any("version-1" in n for n in doc["notices"])


def test_fingerprints_are_computed_in_the_background_as_the_scan_finds_them(repo, monkeypatch):
    # Each new secret is handed to a Fingerprinter when it is first found, in the order found, and
    # every fingerprint is in the cache when scan() returns; the values are the plain function's.
    from pathlib import Path

    from tokenreach.scanner import findings

    secrets = [f"hf_Zq8Rm3Vx7Np2Kw5Ts9LbQ4Yc6Ud1Hg0J{i:02d}" for i in range(12)]
    repo.write("a.env", "".join(f"HF_TOKEN_{i}={s}\n" for i, s in enumerate(secrets[:6])) + f"AGAIN={secrets[0]}\n")
    repo.write("b.env", "".join(f"HF_TOKEN_{i}={s}\n" for i, s in enumerate(secrets[6:])))
    repo.commit("tokens")
    added: list[tuple[str, str]] = []
    real_add = redaction.Fingerprinter.add

    def add(self: redaction.Fingerprinter, provider: str, secret: str) -> None:
        added.append((provider, secret))
        real_add(self, provider, secret)

    monkeypatch.setattr(redaction.Fingerprinter, "add", add)
    fingerprint.cache_clear()
    result = findings.scan(findings.ScanOptions(path=Path(repo.root), history=False))
    assert added == [("huggingface", s) for s in secrets]  # each once, in the order found
    assert fingerprint.cache_info().currsize == len(secrets)
    by_secret = {f.token.secret: f.fingerprint for f in result.findings}
    fingerprint.cache_clear()
    assert by_secret == {s: fingerprint("huggingface", s) for s in secrets}


def _handed(monkeypatch: pytest.MonkeyPatch, slow: Callable[[str, str], str], n: int) -> redaction.Fingerprinter:
    """A Fingerprinter handed ``n`` secrets, each fingerprinted by ``slow``."""
    monkeypatch.setattr(redaction, "fingerprint", slow)
    every = redaction.Fingerprinter()
    for i in range(n):
        every.add("generic", f"secret-{i}")
    return every


def test_a_fingerprinter_that_is_closed_does_not_wait_for_work_not_started(monkeypatch):
    # A scan that fails part-way stops its fingerprints: what no thread has started is dropped.
    import os
    import threading

    release = threading.Event()
    started: list[str] = []

    def slow(provider: str, secret: str) -> str:
        started.append(secret)
        release.wait(5)
        return "x"

    every = _handed(monkeypatch, slow, 50)
    pool = every._pool
    assert pool is not None
    every.close()
    release.set()
    pool.shutdown(wait=True)  # the threads are done: whatever they were going to start, they have
    assert len(started) <= (os.cpu_count() or 2)  # one a thread at most, not the 50


def test_fingerprint_all_gives_the_plain_function_s_values():
    pairs = [("github", f"ghp_{i:036d}") for i in range(6)] + [("generic", PASSWORD)]
    fingerprint.cache_clear()
    redaction.fingerprint_all(pairs + pairs[:2])
    assert fingerprint.cache_info().currsize == len(pairs)
    cached = {p: fingerprint(*p) for p in pairs}
    fingerprint.cache_clear()
    assert cached == {p: fingerprint(*p) for p in pairs}


def test_a_fork_waits_for_the_fingerprints_handed_over(monkeypatch):
    # The history workers are forked while fingerprints are computed in threads; a thread inside
    # OpenSSL at that moment could leave the child a lock it waits on forever. So nothing is being
    # computed when the process forks.
    import multiprocessing
    import time

    def slow(provider: str, secret: str) -> str:
        time.sleep(0.2)
        return "x"

    every = _handed(monkeypatch, slow, 6)
    pending = list(every._pending)
    assert not all(f.done() for f in pending)
    child = multiprocessing.get_context("fork").Process(target=int)
    child.start()
    assert all(f.done() for f in pending)  # finished before the fork, in this process
    child.join(timeout=30)
    assert child.exitcode == 0
    every.close()
