"""The data every stage shares, in one place: what a token is (Token), what it can do (Access), where
it was found (Location, Finding) and what a scan and a run produce (ScanResult, RunResult).

Sources, engine, findings, lookup, assess and every report import their types from here; this
module imports nothing of tokenreach but the redaction it needs to keep secrets out of reprs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from tokenreach.detectors.redaction import fingerprint, redact

if TYPE_CHECKING:
    from tokenreach.scanner.config import Config

Reach = Literal["resource", "project", "account", "organization"]
Capability = Literal["read", "write", "delete", "admin", "billing", "secrets"]
Evidence = Literal["api", "offline", "prefix"]

REACH_ORDER: tuple[Reach, ...] = ("resource", "project", "account", "organization")
CAPABILITY_ORDER: tuple[Capability, ...] = ("read", "write", "delete", "admin", "billing", "secrets")
# How each capability reads after "can": "can read, write, delete, administer, manage billing".
CAPABILITY_VERBS: dict[str, str] = {"admin": "administer", "billing": "manage billing", "secrets": "read secrets"}


def can_phrase(capabilities: Collection[str]) -> str:
    """``read, write, delete`` in CAPABILITY_ORDER, as verbs; empty when there are none."""
    return ", ".join(CAPABILITY_VERBS.get(c, c) for c in CAPABILITY_ORDER if c in capabilities)



@dataclass(frozen=True)
class Token:
    """A found secret as a lookup sees it. Never printed: use ``redact()``."""

    provider: str
    secret: str
    kind: str | None = None
    pattern_id: str = ""
    variable: str | None = None
    extras: Mapping[str, str] = field(default_factory=dict)
    # Other provider-specific context found near the match (e.g. a site URL), never a host
    # to send the token to unless the detector validates it against its fixed domains.
    context: Mapping[str, str] = field(default_factory=dict)

    def __repr__(self) -> str:  # keep secrets out of tracebacks, logs and debuggers
        return f"Token(provider={self.provider!r}, kind={self.kind!r}, secret={redact(self.secret)!r})"

    __str__ = __repr__


@dataclass
class Access:
    """What a token can do, normalised across providers (docs/architecture.md, "The model")."""

    live: bool | None = None
    identity: str | None = None
    reach: Reach | None = None
    capabilities: set[Capability] = field(default_factory=set)
    grants: list[str] = field(default_factory=list)
    resources: list[str] = field(default_factory=list)
    resources_total: int | None = None
    expires_at: str | None = None
    evidence: Evidence = "prefix"
    # Short human-readable lines: how each conclusion was reached, or why it is unknown. A note
    # that starts with "can " states the impact in plain words; the verdict quotes it.
    notes: list[str] = field(default_factory=list)
    # Facts the verdict stage uses that fit no other field ("environment": "production" …).
    # "skip_lookup": True set offline means no network call at all (canary tokens).
    facts: dict[str, Any] = field(default_factory=dict)

    MAX_RESOURCES: ClassVar[int] = 25

    def note(self, text: str) -> Access:
        self.notes.append(text)
        return self

    def add_resources(self, names: Sequence[str], total: int | None = None) -> None:
        """Keep at most MAX_RESOURCES names, and the total count however many there are."""
        for name in names:
            if name not in self.resources and len(self.resources) < self.MAX_RESOURCES:
                self.resources.append(name)
        known = max(len(self.resources), self.resources_total or 0)
        self.resources_total = max(known, total or 0, len(names))

    def unknown(self, reason: str) -> Access:
        """A lookup that could not decide: liveness unknown, offline facts kept."""
        self.live = None
        return self.note(reason)

    def to_json(self) -> dict[str, Any]:
        return {
            "live": self.live,
            "identity": self.identity,
            "reach": self.reach,
            "capabilities": [c for c in CAPABILITY_ORDER if c in self.capabilities],
            "grants": list(self.grants),
            "resources": list(self.resources),
            "resources_total": self.resources_total,
            "expires_at": self.expires_at,
            "evidence": self.evidence,
            "notes": list(self.notes),
            "facts": dict(self.facts),
        }

    def copy(self) -> Access:
        return replace(
            self,
            capabilities=set(self.capabilities),
            grants=list(self.grants),
            resources=list(self.resources),
            notes=list(self.notes),
            facts=dict(self.facts),
        )


Exposure = Literal["tracked", "untracked", "ignored", "git-config", "staged", "home", "history", "stdin",
                   "environment", "nearby"]

# Most exposed first: what an agent in the working tree reads without trying (.git/config, where
# a clone keeps remote credentials, included), then what its terminal inherits (the environment),
# then what it finds when it goes looking (the home stores, the other projects next to this one),
# then what only history keeps.
EXPOSURE_ORDER: tuple[Exposure, ...] = (
    "tracked", "ignored", "git-config", "untracked", "staged", "stdin", "environment", "home", "nearby",
    "history")


@dataclass(frozen=True)
class Location:
    path: str
    line: int
    column: int
    exposure: Exposure
    commit: str | None = None
    author: str | None = None
    date: str | None = None
    # How the secret is written at this place when not in plain text: "base64" (the value at
    # line:column decodes to text that holds it, e.g. a Kubernetes Secret's data).
    encoding: str | None = None
    # Filled by scanner/fences.py (not part of a location's identity): the agents whose file tools
    # are fenced off from it, each with the file that fences it ((agent, source), …), and the
    # agents configured here that can read it with their file tools. Every agent's terminal can.
    fenced_from: tuple[tuple[str, str], ...] = field(default=(), compare=False)
    readable_by: tuple[str, ...] = field(default=(), compare=False)
    # Set by a sweep of several repositories (scanner/sweep.py): the repository's short name.
    repository: str | None = None

    def sort_key(self) -> tuple[int, str, str, int, int]:
        return (EXPOSURE_ORDER.index(self.exposure), self.repository or "", self.path, self.line, self.column)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"repository": self.repository} if self.repository is not None else {}
        out |= {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "exposure": self.exposure,
        }
        if self.exposure == "history":
            out.update(commit=self.commit, author=self.author, date=self.date)
        if self.encoding:
            out["encoding"] = self.encoding
        out["fenced_from"] = [agent for agent, _ in self.fenced_from]
        out["readable_by"] = list(self.readable_by)
        return out


@dataclass
class Finding:
    token: Token
    pattern_name: str
    locations: list[Location] = field(default_factory=list)
    access: Access | None = None
    # Filled by the assessment stage.
    severity: str | None = None
    over_privileged: bool | None = None
    reasons: list[str] = field(default_factory=list)
    remediation: list[str] = field(default_factory=list)
    # ``locations`` as a set, for add(): (the list it was built from, the set).
    _seen: tuple[list[Location], set[Location]] | None = field(default=None, init=False, repr=False,
                                                                compare=False)

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.token.provider, self.token.secret)

    @property
    def provider(self) -> str:
        return self.token.provider

    @property
    def redacted(self) -> str:
        return redact(self.token.secret)

    @property
    def exposure(self) -> Exposure:
        """The most exposed of its locations."""
        return min((loc.exposure for loc in self.locations), key=EXPOSURE_ORDER.index)

    def add(self, loc: Location) -> None:
        """Add a location once. The test runs on a set, so that a secret repeated 50,000 times
        in one file costs 50,000 steps, not 50,000² comparisons; the set is rebuilt whenever
        ``locations`` was replaced or changed behind its back."""
        seen = self._seen
        if seen is None or seen[0] is not self.locations or len(seen[1]) != len(self.locations):
            seen = self._seen = (self.locations, set(self.locations))
        if loc not in seen[1]:
            seen[1].add(loc)
            self.locations.append(loc)

    def to_json(self, show_secret: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "fingerprint": self.fingerprint,
            "provider": self.token.provider,
            "kind": self.token.kind,
            "pattern": self.token.pattern_id,
            "name": self.pattern_name,
            "redacted": self.redacted,
            "variable": self.token.variable,
            "exposure": self.exposure,
            "locations": [loc.to_json() for loc in sorted(self.locations, key=Location.sort_key)],
            "access": self.access.to_json() if self.access else None,
            "severity": self.severity,
            "over_privileged": self.over_privileged,
            "reasons": list(self.reasons),
            "remediation": list(self.remediation),
        }
        if show_secret:
            out["secret"] = self.token.secret
        return out


@dataclass
class SourceStats:
    files: int = 0  # working-tree files scanned
    blobs: int = 0  # git blobs scanned (history, staged)
    bytes: int = 0
    commits: int = 0
    # Matches set aside as placeholders or published examples (detectors/examples.py).
    not_reported: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)

    def skip(self, reason: str) -> None:
        self.skipped[reason] += 1

    def warn(self, message: str) -> None:
        if len(self.warnings) < 200:
            self.warnings.append(message)
        elif len(self.warnings) == 200:
            self.warnings.append("… further warnings not shown")


@dataclass
class RepositoryStats:
    """One repository of a sweep (scanner/sweep.py): what was read, and what failed."""

    name: str
    path: str
    files: int = 0
    blobs: int = 0
    commits: int = 0
    bytes: int = 0
    findings: int = 0  # reported tokens with a location in it
    duration: float = 0.0
    error: str | None = None  # set when the repository could not be scanned

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "path": self.path, "files": self.files, "blobs": self.blobs,
                "commits": self.commits, "bytes": self.bytes, "findings": self.findings,
                "duration": round(self.duration, 3), "error": self.error}


@dataclass
class ScanResult:
    findings: list[Finding]
    stats: SourceStats
    duration: float  # seconds the scan took (sources and engine), lookups not included
    notices: list[str] = field(default_factory=list)
    engine: str = ""
    root: str = ""
    # Set by scanner/run.py: the lookups' seconds, and the whole run's (configuration to verdict).
    lookup_duration: float | None = None
    total_duration: float | None = None
    # Set when every lookup tried failed (no network, DNS, a proxy): said once, at the top of every
    # report, because the ranking then rests on offline facts alone (lookup.failure_summary).
    lookups_failed: str | None = None
    # A sweep of several repositories fills this, one entry per repository in name order; a scan
    # of one path leaves it empty and every report then looks as it always did.
    repositories: list[RepositoryStats] = field(default_factory=list)


@dataclass
class RunResult:
    scan: ScanResult
    config: Config
    suppressed: dict[str, int] = field(default_factory=dict)
    baseline_file: str | None = None

    @property
    def findings(self) -> list[Finding]:
        return self.scan.findings
