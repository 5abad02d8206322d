"""Property tests over everything that reads untrusted bytes.

A scanned repository is hostile input: its files reach the engine and the offline decoders (JWT,
macaroons, Azure SAS), its configuration and baseline files reach their loaders, and its object
database (paths, author names, blob contents) reaches the parsers of git's output. Each parser
may fail only the way it documents:

- ``jwt.claims`` returns None for anything that is not a JWT; ``jwt.expiry`` None when ``exp``
  is unusable;
- the macaroon decoders return None (or []) and "never raise";
- ``azure.parse_sas`` gives {} for junk; ``sas_time`` None; ``classify_sas`` always an Access;
  ``listed_names`` raises LookupUnavailable;
- ``config.load`` raises ConfigError; ``parse_size`` ValueError; ``config.find`` nothing;
- ``baseline.load`` and ``detect_secrets_false_positives`` raise BaselineError;
- the git parsers raise GitError when git fails, and otherwise read every commit and blob
  whatever bytes its author names, paths and contents hold;
- the engine and every pattern's ``validate`` take any bytes; ``classify`` any token the engine
  finds.
"""

from __future__ import annotations

import base64
import io
import json
import math
import os
import re
import string
import subprocess
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.helpers import GIT_ENV
from tokenreach.detectors import jwt, macaroon
from tokenreach.detectors.base import LookupUnavailable
from tokenreach.detectors.providers import azure
from tokenreach.detectors.redaction import fingerprint
from tokenreach.detectors.registry import all_patterns, by_provider
from tokenreach.scanner import baseline, config, hits
from tokenreach.scanner.engine import Engine, tokens_in
from tokenreach.scanner.lookup import offline_access
from tokenreach.scanner.model import Access, SourceStats, Token
from tokenreach.scanner.sources import git, history, staged, to_text_bytes

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FILES = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])  # a file each
SOME = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
GIT = settings(max_examples=12, deadline=None,
               suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

DEEP = 3000  # nesting beyond Python's recursion limit


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


json_leaf = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)
json_value = st.recursive(json_leaf, lambda inner: st.lists(inner, max_size=5)
                          | st.dictionaries(st.text(max_size=10), inner, max_size=5), max_leaves=20)


# JWT --------------------------------------------------------------------------------------------


def _jwt(header: bytes, payload: bytes, sig: str = "c2lnbmF0dXJl") -> str:
    return f"{b64url(header)}.{b64url(payload)}.{sig}"


@FUZZ
@given(st.text() | st.binary().map(lambda b: b.decode("latin-1")))
@example(_jwt(b'{"alg":"HS256"}', b'{"a":' + b"[" * DEEP))
@example(_jwt(b"[" * DEEP, b"{}"))
@example("a.b.c")
@example("..")
def test_jwt_claims_of_any_text(text: str):
    assert jwt.claims(text) is None or isinstance(jwt.claims(text), dict)


@FUZZ
@given(st.binary(max_size=200), st.binary(max_size=200), st.text(alphabet=string.ascii_letters + "-_=", max_size=20))
def test_jwt_claims_of_any_three_parts(header: bytes, payload: bytes, sig: str):
    assert jwt.claims(_jwt(header, payload, sig)) is None or isinstance(jwt.claims(_jwt(header, payload, sig)), dict)


@FUZZ
@given(json_value, json_value)
def test_jwt_claims_are_the_payload_of_a_real_jwt(header: Any, payload: Any):
    token = _jwt(json.dumps(header).encode(), json.dumps(payload).encode())
    got = jwt.claims(token)
    if isinstance(header, dict) and isinstance(payload, dict):
        assert json.dumps(got, sort_keys=True) == json.dumps(payload, sort_keys=True)
    else:
        assert got is None


@FUZZ
@given(st.dictionaries(st.sampled_from(["exp", "iat", "x"]),
                       json_value | st.integers(min_value=-(10**30), max_value=10**30)
                       | st.floats(allow_nan=True, allow_infinity=True)))
def test_jwt_expiry_of_any_payload(payload: dict[str, Any]):
    got = jwt.expiry(payload)
    assert got is None or (isinstance(got, str) and got.endswith("Z"))
    if got is not None:
        assert datetime.fromisoformat(got.replace("Z", "+00:00")).timestamp() == pytest.approx(payload["exp"], abs=1)


# Macaroons --------------------------------------------------------------------------------------


@FUZZ
@given(st.binary(max_size=300))
@example(b"\x02" + b"\xff" * 20)
@example(b"\x02\x01\xff\xff\xff\xff\x0f")
def test_macaroon_v2_decoder_never_raises(data: bytes):
    got = macaroon.decode_v2(data)
    assert got is None or isinstance(got, macaroon.Macaroon)


@FUZZ
@given(st.text(max_size=30), st.binary(max_size=40), st.lists(st.binary(max_size=40), max_size=8),
       st.binary(max_size=40))
def test_macaroon_v2_round_trip(location: str, identifier: bytes, caveats: list[bytes], signature: bytes):
    data = macaroon.encode_v2(location, identifier, caveats, signature)
    got = macaroon.decode_v2(data)
    assert got is not None
    assert (got.location, got.identifier) == (location, identifier)
    assert [c.identifier for c in got.caveats] == caveats
    for cut in range(len(data)):  # every truncation is simply not a macaroon
        assert macaroon.decode_v2(data[:cut]) is None


@FUZZ
@given(st.binary(max_size=300))
@example(b"\x91" * DEEP)
@example(b"\xdd\xff\xff\xff\xff")
@example(b"\xdf\xff\xff\xff\xff")
@example(b"\xc6\xff\xff\xff\xff")
@example(b"\xc1")
def test_msgpack_unpack_never_raises(data: bytes):
    macaroon.unpack(data)  # a value or None, never an exception


msgpack_value = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**63), max_value=2**64 - 1)
    | st.text(max_size=40) | st.binary(max_size=40),
    lambda inner: st.lists(inner, max_size=6) | st.dictionaries(st.text(max_size=8), inner, max_size=6),
    max_leaves=25,
)


@FUZZ
@given(msgpack_value)
def test_msgpack_round_trip(value: Any):
    assert macaroon.unpack(macaroon.pack(value)) == value


@FUZZ
@given(st.binary(max_size=300), st.sampled_from(macaroon.FLY_LABELS))
def test_fly_decoder_never_raises(data: bytes, label: str):
    got = macaroon.decode_fly(data, label)
    assert got is None or isinstance(got, macaroon.FlyMacaroon)


@FUZZ
@given(st.text(max_size=20), st.binary(max_size=16),
       st.lists(st.tuples(st.integers(min_value=0, max_value=40), msgpack_value), max_size=6), st.booleans())
def test_fly_round_trip(location: str, kid: bytes, caveats: list[tuple[int, Any]], proof: bool):
    data = macaroon.encode_fly(location, kid, caveats, proof=proof)
    got = macaroon.decode_fly(data)
    assert got is not None
    assert (got.location, got.kid, got.proof) == (location, kid, proof)
    assert [(c.type, c.body) for c in got.caveats] == caveats
    token = "FlyV1 fm2_" + base64.b64encode(data).decode()
    assert [m.location for m in macaroon.parse_fly_tokens(token)] == [location]


@FUZZ
@given(st.text(max_size=200)
       | st.lists(st.tuples(st.sampled_from(["fm2", "fm1r", "fm1a", "x", ""]), st.binary(max_size=60)), max_size=5)
       .map(lambda parts: "FlyV1 " + ",".join(f"{lbl}_{base64.b64encode(b).decode()}" for lbl, b in parts)))
def test_fly_token_parser_never_raises(text: str):
    assert all(isinstance(m, macaroon.FlyMacaroon) for m in macaroon.parse_fly_tokens(text))
    assert macaroon.b64decode_loose(text) is None or isinstance(macaroon.b64decode_loose(text), bytes)


@FUZZ
@given(json_value, json_value)
def test_fly_caveat_helpers_take_anything(value: Any, mask: Any):
    assert isinstance(macaroon.fly_caveat_set(value), list)
    assert isinstance(macaroon.action_string(mask), str)


# Azure SAS --------------------------------------------------------------------------------------

sas_time_text = st.one_of(
    st.text(max_size=30),
    st.datetimes().map(lambda d: d.isoformat()),
    st.builds(lambda d, h, m, sign: d.isoformat() + f"{sign}{h:02d}:{m:02d}",
              st.datetimes(), st.integers(0, 23), st.integers(0, 59), st.sampled_from("+-")),
    st.sampled_from(["9999-12-31T23:59:59-01:00", "0001-01-01T00:00:00+01:00", "9999-12-31", "0001-01-01",
                     "2030-01-01T00:00:00Z"]),
)
sas_params = st.dictionaries(
    st.sampled_from(["sv", "sig", "se", "st", "sp", "ss", "srt", "sr", "si", "sip", "spr", "skoid"])
    | st.text(max_size=5),
    st.text(max_size=30) | sas_time_text, max_size=10)


@FUZZ
@given(st.text(max_size=300) | sas_params.map(lambda p: "&".join(f"{k}={v}" for k, v in p.items())))
def test_sas_query_parser(query: str):
    params = azure.parse_sas(query)
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in params.items())


@FUZZ
@given(sas_time_text)
def test_sas_time(value: str):
    got = azure.sas_time(value)
    assert got is None or got.tzinfo is not None


@FUZZ
@given(sas_params, st.none() | st.text(alphabet=string.ascii_lowercase, min_size=3, max_size=24),
       st.none() | st.sampled_from(["blob", "file", "queue", "table", "dfs"]), st.none() | st.text(max_size=40))
def test_classify_sas_takes_any_parameters(params: dict[str, str], account: str | None, service: str | None,
                                           resource_path: str | None):
    access = azure.classify_sas(Access(), params, account, service, resource_path)
    assert isinstance(access, Access)
    assert access.live in (None, False)
    if access.live is False:  # dead only when the SAS says when it expired, and that is past
        assert azure.sas_time(params.get("se", "")) is not None
    secret = "&".join(f"{k}={v}" for k, v in params.items())
    token = Token("azure", secret, kind="sas", pattern_id="azure.sas_url",
                  extras={k: v for k, v in (("account", account), ("service", service),
                                            ("resource_path", resource_path)) if v is not None})
    assert isinstance(by_provider()["azure"].classify(token), Access)


@FUZZ
@given(st.binary(max_size=300) | st.text(max_size=200).map(
    lambda t: f"<EnumerationResults><Containers><Container><Name>{t}</Name></Container></Containers>"
              "</EnumerationResults>".encode()))
@example(b'<?xml version="1.0" encoding="bogus-encoding"?><EnumerationResults/>')
@example(b"<!DOCTYPE x [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;'>"
         b"<!ENTITY c '&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;'>]><EnumerationResults><Name>&c;</Name></EnumerationResults>")
def test_azure_listing_parser(content: bytes):
    try:
        names, more = azure.listed_names(content)
    except LookupUnavailable:
        return
    assert all(isinstance(n, str) for n in names) and isinstance(more, bool)


# Configuration ----------------------------------------------------------------------------------


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return "{" + ", ".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items()) + "}"


def toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key)


toml_leaf = (st.booleans() | st.integers(min_value=-(2**63), max_value=2**63 - 1) | st.floats()
             | st.text(max_size=20) | st.sampled_from(["10M", "512k", "0", "-1", "high", "off", "offline", "read",
                                                         "account", "github", "a" * 32]))
toml_any = st.recursive(toml_leaf, lambda inner: st.lists(inner, max_size=4)
                        | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=12)
config_keys = st.sampled_from(sorted(config._KEYS)) | st.text(max_size=8)
intent_keys = st.sampled_from(sorted(config._INTENT_KEYS)) | st.text(max_size=6)
config_doc = st.dictionaries(
    config_keys,
    toml_any | st.lists(st.dictionaries(intent_keys, toml_any, max_size=5), max_size=3)
    | st.dictionaries(st.sampled_from(["github", "aws", "nope"]), toml_any, max_size=3),
    max_size=6,
)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    """One folder for the file-reading properties: each example overwrites the last one's file."""
    return tmp_path_factory.mktemp("fuzz-files")


def _load(path: Path, text: str | bytes) -> None:
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    try:
        cfg = config.load(path)
    except config.ConfigError as exc:
        assert str(exc).startswith(str(path)), str(exc)
        return
    assert isinstance(cfg, config.Config)


@FILES
@given(st.binary(max_size=300) | st.text(max_size=300), st.sampled_from([".tokenreach.toml", "pyproject.toml"]))
@example("exclude = " + "[" * DEEP + "]" * DEEP, ".tokenreach.toml")
@example("x = " + "{a = " * DEEP + "1" + "}" * DEEP, ".tokenreach.toml")
@example(b"\xff\xfe not utf-8", ".tokenreach.toml")
def test_config_file_of_any_bytes(scratch: Path, content: str | bytes, name: str):
    _load(scratch / name, content)


@FILES
@given(config_doc, st.booleans())
@example({"max_file_size": 1.5}, False)
@example({"max_file_size": [1]}, False)
@example({"max_file_size": float("inf")}, False)
@example({"max_file_size": 1e300}, True)
def test_config_of_any_shape(scratch: Path, doc: dict[str, Any], in_pyproject: bool):
    body = "\n".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in doc.items()) + "\n"
    if in_pyproject:
        _load(scratch / "pyproject.toml", "[tool.tokenreach]\n" + body)
    else:
        _load(scratch / ".tokenreach.toml", body)


@FUZZ
@given(toml_leaf | st.text(alphabet="0123456789.kKmMgGbB -+eE", max_size=12))
@example(float("inf"))
@example(float("nan"))
@example("1e400m")
def test_parse_size(value: Any):
    try:
        size = config.parse_size(value)
    except ValueError:
        return
    assert isinstance(size, int) and size > 0


@FILES
@given(st.binary(max_size=200) | st.builds(lambda d: "[tool.tokenreach]\n" + "\n".join(
    f"{toml_key(k)} = {toml_value(v)}" for k, v in d.items()), config_doc))
def test_config_find_takes_any_pyproject(scratch: Path, content: bytes | str):
    root = scratch / "find"
    root.mkdir(exist_ok=True)
    (root / "pyproject.toml").write_bytes(content if isinstance(content, bytes) else content.encode())
    assert config.find(root) in (None, root / "pyproject.toml")


# Baselines --------------------------------------------------------------------------------------

baseline_doc = st.fixed_dictionaries(
    {"version": st.sampled_from([1, 1.0, True, 2, "1"]),
     "tokens": st.dictionaries(st.text(max_size=32), json_value
                               | st.fixed_dictionaries({}, optional={
                                   "provider": json_value, "live": json_value, "reach": json_value
                                   | st.sampled_from(["account", "project"]),
                                   "capabilities": json_value, "grants": json_value}), max_size=5)},
    optional={"generated_by": json_value},
)


def _baseline(path: Path, content: bytes) -> None:
    path.write_bytes(content)
    try:
        accepted = baseline.load(path)
    except baseline.BaselineError as exc:
        assert str(path) in str(exc)
    else:
        assert all(isinstance(a, baseline.Accepted) for a in accepted.accepted.values())
    try:
        hashes = baseline.detect_secrets_false_positives(path)
    except baseline.BaselineError as exc:
        assert str(path) in str(exc)
    else:
        assert all(isinstance(h, str) for h in hashes)


@FILES
@given(st.binary(max_size=300) | json_value.map(lambda v: json.dumps(v).encode())
       | baseline_doc.map(lambda v: json.dumps(v).encode()))
@example(b"[" * 100_000)
@example(b'{"version": 1, "tokens": ' + b'{"a": ' * DEEP)
@example(b'{"results": {"f": [' + b"[" * DEEP + b"]}}")
def test_baseline_of_any_bytes(scratch: Path, content: bytes):
    _baseline(scratch / "b.json", content)


@FUZZ
@given(st.binary(max_size=300), st.data())
def test_inline_ignore_takes_any_buffer(buf: bytes, data: st.DataObject):
    start = data.draw(st.integers(min_value=0, max_value=len(buf)))
    assert hits.ignored_inline(buf, start) in (True, False)


# git output -------------------------------------------------------------------------------------


@FUZZ
@given(st.binary(max_size=300))
def test_git_byte_helpers(data: bytes):
    assert list(git.nul_split(data)) == [x for x in data.split(b"\0") if x]
    path = git.decode_path(data)
    assert path.encode("utf-8", "surrogateescape") == data
    line = git._first_line(data)
    assert "\n" not in line and not line.startswith("fatal: ")
    assert to_text_bytes(data) is None or isinstance(to_text_bytes(data), bytes)


hex_oid = st.binary(min_size=20, max_size=20).map(bytes.hex)
ident_bytes = st.binary(max_size=30).map(lambda b: b.replace(b"\0", b"").replace(b"\n", b"")
                                         .replace(b"<", b"").replace(b">", b""))
path_bytes = st.binary(min_size=1, max_size=40).filter(lambda b: b"\0" not in b)
raw_entry = st.tuples(st.sampled_from([b"100644", b"100755", b"120000", b"160000", b"000000"]), hex_oid,
                      st.sampled_from([b"A", b"M", b"D", b"T"]), path_bytes)
log_commit = st.tuples(hex_oid, ident_bytes, ident_bytes, st.lists(raw_entry, max_size=4))


class _FakeGit:
    """What ``git.popen`` returns, with canned output."""

    def __init__(self, out: bytes, rc: int = 0, err: bytes = b"") -> None:
        self.stdout = io.BytesIO(out)
        self.stderr = io.BytesIO(err)
        self._rc = rc

    def wait(self) -> int:
        return self._rc


def git_log_output(commits: list[tuple[str, bytes, bytes, list[tuple[bytes, str, bytes, bytes]]]]) -> bytes:
    """``git log --raw -z --format=%x01%H%x02%an <%ae>%x02%aI`` as git writes it, newest first."""
    out = b""
    for sha, name, email, entries in commits:
        out += b"\x01" + sha.encode() + b"\x02" + name + b" <" + email + b">\x02" + b"2026-01-02T03:04:05+00:00\0"
        for i, (mode, oid, status, path) in enumerate(entries):
            new = b"0" * 40 if status == b"D" else oid.encode()
            out += (b"\n" if i == 0 else b"") + b":100644 " + mode + b" " + b"1" * 40 + b" " + new + b" " + status
            out += b"\0" + path + b"\0"
    return out


@FUZZ
@given(st.lists(log_commit, max_size=6))
@example([("a" * 40, b"Ev\x02il", b"e\x02v@x", [(b"100644", "b" * 40, b"A", b"secret.txt")])])
def test_history_index_reads_every_commit_whatever_its_author(commits):
    out = git_log_output(commits)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(git, "popen", lambda repo, *args, **kw: _FakeGit(out))
        index = history.index_blobs(Path("."), ["--all"], SourceStats())
    assert [c.sha for c in index.commits] == [c[0] for c in commits]
    assert [c.author for c in index.commits] == [
        (name + b" <" + email + b">").decode("utf-8", "replace") for _, name, email, _ in commits]
    expected: dict[str, tuple[int, str]] = {}
    for ci, (_, _, _, entries) in enumerate(commits):  # newest first, so older ones overwrite
        for mode, oid, status, path in entries:
            if status != b"D" and mode not in (b"160000", b"120000", b"000000") and set(oid) != {"0"}:
                expected[oid] = (ci, git.decode_path(path))
    assert index.blobs == expected


@FUZZ
@given(st.binary(max_size=200), st.integers(min_value=1, max_value=255))
def test_history_index_fails_only_with_git_error(err: bytes, rc: int):
    with pytest.MonkeyPatch.context() as mp, pytest.raises(git.GitError):
        mp.setattr(git, "popen", lambda repo, *args, **kw: _FakeGit(b"", rc=rc, err=err))
        history.index_blobs(Path("."), ["--all"], SourceStats())


def _quote(path: bytes) -> bytes:
    """A path as git fast-import reads it: C-style quoted, octal escapes for everything unusual."""
    out = b'"'
    for byte in path:
        ch = bytes([byte])
        out += ch if ch.isalnum() or ch in b"._-/ " else b"\\%03o" % byte
    return out + b'"'


# One path component of any bytes but NUL and "/", short of the names git itself refuses.
path_part = st.binary(min_size=1, max_size=12).filter(
    lambda b: b"\0" not in b and b"/" not in b and b not in (b".", b"..")
    and b.lower().rstrip(b" .") not in (b".git", b"git~1", b".mailmap"))


@pytest.fixture(scope="module")
def hostile_git(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz-git")


def _paths(parts: list[bytes], prefix: str) -> list[bytes]:
    """Hostile names, each in a folder of its own so that no two files collide."""
    return [f"{prefix}{i}/".encode() + part for i, part in enumerate(parts)]


@GIT
@given(st.lists(st.tuples(ident_bytes, ident_bytes, st.lists(path_part, min_size=1, max_size=3),
                          st.lists(st.binary(max_size=200), min_size=3, max_size=3)),
                min_size=1, max_size=4),
       st.lists(path_part, min_size=1, max_size=3), st.lists(st.binary(max_size=100), min_size=3, max_size=3))
def test_real_git_with_hostile_authors_paths_and_contents(hostile_git: Path, raw_commits, index_parts, index_data):
    """Real git, commits whose author names, paths and contents hold any bytes: every blob is
    read back exactly, attributed to the commit that introduced it; every staged path is seen."""
    commits = [(name, email, dict(zip(_paths(parts, f"c{ci}-"), data, strict=False)))
               for ci, (name, email, parts, data) in enumerate(raw_commits)]
    index_files = dict(zip(_paths(index_parts, "staged-"), index_data, strict=False))
    root = Path(os.path.join(hostile_git, f"r{len(os.listdir(hostile_git))}"))
    env = {**os.environ, **GIT_ENV}
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True, env=env)
    stream = b""
    for i, (name, email, files) in enumerate(commits):
        stream += b"commit refs/heads/main\n"
        stream += b"author " + name + b" <" + email + b"> " + str(1700000000 + i).encode() + b" +0000\n"
        stream += b"committer C <c@x> " + str(1700000000 + i).encode() + b" +0000\ndata 1\nm\n"
        for path, content in files.items():
            stream += b"M 100644 inline " + _quote(path) + b"\ndata %d\n" % len(content) + content + b"\n"
    subprocess.run(["git", "fast-import", "--quiet"], cwd=root, input=stream, check=True, env=env,
                   capture_output=True)
    introduced: dict[str, tuple[int, set[str]]] = {}  # blob → the oldest commit with it, its paths there
    for i, (_, _, files) in enumerate(commits):
        for path, content in files.items():
            ci, paths = introduced.setdefault(git.blob_id(content), (i, set()))
            if ci == i:
                paths.add(git.decode_path(path))
    index = history.index_blobs(root, ["--all"], SourceStats())
    assert len(index.commits) == len(commits)
    for oid, (ci, paths) in introduced.items():
        origin = index.origin(oid)
        assert origin.path in paths
        name, email, _ = commits[ci]
        # git itself trims the whitespace that ends a name
        assert origin.author == (name.rstrip(b" \t\r") + b" <" + email + b">").decode("utf-8", "replace")
    contents = {git.blob_id(c): c for _, _, files in commits for c in files.values()}
    assert dict(history.read_blobs(root, list(contents))) == contents
    assert history.object_types(root, list(contents)) == {k: (b"blob", len(v)) for k, v in contents.items()}

    lines = b""
    for path, content in index_files.items():
        oid = subprocess.run(["git", "hash-object", "-w", "--stdin"], cwd=root, input=content, check=True, env=env,
                             capture_output=True).stdout.strip()
        assert oid.decode() == git.blob_id(content)
        lines += b"100644 " + oid + b"\t" + path + b"\0"
    subprocess.run(["git", "update-index", "-z", "--index-info"], cwd=root, input=lines, check=True, env=env,
                   capture_output=True)
    seen = {path for _, path in staged.staged_blobs(root)}
    assert {git.decode_path(p) for p in index_files} <= seen


# The engine, its validators, the offline decoders behind it ------------------------------------

EXAMPLES = [example for _, p in all_patterns() for example in p.examples]
VALIDATING = [p for _, p in all_patterns() if p.validate is not None]


@st.composite
def mutated_examples(draw: st.DrawFn) -> bytes:
    """Pattern examples spliced together and mutated: text that nearly matches everything."""
    parts = draw(st.lists(st.sampled_from(EXAMPLES), min_size=1, max_size=4))
    buf = bytearray("\n".join(parts).encode())
    for _ in range(draw(st.integers(0, 6))):
        if not buf:
            break
        at = draw(st.integers(0, len(buf) - 1))
        op = draw(st.sampled_from(["flip", "insert", "delete", "dup"]))
        if op == "flip":
            buf[at] = draw(st.integers(0, 255))
        elif op == "insert":
            buf[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif op == "delete":
            del buf[at:at + draw(st.integers(1, 8))]
        else:
            buf[at:at] = buf[at:at + draw(st.integers(1, 40))]
    return bytes(buf)


@FUZZ
@given(st.binary(max_size=2000) | mutated_examples())
@example(b"AUTH0_TOKEN=" + _jwt(b'{"alg":"HS256","typ":"JWT"}', b'{"a":' + b"[" * 2900).encode()
         + b".c2lnbmF0dXJlc2lnbmF0dXJl\n")
def test_engine_on_any_bytes(buf: bytes):
    for tok in tokens_in(buf):
        assert isinstance(tok, Token) and tok.provider in by_provider()
        access = offline_access(by_provider()[tok.provider], tok)
        assert isinstance(access, Access)


@SOME
@given(st.binary(max_size=400), st.binary(max_size=400))
def test_engine_finds_a_token_among_noise(before: bytes, after: bytes):
    secret = "hf_" + "kQpZrVbWmXcYtUaSdFgHjKlNeRoTiYuPqW"
    buf = before + b"\nHF_TOKEN=" + secret.encode() + b"\n" + after
    assert secret in {t.secret for t in tokens_in(buf)}


@FUZZ
@given(mutated_examples())
def test_classify_takes_every_token_the_engine_finds(buf: bytes):
    """``offline_access`` keeps a scan alive when ``classify`` raises; classify should not need it."""
    for tok in tokens_in(buf):
        assert isinstance(by_provider()[tok.provider].classify(tok), Access)


@st.composite
def validator_inputs(draw: st.DrawFn) -> tuple[Any, list[str]]:
    """A pattern with a validator, and the secrets its regex extracts from mutations of its examples."""
    pattern = draw(st.sampled_from(VALIDATING))
    buf = bytearray("\n".join(pattern.examples).encode())
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, max(0, len(buf) - 1)))
        if draw(st.booleans()):
            buf[at:at + 1] = draw(st.binary(min_size=1, max_size=1))
        else:
            buf[at:at] = draw(st.binary(min_size=1, max_size=6))
    secrets = []
    for m in re.finditer(pattern.regex.encode(), bytes(buf)):
        span = m.span("secret") if m.groupdict().get("secret") is not None else m.span()
        secrets.append(bytes(buf)[span[0]:span[1]].decode("utf-8", "replace"))
    return pattern, secrets


@FUZZ
@given(validator_inputs())
def test_every_validator_takes_what_its_regex_extracts(case: tuple[Any, list[str]]):
    pattern, secrets = case
    for secret in secrets:
        assert pattern.validate(secret) in (True, False), pattern.id


@pytest.fixture(scope="module")
def both_engines() -> tuple[Engine, Engine]:
    hs = Engine(all_patterns(), use_hyperscan=True)
    if hs.backend != "hyperscan":
        pytest.skip("Hyperscan is not installed")
    return hs, Engine(all_patterns(), use_hyperscan=False)


def _found(engine: Engine, buf: bytes) -> list[tuple[str, int, int, str]]:
    return sorted((m.pattern.id, m.start, m.end, m.secret) for m in engine.scan(buf))


@SOME
@given(mutated_examples())
def test_hyperscan_and_re_engines_agree(both_engines: tuple[Engine, Engine], buf: bytes):
    hs, fallback = both_engines
    assert _found(hs, buf) == _found(fallback, buf)


def test_scan_reads_a_commit_whose_author_holds_field_separators(tmp_path: Path):
    """Regression: a commit with \\x02 in its author name was dropped from the history index, and
    when it was the newest commit (first in the log) its blobs were never scanned at all."""
    from tests.helpers import Repo, scan_json

    repo = Repo(tmp_path / "repo")
    repo.write("README", "hello\n")
    repo.commit("init")
    secret = "hf_" + "HiddenBehindAuthorBytes0123456789a"
    content = f"HF_TOKEN={secret}\n".encode()
    stream = (b"commit refs/heads/side\nauthor Ev\x02il <e\x02v@x> 2000000000 +0000\n"
              b"committer Ev\x02il <e\x02v@x> 2000000000 +0000\ndata 4\nhide\nfrom refs/heads/main\n"
              b"M 100644 inline hidden.env\ndata %d\n" % len(content) + content + b"\n")
    subprocess.run(["git", "fast-import", "--quiet"], cwd=repo.root, input=stream, check=True,
                   env={**os.environ, **GIT_ENV}, capture_output=True)
    doc = scan_json(repo.root, "--offline")
    found = {f["fingerprint"]: f for f in doc["findings"]}
    assert list(found) == [fingerprint("huggingface", secret)]
    loc = found[fingerprint("huggingface", secret)]["locations"][0]
    assert (loc["path"], loc["exposure"]) == ("hidden.env", "history")
    assert loc["author"] == "Ev\x02il <e\x02v@x>"


def _deep_json_texts() -> list[tuple[str, str]]:
    """(pattern id, text): each pattern example whose secret carries base64 JSON (``eyJ`` …), with
    that JSON replaced by nesting as deep as the pattern's length limit lets through."""
    out = []
    for _, pattern in all_patterns():
        for text in pattern.examples:
            if "eyJ" not in text:  # no secret of it can be replaced by a deeper JSON in this text:
                continue  # the same list, without scanning 3,000 examples at every collection
            for tok in tokens_in(text):
                if tok.pattern_id != pattern.id:
                    continue
                s = tok.secret
                for m in re.finditer(r"eyJ[A-Za-z0-9+/_-]*", s):
                    for depth in (700, 1500, 2300, 3000):
                        deep = b64url(b'{"a":' + b"[" * depth)
                        out.append((pattern.id, text.replace(s, s[:m.start()] + deep + s[m.end():])))
    return out


DEEP_JSON = _deep_json_texts()


def test_engine_survives_deeply_nested_json_in_every_token_shape():
    """Validators decode JWTs and base64 JSON while the engine runs: nesting deeper than Python's
    stack once ended the whole scan with a RecursionError."""
    assert len({pid for pid, _ in DEEP_JSON}) >= 10
    for pid, text in DEEP_JSON:
        try:
            found = tokens_in(text)
        except RecursionError:
            pytest.fail(f"{pid}: RecursionError")
        for tok in found:
            assert isinstance(offline_access(by_provider()[tok.provider], tok), Access)
