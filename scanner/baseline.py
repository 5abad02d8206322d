"""Baselines and ignores: accepted tokens stay quiet — until their rights grow.

``.tokenreach-baseline.json`` holds fingerprints (slow salted hashes, never a secret nor a redacted
form) with the Access last seen. A later scan reports tokens not in it, and baselined tokens that
can now do more than when they were accepted: a capability, a wider reach or a grant they did not
have. Rights are known only when the provider answered (``live`` true or false): a token accepted or
scanned without an answer (offline, lookups down) stores ``null`` rights, and only facts known on
both sides are compared, so an offline baseline never turns into "rights grew" once lookups work.
Version 1 files hold fast SHA-256 fingerprints, which a reader could brute-force for short
secrets: they are still honoured, with a notice asking to rewrite them.

Also here: import of a detect-secrets ``.secrets.baseline`` (its audited ``is_secret: false``
entries, matched on their SHA-1 ``hashed_secret``). Inline ignore comments are read where matches
become findings (``findings.py``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from tokenreach.detectors.redaction import legacy_fingerprint
from tokenreach.scanner.model import CAPABILITY_ORDER, REACH_ORDER, Access, Finding, can_phrase
from tokenreach.scanner.output_file import write_text
from tokenreach.scanner.reading import BASELINE_CAP, RefusedFile, read_regular_file

BASELINE_NAME = ".tokenreach-baseline.json"
BASELINE_VERSION = 2
LEGACY_VERSION = 1  # fast unkeyed fingerprints: read, never written


class BaselineError(Exception):
    """A baseline file that cannot be used; the message names the file."""


@dataclass(frozen=True)
class Accepted:
    provider: str
    live: bool | None
    reach: str | None
    capabilities: frozenset[str] | None  # None: not known when accepted
    grants: frozenset[str] | None

    @property
    def known(self) -> bool:
        return self.capabilities is not None


@dataclass
class Baseline:
    accepted: dict[str, Accepted] = field(default_factory=dict)
    version: int = BASELINE_VERSION

    def entry(self, f: Finding) -> Accepted | None:
        fp = legacy_fingerprint(f.provider, f.token.secret) if self.version == LEGACY_VERSION else f.fingerprint
        return self.accepted.get(fp)


def _known(access: Access) -> bool:
    """The rights are facts only when the provider answered; offline they are a guess (or empty)."""
    return access.live is not None


def write(path: Path, findings: list[Finding], inside: Path | None = None) -> int:
    """Write the baseline; ``inside``: the folder a path not given on the command line must stay in."""
    tokens: dict[str, Any] = {}
    for f in findings:
        a = f.access or Access()
        known = _known(a)
        tokens[f.fingerprint] = {
            "provider": f.provider,
            "kind": f.token.kind,
            "live": a.live,
            "reach": a.reach if known else None,
            "capabilities": [c for c in CAPABILITY_ORDER if c in a.capabilities] if known else None,
            "grants": sorted(a.grants) if known else None,
            "exposure": f.exposure,
        }
    doc = {
        "version": BASELINE_VERSION,
        "generated_by": "tokenreach",
        "generated_at": datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "tokens": dict(sorted(tokens.items())),
    }
    write_text(path, json.dumps(doc, indent=2) + "\n", inside=inside)
    return len(tokens)


def _read_json(path: Path) -> Any:
    """A baseline's JSON: a regular file of at most BASELINE_CAP bytes (the path may come from a
    scanned repository's configuration: ``/dev/zero`` or a FIFO must not hang or exhaust a scan)."""
    try:
        raw = read_regular_file(path, BASELINE_CAP)
    except RefusedFile as exc:
        raise BaselineError(f"{path}: {exc}") from None
    return json.loads(raw.decode("utf-8"))


def load(path: Path) -> Baseline:
    try:
        doc = _read_json(path)
    except FileNotFoundError:
        raise BaselineError(f"{path}: baseline file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(f"{path}: cannot read the baseline ({getattr(exc, 'strerror', None) or exc})") from None
    except ValueError as exc:
        raise BaselineError(f"{path}: the baseline is not valid JSON ({exc})") from None
    except RecursionError:
        raise BaselineError(f"{path}: the baseline is not valid JSON (nested too deeply)") from None
    versions = (BASELINE_VERSION, LEGACY_VERSION)
    if not isinstance(doc, dict) or doc.get("version") not in versions or not isinstance(doc.get("tokens"), dict):
        raise BaselineError(f"{path}: not a tokenreach baseline (version {BASELINE_VERSION} with a tokens table); "
                            "regenerate it with `tokenreach baseline`")
    out: dict[str, Accepted] = {}
    for fp, entry in doc["tokens"].items():
        if not isinstance(entry, dict) or not isinstance(fp, str):
            raise BaselineError(f"{path}: entry {fp!r} is not an object")
        caps = entry.get("capabilities") or []
        grants = entry.get("grants") or []
        reach = entry.get("reach")
        bad_reach = reach is not None and reach not in REACH_ORDER
        if not isinstance(caps, list) or not isinstance(grants, list) or bad_reach:
            raise BaselineError(f"{path}: entry {fp[:12]}… has malformed capabilities, grants or reach")
        live = entry.get("live")
        # null rights, or (files written before they could be null) no answer from the provider.
        if entry.get("capabilities") is None or live is None:
            out[fp] = Accepted(str(entry.get("provider", "")), live, None, None, None)
            continue
        out[fp] = Accepted(str(entry.get("provider", "")), live, reach,
                           frozenset(map(str, caps)), frozenset(map(str, grants)))
    return Baseline(out, doc["version"])


def legacy_notice(path: Path) -> str:
    return (f"{path} is a version-1 baseline: its fast SHA-256 fingerprints let anyone who reads it "
            "test guesses of short secrets. It was honoured this time; rewrite it with `tokenreach baseline`")


def growth(accepted: Accepted, access: Access | None) -> list[str]:
    """How the token's rights grew since it was accepted; empty when they did not, or when the
    rights are unknown on either side (accepted or scanned with no answer from the provider)."""
    if access is None or access.live is False or not _known(access) or not accepted.known:
        return []
    assert accepted.capabilities is not None and accepted.grants is not None
    out: list[str] = []
    new_caps = [c for c in CAPABILITY_ORDER if c in access.capabilities and c not in accepted.capabilities]
    if new_caps:
        out.append(f"can now {can_phrase(new_caps)}")
    if access.reach and accepted.reach and REACH_ORDER.index(access.reach) > REACH_ORDER.index(accepted.reach):
        out.append(f"reach widened from {accepted.reach} to {access.reach}")
    new_grants = [g for g in access.grants if g not in accepted.grants]
    if new_grants and (accepted.grants or accepted.live):
        out.append(f"new grants: {', '.join(new_grants[:8])}")
    if accepted.live is False and access.live is True:
        out.append("was revoked when accepted, is live now")
    return out


def apply(findings: list[Finding], baseline: Baseline) -> tuple[list[Finding], int]:
    """(findings to report, number suppressed). Grown tokens stay, with the reason first."""
    kept: list[Finding] = []
    suppressed = 0
    for f in findings:
        entry = baseline.entry(f)
        if entry is None:
            kept.append(f)
            continue
        grew = growth(entry, f.access)
        if grew:
            f.reasons.insert(0, "baselined, but its rights grew: " + "; ".join(grew))
            kept.append(f)
        else:
            suppressed += 1
    return kept, suppressed


# detect-secrets --------------------------------------------------------------------------------


def detect_secrets_false_positives(path: Path) -> frozenset[str]:
    """SHA-1 hashes that a detect-secrets baseline audited as not secret (``is_secret: false``)."""
    try:
        doc = _read_json(path)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise BaselineError(f"{path}: cannot read the detect-secrets baseline ({exc})") from None
    except RecursionError:
        raise BaselineError(f"{path}: cannot read the detect-secrets baseline (nested too deeply)") from None
    results = doc.get("results") if isinstance(doc, dict) else None
    if not isinstance(results, dict):
        raise BaselineError(f"{path}: not a detect-secrets baseline (no results table)")
    hashes: set[str] = set()
    for entries in results.values():
        if not isinstance(entries, list):
            continue
        for e in entries:
            if isinstance(e, dict) and e.get("is_secret") is False and isinstance(e.get("hashed_secret"), str):
                hashes.add(e["hashed_secret"])
    return frozenset(hashes)


def sha1_hex(secret: str) -> str:
    return hashlib.sha1(secret.encode("utf-8")).hexdigest()
