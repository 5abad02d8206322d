"""Issue 17, item 18: in SARIF, a file named ``javascript:alert(1)`` became an absolute ``javascript:``
URI, and ``[text](url)`` in a name stayed a live link in messages. Every artifact URI is now a
relative reference under %SRCROOT%, and messages escape SARIF's embedded-link syntax (3.11.6)."""

from __future__ import annotations

import json
import re
from urllib.parse import unquote_to_bytes, urljoin, urlsplit

from tests.helpers import Repo, run_cli
from tests.integrations.helpers import HF
from tests.reports.sample import sample_result
from tests.reports.test_sarif import URI_CHARS, validate
from tokenreach.reports import sarif
from tokenreach.scanner.model import Location

NAMES = (
    "javascript:alert(1)",
    "JaVaScRiPt:alert(document.domain)//x.env",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox",
    "C:x.env",
    "https://evil.example/x",
    "//evil.example/share/x",
    "/etc/passwd",
    "a b#frag?q=1%41.env",
    "[click me](https://evil.example)",
    "back\\slash.env",
    "bad\udcff.env",  # a byte that was not UTF-8
)
# An unescaped '[' or ']' in a plain-text message would be SARIF's embedded-link syntax.
BARE_BRACKET = re.compile(r"(?<!\\)(?:\\\\)*[\[\]]")


def result_with(names):
    result = sample_result()
    f = result.findings[0]
    f.locations = [Location(name, i + 1, 1, "tracked") for i, name in enumerate(names)]
    f.reasons = [f"see [the docs](https://evil.example/{i})" for i in range(2)]
    result.stats.warnings.append("[x](javascript:alert(1)): cannot read")
    result.notices.append("note [y](https://evil.example)")
    return result


def uris_of(doc):
    out = []
    for r in doc["runs"][0]["results"]:
        for loc in r["locations"] + r.get("relatedLocations", []):
            out.append(loc["physicalLocation"]["artifactLocation"])
    return out


def messages_of(doc):
    run = doc["runs"][0]
    texts = [n["message"]["text"] for n in run["invocations"][0].get("toolExecutionNotifications", [])]
    for r in run["results"]:
        texts.append(r["message"]["text"])
        texts += [loc["message"]["text"] for loc in r["locations"] + r.get("relatedLocations", [])]
    return texts


def test_every_uri_is_relative_under_the_source_root():
    result = result_with(NAMES)
    doc = json.loads(sarif.render(result))
    validate(doc)
    locations = uris_of(doc)
    hostile = next(r for r in doc["runs"][0]["results"] if r["properties"]["fingerprint"] ==
                   result.findings[0].fingerprint)
    by_line = {loc["physicalLocation"]["region"]["startLine"]: loc["physicalLocation"]["artifactLocation"]
               for loc in hostile["locations"] + hostile["relatedLocations"]}
    assert len(by_line) == len(NAMES)
    for art in locations:
        uri = art["uri"]
        assert art["uriBaseId"] == "%SRCROOT%"
        assert URI_CHARS.match(uri), uri
        parts = urlsplit(uri)
        assert (parts.scheme, parts.netloc, parts.query, parts.fragment) == ("", "", "", ""), uri
        assert not uri.startswith("/"), uri
        assert urljoin("file:///src/repo/", uri).startswith("file:///src/repo/"), uri
    # The name itself is kept exactly: decoding the URI gives back its bytes.
    for line, name in enumerate(NAMES, start=1):
        assert unquote_to_bytes(by_line[line]["uri"]) == name.encode("utf-8", "surrogateescape"), name
    assert by_line[1]["uri"] == "javascript%3Aalert(1)"


def test_messages_escape_embedded_links():
    doc = json.loads(sarif.render(result_with(NAMES[:-1])))
    texts = messages_of(doc)
    assert any("\\[click me\\](https" in t for t in texts)
    assert any("\\[x\\](javascript" in t for t in texts)
    for text in texts:
        assert not BARE_BRACKET.search(text), text


def test_a_scanned_file_named_javascript(tmp_path):
    repo = Repo(tmp_path / "repo")
    repo.write("javascript:alert(1)", f"HF_TOKEN={HF}\n")
    repo.commit("a hostile name")
    out = tmp_path / "r.sarif"
    proc = run_cli(["scan", str(repo.root), "--offline", "--format", "sarif", "--output", str(out)])
    assert proc.returncode == 1, proc.stderr
    doc = json.loads(out.read_text())
    validate(doc)
    assert [a["uri"] for a in uris_of(doc)] == ["javascript%3Aalert(1)"]
