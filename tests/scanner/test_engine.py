from __future__ import annotations

import pytest

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.registry import all_patterns
from tokenreach.scanner.engine import Engine, line_col, variable_before
from tokenreach.scanner.sources import to_text_bytes

TOK = "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"


@pytest.mark.parametrize(("line", "name"), [
    (f"HF_TOKEN={TOK}", "HF_TOKEN"),
    (f"export HF_TOKEN='{TOK}'", "HF_TOKEN"),
    (f'  "hfToken": "{TOK}",', "hfToken"),
    (f"hf_token: {TOK}", "hf_token"),
    (f"config.hf.token = '{TOK}'", "config.hf.token"),
    (f"$token => '{TOK}'", "$token"),
    (f"huggingface-cli login --token {TOK}", "token"),
    (f'props.setProperty("HF_TOKEN", "{TOK}");', "HF_TOKEN"),
    (f'token = os.getenv("HF_TOKEN", "{TOK}")', "HF_TOKEN"),
    (f"HF_TOKEN ?= {TOK}", "HF_TOKEN"),
    (f"HF_TOKEN ::= {TOK}", "HF_TOKEN"),
    (f'$hf_token .= "{TOK}";', "$hf_token"),
    (f"ENV['HF_TOKEN'] ||= '{TOK}'", "HF_TOKEN"),
    (f'login(user, "{TOK}")', None),  # a positional argument names nothing
    (f"my token is {TOK}", None),
    (f"{TOK}", None),
])
def test_variable_name_before_a_match(line, name):
    buf = line.encode()
    assert variable_before(buf, buf.index(TOK.encode())) == name


def test_line_and_column():
    buf = b"one\ntwo\n  three"
    assert line_col(buf, 0) == (1, 1)
    assert line_col(buf, buf.index(b"three")) == (3, 3)


@pytest.mark.slow  # seconds of work: handed out first (tests/conftest.py)
def test_backends_agree_on_a_mixed_buffer():
    pytest.importorskip("hyperscan")
    pairs = all_patterns()
    buf = "\n".join(ex for _, p in pairs for ex in p.examples).encode()
    hs = {(m.pattern.id, m.start) for m in Engine(pairs, use_hyperscan=True).scan(buf)}
    rx = {(m.pattern.id, m.start) for m in Engine(pairs, use_hyperscan=False).scan(buf)}
    assert hs == rx and hs


class _CtxDetector(Detector):
    provider = "ctxtest"
    title = "Context test"
    patterns = (Pattern(id="ctxtest.key", name="k", regex=r"\b(?P<secret>ctxk_[a-z0-9]{10})\b",
                        keywords=("ctxk_",), examples=("ctxk_abcdefghij",)),)
    context_patterns = {"site": r"SITE=(\S+)"}


def test_context_patterns_are_searched_near_a_match():
    det = _CtxDetector()
    eng = Engine([(det, det.patterns[0])], use_hyperscan=False)
    near = eng.scan(b"SITE=eu.example\nkey=ctxk_abcdefghij\n")
    assert dict(near[0].context) == {"site": "eu.example"}
    far = eng.scan(b"SITE=eu.example\n" + b"x" * 5000 + b"\nkey=ctxk_abcdefghij\n")
    assert dict(far[0].context) == {}


def test_utf16_text_is_scanned_and_binary_is_not():
    assert to_text_bytes(f"k={TOK}".encode("utf-16")) == f"k={TOK}".encode()
    assert to_text_bytes(b"\x7fELF\0\0\0" + TOK.encode()) is None
