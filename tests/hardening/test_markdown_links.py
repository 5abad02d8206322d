"""Issue 17, item 17: the Markdown job summary turned repository text into live links (addresses and
e-mails in file names or author names). Rendered as GitHub renders it (GFM with its autolink
extension; markdown-it-py with linkify), no link may come from repository text: the only links
are the detectors' own revoke pages."""

from __future__ import annotations

from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from tests.reports.sample import sample_result
from tokenreach.detectors.registry import all_detectors
from tokenreach.reports import markdown
from tokenreach.scanner.model import Location

HOSTILE = (
    "www.evil.example",
    "WWW.Evil.Example/login",
    "https://evil.example/steal?x=1",
    "http://127.0.0.1:8080/",
    "ops@evil.example",
    "mailto:ops@evil.example",
    "xmpp:ops@evil.example",
    "//evil.example/x",
    "ftp://evil.example/x",
    "evil.example",
    "<https://evil.example>",
    "[click](https://evil.example)",
    "![x](https://evil.example/pixel.png)",
)


def github_markdown() -> MarkdownIt:
    """CommonMark with raw HTML and tables, plus linkify with every fuzzy rule on: stricter than
    GitHub, which links www., http(s)://, e-mails and mailto:/xmpp: but no bare domain."""
    md = MarkdownIt("gfm-like", {"html": True})
    md.linkify.set({"fuzzy_link": True, "fuzzy_email": True, "fuzzy_ip": True})
    return md


class Links(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__()
        self.hrefs: list[str | None] = []
        self.images: list[str | None] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs.append(dict(attrs).get("href"))
        if tag == "img":
            self.images.append(dict(attrs).get("src"))

    def handle_data(self, data):
        self.text.append(data)


REVOKE = {d.revoke_url for d in all_detectors() if d.revoke_url}


def hostile_result():
    result = sample_result()
    for i, f in enumerate(result.findings):
        name = HOSTILE[i % len(HOSTILE)]
        f.locations = [Location(f"src/{name}/{n}.env", 1, 1, "tracked") for n in HOSTILE[:3]] + [
            Location(name, 2, 2, "history", commit="ab" * 20, author=f"Eve {HOSTILE[(i + 1) % len(HOSTILE)]}",
                     date="2026-01-01T00:00:00Z")]
        f.reasons = [f"see {name}"]
        if f.access:
            f.access.identity = HOSTILE[(i + 2) % len(HOSTILE)]
    result.stats.warnings += [f"{name}: cannot read" for name in HOSTILE]
    return result


def test_no_link_from_repository_text_in_the_summary():
    result = hostile_result()
    links = Links(github_markdown().render(markdown.render(result)))
    assert not links.images
    assert links.hrefs and set(links.hrefs) <= REVOKE, set(links.hrefs) - REVOKE
    # The names are still there for the reader, as text.
    shown = "".join(links.text)
    for name in ("www.evil.example", "https://evil.example/steal?x=1", "ops@evil.example", "[click](https://"):
        assert name in shown, name


def test_every_hostile_name_renders_as_its_own_text():
    md = github_markdown()
    for name in HOSTILE:
        links = Links(md.render(markdown.escape(name)))
        assert links.hrefs == [] and links.images == [], name
        assert "".join(links.text).strip() == name


PIECES = [*"wW.:/@_-~#?&=%+ab01 é", "www.", "http", "https://", "mailto:", ".com", ".io", "//", "127.0.0.1"]
URLISH = st.lists(st.sampled_from(PIECES), max_size=16).map("".join)


@settings(max_examples=400, deadline=None)
@given(URLISH)
def test_no_text_becomes_a_link(text):
    links = Links(github_markdown().render(markdown.escape(text)))
    assert links.hrefs == [] and links.images == []
