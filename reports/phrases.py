"""The words every report uses for a token: its name, its status and its reach.

Each phrase is built here once, so that no report words a finding its own way: no "can unknown",
no provider named twice ("Private key PEM private key"), no identity tacked onto a failure ("DNS
lookup failed as AWS account …"), and no generic name once the lookup has said which kind a token
is ("Railway API token (account, workspace or project)" becomes "Railway API token (account)").
"""

from __future__ import annotations

import re

from tokenreach.scanner.model import Access, Finding, can_phrase

# A name that lists what the token may be: "(account, workspace or project)".
_ALTERNATIVES = re.compile(r"\s*\(([^()]*\bor\b[^()]*)\)\s*$")
# Kinds a lookup decides (Access.facts["token_kind"]); anything else ("organization_or_project",
# "unknown") is not a decision.
_DECIDED = re.compile(r"[a-z]+")
# Words a kind may hold that add nothing to a token's name ("classic_pat" on a classic PAT's name).
_GENERIC = frozenset({"api", "key", "token", "pat", "secret", "access"})


def titled(title: str, name: str) -> str:
    """``GitHub`` + ``personal access token`` → ``GitHub personal access token``; a name that already
    says the title (``PEM private key`` for ``Private key``) stays as it is."""
    if not title or title.lower() in name.lower():
        return name
    return f"{title} {name}"


def kind_name(f: Finding) -> str:
    """The pattern's name and the token's kind (``Hugging Face access token (user token)``), with the
    kind the lookup decided in place of the kinds it may be."""
    name = f.pattern_name or (f.token.kind or "token").replace("_", " ")
    decided = f.access.facts.get("token_kind") if f.access else None
    if isinstance(decided, str) and _DECIDED.fullmatch(decided):
        word = decided
        listed = _ALTERNATIVES.search(name)
        if listed:
            return f"{name[:listed.start()]} ({word})"
    elif f.token.kind and f.pattern_name:
        word = f.token.kind.replace("_", " ")
    else:
        return name
    said = set(re.findall(r"[a-z0-9]+", name.lower())) | _GENERIC
    if set(word.split()) <= said:
        return name
    if name.endswith(")"):  # one parenthesis: "API token (unprefixed, legacy)"
        return f"{name[:-1]}, {' '.join(w for w in word.split() if w not in _GENERIC)})"
    return f"{name} ({word})"


def token_name(f: Finding, title: str) -> str:
    """What the token is, with its provider: ``Railway API token (account)``."""
    return titled(title, kind_name(f))


def status(access: Access | None, *, offline: bool = False, why: bool = False) -> str:
    """``live as ada`` · ``revoked (the provider rejected it)`` · ``liveness unknown — timed out``.
    An identity known without a live answer (decoded from the token) is said apart from the why."""
    if access is None:
        return "not looked up"
    if access.live is True:
        return "live" + (f" as {access.identity}" if access.identity else "")
    text = "revoked (the provider rejected it)" if access.live is False else (
        "not looked up (offline)" if offline else "liveness unknown")
    if why and access.live is None:
        reason = next((n for n in reversed(access.notes) if n.startswith(("not looked up", "liveness unknown:"))),
                      None)
        if reason:
            text += f" — {reason.removeprefix('liveness unknown: ')}"
    if access.identity:
        text += f"; identity {access.identity}"
    return text


def reach(access: Access | None) -> str:
    """``account-wide, can delete, administer`` · ``reach unknown, can read`` · ``reach and
    capabilities unknown``; with the number of resources it reaches when the provider said."""
    if access is None or not (access.reach or access.capabilities):
        return "reach and capabilities unknown"
    where = f"{access.reach}-wide" if access.reach else "reach unknown"
    if access.resources_total:
        where += f" ({access.resources_total} resource{'s' if access.resources_total != 1 else ''})"
    caps = can_phrase(access.capabilities)
    return f"{where}, can {caps}" if caps else f"{where}, capabilities unknown"
