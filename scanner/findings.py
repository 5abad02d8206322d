"""Finding and Location: one finding per distinct secret, many locations."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from tokenreach.detectors.base import Access, Token
from tokenreach.detectors.redaction import fingerprint, redact

Exposure = Literal["tracked", "untracked", "ignored", "staged", "home", "history", "stdin"]

# Most exposed first: what an agent in the working tree reads without trying, then what it finds
# when it goes looking (the home credential stores), then what only history keeps.
EXPOSURE_ORDER: tuple[Exposure, ...] = ("tracked", "ignored", "untracked", "staged", "stdin", "home", "history")


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

    def sort_key(self) -> tuple[int, str, int, int]:
        return (EXPOSURE_ORDER.index(self.exposure), self.path, self.line, self.column)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "exposure": self.exposure,
        }
        if self.exposure == "history":
            out.update(commit=self.commit, author=self.author, date=self.date)
        if self.encoding:
            out["encoding"] = self.encoding
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
        if loc not in self.locations:
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
