"""Writes docs/providers.md from the detector registry: run `python docs/providers_page.py` after
adding or changing a provider. tests/docs/test_providers_doc.py fails when the page is stale."""

from __future__ import annotations

from pathlib import Path

from tokenreach.detectors.base import Detector
from tokenreach.detectors.http import env_var_for
from tokenreach.detectors.registry import all_detectors

DOC = Path(__file__).resolve().parent / "providers.md"

HEAD = """\
# Providers

Generated from `detectors/` by `python docs/providers_page.py`; a test fails when this
page and the modules disagree.

## Looked up through the provider's own API

Each provider below is asked, read-only, what a found token can do. Its hosts are constants of
its module: nothing in a scanned repository can send a token anywhere else. The person running
the scan (never the repository) can replace a provider's base URL — GitHub Enterprise,
self-managed GitLab, a test fake — with the environment variable in the table; plain `http://`
is accepted only for loopback addresses. The budget is the most requests one scan sends to that
provider.

| provider | name | hosts | base URL override | budget |
|---|---|---|---|---|
"""

DATABASES = """
## Databases, looked up on the server their URL names

A database URL names its own host, so these connect there, with the database's real driver, and
read the catalog only (roles, grants, ownership) in a read-only transaction or with read-only
commands. The host is resolved once and the driver connects to the address found; it must be a
public address unless the person running the scan passes `--lookup-private-hosts`. A private or
unresolvable host is reported "not looked up: private host", never revoked. The budget is the
most connections one scan opens to that kind of database.

| provider | name | what it reads | budget |
|---|---|---|---|
"""

OFFLINE = """
## Recognised, decoded offline, no lookup

These are found and classified from their bytes alone (prefix, checksum, JWT claims, macaroon
caveats); no request is ever sent for them.

| provider | name | patterns |
|---|---|---|
"""


def _hosts(det: Detector) -> str:
    hosts = [f"`{h}`" for h in det.hosts] + [f"`*{s}`" for s in det.host_suffixes]
    if det.self_hosted and not hosts:
        return "self-hosted: the override only"
    return ", ".join(hosts) or "—"


def render() -> str:
    dets = all_detectors()
    online = [d for d in dets if d.has_lookup()]
    offline = [d for d in dets if not d.has_lookup()]
    databases = [d for d in online if getattr(d, "host_from_url", False)]
    lines = [HEAD]
    for d in online:
        if d in databases:
            continue
        override = env_var_for(d.provider)
        lines.append(f"| `{d.provider}` | {d.title} | {_hosts(d)} | `{override}` | {d.request_budget} |\n")
    lines.append(DATABASES)
    for d in databases:
        lines.append(f"| `{d.provider}` | {d.title} | {getattr(d, 'reads', '')} | {d.request_budget} |\n")
    lines.append(OFFLINE)
    for d in offline:
        ids = ", ".join(f"`{p.id.split('.', 1)[1]}`" for p in d.patterns)
        lines.append(f"| `{d.provider}` | {d.title} | {ids} |\n")
    lines.append(f"\n{len(dets)} providers: {len(online)} looked up, {len(offline)} offline.\n")
    return "".join(lines)


if __name__ == "__main__":
    DOC.write_text(render(), encoding="utf-8")
    print(f"wrote {DOC}")
