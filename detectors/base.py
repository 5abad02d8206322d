"""What every provider module is made of: patterns as data and the Detector (the model it fills,
Token and Access, is ``tokenreach.scanner.model``).

A provider module reads top to bottom as one provider's story:

1. ``PATTERNS``: regexes as data, each with examples that must match and counterexamples that
   must not (``tests/detectors/test_patterns.py`` walks every one of them).
2. ``classify()``: what the bytes alone reveal (kind, JWT claims, macaroon caveats, expiry).
3. ``lookup()``: read-only API calls through :class:`~tokenreach.detectors.http.ProviderHTTP`,
   whose hosts are constants of the module.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from tokenreach.scanner.model import Access, Token

if TYPE_CHECKING:  # httpx is imported lazily: the offline hot path never needs it
    from tokenreach.detectors.http import ProviderHTTP

@dataclass(frozen=True)
class Pattern:
    """One token shape.

    ``regex`` must compile both in Python ``re`` and in Hyperscan (no lookaround, no
    backreferences). The token is the named group ``secret`` when present, else the whole match.
    Other named groups land in ``Token.extras``. ``keywords`` are lowercase literals of which at
    least one occurs in every match: the fallback engine uses them as a prefilter, and runs a
    pattern without one (allowed in users' rule files only) on every buffer.
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
    # At an identical span, another provider's match wins over this one (a database URL's password
    # that is a whole token of another provider), as over a generic detector's.
    yields: bool = False
    # Public by design: the provider documents it as safe to ship in client code (a Stripe
    # publishable key). scanner/assess.py reports it as info, never blocking, with no revoke advice.
    public: bool = False
    # The rule file this pattern was read from (detectors/rules/*.toml or a user's); None when the
    # pattern is written in its provider module.
    source: str | None = field(default=None, compare=False)


class LookupUnavailable(Exception):
    """The provider could not be asked (network, timeout, 429, 5xx, malformed body, budget).

    Always means ``live: None``; never revoked. The message must not contain the secret.
    """


class Detector:
    """A provider: its patterns, offline classification and read-only lookup.

    Subclasses set the class attributes and override ``classify`` and ``lookup``.
    """

    # Not ClassVar: a rule-file detector (rule_files.RuleDetector) sets provider, title,
    # patterns, revoke_url, rotate_hint, generic, least_privilege and context_patterns per instance.
    provider: str  # short id, also the TOKENREACH_<PROVIDER>_API_URL name
    title: str  # human name, "GitHub"
    patterns: tuple[Pattern, ...] = ()
    # Default API base URL (scheme + host [+ path prefix]); None when the provider has no lookup.
    api_url: ClassVar[str | None] = None
    # Hosts a request may go to. Hosts built from data (an Azure account) must end with one
    # of ``host_suffixes``. An operator's TOKENREACH_<PROVIDER>_API_URL replaces both.
    hosts: ClassVar[tuple[str, ...]] = ()
    host_suffixes: ClassVar[tuple[str, ...]] = ()
    # A product every customer runs on a host of their own (Vault, Gitea, Artifactory): no default
    # API URL, so a token is sent only to the operator's TOKENREACH_<PROVIDER>_API_URL.
    self_hosted: ClassVar[bool] = False
    # Requests one scan may send to this provider, all tokens together (quota protection).
    request_budget: ClassVar[int] = 100
    # Where a person revokes or rotates this provider's tokens.
    revoke_url: str | None = None
    # For credentials no single provider issues (a URL's password, a private key, a generic
    # secret): how to rotate it, in place of a revocation page.
    rotate_hint: str | None = None
    # Generic detectors (keyword/entropy, credentials in URLs) yield to a provider's detector
    # that matched the same text.
    generic: bool = False
    # The least-privilege replacement, in one imperative sentence for the remediation, e.g.
    # "create a project token for the one environment that needs it".
    least_privilege: str | None = None
    # Facts searched for near a match (CONTEXT_WINDOW bytes either side) and handed to the
    # lookup as Token.context: {name: regex whose group 1, or whole match, is the value}.
    # e.g. {"server_url": r"GITHUB_SERVER_URL\s*[=:]\s*['\"]?(https://[^\s'\"]+)"}. They run only
    # where this detector matched, so they cost nothing on the hot path.
    context_patterns: dict[str, str] = {}
    # Names of context_patterns that name where the token is sent (a shop, a project): their
    # value is kept only when the text binds it to the token (the same URL, the same line, or
    # the one assigned in its configuration block; scanner/binding.py), never merely nearby.
    bound_context: ClassVar[frozenset[str]] = frozenset()
    # How this provider's API answers a token (ProviderHTTP.settle, per call overridable):
    # statuses that mean the token is invalid or revoked, and statuses that mean it
    # authenticated but may not use the endpoint asked (live, forbidden there). None by default:
    # a 403 also comes from proxies, firewalls and IP allow-lists, so it proves a token live only
    # where the provider documents that it does.
    dead_statuses: ClassVar[frozenset[int]] = frozenset({401})
    forbidden_statuses: ClassVar[frozenset[int]] = frozenset()

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
