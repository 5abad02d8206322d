"""What every provider module is made of: patterns as data, the Access model, the Detector.

A provider module reads top to bottom as one provider's story:

1. ``PATTERNS``: regexes as data, each with examples that must match and counterexamples that
   must not (``tests/detectors/test_patterns.py`` walks every one of them).
2. ``classify()``: what the bytes alone reveal (kind, JWT claims, macaroon caveats, expiry).
3. ``lookup()``: read-only API calls through :class:`~tokenreach.detectors.http.ProviderHTTP`,
   whose hosts are constants of the module.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from tokenreach.detectors.redaction import redact

if TYPE_CHECKING:  # httpx is imported lazily: the offline hot path never needs it
    from tokenreach.detectors.http import ProviderHTTP

Reach = Literal["resource", "project", "account", "organization"]
Capability = Literal["read", "write", "delete", "admin", "billing", "secrets"]
Evidence = Literal["api", "offline", "prefix"]

REACH_ORDER: tuple[Reach, ...] = ("resource", "project", "account", "organization")
CAPABILITY_ORDER: tuple[Capability, ...] = ("read", "write", "delete", "admin", "billing", "secrets")
# How each capability reads after "can": "can read, write, delete, administer, manage billing".
CAPABILITY_VERBS: dict[str, str] = {"admin": "administer", "billing": "manage billing", "secrets": "read secrets"}


def can_phrase(capabilities: set[str] | frozenset[str] | list[str]) -> str:
    """``read, write, delete`` in CAPABILITY_ORDER, as verbs; empty when there are none."""
    return ", ".join(CAPABILITY_VERBS.get(c, c) for c in CAPABILITY_ORDER if c in capabilities)


@dataclass(frozen=True)
class Pattern:
    """One token shape.

    ``regex`` must compile both in Python ``re`` and in Hyperscan (no lookaround, no
    backreferences). The token is the named group ``secret`` when present, else the whole match.
    Other named groups land in ``Token.extras``. ``keywords`` are lowercase literals of which at
    least one occurs in every match: the fallback engine uses them as a prefilter, and a pattern
    without one would slow the whole engine down.
    """

    id: str
    name: str
    regex: str
    keywords: tuple[str, ...]
    examples: tuple[str, ...]
    counterexamples: tuple[str, ...] = ()
    kind: str | None = None
    # Offline check on the secret (checksums): a False result drops the match.
    validate: Callable[[str], bool] | None = None
    # Lookups off for this pattern (e.g. the half of a pair, a format with no API).
    lookup: bool = True
    # What Hyperscan runs instead of ``regex``: it only has to say "this pattern may match in
    # this buffer" (``re`` then extracts with ``regex``), so it must match wherever ``regex`` does.
    # Needed when ``regex`` has large bounded repeats ({0,600}, [\s\S]{40,8000}): Hyperscan
    # unrolls them and one such pattern can take a minute to compile.
    prefilter: str | None = None
    # Offline check on the whole match's named groups (e.g. a URL's host): a False result drops it.
    accept: Callable[[Mapping[str, str]], bool] | None = None
    # A line pattern (detectors/providers/generic.py): ``regex`` only finds candidate lines, and the engine
    # hands each line it matches in to ``extract``, which yields ``(start, end, kind)`` for every
    # secret in it (kind None keeps the pattern's). The line is its bytes decoded as Latin-1, so
    # offsets are byte offsets. Hyperscan reports where each match ends, so ``re`` never sweeps a
    # whole buffer for such a pattern.
    extract: Callable[[str], Iterable[tuple[int, int, str | None]]] | None = None


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
    """What a token can do, normalised across providers (ARCHITECTURE.md, "The Access model")."""

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


class LookupUnavailable(Exception):
    """The provider could not be asked (network, timeout, 429, 5xx, malformed body, budget).

    Always means ``live: None``; never revoked. The message must not contain the secret.
    """


class Detector:
    """A provider: its patterns, offline classification and read-only lookup.

    Subclasses set the class attributes and override ``classify`` and ``lookup``.
    """

    provider: ClassVar[str]  # short id, also the TOKENREACH_<PROVIDER>_API_URL name
    title: ClassVar[str]  # human name, "GitHub"
    patterns: ClassVar[tuple[Pattern, ...]] = ()
    # Default API base URL (scheme + host [+ path prefix]); None when the provider has no lookup.
    api_url: ClassVar[str | None] = None
    # Hosts a request may go to. Hosts built from data (an Azure account) must end with one
    # of ``host_suffixes``. An operator's TOKENREACH_<PROVIDER>_API_URL replaces both.
    hosts: ClassVar[tuple[str, ...]] = ()
    host_suffixes: ClassVar[tuple[str, ...]] = ()
    # Requests one scan may send to this provider, all tokens together (quota protection).
    request_budget: ClassVar[int] = 100
    # Where a person revokes or rotates this provider's tokens.
    revoke_url: ClassVar[str | None] = None
    # For credentials no single provider issues (a URL's password, a private key, a generic
    # secret): how to rotate it, in place of a revocation page.
    rotate_hint: ClassVar[str | None] = None
    # Generic detectors (keyword/entropy, credentials in URLs) yield to a provider's detector
    # that matched the same text.
    generic: ClassVar[bool] = False
    # The least-privilege replacement, in one imperative sentence for the remediation, e.g.
    # "create a project token for the one environment that needs it".
    least_privilege: ClassVar[str | None] = None
    # Facts searched for near a match (CONTEXT_WINDOW bytes either side) and handed to the
    # lookup as Token.context: {name: regex whose group 1, or whole match, is the value}.
    # e.g. {"server_url": r"GITHUB_SERVER_URL\s*[=:]\s*['\"]?(https://[^\s'\"]+)"}. They run only
    # where this detector matched, so they cost nothing on the hot path.
    context_patterns: ClassVar[dict[str, str]] = {}

    def classify(self, token: Token) -> Access:
        """Offline facts from the bytes alone. Default: the kind from the prefix."""
        access = Access(evidence="prefix")
        if token.kind:
            access.note(f"kind {token.kind} from the token's format")
        return access

    def lookup(self, token: Token, http: ProviderHTTP, offline: Access) -> Access:
        """Ask the provider. ``offline`` is ``classify()``'s result, to refine and return.

        Raise LookupUnavailable (or let ProviderHTTP raise it) when the answer is unknown.
        """
        return offline.note("no lookup is implemented for this provider")

    def has_lookup(self) -> bool:
        return type(self).lookup is not Detector.lookup


def pick_kind(token: Token, default: str) -> str:
    return token.kind or default
