"""HTML: one self-contained file, every field shown, every hostile string inert.

The fast tests read the file as a browser's parser would (html.parser), and the findings' data the
page's script draws its cards from; the ``slow`` ones open it in a real headless Chromium: the
cards it draws, no console error (a CSP violation is one), filters from the URL hash change what
is shown, planted payloads never run, and a screenshot lands in docs/.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import struct
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.helpers import Repo, run_cli
from tests.reports.sample import HISTORY_COMMIT, PAYLOADS, SECRETS, empty_result, hostile_result, sample_result
from tests.reports.test_sarif import validate
from tokenreach.detectors.registry import all_detectors
from tokenreach.reports import html

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT = ROOT / "docs" / "report-screenshot.png"
INSTALL = ROOT / "tests" / "install_chromium.sh"


INLINE = {"a", "span", "strong", "code", "em", "b", "i"}


class Doc(HTMLParser):
    """Elements with their attributes, the raw text of each <script>/<style>, and the visible text."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.raw: dict[str, list[str]] = {"script": [], "style": []}
        self.text: list[str] = []
        self._in: str | None = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        if tag not in INLINE:
            self.text.append(" ")
        if tag in self.raw:
            self._in = tag
            self.raw[tag].append("")

    def handle_endtag(self, tag):
        if tag == self._in:
            self._in = None
        if tag not in INLINE:
            self.text.append(" ")

    def handle_data(self, data):
        if self._in:
            self.raw[self._in][-1] += data
        else:
            self.text.append(data)

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for t, attrs in self.elements if t == tag]

    @property
    def visible(self) -> str:
        return " ".join("".join(self.text).split())


def csp_of(doc: Doc) -> dict[str, list[str]]:
    meta = [m for m in doc.all("meta") if m.get("http-equiv") == "Content-Security-Policy"]
    assert len(meta) == 1
    policy: dict[str, list[str]] = {}
    for part in (meta[0]["content"] or "").split(";"):
        name, *values = part.split()
        policy[name] = values
    return policy


def sha256_source(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def page_data(text: str) -> dict:
    """The findings' data the page's script draws the cards from."""
    return json.loads(Doc(text).raw["script"][0])


RANKED = ["github", "railway", "stripe", "aws", "openai", "slack"]  # scanner/run.py order()


# Fast tests -----------------------------------------------------------------------------------


def test_self_contained_nothing_is_fetched():
    text = html.render(sample_result())
    doc = Doc(text)
    assert not doc.all("link") and not doc.all("img") and not doc.all("iframe")
    assert not any("src" in attrs for _, attrs in doc.elements), "no element may load a resource"
    css = doc.raw["style"][0]
    assert "url(" not in css and "@import" not in css
    revoke = {d.revoke_url for d in all_detectors() if d.revoke_url}
    for a in doc.all("a"):
        href = a["href"] or ""
        assert href.startswith("#") or href in revoke, href
        if not href.startswith("#"):
            assert a["rel"] == "noopener noreferrer"


def test_csp_allows_exactly_the_inline_script_and_style():
    doc = Doc(html.render(sample_result()))
    policy = csp_of(doc)
    code_scripts = [s for s, attrs in zip(doc.raw["script"], doc.all("script"), strict=True)
                    if attrs.get("type") != "application/json"]
    assert len(code_scripts) == 1 and len(doc.raw["style"]) == 1
    assert policy["default-src"] == ["'none'"]
    assert policy["script-src"] == [sha256_source(code_scripts[0])]
    assert policy["style-src"] == [sha256_source(doc.raw["style"][0])]
    assert policy["base-uri"] == ["'none'"] and policy["form-action"] == ["'none'"]
    assert "unsafe" not in json.dumps(policy)
    # No inline handler or style attribute: the CSP would block them, so none may be needed.
    for _, attrs in doc.elements:
        assert "style" not in attrs
        assert not any(name.startswith("on") for name in attrs)


def test_headline_summary_and_charts():
    doc = Doc(html.render(sample_result()))
    text = doc.visible
    assert "6 secrets found: 4 live, 2 over-privileged." in text
    assert ("The worst: a live GitHub personal access token (classic) in scripts/release.sh (tracked by git) "
            "as ada-acme: organization-wide (41 resources), can read, write, delete, administer.") in text
    assert len(doc.all("svg")) == 3
    descs = re.findall(r"<desc[^>]*>(.*?)</desc>", html.render(sample_result()))
    assert descs == ["Critical: 2; High: 1; Medium: 2; Info: 1",
                     "tracked: 3; ignored: 1; untracked: 1; history: 1",
                     "AWS: 1; GitHub: 1; OpenAI: 1; Railway: 1; Slack: 1; Stripe: 1"]
    # Each bar links to the filtered view.
    hrefs = [a["href"] for a in doc.all("a")]
    assert "#severity=critical" in hrefs and "#exposure=history" in hrefs and "#provider=railway" in hrefs


def test_findings_ranked_like_the_cli():
    assert [f["provider"] for f in page_data(html.render(sample_result()))["findings"]] == RANKED


def test_the_data_holds_every_field_of_a_finding():
    data = page_data(html.render(sample_result()))
    github = data["findings"][0]
    assert github["id"].startswith("f0-") and github["name"] == "GitHub personal access token (classic)"
    assert (github["severity"], github["live"], github["over"], github["value"]) == ("critical", "live", True,
                                                                                     "ghp_…I1tv")
    assert github["grants"] == ["repo", "delete_repo", "admin:org", "workflow"]
    assert github["resources"] == ["acme/shop", "acme/infra", "acme/website"] and github["resourcesMore"] == 38
    assert github["locations"] == [["scripts/release.sh", 12, 14, "tracked", "", "", "", ""]]
    assert data["lists"][github["remediation"]][0].startswith("Revoke or rotate this GitHub credential")
    aws = next(f for f in data["findings"] if f["provider"] == "aws")
    assert aws["locations"][0] == ["config/prod.env", 4, 23, "history", HISTORY_COMMIT, "Bob Builder", "2025-11-02",
                                   ""]


def test_no_secret_unless_asked():
    text = html.render(sample_result())
    for secret in SECRETS.values():
        assert secret not in text
    shown = html.render(sample_result(), show_secrets=True)
    for secret in SECRETS.values():
        assert secret in shown
    assert "holds full secrets: keep it private" in Doc(shown).visible


def test_hostile_strings_are_escaped_and_inert():
    text = html.render(hostile_result())
    for payload in PAYLOADS:
        assert payload not in text
    assert "<img" not in text and "<script>alert" not in text
    doc = Doc(text)
    assert not doc.all("img")
    assert [s.get("type") for s in doc.all("script")] == ["application/json", None]
    assert not any(name.startswith("on") for _, attrs in doc.elements for name in attrs)
    assert "/tmp/\"><img src=x onerror=alert(1)>" in doc.visible  # server-side text: escaped, shown
    # The JSON for the script holds the rest, with no character that could end its element; the
    # script shows them as text (test_hostile_cards_show_the_payloads_as_text).
    data_text = doc.raw["script"][0]
    assert "<" not in data_text and ">" not in data_text and "&" not in data_text
    data = json.loads(data_text)
    assert data["lists"][data["findings"][0]["remediation"]] == ["rotate </script><script>alert(2)</script>"]


def test_json_for_script_cannot_close_the_element():
    out = html.json_for_script({"a": "</script><!-- & \u2028"})
    assert out == '{"a":"\\u003c/script\\u003e\\u003c!-- \\u0026 \\u2028"}'
    assert json.loads(out) == {"a": "</script><!-- & \u2028"}


def test_empty_result_renders():
    doc = Doc(html.render(empty_result()))
    assert "No secrets found." in doc.visible
    assert not doc.all("article") and not doc.all("svg") and not doc.all("form")


def test_source_date_epoch_pins_the_date(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    assert "2026-01-01 00:00 UTC" in html.render(sample_result())
    assert html.render(sample_result()) == html.render(sample_result())


def hostile_repo(root: Path) -> Repo:
    """A repository whose file names, commit message and author carry the payloads.

    git strips '<' and '>' from author names, so the hostile commit is written as a raw object,
    as an attacker would push it.
    """
    repo = Repo(root)
    repo.write('"><img src=x onerror=alert(1)>/a.env', f"GITHUB_TOKEN={SECRETS['github']}\n")
    # "</script>" inside a path: its '/' is a directory separator.
    repo.write("<script>alert(1)</script>.txt", f"STRIPE_SECRET_KEY={SECRETS['stripe']}\n")
    repo.git("add", "-A")
    tree = repo.git("write-tree").strip()
    raw = (f"tree {tree}\nauthor Eve </script><script>alert(3)</script> <eve@example.com> 1767225600 +0000\n"
           "committer Eve <eve@example.com> 1767225600 +0000\n\n"
           "<script>alert('commit')</script> \"><img src=x onerror=alert(1)>\n")
    commit = subprocess.run(["git", "hash-object", "-t", "commit", "-w", "--literally", "--stdin"], cwd=root,
                            input=raw, capture_output=True, text=True, check=True).stdout.strip()
    repo.git("update-ref", "refs/heads/main", commit)
    repo.git("rm", "-q", "-r", "<script>alert(1)<")
    repo.commit("remove </script>")
    return repo


def test_one_scan_writes_all_five_formats_from_a_hostile_repository(tmp_path):
    repo = hostile_repo(tmp_path / "repo")
    out = {fmt: tmp_path / f"report.{fmt}" for fmt in ("json", "sarif", "markdown", "html")}
    proc = run_cli(["scan", str(repo.root), "--offline", "--format", "text",
                    *[arg for fmt, path in out.items() for arg in ("--report", f"{fmt}={path}")]])
    assert proc.returncode == 1, proc.stderr
    texts = {fmt: path.read_text() for fmt, path in out.items()} | {"text": proc.stdout}
    for fmt, text in texts.items():
        for secret in (SECRETS["github"], SECRETS["stripe"]):
            assert secret not in text, fmt
    findings = json.loads(texts["json"])["findings"]
    paths = {loc["path"] for f in findings for loc in f["locations"]}
    assert "<script>alert(1)</script>.txt" in paths  # the scan really saw the hostile names
    validate(json.loads(texts["sarif"]))
    page = texts["html"]
    assert "<script>alert" not in page and "<img" not in page
    doc = Doc(page)
    assert not doc.all("img") and len(doc.all("script")) == 2
    locations = [loc for f in page_data(page)["findings"] for loc in f["locations"]]
    assert "<script>alert(1)</script>.txt" in [loc[0] for loc in locations]
    assert "Eve </script>" in [loc[5] for loc in locations]  # the author (as git parses it), as data
    assert "<script>alert(1)</script>" not in texts["markdown"] and "<img" not in texts["markdown"]


# Headless Chromium ----------------------------------------------------------------------------


def chromium_path() -> str:
    found = shutil.which("chromium") or (shutil.which("chromium-browser"))
    if not found and os.environ.get("CI"):
        subprocess.run(["bash", str(INSTALL)], check=True, timeout=1200)
        found = shutil.which("chromium")
    if not found:
        pytest.skip("chromium is not installed: `apt-get install chromium` (CI installs it with "
                    "tests/install_chromium.sh)")
    return found


@pytest.fixture(scope="module")
def chromium() -> str:
    return chromium_path()


def open_in_chromium(browser: str, page: Path, profile: Path, fragment: str = "", *extra: str) -> tuple[str, str]:
    """(DOM after the page's script ran, Chromium's stderr with the console messages)."""
    args = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
            "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0", *extra]
    if not extra:
        args.append("--dump-dom")
    proc = subprocess.run([*args, page.as_uri() + fragment], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout, proc.stderr


def console_lines(stderr: str) -> list[str]:
    # Chromium logs every console message (errors, CSP violations, console.log) as ":CONSOLE".
    return [line for line in stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]


def shown(dom: str) -> list[str]:
    return [a["data-provider"] or "" for a in Doc(dom).all("article") if "hidden" not in a]


@pytest.fixture(scope="module")
def sample_page(tmp_path_factory) -> Path:
    page = tmp_path_factory.mktemp("html") / "report.html"
    page.write_text(html.render(sample_result()), encoding="utf-8")
    return page


@pytest.mark.slow
def test_loads_in_chromium_without_console_errors(chromium, sample_page, tmp_path):
    dom, stderr = open_in_chromium(chromium, sample_page, tmp_path / "profile")
    assert console_lines(stderr) == []
    doc = Doc(dom)
    root = doc.all("html")[0]
    assert root["data-js"] == "ready", "the inline script did not run (CSP hash mismatch?)"
    assert "hidden" not in doc.all("form")[0], "the filters stay hidden when the script fails"
    assert "Showing 6 of 6 findings" in doc.visible
    assert shown(dom) == RANKED
    pager = next(n for n in doc.all("nav") if n.get("id") == "pager")
    assert "hidden" in pager, "one page needs no pager"


@pytest.fixture(scope="module")
def sample_dom(chromium, sample_page, tmp_path_factory) -> str:
    dom, stderr = open_in_chromium(chromium, sample_page, tmp_path_factory.mktemp("profile"))
    assert console_lines(stderr) == []
    return dom


def cards_of(dom: str) -> dict[str, str]:
    return dict(re.findall(r'<article[^>]*data-provider="(\w+)"[^>]*>(.*?)</article>', dom, re.S))


@pytest.mark.slow
def test_every_field_of_a_finding_is_shown(sample_dom):
    cards = cards_of(sample_dom)
    github, aws, railway = Doc(cards["github"]).visible, Doc(cards["aws"]).visible, Doc(cards["railway"]).visible
    for expected in ["Critical", "GitHub personal access token (classic)", "Over-privileged", "Live", "ghp_…I1tv",
                     "GitHub · classic pat", "GITHUB_TOKEN", "tracked by git", "ada-acme", "organization",
                     "read write delete admin", "repo delete_repo admin:org workflow",
                     "acme/shop acme/infra acme/website +38 more", "2027-03-01T00:00:00Z", "the provider's API",
                     "organization-wide (41 reachable resource(s)): can delete, administer",
                     "scripts/release.sh:12:14", "Revoke or rotate this GitHub credential", "Revoke it at GitHub"]:
        assert expected in github, expected
    assert 'href="https://github.com/settings/tokens"' in cards["github"]
    assert 'class="cap cap-danger">delete<' in cards["github"] and 'class="cap cap-write">write<' in cards["github"]
    assert f"config/prod.env:4:23 · only in git history · commit {HISTORY_COMMIT[:12]} by Bob Builder on 2025-11-02" \
        in aws
    assert "arn:aws:iam::123456789012:user/ci-deploy" in aws and "Medium" in aws
    assert ".env:3:15 · git-ignored" in railway and "deploy/.railway/config.json:7:22" in railway
    assert "How tokenreach knows (1 note)" in railway
    slack = Doc(cards["slack"]).visible
    assert "Revoked" in slack and "revoked or invalid: the provider rejected it" in slack
    stripe = Doc(cards["stripe"]).visible
    assert "Liveness unknown" in stripe and "the token's format only" in stripe
    # Every link the script drew is a jump inside the page or a detector's own revoke page.
    revoke = {d.revoke_url for d in all_detectors() if d.revoke_url}
    for a in Doc(sample_dom).all("a"):
        assert (a["href"] or "").startswith("#") or (a["href"] in revoke and a["rel"] == "noopener noreferrer")


@pytest.mark.slow
def test_many_locations_are_collapsed(chromium, tmp_path):
    from tokenreach.scanner.model import Location

    result = sample_result()
    result.findings[0].locations += [Location(f"copies/{i}.env", 1, 1, "tracked") for i in range(20)]
    page = tmp_path / "many.html"
    page.write_text(html.render(result), encoding="utf-8")
    dom, _ = open_in_chromium(chromium, page, tmp_path / "profile")
    railway = Doc(cards_of(dom)["railway"]).visible
    assert "Where (22)" in railway and "14 more locations" in railway and "copies/19.env:1:1" in railway


@pytest.mark.slow
def test_hostile_cards_show_the_payloads_as_text(chromium, tmp_path):
    page = tmp_path / "hostile.html"
    page.write_text(html.render(hostile_result()), encoding="utf-8")
    dom, stderr = open_in_chromium(chromium, page, tmp_path / "profile")
    assert console_lines(stderr) == []
    doc = Doc(dom)
    assert not doc.all("img") and len(doc.all("script")) == 2
    visible = doc.visible
    assert 'src/"><img src=x onerror=alert(1)>/a|b`c`.env:1:1' in visible
    assert "TOKEN_<script>alert('x')</script>" in visible
    assert "Eve \"><img src=x onerror=alert(1)>" in visible
    assert "rotate </script><script>alert(2)</script>" in visible
    assert "[link](javascript:alert(3))" in visible
    assert [a["href"] for a in doc.all("a") if not (a["href"] or "").startswith("#")] == \
        ["https://github.com/settings/tokens"]


@pytest.mark.slow
@pytest.mark.parametrize(("fragment", "expected"), [
    ("#severity=critical", ["github", "railway"]),
    ("#severity=medium,info", ["aws", "openai", "slack"]),
    ("#provider=aws", ["aws"]),
    ("#exposure=history", ["aws"]),
    ("#exposure=ignored", ["railway"]),
    ("#live=1", ["github", "railway", "aws", "openai"]),
    ("#over=1", ["github", "railway"]),
    ("#q=billing", ["stripe"]),
    ("#q=bob%20builder", ["aws"]),
    ("#severity=critical,medium&exposure=tracked", ["github", "openai"]),
    ("#provider=github&live=1&over=1", ["github"]),
    ("#q=nothing-matches-this", []),
    ("#f0-anchor", RANKED),  # a jump, not a filter
])
def test_filters_from_the_url_change_what_is_shown(chromium, sample_page, tmp_path, fragment, expected):
    dom, stderr = open_in_chromium(chromium, sample_page, tmp_path / "profile", fragment)
    assert console_lines(stderr) == []
    assert shown(dom) == expected
    doc = Doc(dom)
    assert f"Showing {len(expected)} of 6 findings" in doc.visible
    no_match = next(p for p in doc.all("p") if p.get("id") == "no-match")
    assert ("hidden" in no_match) == bool(expected)


@pytest.mark.slow
def test_planted_payloads_do_not_run_in_chromium(chromium, tmp_path):
    # Payloads with a visible effect if they ever ran: they would mark the page.
    mark = "document.documentElement.setAttribute('data-pwned','{}')"
    payloads = (f"<script>{mark.format(1)}</script>", f'"><img src=x onerror="{mark.format(2)}">',
                f"</script><script>{mark.format(3)}</script>", f"<svg onload=\"{mark.format(4)}\">")
    result = hostile_result()
    f = result.findings[0]
    f.token = type(f.token)("github", SECRETS["github"], kind="classic_pat", pattern_id="github.classic_pat",
                            variable=payloads[0])
    f.reasons = list(payloads)
    f.access.identity, f.access.grants, f.access.resources = payloads[1], list(payloads), list(payloads)
    f.locations = [type(f.locations[0])(f"{p}/x.env", 1, 1, "tracked") for p in payloads[:2]]
    page = tmp_path / "hostile.html"
    page.write_text(html.render(result), encoding="utf-8")
    dom, stderr = open_in_chromium(chromium, page, tmp_path / "profile", "#q=" + "%3Cscript%3E")
    assert console_lines(stderr) == [], "a blocked payload or a CSP violation was logged"
    doc = Doc(dom)
    root = doc.all("html")[0]
    assert "data-pwned" not in root
    assert root["data-js"] == "ready"
    assert not doc.all("img") and len(doc.all("script")) == 2 and len(doc.all("svg")) == 3
    assert shown(dom) == ["github"]  # the search found the payload text, as text
    assert payloads[1] in doc.visible


@pytest.mark.slow
def test_screenshot_of_a_realistic_report(chromium, tmp_path, monkeypatch):
    """Saved under docs/ for the README when CI runs it (or TOKENREACH_UPDATE_SCREENSHOT=1)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    page = tmp_path / "report.html"
    page.write_text(html.render(sample_result()), encoding="utf-8")
    update = bool(os.environ.get("CI") or os.environ.get("TOKENREACH_UPDATE_SCREENSHOT"))
    target = SCREENSHOT if update else tmp_path / "report-screenshot.png"
    _, stderr = open_in_chromium(chromium, page, tmp_path / "profile", "", "--hide-scrollbars",
                                 "--window-size=1280,1700", f"--screenshot={target}")
    assert console_lines(stderr) == []
    data = target.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1280, 1700)
    assert len(data) > 50_000, "a blank page compresses to almost nothing"
