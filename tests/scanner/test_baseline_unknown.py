"""A baseline taken offline knows no rights: unknown is not empty (issue 15, item 7)."""

from __future__ import annotations

import json

from tokenreach.scanner.baseline import apply, growth, load, write
from tokenreach.scanner.model import Access, Finding, Location, Token

TOK = "hf_BaselineUnknownBaselineUnknown02"


def _finding(access: Access) -> Finding:
    f = Finding(Token("huggingface", TOK), "x", [Location("a.py", 1, 1, "tracked")])
    f.access = access
    return f


def test_an_offline_baseline_stores_unknown_not_empty(tmp_path) -> None:
    path = tmp_path / "b.json"
    write(path, [_finding(Access(live=None))])
    [entry] = json.loads(path.read_text())["tokens"].values()
    assert entry["capabilities"] is None and entry["grants"] is None and entry["reach"] is None


def test_the_first_looked_up_scan_after_an_offline_baseline_reports_no_growth(tmp_path) -> None:
    path = tmp_path / "b.json"
    write(path, [_finding(Access(live=None))])
    now = _finding(Access(live=True, capabilities={"read", "write", "delete"}, reach="organization",
                          grants=["write"]))
    assert apply([now], load(path)) == ([], 1)


def test_old_files_with_empty_lists_for_an_unknown_token_are_read_as_unknown(tmp_path) -> None:
    path = tmp_path / "b.json"
    f = _finding(Access(live=True, capabilities={"delete"}, reach="organization", grants=["admin"]))
    path.write_text(json.dumps({"version": 2, "tokens": {f.fingerprint: {
        "provider": "huggingface", "kind": None, "live": None, "reach": None, "capabilities": [], "grants": [],
        "exposure": "tracked"}}}))
    assert growth(load(path).accepted[f.fingerprint], f.access) == []


def test_known_on_both_sides_still_grows(tmp_path) -> None:
    path = tmp_path / "b.json"
    write(path, [_finding(Access(live=True, capabilities={"read"}, reach="resource", grants=["read"]))])
    now = _finding(Access(live=True, capabilities={"read", "delete"}, reach="resource", grants=["read"]))
    kept, suppressed = apply([now], load(path))
    assert suppressed == 0 and "can now delete" in kept[0].reasons[0]
    # Known when accepted, unknown now (lookups down): nothing to compare.
    assert apply([_finding(Access(live=None, capabilities={"delete"}))], load(path)) == ([], 1)
