"""The summary says how long the scan, the lookups and the whole run took (issue 15, item 6)."""

from __future__ import annotations

import json
import time

from tests.helpers import Repo
from tests.integrations.helpers import HF
from tests.reports.sample import sample_result
from tokenreach.reports import json as json_report
from tokenreach.reports import text
from tokenreach.scanner import run as runs
from tokenreach.scanner.model import Access


def test_the_summary_line_names_scan_lookups_and_total() -> None:
    result = sample_result()
    result.duration, result.lookup_duration, result.total_duration = 1.04, 16.9, 18.02
    line = text.summary_line(result)
    assert "scan 1.04s, lookups 16.90s, total 18.02s" in line
    assert " in 1.04s" not in line


def test_json_stats_add_the_lookup_and_total_times_and_keep_duration() -> None:
    result = sample_result()
    result.duration, result.lookup_duration, result.total_duration = 1.04, 16.9, 18.02
    stats = json.loads(json.dumps(json_report.document(result)))["stats"]
    assert (stats["duration"], stats["lookup_duration"], stats["total_duration"]) == (1.04, 16.9, 18.02)


def test_the_run_measures_the_lookups_apart_from_the_scan(repo: Repo, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from tokenreach.scanner import lookup

    def slow_lookups(tokens, opts):  # type: ignore[no-untyped-def]
        time.sleep(0.5)  # a slow provider: the time must land in the lookups, not the scan
        return {fp: Access(live=None) for fp in tokens}

    monkeypatch.setattr(lookup, "run_lookups", slow_lookups)
    repo.write("app.env", f"HF_TOKEN={HF}\n")
    repo.commit("token")
    result = runs.run(runs.RunOptions(path=repo.root)).scan
    assert result.lookup_duration is not None and result.lookup_duration >= 0.5
    assert result.total_duration is not None
    assert result.total_duration >= result.duration + result.lookup_duration
