"""One ordering for every report (issue 15, item 12): text and JSON put one token first while Markdown
and HTML called another "the worst". Every format now lists the findings in the run's order
(scanner/run.py ``order``), whatever order the result holds them in."""

from __future__ import annotations

import json
import re

import pytest

from tests.reports.sample import sample_result
from tests.reports.test_html import page_data
from tokenreach.reports import _view, html, markdown, oneline, sarif, text
from tokenreach.reports import json as json_report
from tokenreach.scanner.assess import order


def by_name(result) -> dict[str, str]:
    """Each sample finding's pattern name and display name → its provider (unique in the sample)."""
    names = {f.pattern_name: f.provider for f in result.findings}
    names.update({_view.display_name(f): f.provider for f in result.findings})
    return names


def text_order(out: str, names: dict[str, str]) -> list[str]:
    heads = [block.splitlines()[0] for block in out.split("\n\n") if block.strip()][:-1]
    return [next(p for n, p in names.items() if f" {n}" in head) for head in heads]


def markdown_order(out: str, names: dict[str, str]) -> list[str]:
    rows = [line for line in out.splitlines() if line.startswith("| ") and "**" in line]
    return [names[re.search(r"\*\*(.+?)\*\*", row).group(1).replace("\\", "")] for row in rows]


@pytest.mark.parametrize("arrange", ["as sampled", "reversed", "ranked"])
def test_every_report_lists_the_findings_in_one_order(arrange):
    result = sample_result()
    if arrange == "reversed":
        result.findings.reverse()
    elif arrange == "ranked":
        result.findings = order(result.findings)
    names = by_name(result)
    expected = [f.provider for f in order(result.findings)]
    assert expected == ["github", "railway", "stripe", "aws", "openai", "slack"]
    providers = {
        "text": text_order(text.render(result), names),
        "oneline": [next(p for n, p in names.items() if f"  {n} " in line)
                    for line in oneline.render(result).splitlines()[:-1]],
        "json": [f["provider"] for f in json.loads(json_report.render(result))["findings"]],
        "sarif": [r["properties"]["provider"] for r in json.loads(sarif.render(result))["runs"][0]["results"]],
        "markdown": markdown_order(markdown.render(result), names),
        "html": [f["provider"] for f in page_data(html.render(result))["findings"]],
    }
    for fmt, got in providers.items():
        assert got == expected, fmt


def test_the_worst_is_the_first_everywhere():
    result = sample_result()
    first = order(result.findings)[0]
    assert text.render(result).startswith(f"CRITICAL {first.pattern_name}")
    assert f"**Worst:** a live {markdown.escape(_view.display_name(first))}" in markdown.render(result)
    page = html.render(result)
    worst_id = re.search(r'<p class="worst"><strong>The worst:</strong> <a href="#([^"]+)"', page).group(1)
    assert page_data(page)["findings"][0]["id"] == worst_id
    assert page_data(page)["findings"][0]["provider"] == first.provider
