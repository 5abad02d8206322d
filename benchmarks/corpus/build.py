"""Build the labelled recall corpus from documented format facts (formats.toml, and the sets in
formats/, each from a random stream of its own), deterministically.

    python benchmarks/corpus/build.py                       # into benchmarks/work/corpus
    python benchmarks/corpus/build.py --out DIR --seed 11   # same seed, same bytes

Every positive is a fake but well-formed credential generated from a format fact in a formats file
(the provider's documented prefix, alphabet, length and structure; checksummed formats carry a valid
checksum), written into a realistic file context (.env, YAML, JSON, source code, shell, Dockerfile,
Terraform, connection strings, command lines). Every negative is a look-alike that is not a secret:
placeholders, published example keys, git SHAs, file hashes, UUIDs in non-secret contexts, lockfile
integrity hashes, base64 images, public identifiers. Each sample is its own folder (``s0001/…``)
so file names stay realistic and say nothing about the label.

``labels.jsonl`` is the ground truth, one line per labelled line: ``file``, ``line`` (1-based),
``provider``, ``secret`` (the sha256 of the secret, or "negative"), plus category, credential,
context, kind and ``related`` (other lines that belong to the same credential, e.g. the access key
ID next to an AWS secret key: a finding there counts as finding the credential). No secret is
stored anywhere but in the generated files.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import random
import shutil
import string
import sys
import uuid
import zlib
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

# Checksum arithmetic only (CRC32 text encodings, Bech32 polymod): the same math the formats use.
from tokenreach.detectors.checksums import _BASE36, _BASE62, _BECH32, _encode, _polymod

HERE = Path(__file__).resolve().parent
FORMATS = HERE / "formats.toml"
# More sets, one file each: generated after formats.toml from a seed of their own, so that adding a
# set leaves every earlier sample (and so the corpus's headline figures) exactly as it was.
MORE_FORMATS = HERE / "formats"
DEFAULT_OUT = HERE.parent / "work" / "corpus"
SEED = 11
PER_FORMAT = 5

ALPHABETS = {
    "hex": string.digits + "abcdef", "HEX": string.digits + "ABCDEF", "digits": string.digits,
    "lower": string.ascii_lowercase, "upper": string.ascii_uppercase, "letters": string.ascii_letters,
    "alnum_lower": string.ascii_lowercase + string.digits, "alnum_upper": string.ascii_uppercase + string.digits,
    "base62": string.digits + string.ascii_letters, "base64": string.ascii_letters + string.digits + "+/",
    "base64url": string.ascii_letters + string.digits + "-_", "base32": string.ascii_uppercase + "234567",
    "base32_lower": string.ascii_lowercase + "234567",
    "base58": "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz",
    "crypt": "./" + string.digits + string.ascii_letters,
    "bcrypt": "./" + string.ascii_uppercase + string.ascii_lowercase + string.digits,
    "django": string.ascii_lowercase + string.digits + "!@#%^&*(-_=+)",
}


@dataclass(frozen=True)
class Format:
    provider: str
    category: str
    credential: str
    template: str
    source: str
    variables: tuple[str, ...]
    shape: str = "token"
    contexts: tuple[str, ...] = ()
    header: str = "Authorization: Bearer {}"
    companion: str = ""
    companion_variables: tuple[str, ...] = ()
    extra_contexts: tuple[str, ...] = ()  # added to the default rotation
    samples: int = 0  # positives of this format; 0: the build's --per-format


def load_formats(path: Path = FORMATS) -> list[Format]:
    raw = tomllib.loads(path.read_text(encoding="utf-8"))["format"]
    out = []
    for f in raw:
        comp = f.get("companion") or {}
        out.append(Format(f["provider"], f["category"], f["credential"], f["template"], f["source"],
                          tuple(f["variables"]), f.get("shape", "token"), tuple(f.get("contexts", ())),
                          f.get("header", "Authorization: Bearer {}"), comp.get("template", ""),
                          tuple(comp.get("variables", ())), tuple(f.get("extra_contexts", ())), f.get("samples", 0)))
    return out


# Template expansion --------------------------------------------------------------------------------


def _rand(rng: random.Random, alphabet: str, n: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _field(kind: int, data: bytes) -> bytes:
    return bytes([kind]) + _varint(len(data)) + data


def pypi_macaroon(rng: random.Random) -> str:
    """A macaroon in the libmacaroons v2 binary format (location pypi.org), base64url, no padding."""
    ident = _uuid(rng).encode()
    caveat = json.dumps({"version": 1, "permissions": "user"}).encode()
    raw = (b"\x02" + _field(1, b"pypi.org") + _field(2, ident) + b"\x00"
           + _field(4, caveat) + b"\x00" + b"\x00" + _field(6, rng.randbytes(32)))
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def age_secret_key(rng: random.Random) -> str:
    """AGE-SECRET-KEY-1…: Bech32 (BIP 173) of 32 random bytes with a valid checksum, upper case."""
    hrp = "age-secret-key-"
    bits = "".join(f"{b:08b}" for b in rng.randbytes(32))
    bits += "0" * (-len(bits) % 5)
    data = [int(bits[i:i + 5], 2) for i in range(0, len(bits), 5)]
    expanded = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]
    poly = _polymod(expanded + data + [0] * 6) ^ 1
    check = [(poly >> 5 * (5 - i)) & 31 for i in range(6)]
    return (hrp + "1" + "".join(_BECH32[d] for d in data + check)).upper()


def _pem(label: str, der: bytes) -> str:
    body = base64.b64encode(der).decode()
    lines = [body[i:i + 64] for i in range(0, len(body), 64)]
    return "\n".join([f"-----BEGIN {label}-----", *lines, f"-----END {label}-----"])


def _der_seq(payload: bytes) -> bytes:
    n = len(payload)
    length = bytes([n]) if n < 128 else b"\x82" + n.to_bytes(2, "big")
    return b"\x30" + length + payload


def pem_rsa(rng: random.Random) -> str:
    # Version 0, then what would be the nine integers of RSAPrivateKey: random, of realistic size.
    return _pem("RSA PRIVATE KEY", _der_seq(b"\x02\x01\x00\x02\x82\x01\x01\x00" + rng.randbytes(1180)))


def pem_pkcs8(rng: random.Random) -> str:
    alg = bytes.fromhex("300d06092a864886f70d0101010500")
    inner = _der_seq(b"\x02\x01\x00\x02\x82\x01\x01\x00" + rng.randbytes(1180))
    return _pem("PRIVATE KEY", _der_seq(b"\x02\x01\x00" + alg + b"\x04\x82" + len(inner).to_bytes(2, "big") + inner))


def pem_ec(rng: random.Random) -> str:
    # SEC 1 ECPrivateKey on P-256: version 1, 32-byte key, named curve, uncompressed public point.
    der = (b"\x30\x77\x02\x01\x01\x04\x20" + rng.randbytes(32) + bytes.fromhex("a00a06082a8648ce3d030107a144034200")
           + b"\x04" + rng.randbytes(64))
    return _pem("EC PRIVATE KEY", der)


def pem_openssh(rng: random.Random) -> str:
    def s(b: bytes) -> bytes:
        return len(b).to_bytes(4, "big") + b

    pub = s(b"ssh-ed25519") + s(rng.randbytes(32))
    check = rng.randbytes(4)
    priv = check + check + pub + s(rng.randbytes(64)) + s(b"deploy@ci") + b"\x01\x02\x03\x04\x05"
    raw = b"openssh-key-v1\x00" + s(b"none") + s(b"none") + s(b"") + (1).to_bytes(4, "big") + s(pub) + s(priv)
    return _pem("OPENSSH PRIVATE KEY", raw)


SPECIALS: dict[str, Callable[[random.Random], str]] = {
    "uuid": _uuid, "uuid_": lambda rng: _uuid(rng).replace("-", "_"), "pypi_macaroon": pypi_macaroon,
    "age_secret_key": age_secret_key, "pem_rsa": pem_rsa, "pem_ec": pem_ec, "pem_openssh": pem_openssh,
    "pem_pkcs8_escaped": lambda rng: pem_pkcs8(rng).replace("\n", "\\n") + "\\n",
}
ENCODERS = {"b64": lambda b: base64.b64encode(b).decode(),
            "b64url": lambda b: base64.urlsafe_b64encode(b).decode().rstrip("=")}


def expand(template: str, rng: random.Random, placeholder: str | None = None) -> str:
    """Expand a template (syntax: formats.toml header). With ``placeholder``, every random
    character is that character instead (``ghp_xxxx…``): the shape of the key, none of its secret."""
    out: list[str] = []
    start: int | None = None  # where the first generated piece begins: the end of the literal prefix
    i = 0
    while i < len(template):
        if template.startswith("%{", i):
            end = template.index("}", i)
            spec = template[i + 2:end]
            i = end + 1
            text = "".join(out)
            if start is None:
                start = len(text)
            if spec == "crc32_base62":
                piece = _encode(zlib.crc32(text[start:].encode()), _BASE62, 6)
            elif spec == "crc32_base36":
                piece = _encode(zlib.crc32(text.encode()), _BASE36, 7)
            elif spec.startswith("bytes_b64:"):
                piece = base64.b64encode(rng.randbytes(int(spec.split(":")[1]))).decode()
            elif spec in SPECIALS:
                piece = SPECIALS[spec](rng)
            else:
                name, _, size = spec.partition(":")
                lo, _, hi = size.partition("-")
                n = rng.randint(int(lo), int(hi)) if hi else int(lo)
                piece = _rand(rng, ALPHABETS[name], n)
            if placeholder is not None:
                piece = "".join(placeholder if c.isalnum() else c for c in piece)
            out.append(piece)
        elif template.startswith("%b64", i) and template[i:].split("[", 1)[0] in ("%b64", "%b64url"):
            name, _, rest = template[i + 1:].partition("[")
            depth, j = 1, len(template) - len(rest)
            while depth:  # the matching ]%, counting nested %b64…[
                if template.startswith("]%", j):
                    depth -= 1
                    j += 2
                elif template.startswith("%b64", j) and "[" in template[j:j + 8]:
                    depth += 1
                    j = template.index("[", j) + 1
                else:
                    j += 1
            inner = expand(template[len(template) - len(rest):j - 2], rng, placeholder)
            if start is None:
                start = len("".join(out))
            encoded = ENCODERS[name](inner.encode())
            out.append(placeholder * len(encoded) if placeholder is not None else encoded)
            i = j
        else:
            out.append(template[i])
            i += 1
    return "".join(out)


# File contexts -----------------------------------------------------------------------------------


def camel(var: str) -> str:
    parts = var.lower().split("_")
    return parts[0] + "".join(p.capitalize() for p in parts[1:])


def snake(var: str) -> str:
    return var.lower()


@dataclass
class Sample:
    var: str
    value: str
    comp_var: str = ""
    comp_value: str = ""
    header: str = "Authorization: Bearer {}"
    app: str = "billing"
    provider: str = "service"


@dataclass
class Rendered:
    path: str
    lines: list[str]
    secret: int  # 0-based index of the line that holds the secret (its first line)
    related: list[int] = field(default_factory=list)
    shown: str = ""  # how the secret is written there when encoded ("" when written as it is)
    encoding: str = ""  # the manifest's name for that encoding


def _assemble(path: str, head: list[str], comp: str | None, secret: str, tail: list[str]) -> Rendered:
    lines = list(head)
    related = []
    if comp is not None:
        related.append(len(lines))
        lines.append(comp)
    idx = len(lines)
    lines.extend(secret.split("\n"))
    related += list(range(idx + 1, idx + secret.count("\n") + 1))
    lines.extend(tail)
    return Rendered(path, lines, idx, related)


def _c(s: Sample, fmt: Callable[[str, str], str]) -> str | None:
    return fmt(s.comp_var, s.comp_value) if s.comp_var else None


def ctx_env(s: Sample) -> Rendered:
    return _assemble(".env", [f"# {s.app} service", "NODE_ENV=production", "PORT=8080"],
                     _c(s, lambda k, v: f"{k.upper()}={v}"), f"{s.var.upper()}={s.value}", ["LOG_LEVEL=info", ""])


def ctx_env_quoted(s: Sample) -> Rendered:
    return _assemble(".env.production", ["APP_URL=https://app.tallyhq.io", "FEATURE_FLAGS=beta,search"],
                     _c(s, lambda k, v: f'{k.upper()}="{v}"'), f'{s.var.upper()}="{s.value}"', [""])


def ctx_shell(s: Sample) -> Rendered:
    return _assemble("scripts/deploy.sh", ["#!/usr/bin/env bash", "set -euo pipefail", 'cd "$(dirname "$0")/.."'],
                     _c(s, lambda k, v: f"export {k.upper()}={v}"), f'export {s.var.upper()}="{s.value}"',
                     ["./bin/release --env production", ""])


def ctx_yaml(s: Sample) -> Rendered:
    return _assemble("config/settings.yml", ["app:", f"  name: {s.app}", "  region: us-east-1", "  integrations:"],
                     _c(s, lambda k, v: f"    {snake(k)}: {v}"), f"    {snake(s.var)}: \"{s.value}\"",
                     ["    timeout_seconds: 30", ""])


def ctx_yaml_ci(s: Sample) -> Rendered:
    return _assemble(".github/workflows/deploy.yml",
                     ["name: deploy", "on:", "  push:", "    branches: [main]", "jobs:", "  deploy:",
                      "    runs-on: ubuntu-latest", "    env:"],
                     _c(s, lambda k, v: f"      {k.upper()}: {v}"), f"      {s.var.upper()}: {s.value}",
                     ["    steps:", "      - uses: actions/checkout@v4", "      - run: make deploy", ""])


def ctx_compose(s: Sample) -> Rendered:
    return _assemble("docker-compose.yml", ["services:", "  api:", "    image: ghcr.io/acme/api:1.4.2",
                                            "    ports:", '      - "8080:8080"', "    environment:"],
                     _c(s, lambda k, v: f"      - {k.upper()}={v}"), f"      - {s.var.upper()}={s.value}",
                     ["    restart: unless-stopped", ""])


def ctx_k8s(s: Sample) -> Rendered:
    return _assemble("deploy/secret.yaml", ["apiVersion: v1", "kind: Secret", "metadata:", f"  name: {s.app}-env",
                                            "type: Opaque", "stringData:"],
                     _c(s, lambda k, v: f"  {k.upper()}: \"{v}\""), f"  {s.var.upper()}: \"{s.value}\"", [""])


def ctx_json(s: Sample) -> Rendered:
    return _assemble("config/production.json", ["{", f'  "service": "{s.app}",', '  "retries": 3,',
                                                '  "credentials": {'],
                     _c(s, lambda k, v: f'    "{camel(k)}": "{v}",'), f'    "{camel(s.var)}": "{s.value}"',
                     ["  }", "}", ""])


def ctx_python(s: Sample) -> Rendered:
    return _assemble(f"{s.app}/settings.py", ['"""Production settings."""', "", "import os", "",
                                              'DEBUG = os.environ.get("DEBUG") == "1"'],
                     _c(s, lambda k, v: f'{k.upper()} = "{v}"'), f'{s.var.upper()} = "{s.value}"',
                     ['ALLOWED_HOSTS = ["api.tallyhq.io"]', ""])


def ctx_python_call(s: Sample) -> Rendered:
    return _assemble("tools/sync.py", ["import os", "", "", "def main() -> None:"],
                     _c(s, lambda k, v: f'    os.environ.setdefault("{k.upper()}", "{v}")'),
                     f'    os.environ.setdefault("{s.var.upper()}", "{s.value}")',
                     ["    run_sync()", ""])


def ctx_js(s: Sample) -> Rendered:
    return _assemble("src/config.js", ["'use strict';", "", "const region = 'us-east-1';"],
                     _c(s, lambda k, v: f"const {camel(k)} = '{v}';"), f"const {camel(s.var)} = '{s.value}';",
                     ["", f"module.exports = {{ region, {camel(s.var)} }};", ""])


def ctx_ts(s: Sample) -> Rendered:
    return _assemble("src/lib/client.ts", ["import { createClient } from './http';", ""],
                     _c(s, lambda k, v: f'export const {camel(k)}: string = "{v}";'),
                     f'const {camel(s.var)}: string = "{s.value}";',
                     ["", f"export const client = createClient({{ token: {camel(s.var)} }});", ""])


def ctx_go(s: Sample) -> Rendered:
    return _assemble("internal/config/config.go", ["package config", "", "const ("],
                     _c(s, lambda k, v: f'\t{camel(k)} = "{v}"'), f'\t{camel(s.var)} = "{s.value}"',
                     ['\tdefaultRegion = "us-east-1"', ")", ""])


def ctx_java(s: Sample) -> Rendered:
    return _assemble("src/main/java/io/tallyhq/Config.java", ["package io.tallyhq;", "", "public final class Config {"],
                     _c(s, lambda k, v: f'    public static final String {k.upper()} = "{v}";'),
                     f'    private static final String {s.var.upper()} = "{s.value}";',
                     ["", "    private Config() {}", "}", ""])


def ctx_dockerfile(s: Sample) -> Rendered:
    return _assemble("Dockerfile", ["FROM python:3.12-slim", "WORKDIR /app", "COPY . ."],
                     _c(s, lambda k, v: f"ENV {k.upper()}={v}"), f"ENV {s.var.upper()}={s.value}",
                     ["RUN pip install --no-cache-dir .", 'CMD ["python", "-m", "app"]', ""])


def ctx_terraform(s: Sample) -> Rendered:
    return _assemble("infra/main.tf", [f'variable "{snake(s.var)}" {{', '  type      = string', "  sensitive = true"],
                     _c(s, lambda k, v: f'  # {snake(k)} = "{v}"'), f'  default   = "{s.value}"', ["}", ""])


def ctx_toml(s: Sample) -> Rendered:
    return _assemble("config.toml", ["[service]", f'name = "{s.app}"', ""],
                     _c(s, lambda k, v: f'{snake(k)} = "{v}"'), f'{snake(s.var)} = "{s.value}"', [""])


def ctx_properties(s: Sample) -> Rendered:
    key = s.var.lower().replace("_", ".")
    return _assemble("src/main/resources/application.properties", ["server.port=8080", "spring.application.name=api"],
                     _c(s, lambda k, v: f"{k.lower().replace('_', '.')}={v}"), f"{key}={s.value}", [""])


def ctx_xml(s: Sample) -> Rendered:
    return _assemble("App.config", ['<?xml version="1.0" encoding="utf-8"?>', "<configuration>", "  <appSettings>"],
                     _c(s, lambda k, v: f'    <add key="{k}" value="{v}" />'),
                     f'    <add key="{s.var}" value="{s.value}" />',
                     ["  </appSettings>", "</configuration>", ""])


def ctx_makefile(s: Sample) -> Rendered:
    op = ("?=", ":=", "::=", ":::=")[len(s.value) % 4]  # GNU make's assignment operators
    return _assemble("Makefile", [".PHONY: deploy", "REGION ?= us-east-1"],
                     _c(s, lambda k, v: f"{k.upper()} {op} {v}"), f"{s.var.upper()} {op} {s.value}",
                     ["", "deploy:", "\t./scripts/deploy.sh $(REGION)", ""])


def ctx_curl(s: Sample) -> Rendered:
    head = s.header.format(s.value)
    return _assemble("scripts/check_api.sh", ["#!/bin/sh", "# smoke test after deploy"],
                     None, f'curl -fsS -H "{head}" https://api.tallyhq.io/v1/status', [""])


def ctx_curl_url(s: Sample) -> Rendered:
    return _assemble("scripts/notify.sh", ["#!/bin/sh", 'msg="deploy finished"'], None,
                     "curl -X POST -H 'Content-Type: application/json' -d \"{\\\"text\\\": \\\"$msg\\\"}\" "
                     + s.value, [""])


def ctx_python_requests(s: Sample) -> Rendered:
    name, _, value = s.header.format(s.value).partition(": ")
    return _assemble(f"{s.app}/api.py", ["import requests", "", "", "def fetch_status() -> dict:"], None,
                     f'    resp = requests.get("https://api.tallyhq.io/v1/status", headers={{"{name}": "{value}"}})',
                     ["    resp.raise_for_status()", "    return resp.json()", ""])


def ctx_js_fetch(s: Sample) -> Rendered:
    name, _, value = s.header.format(s.value).partition(": ")
    return _assemble("src/api/status.js", ["export async function status() {",
                                           "  const res = await fetch('https://api.tallyhq.io/v1/status', {"],
                     None, f"    headers: {{ '{name}': '{value}' }},", ["  });", "  return res.json();", "}", ""])


def ctx_java_setproperty(s: Sample) -> Rendered:
    return _assemble("src/main/java/io/tallyhq/Bootstrap.java",
                     ["package io.tallyhq;", "", "final class Bootstrap {", "    static void init() {"],
                     _c(s, lambda k, v: f'        System.setProperty("{k.upper()}", "{v}");'),
                     f'        System.setProperty("{s.var.upper()}", "{s.value}");', ["    }", "}", ""])


def ctx_plist(s: Sample) -> Rendered:
    # The value on the line after its key, as in Info.plist and Spring XML.
    r = _assemble("ios/App/Config.plist", ['<?xml version="1.0" encoding="UTF-8"?>', '<plist version="1.0">', "<dict>",
                                           f"  <key>{s.var.upper()}</key>"], None, f"  <string>{s.value}</string>",
                  ["</dict>", "</plist>", ""])
    return Rendered(r.path, r.lines, r.secret, [r.secret - 1])


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def ctx_k8s_data(s: Sample) -> Rendered:
    # A Secret's data: values are base64-encoded, as kubectl get secret -o yaml prints them.
    r = _assemble("deploy/secret-data.yaml", ["apiVersion: v1", "kind: Secret", "metadata:", f"  name: {s.app}-env",
                                             "type: Opaque", "data:"],
                  _c(s, lambda k, v: f"  {k.upper()}: {_b64(v)}"), f"  {s.var.upper()}: {_b64(s.value)}", [""])
    return Rendered(r.path, r.lines, r.secret, r.related, _b64(s.value), "base64")


REGISTRIES = {"github": "ghcr.io", "gitlab": "registry.gitlab.com", "dockerhub": "https://index.docker.io/v1/",
              "jfrog": "tallyhq.jfrog.io", "azure_devops": "tallyhq.azurecr.io"}


def ctx_docker_config(s: Sample) -> Rendered:
    # ~/.docker/config.json after docker login: "auth" is base64 of user:token.
    auth = _b64(f"ci-bot:{s.value}")
    registry = REGISTRIES.get(s.provider, "registry.tallyhq.io")
    r = _assemble(".docker/config.json", ["{", '  "auths": {', f'    "{registry}": {{'],
                  None, f'      "auth": "{auth}"', ["    }", "  }", "}", ""])
    return Rendered(r.path, r.lines, r.secret, r.related, auth, "base64")


def ctx_ipynb(s: Sample) -> Rendered:
    return _assemble("notebooks/explore.ipynb", ["{", ' "cells": [', "  {", '   "cell_type": "code",',
                                                 '   "execution_count": 1,', '   "metadata": {},', '   "outputs": [],',
                                                 '   "source": [', '    "import os\\n",'],
                     _c(s, lambda k, v: f'    "os.environ[\\"{k.upper()}\\"] = \\"{v}\\"\\n",'),
                     f'    "os.environ[\\"{s.var.upper()}\\"] = \\"{s.value}\\"\\n",',
                     ['    "client = connect()"', "   ]", "  }", " ],", ' "nbformat": 4,', ' "nbformat_minor": 5', "}",
                      ""])


def ctx_kaggle_json(s: Sample) -> Rendered:
    return _assemble(".kaggle/kaggle.json", [], None, f'{{"username":"{s.app}team","key":"{s.value}"}}', [""])


def ctx_npmrc(s: Sample) -> Rendered:
    return _assemble(".npmrc", ["registry=https://registry.npmjs.org/"], None,
                     f"//registry.npmjs.org/:_authToken={s.value}", ["save-exact=true", ""])


def ctx_pypirc(s: Sample) -> Rendered:
    return _assemble(".pypirc", ["[distutils]", "index-servers = pypi", "", "[pypi]", "username = __token__"],
                     None, f"password = {s.value}", [""])


def ctx_netrc_wandb(s: Sample) -> Rendered:
    return _assemble(".netrc", ["machine api.wandb.ai", "  login user"], None, f"  password {s.value}", [""])


def ctx_gcp_sa_json(s: Sample) -> Rendered:
    return _assemble("secrets/service-account.json",
                     ["{", '  "type": "service_account",', '  "project_id": "acme-prod-4821",',
                      f'  "private_key_id": "{hashlib.sha1(s.value.encode()).hexdigest()}",'],
                     None, f'  "private_key": "{s.value}",',
                     ['  "client_email": "deployer@acme-prod-4821.iam.gserviceaccount.com",',
                      '  "client_id": "108734598723459812345",', '  "token_uri": "https://oauth2.googleapis.com/token"',
                      "}", ""])


def ctx_pem_file(s: Sample) -> Rendered:
    return _assemble("certs/server.key" if "OPENSSH" not in s.value else ".ssh/id_ed25519", [], None, s.value, [""])


def ctx_pem_yaml(s: Sample) -> Rendered:
    block = "\n".join("      " + line for line in s.value.split("\n"))
    return _assemble("deploy/values.yaml", ["tls:", "  enabled: true", f"  {snake(s.var)}: |"], None, block,
                     ["  port: 8443", ""])


def ctx_pem_python(s: Sample) -> Rendered:
    first, _, rest = s.value.partition("\n")
    return _assemble("tests/keys.py", ["# signing key for the staging webhooks"], None,
                     f'{s.var.upper()} = """{first}\n{rest}"""', [""])


def ctx_pem_env(s: Sample) -> Rendered:
    return _assemble(".env", ["APP_ENV=staging"], None, f'{s.var.upper()}="{s.value}"', [""])


def _param(var: str) -> str:
    low = var.lower()
    if "token" in low:
        return "access_token"
    return "secret" if "secret" in low else "password" if "pass" in low else "api_key"


def ctx_yaml_nested(s: Sample) -> Rendered:
    # The provider's name is the section; the key itself says only token/key/secret.
    return _assemble("config/integrations.yaml", ["integrations:", f"  {s.provider}:", "    enabled: true"],
                     _c(s, lambda k, v: f"    id: {v}"), f"    {_param(s.var).split('_')[-1]}: {s.value}",
                     ["    retries: 3", ""])


def ctx_python_client(s: Sample) -> Rendered:
    mod = s.provider.split("_")[0]
    return _assemble(f"{s.app}/clients.py", [f"import {mod}", ""],
                     _c(s, lambda k, v: f'{mod}_id = "{v}"'), f'client = {mod}.Client({_param(s.var)}="{s.value}")',
                     ["", "", "def ping() -> bool:", "    return client.ping()", ""])


def ctx_terraform_provider(s: Sample) -> Rendered:
    return _assemble("infra/providers.tf", [f'provider "{s.provider}" {{'],
                     _c(s, lambda k, v: f'  {snake(k)} = "{v}"'), f'  {_param(s.var)} = "{s.value}"', ["}", ""])


def ctx_php(s: Sample) -> Rendered:
    return _assemble("config/services.php", ["<?php", "", "return ["],
                     _c(s, lambda k, v: f"    '{snake(k)}' => '{v}',"), f"    '{snake(s.var)}' => '{s.value}',",
                     ["];", ""])


def ctx_ruby(s: Sample) -> Rendered:
    return _assemble("config/initializers/services.rb", ["# frozen_string_literal: true", ""],
                     _c(s, lambda k, v: f"ENV['{k.upper()}'] ||= '{v}'"), f"ENV['{s.var.upper()}'] ||= '{s.value}'",
                     ["Rails.application.config.x.region = 'eu-west-1'", ""])


def ctx_kubectl(s: Sample) -> Rendered:
    comp = f" \\\n  --from-literal={s.comp_var.upper()}={s.comp_value}" if s.comp_var else ""
    lines = f"kubectl -n prod create secret generic {s.app}-env{comp} \\\n  --from-literal={s.var.upper()}={s.value}"
    parts = lines.split("\n")
    r = _assemble("ops/bootstrap.sh", ["#!/usr/bin/env bash", "set -e"], None, lines,
                  ["kubectl -n prod rollout restart deploy/api", ""])
    # The secret is on the last command line; the companion (if any) on the one before.
    last = r.secret + len(parts) - 1
    return Rendered(r.path, r.lines, last, [i for i in range(r.secret, last)])


def ctx_json_escaped_env(s: Sample) -> Rendered:
    comp = f"{s.comp_var.upper()}={s.comp_value}\\n" if s.comp_var else ""
    return _assemble(".vscode/launch.json",
                     ["{", '  "version": "0.2.0",', '  "configurations": [{', '    "name": "api",'],
                     None, f'    "envText": "NODE_ENV=development\\n{comp}{s.var.upper()}={s.value}\\nPORT=3000"',
                     ["  }]", "}", ""])


def ctx_url_query(s: Sample) -> Rendered:
    return _assemble(".env", ["NODE_ENV=production"], _c(s, lambda k, v: f"{k.upper()}={v}"),
                     f"{s.provider.upper()}_ENDPOINT=https://api.tallyhq.io/v2/events?{_param(s.var)}={s.value}&source=web",
                     [""])


def ctx_yaml_block(s: Sample) -> Rendered:
    r = _assemble("helm/values.yaml", ["env:", f"  {s.var.upper()}: >-"], None, f"    {s.value}",
                  ["  LOG_LEVEL: info", ""])
    return Rendered(r.path, r.lines, r.secret, [r.secret - 1])


def ctx_kubeconfig(s: Sample) -> Rendered:
    return _assemble(".kube/config", ["apiVersion: v1", "kind: Config", "clusters:", "- cluster:",
                                      "    server: https://10.0.12.4:6443", "  name: prod", "users:", "- name: ci",
                                      "  user:"], None, f"    token: {s.value}", ["current-context: prod", ""])


def ctx_curl_basic(s: Sample) -> Rendered:
    return _assemble("scripts/backup.sh", ["#!/bin/sh", "set -e"], None,
                     f"curl -fsS -u deploy:{s.value} -o backup.tgz https://files.tallyhq.io/backup/latest.tgz", [""])


def ctx_mysql_cli(s: Sample) -> Rendered:
    return _assemble("scripts/dump.sh", ["#!/bin/sh"], None,
                     f"mysqldump -h db.internal -u reporting -p{s.value} analytics > analytics.sql", [""])


def ctx_sshpass(s: Sample) -> Rendered:
    return _assemble("scripts/rotate_logs.sh", ["#!/bin/bash"], None,
                     f"sshpass -p '{s.value}' ssh -o StrictHostKeyChecking=no ops@10.0.3.17 "
                     "'logrotate -f /etc/logrotate.conf'", [""])


def ctx_docker_login(s: Sample) -> Rendered:
    return _assemble("ci/publish.sh", ["#!/bin/sh", "set -eu"], None,
                     f"docker login -u ci-bot -p {s.value} registry.tallyhq.io",
                     ["docker push registry.tallyhq.io/api:latest", ""])


def ctx_powershell(s: Sample) -> Rendered:
    return _assemble("deploy/Connect.ps1", ["$user = 'svc-deploy'"], None,
                     f"$secure = ConvertTo-SecureString '{s.value}' -AsPlainText -Force",
                     ["$cred = New-Object System.Management.Automation.PSCredential($user, $secure)", ""])


def ctx_netrc(s: Sample) -> Rendered:
    return _assemble(".netrc", ["machine ftp.tallyhq.io"], None, f"  login deploy password {s.value}", [""])


def ctx_pgpass(s: Sample) -> Rendered:
    return _assemble(".pgpass", [], None, f"db-primary.internal:5432:app:app_rw:{s.value}", [""])


def ctx_htpasswd(s: Sample) -> Rendered:
    return _assemble("nginx/.htpasswd", ["admin:" + s.comp_value] if s.comp_value else [], None, f"deploy:{s.value}",
                     [""])


def ctx_shadow(s: Sample) -> Rendered:
    return _assemble("rootfs/etc/shadow", ["root:*:19500:0:99999:7:::", "daemon:*:19500:0:99999:7:::"], None,
                     f"deploy:{s.value}:19500:0:99999:7:::", [""])


def ctx_fixture(s: Sample) -> Rendered:
    return _assemble("fixtures/users.json", ["[", "  {", '    "model": "auth.user",', '    "pk": 1,', '    "fields": {',
                                             '      "username": "admin",'], None, f'      "password": "{s.value}",',
                     ['      "is_superuser": true', "    }", "  }", "]", ""])


def ctx_sql_insert(s: Sample) -> Rendered:
    return _assemble("db/seed.sql", ["-- initial admin"], None,
                     f"INSERT INTO users (email, password_hash) VALUES ('admin@tallyhq.io', '{s.value}');", [""])


CONTEXTS: dict[str, Callable[[Sample], Rendered]] = {
    "env": ctx_env, "env_quoted": ctx_env_quoted, "shell": ctx_shell, "yaml": ctx_yaml, "yaml_ci": ctx_yaml_ci,
    "compose": ctx_compose, "k8s": ctx_k8s, "json": ctx_json, "python": ctx_python, "python_call": ctx_python_call,
    "js": ctx_js, "ts": ctx_ts, "go": ctx_go, "java": ctx_java, "dockerfile": ctx_dockerfile,
    "terraform": ctx_terraform, "toml": ctx_toml, "properties": ctx_properties, "xml": ctx_xml,
    "makefile": ctx_makefile, "curl": ctx_curl, "curl_url": ctx_curl_url, "npmrc": ctx_npmrc, "pypirc": ctx_pypirc,
    "netrc_wandb": ctx_netrc_wandb, "gcp_sa_json": ctx_gcp_sa_json, "pem_file": ctx_pem_file,
    "pem_yaml": ctx_pem_yaml, "pem_python": ctx_pem_python, "pem_env": ctx_pem_env,
    "yaml_nested": ctx_yaml_nested, "python_client": ctx_python_client, "terraform_provider": ctx_terraform_provider,
    "php": ctx_php, "ruby": ctx_ruby, "kubectl": ctx_kubectl, "json_escaped_env": ctx_json_escaped_env,
    "url_query": ctx_url_query, "yaml_block": ctx_yaml_block, "kubeconfig": ctx_kubeconfig,
    "curl_basic": ctx_curl_basic, "mysql_cli": ctx_mysql_cli, "sshpass": ctx_sshpass, "docker_login": ctx_docker_login,
    "powershell": ctx_powershell, "netrc": ctx_netrc, "pgpass": ctx_pgpass, "htpasswd": ctx_htpasswd,
    "shadow": ctx_shadow, "fixture": ctx_fixture, "sql_insert": ctx_sql_insert,
    "python_requests": ctx_python_requests, "js_fetch": ctx_js_fetch, "java_setproperty": ctx_java_setproperty,
    "plist": ctx_plist, "k8s_data": ctx_k8s_data, "docker_config": ctx_docker_config, "ipynb": ctx_ipynb,
    "kaggle_json": ctx_kaggle_json,
}
TOKEN_CONTEXTS = ("env", "env_quoted", "shell", "yaml", "yaml_ci", "compose", "k8s", "json", "python", "python_call",
                  "js", "ts", "go", "java", "dockerfile", "terraform", "toml", "properties", "xml", "makefile",
                  "yaml_nested", "python_client", "terraform_provider", "php", "ruby", "kubectl", "json_escaped_env",
                  "url_query", "yaml_block", "java_setproperty", "plist", "k8s_data", "ipynb", "python_requests",
                  "js_fetch", "curl")
URL_CONTEXTS = ("env", "env_quoted", "shell", "yaml", "compose", "k8s", "json", "python", "js", "go", "java",
                "dockerfile", "terraform", "toml", "properties", "k8s_data", "ipynb")
PEM_CONTEXTS = ("pem_file", "pem_yaml", "pem_python", "pem_env")


# Contexts with no place for a companion identifier; a key pair (AWS, Twilio, Plaid…) is never used
# alone as a bearer token either.
NO_COMPANION = frozenset({"plist", "yaml_block", "curl", "python_requests", "js_fetch"})


def contexts_for(f: Format) -> tuple[str, ...]:
    if f.contexts:
        return f.contexts
    if f.companion and f.shape == "token":
        return tuple(c for c in TOKEN_CONTEXTS if c not in NO_COMPANION)
    if f.shape == "pem":
        return PEM_CONTEXTS
    if f.shape == "url":
        return URL_CONTEXTS + (("curl_url",) if f.template.startswith("https://") else ())
    return TOKEN_CONTEXTS


# Look-alikes -------------------------------------------------------------------------------------

# Published example keys, each with the page that publishes it. Not secrets: report none of them.
PUBLISHED = [
    ("aws", "AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE",
     "AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
     "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html"),
    ("aws", "AWS_ACCESS_KEY_ID", "AKIAI44QH8DHBEXAMPLE",
     "AWS_SECRET_ACCESS_KEY", "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
     "https://docs.aws.amazon.com/IAM/latest/UserGuide/security-creds.html"),
    ("azure", "", "", "AZURE_STORAGE_CONNECTION_STRING",
     "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6"
     "IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;",
     "https://learn.microsoft.com/en-us/azure/storage/common/storage-use-azurite#connection-strings"),
    ("jwt", "", "", "EXAMPLE_JWT",
     "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ"
     ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c", "https://jwt.io/introduction"),
]
PLACEHOLDER_WORDS = ["<your-api-key>", "YOUR_API_KEY_HERE", "your-token-here", "changeme", "REPLACE_ME", "<token>",
                     "********", "TODO", "xxxxxxxxxxxxxxxxxxxxxxxx", "<insert secret>", "dummy", "example-key"]
REFERENCE_LINES = {  # a context's way of reading the value from elsewhere instead of holding it
    "env": "{V}=${{{V}}}", "shell": 'export {V}="${{{V}:?missing}}"', "yaml_ci": "      {V}: ${{{{ secrets.{V} }}}}",
    "python": '{V} = os.environ["{V}"]', "js": "const {c} = process.env.{V};", "go": '\t{c} = os.Getenv("{V}")',
    "terraform": "  default   = var.{s}", "compose": "      - {V}=${{{V}}}", "k8s": "  {V}: \"{{{{ .Values.{s} }}}}\"",
}


def _png_b64(rng: random.Random) -> str:
    raw = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + rng.randbytes(rng.randint(120, 400))
    return base64.b64encode(raw).decode()


Marks = list[int | tuple[int, ...]]


def placeholder_files(rng: random.Random, formats: list[Format]) -> list[tuple[str, Rendered, Marks, str]]:
    """Placeholders of these formats: a real prefix and shape with the random part blanked, a
    filler word, or a reference to a variable or secret store."""
    out: list[tuple[str, Rendered, Marks, str]] = []
    token_formats = [f for f in formats if f.shape == "token" and not f.contexts]
    fill = ["x", "X", "0", "*"]
    for n in range(48):
        f = token_formats[n * 7 % len(token_formats)]
        if n % 3 == 2:
            value = rng.choice(PLACEHOLDER_WORDS)
        else:
            value = expand(f.template, rng, placeholder=fill[n % 4])
        ctx = TOKEN_CONTEXTS[n % (len(TOKEN_CONTEXTS) - 1)]
        r = CONTEXTS[ctx](Sample(f.variables[n % len(f.variables)], value, provider=f.provider))
        out.append(("placeholder", r, [r.secret], f.provider))
    for n, (ctx, line) in enumerate(sorted(REFERENCE_LINES.items()) * 2):
        f = token_formats[(n * 5 + 3) % len(token_formats)]
        v = f.variables[0]
        r = CONTEXTS[ctx](Sample(v, "PLACEHOLDER"))
        r.lines[r.secret] = line.format(V=v.upper(), c=camel(v), s=snake(v))
        out.append(("placeholder", r, [r.secret], f.provider))
    return out


def negative_files(rng: random.Random, formats: list[Format]) -> list[tuple[str, Rendered, Marks, str]]:
    """(kind, rendered file, the 0-based lines that hold a look-alike, provider) for every negative sample.

    A mark that is a tuple is one multi-line look-alike (a PEM block): its first line, then the others."""
    out = placeholder_files(rng, formats)
    # Published example keys, in the places docs get pasted into.
    for n in range(16):
        prov, kv, kval, sv, sval, _src = PUBLISHED[n % len(PUBLISHED)]
        ctx = ("env", "python", "yaml", "shell", "json", "java", "terraform", "dockerfile")[n % 8]
        r = CONTEXTS[ctx](Sample(sv, sval, kv, kval))
        out.append(("published_example", r, [r.secret, *r.related], prov))

    # Git commit SHAs where code names them.
    sha_lines = [
        ("go.mod", ["module example.com/api", "", "go 1.22", "", "require ("],
         lambda h: f"\tgithub.com/acme/kit v0.0.0-20240611093012-{h[:12]}", [")", ""]),
        (".github/workflows/ci.yml", ["jobs:", "  test:", "    runs-on: ubuntu-latest", "    steps:"],
         lambda h: f"      - uses: actions/checkout@{h} # v4.1.7", ["      - run: make test", ""]),
        ("argocd/app.yaml", ["apiVersion: argoproj.io/v1alpha1", "kind: Application", "spec:", "  source:",
                             "    repoURL: https://github.com/acme/deploy.git"],
         lambda h: f"    targetRevision: {h}", ["    path: k8s", ""]),
        ("version.py", ['"""Build metadata, written by CI."""', ""], lambda h: f'GIT_COMMIT_SHA = "{h}"',
         ['BUILD_DATE = "2024-06-11"', ""]),
        ("CHANGELOG.md", ["# Changelog", "", "## 2.3.1"], lambda h: f"- Fix retry loop on 502 ({h})", [""]),
        ("package.json", ["{", '  "name": "web",', '  "dependencies": {'],
         lambda h: f'    "ui-kit": "git+https://github.com/acme/ui-kit.git#{h}"', ["  }", "}", ""]),
    ]
    for n in range(30):
        path, head, mk, tail = sha_lines[n % len(sha_lines)]
        r = _assemble(path, head, None, mk(rng.randbytes(20).hex()), tail)
        out.append(("git_sha", r, [r.secret], ""))

    # File hashes: checksums of downloads and artefacts.
    hash_lines = [
        ("SHA256SUMS", [], lambda: f"{rng.randbytes(32).hex()}  tool_{rng.randint(1, 9)}.2.0_linux_amd64.tar.gz", []),
        ("Dockerfile", ["FROM debian:12-slim", "ARG TOOL_VERSION=1.6.2"],
         lambda: f'RUN echo "{rng.randbytes(32).hex()}  tool.tar.gz" | sha256sum -c -',
         ["RUN tar xzf tool.tar.gz", ""]),
        ("Formula/tool.rb", ["class Tool < Formula", '  url "https://example.com/tool-1.2.0.tar.gz"'],
         lambda: f'  sha256 "{rng.randbytes(32).hex()}"', ["end", ""]),
        ("WORKSPACE", ["http_archive(", '    name = "rules_tool",'],
         lambda: f'    sha256 = "{rng.randbytes(32).hex()}",',
         ['    urls = ["https://example.com/rules_tool.tar.gz"],', ")", ""]),
        ("assets/manifest.json", ["{", '  "file": "logo.svg",'], lambda: f'  "md5": "{rng.randbytes(16).hex()}",',
         ['  "size": 4211', "}", ""]),
        ("cache/meta.yml", ["object: reports/2024-06.csv"], lambda: f'etag: "{rng.randbytes(16).hex()}"', [""]),
        ("web/index.html", ["<head>"], lambda: f'  <script src="https://cdn.jsdelivr.net/npm/htmx.org@2.0.0" '
         f'integrity="sha384-{base64.b64encode(rng.randbytes(48)).decode()}" crossorigin="anonymous"></script>',
         ["</head>", ""]),
    ]
    for n in range(35):
        path, head, mk, tail = hash_lines[n % len(hash_lines)]
        r = _assemble(path, head, None, mk(), tail)
        out.append(("file_hash", r, [r.secret], ""))

    # UUIDs that identify things, not authenticate.
    uuid_lines = [
        ("fixtures/orders.json", ["[", "  {"], lambda u: f'    "id": "{u}",', ['    "total": 1299', "  }", "]", ""]),
        ("deploy/pod.yaml", ["metadata:", "  name: api-7d9f"], lambda u: f"  uid: {u}", [""]),
        ("logs/sample.log", ["2024-06-11T09:30:12Z INFO request started"],
         lambda u: f"request_id={u} status=200", [""]),
        ("infra/providers.tf", ['provider "azurerm" {', "  features {}"],
         lambda u: f'  subscription_id = "{u}"', ["}", ""]),
        ("tests/test_orders.py", ["def test_lookup(client):"], lambda u: f'    order = client.get("/orders/{u}")',
         ["    assert order.status_code == 200", ""]),
        (".env", ["APP_ENV=dev"], lambda u: f"AZURE_TENANT_ID={u}", [""]),
    ]
    for n in range(30):
        path, head, mk, tail = uuid_lines[n % len(uuid_lines)]
        r = _assemble(path, head, None, mk(_uuid(rng)), tail)
        out.append(("uuid", r, [r.secret], ""))

    # Lockfile integrity hashes: several per file, each labelled.
    def lock(kind: int) -> Rendered:
        pkgs = ["left-pad", "lodash.merge", "chalk", "semver", "debug"]
        lines: list[str] = []
        marks: list[int] = []
        for p in pkgs[: 2 + kind % 3]:
            sha512 = base64.b64encode(rng.randbytes(64)).decode()
            if kind % 4 == 0:
                lines += [f'    "node_modules/{p}": {{', '      "version": "1.0.3",',
                          f'      "resolved": "https://registry.npmjs.org/{p}/-/{p}-1.0.3.tgz",']
                marks.append(len(lines))
                lines += [f'      "integrity": "sha512-{sha512}"', "    },"]
            elif kind % 4 == 1:
                lines += [f'"{p}@^1.0.0":', "  version \"1.0.3\""]
                marks.append(len(lines))
                lines += [f"  integrity sha512-{sha512}", ""]
            elif kind % 4 == 2:
                h1 = base64.b64encode(rng.randbytes(32)).decode()
                marks.append(len(lines))
                lines += [f"github.com/acme/{p.replace('.', '')} v1.0.3 h1:{h1}"]
            else:
                lines += ["[[package]]", f'name = "{p}"', 'version = "1.0.3"']
                marks.append(len(lines))
                digest = rng.randbytes(32).hex()
                lines += [f'files = [{{file = "{p}-1.0.3-py3-none-any.whl", hash = "sha256:{digest}"}}]', ""]
        name = ["package-lock.json", "yarn.lock", "go.sum", "poetry.lock"][kind % 4]
        return Rendered(name, [*lines, ""], marks[0], marks[1:])

    for n in range(28):
        r = lock(n)
        out.append(("lockfile_integrity", r, [r.secret, *r.related], ""))

    # Base64 images inline in CSS, HTML, JS, Markdown.
    for n in range(20):
        b = _png_b64(rng)
        path, head, line, tail = [
            ("web/styles.css", [".logo {", "  width: 32px;"], f"  background-image: url(data:image/png;base64,{b});",
             ["}", ""]),
            ("web/index.html", ["<header>"], f'  <img alt="logo" src="data:image/png;base64,{b}">', ["</header>", ""]),
            ("web/icons.js", ["// generated by the icon build"], f"export const logo = 'data:image/png;base64,{b}';",
             [""]),
            ("README.md", ["# Acme", ""], f"![badge](data:image/png;base64,{b})", [""]),
        ][n % 4]
        r = _assemble(path, head, None, line, tail)
        out.append(("base64_image", r, [r.secret], ""))

    # Encrypted secrets, safe to commit: SOPS values, Ansible Vault files, Sealed Secrets.
    def b64(n: int) -> str:
        return base64.b64encode(rng.randbytes(n)).decode()

    for n in range(21):
        if n % 3 == 0:
            r = _assemble("secrets/prod.enc.yaml", ["db:", "  user: app"], None,
                          f"  password: ENC[AES256_GCM,data:{b64(rng.randint(12, 40))},iv:{b64(32)},"
                          f"tag:{b64(16)},type:str]",
                          ["sops:", "  version: 3.9.0", ""])
            marks: Marks = [r.secret]
        elif n % 3 == 1:
            body = rng.randbytes(rng.randint(3, 6) * 40).hex()
            lines = [body[i:i + 80] for i in range(0, len(body), 80)]
            r = _assemble("group_vars/prod/vault.yml", [], None, "\n".join(["$ANSIBLE_VAULT;1.1;AES256", *lines]), [""])
            marks = [(r.secret, *r.related)]
        else:
            r = _assemble("deploy/sealed-secret.yaml", ["apiVersion: bitnami.com/v1alpha1", "kind: SealedSecret",
                                                       "spec:", "  encryptedData:"], None,
                          f"    DB_PASSWORD: AgB{b64(rng.randint(500, 560))}", ["  template:", "    type: Opaque", ""])
            marks = [r.secret]
        out.append(("encrypted", r, marks, ""))

    # Public keys and certificates: PEM armour and base64 that are not secret at all.
    for n in range(21):
        if n % 3 == 0:
            key = base64.b64encode(b"\x00\x00\x00\x0bssh-ed25519\x00\x00\x00\x20" + rng.randbytes(32)).decode()
            r = _assemble("deploy/authorized_keys", [], None, f"ssh-ed25519 {key} ci@build-{rng.randint(1, 9)}", [""])
        elif n % 3 == 1:
            r = _assemble("certs/signing.pub", [], None, _pem("PUBLIC KEY", bytes.fromhex(
                "3059301306072a8648ce3d020106082a8648ce3d030107034200") + b"\x04" + rng.randbytes(64)), [""])
        else:
            r = _assemble("certs/ca.crt", [], None, _pem("CERTIFICATE", _der_seq(rng.randbytes(700))), [""])
        out.append(("public_key", r, [(r.secret, *r.related)], ""))

    # Public identifiers that look random: OAuth client IDs, analytics IDs, object IDs, account IDs.
    id_lines = [
        lambda: (f"GOOGLE_CLIENT_ID={rng.randint(10**11, 10**12 - 1)}-{_rand(rng, ALPHABETS['alnum_lower'], 32)}"
                 ".apps.googleusercontent.com"),
        lambda: f"GA_MEASUREMENT_ID=G-{_rand(rng, ALPHABETS['alnum_upper'], 10)}",
        lambda: f"STRIPE_PRICE_ID=price_1{_rand(rng, ALPHABETS['base62'], 23)}",
        lambda: f"SLACK_CHANNEL_ID=C0{_rand(rng, ALPHABETS['alnum_upper'], 9)}",
        lambda: f"AWS_ROLE_ARN=arn:aws:iam::{rng.randint(10**11, 10**12 - 1)}:role/deploy",
        lambda: f"ETH_CONTRACT_ADDRESS=0x{rng.randbytes(20).hex()}",
        lambda: f"ALGOLIA_INDEX_NAME=prod_{_rand(rng, ALPHABETS['lower'], 8)}",
        lambda: f"SENTRY_RELEASE={rng.randbytes(20).hex()}",
    ]
    for n in range(32):
        r = _assemble(".env", ["# public identifiers, safe to commit", "APP_ENV=production"], None,
                      id_lines[n % len(id_lines)](), [""])
        out.append(("public_id", r, [r.secret], ""))
    return out


# Build ---------------------------------------------------------------------------------------------


@dataclass
class Label:
    file: str
    line: int
    provider: str
    secret: str  # sha256 hex of the secret, or "negative"
    category: str
    credential: str
    context: str
    kind: str = "positive"
    related: list[int] = field(default_factory=list)
    encoding: str = ""  # "base64": the line holds the secret base64-encoded (alone or as user:secret)
    value: str = field(default="", repr=False)  # the secret itself: kept in memory, never in the manifest
    shown: str = field(default="", repr=False)  # the encoded form written in the file, if any
    set: str = "formats"  # the formats file it comes from (formats.toml, or formats/<set>.toml)

    def record(self) -> dict[str, object]:
        return {k: v for k, v in self.__dict__.items() if k not in ("value", "shown")}


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def generate(seed: int = SEED, per_format: int = PER_FORMAT, formats: list[Format] | None = None,
             only: Collection[str] = ()) -> tuple[dict[str, str], list[Label]]:
    """Every file (relative path -> text) and every label; deterministic for a seed. Without
    ``formats``: formats.toml, then each set in formats/ (``more_sets``); ``only``: these sets."""
    files: dict[str, str] = {}
    labels: list[Label] = []
    sets = [("formats", load_formats() if formats is None else formats)]
    if formats is None:
        sets += more_sets()
    if only:
        if unknown := set(only) - {name for name, _ in sets}:
            names = ", ".join(n for n, _ in sets)
            raise SystemExit(f"no such formats set: {', '.join(sorted(unknown))} (the sets: {names})")
        sets = [(name, fmts) for name, fmts in sets if name in only]
    for name, fmts in sets:
        # formats.toml's stream is the seed alone, as it was before there were other sets.
        rng = random.Random(seed if name == "formats" else f"{seed}/{name}")
        _generate_set(name, fmts, rng, per_format, files, labels, everything=name == "formats")
    return files, labels


def more_sets(folder: Path = MORE_FORMATS) -> list[tuple[str, list[Format]]]:
    return [(p.stem, load_formats(p)) for p in sorted(folder.glob("*.toml"))]


def _generate_set(name: str, formats: list[Format], rng: random.Random, per_format: int,
                  files: dict[str, str], labels: list[Label], *, everything: bool) -> None:
    """One set's positives, then its look-alikes: every kind for the first set, the placeholders
    of its own formats for the others (the published keys, hashes and IDs do not depend on them)."""
    apps = ["billing", "search", "ingest", "payments", "notify", "reports", "auth", "gateway"]

    def add(rendered: Rendered) -> str:
        path = f"s{len(files) + 1:04d}/{rendered.path}"
        files[path] = "\n".join(rendered.lines)
        return path

    for fi, f in enumerate(formats):
        ctxs = contexts_for(f)
        offset = rng.randrange(len(ctxs))
        # A format's extra contexts first, then the rotation from a random place.
        order = [*f.extra_contexts, *(ctxs[(offset + i) % len(ctxs)] for i in range(len(ctxs)))]
        for k in range(f.samples or per_format):
            ctx = order[k % len(order)]
            value = expand(f.template, rng)
            sample = Sample(f.variables[k % len(f.variables)], value, header=f.header, app=apps[(fi + k) % len(apps)],
                            provider=f.provider)
            if f.companion:
                sample.comp_var = f.companion_variables[k % len(f.companion_variables)]
                sample.comp_value = expand(f.companion, rng)
            r = CONTEXTS[ctx](sample)
            path = add(r)
            labels.append(Label(path, r.secret + 1, f.provider, sha256(value), f.category, f.credential, ctx,
                                related=[i + 1 for i in r.related], encoding=r.encoding, value=value, shown=r.shown,
                                set=name))

    negatives = negative_files(rng, formats) if everything else placeholder_files(rng, formats)
    for kind, r, marks, provider in negatives:
        path = add(r)
        for m in marks:
            first, *rest = m if isinstance(m, tuple) else (m,)
            labels.append(Label(path, first + 1, provider, "negative", "negative", "", r.path.rsplit("/", 1)[-1], kind,
                                related=[x + 1 for x in rest], value=r.lines[first], set=name))


def write(out: Path, files: dict[str, str], labels: list[Label]) -> None:
    if out.exists():
        shutil.rmtree(out)
    for rel, text in files.items():
        p = out / "files" / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    with (out / "labels.jsonl").open("w", encoding="utf-8") as fh:
        for lab in labels:
            fh.write(json.dumps(lab.record(), sort_keys=True) + "\n")


_NAME_PUNCT = str.maketrans("", "", "_.-")
CATEGORIES = frozenset({"ai", "ci-cd", "cloud", "data", "keys", "messaging", "observability", "password_hashes",
                        "passwords", "payments", "saas"})


def check(path: Path) -> list[str]:
    """What is wrong with a formats file (empty when nothing is); prints each format's shape."""
    try:
        formats = load_formats(path)
    except (OSError, KeyError, TypeError, ValueError) as exc:  # tomllib's errors are ValueErrors
        return [f"{path}: {type(exc).__name__}: {exc}"]
    problems: list[str] = []
    seen: set[tuple[str, str]] = set()
    rng = random.Random(0)
    for f in formats:
        where = f"{path}: {f.provider} ({f.credential})"
        if (f.provider, f.credential) in seen:
            problems.append(f"{where}: listed twice")
        seen.add((f.provider, f.credential))
        if not f.provider.replace("_", "").isalnum() or f.provider != f.provider.lower():
            problems.append(f"{where}: provider must be a lower-case id")
        if f.category not in CATEGORIES:
            problems.append(f"{where}: category {f.category!r} is not one of {sorted(CATEGORIES)}")
        if not f.source.startswith("https://"):
            problems.append(f"{where}: source must be an https:// page")
        if not f.variables or not all(v and v.translate(_NAME_PUNCT).isalnum() for v in f.variables):
            problems.append(f"{where}: variables must be names (letters, digits, _ . -)")
        if bad := [c for c in (*f.contexts, *f.extra_contexts) if c not in CONTEXTS]:
            problems.append(f"{where}: unknown contexts {bad}")
        try:
            shape = expand(f.template, rng, placeholder="x")
            expand(f.template, rng)
            if f.companion:
                expand(f.companion, rng)
        except (KeyError, ValueError, IndexError) as exc:
            problems.append(f"{where}: template does not expand ({type(exc).__name__}: {exc})")
            continue
        print(f"{f.provider:<24} {len(shape):>4}  {shape[:100]}")
    return problems


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output folder (default {DEFAULT_OUT})")
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--per-format", type=int, default=PER_FORMAT, help="positives per format (default 5)")
    ap.add_argument("--sets", nargs="+", default=[], metavar="SET", help="only these sets (formats, longtail-1, …)")
    ap.add_argument("--check", type=Path, metavar="FILE", help="check a formats file and print each format's shape")
    args = ap.parse_args()
    if args.check:
        problems = check(args.check)
        for line in problems:
            print(line, file=sys.stderr)
        raise SystemExit(2 if problems else 0)
    files, labels = generate(args.seed, args.per_format, only=args.sets)
    write(args.out, files, labels)
    pos = [lab for lab in labels if lab.secret != "negative"]
    print(f"{len(files)} files, {len(pos)} positives ({len({lab.provider for lab in pos})} providers), "
          f"{len(labels) - len(pos)} negative lines -> {args.out}")


if __name__ == "__main__":
    main()
