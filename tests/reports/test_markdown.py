"""Markdown: headline, over-privileged table first, the rest collapsed; hostile strings stay text.

The output is rendered with a real CommonMark parser (markdown-it-py, with GFM tables and raw HTML
on, as GitHub renders it) and the resulting HTML is inspected, not just the Markdown source.
"""

from __future__ import annotations

from html.parser import HTMLParser

from markdown_it import MarkdownIt

from tests.helpers import Repo, run_cli
from tests.reports.sample import PAYLOADS, SECRETS, empty_result, hostile_result, sample_result
from tokenreach.reports import markdown
from tokenreach.scanner.model import Finding, Location

ALLOWED_TAGS = {"h2", "h3", "p", "strong", "em", "table", "thead", "tbody", "tr", "th", "td", "br", "code", "details",
                "summary", "a", "ul", "li"}


class Tags(HTMLParser):
    """Every element and attribute in rendered HTML, plus the text of each table row's cells."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def rendered(text: str) -> Tags:
    html = MarkdownIt("commonmark", {"html": True}).enable("table").render(text)
    parser = Tags()
    parser.feed(html)
    return parser


def test_headline_and_over_privileged_first():
    text = markdown.render(sample_result())
    first = text.splitlines()[0]
    assert first == "## tokenreach: 6 secrets found: 4 live, 2 over-privileged."
    assert "**Worst:** a live GitHub personal access token" in text
    over_at, details_at = text.index("### Over-privileged (2)"), text.index("<details>")
    assert over_at < details_at
    # The over-privileged table holds exactly those two; the rest sit inside <details>.
    over_table = text[over_at:details_at]
    assert "GitHub personal access token" in over_table and "Railway API token" in over_table
    assert "Stripe secret key" not in over_table
    rest = text[details_at:text.index("</details>")]
    assert "<summary>4 other findings</summary>" in rest
    for name in ("Stripe secret key", "AWS access key ID", "OpenAI project API key", "Slack bot token"):
        assert name in rest


def test_tables_render_with_every_cell():
    tags = rendered(markdown.render(sample_result()))
    assert len(tags.rows) == 2 + 1 + 4 + 1  # two tables: header + rows
    assert all(len(row) == 7 for row in tags.rows)
    github = next(r for r in tags.rows if "GitHub personal access token" in r[1])
    assert github[0] == "🟥 critical"
    assert "ghp_…I1tv" in github[1] and "GITHUB_TOKEN" in github[1]
    assert github[2] == "scripts/release.sh:12:14 (tracked by git)"
    assert github[3] == "live as ada-acme"
    aws = next(r for r in tags.rows if "AWS" in r[1])
    assert "commit 4f2a9c1be07d by Bob Builder on 2025-11-02" in aws[2]
    links = [dict(attrs)["href"] for tag, attrs in tags.tags if tag == "a"]
    assert "https://github.com/settings/tokens" in links


def test_no_secret_unless_asked():
    text = markdown.render(sample_result())
    for secret in SECRETS.values():
        assert secret not in text
    shown = markdown.render(sample_result(), show_secrets=True)
    rows = rendered(shown).rows
    for secret in SECRETS.values():
        assert any(secret in row[1] for row in rows), secret


def test_hostile_strings_cannot_break_the_table_or_inject_html():
    text = markdown.render(hostile_result())
    for payload in PAYLOADS:
        assert payload not in text
    tags = rendered(text)
    names = {t for t, _ in tags.tags}
    assert names <= ALLOWED_TAGS, names - ALLOWED_TAGS
    assert not any(name.startswith("on") for _, attrs in tags.tags for name, _ in attrs)
    hrefs = [dict(attrs).get("href") for tag, attrs in tags.tags if tag == "a"]
    assert hrefs == ["https://github.com/settings/tokens"]  # no javascript: link from a resource name
    # One header, one row, seven cells each, and the payloads arrive as visible text.
    assert [len(r) for r in tags.rows] == [7, 7]
    row = tags.rows[1]
    assert 'src/"><img src=x onerror=alert(1)>/a|b`c`.env:1:1' in row[2]
    assert "TOKEN_<script>alert('x')</script>" in row[1]
    assert "eve<script>alert('x')</script>" in row[3]
    assert "rotate </script><script>alert(2)</script>" in row[6]


def test_escape_neutralises_markdown_syntax():
    nasty = "**bold** _it_ `code` [x](y) <b>&amp; | \\ ~strike~ # h\nnext"
    html = MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough").render(
        markdown.escape(nasty))
    # A line break cannot end the cell or the line: it is shown, escaped, like every control character.
    assert html == "<p>**bold** _it_ `code` [x](y) &lt;b&gt;&amp;amp; | \\ ~strike~ # h\\x0anext</p>\n"


def test_long_reports_stay_under_a_pr_comment_limit(monkeypatch):
    # 2,000 scrypt fingerprints would cost a minute; this test is about the Markdown's length.
    monkeypatch.setattr("tokenreach.scanner.model.fingerprint", lambda provider, secret: f"{provider}:{secret}")
    result = sample_result()
    template = result.findings[2]
    for i in range(2000):
        result.findings.append(Finding(token=template.token.__class__("stripe", f"sk_live_{i:040d}",
                                                                     pattern_id="stripe.secret_key"),
                                       pattern_name="Stripe secret key",
                                       locations=[Location(f"src/module_{i}.py", i + 1, 1, "tracked")],
                                       access=template.access, severity="high", over_privileged=False))
    text = markdown.render(result)
    assert len(text) < 65_536
    assert "more not shown" in text
    assert text.rstrip().splitlines()[-1].startswith("Scanned 412 files")


def test_empty_result():
    text = markdown.render(empty_result())
    assert text.startswith("## tokenreach: No secrets found.")
    assert "<details>" not in text and "|" not in text


def test_cli_writes_markdown_next_to_other_reports(tmp_path):
    repo = Repo(tmp_path / "repo")
    repo.write("a.env", f"GITHUB_TOKEN={SECRETS['github']}\n")
    repo.commit("add")
    md, js = tmp_path / "summary.md", tmp_path / "out.json"
    proc = run_cli(["scan", str(repo.root), "--offline", "--format", "markdown", "--output", str(md),
                    "--report", f"json={js}"])
    assert proc.returncode == 1, proc.stderr
    text = md.read_text()
    assert text.startswith("## tokenreach: 1 secret found: liveness unchecked \\(none looked up\\)")
    assert rendered(text).rows[1][2] == "a.env:1:14 (tracked by git)"
    assert SECRETS["github"] not in text and js.exists()
