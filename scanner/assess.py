"""The verdict: severity, over-privileged, reasons and remediation — one rule for every provider.

Severity::

    points = capability (0-3) + reach (0-3)
      capability: delete/admin/billing/secrets 3 · write 2 · read 1 · unknown 3 (assume the worst)
      reach:      organization/account 3 · project 2 · resource 1 · unknown 2
    6 critical · 5 high · 4 medium · 3-2 low · ≤1 info
    exposure:  only in git history → one level lower (still in every clone, but not where an
               agent working in the tree reads it)
    sandbox:   facts["environment"] of test/sandbox/development (a provider's test mode) → one
               level lower: it cannot touch production data or money
    liveness:  revoked → info; unknown → what the offline facts support, marked unconfirmed
    local:     unconfirmed, and a password whose URL names this machine, an example host, or a
               private host with a default login (postgres:postgres) → low at most (a server the
               operator let tokenreach ask, --lookup-private-hosts, is judged by its answer)
    hash:      a password hash (facts["password_hash"]) → low (info when only in history): it opens
               nothing by itself, but can be cracked offline
    public:    a key public by design (Pattern.public, or the provider's classify() set
               facts["public_by_design"], e.g. a Supabase anon JWT) → info, never blocking
               (``blocks``), and no revoke advice: it is meant to ship in client code

So a token nobody could look up, sitting in the working tree, is high: the default --fail-on
blocks it until someone confirms it is harmless.

Over-privileged: live or unknown, and either able to delete/administer/bill/read secrets at
account or organization reach, or able to do more than its purpose (declared in configuration,
else inferred from its name and path).
"""

from __future__ import annotations

from tokenreach.detectors.registry import detector
from tokenreach.scanner.config import Intent
from tokenreach.scanner.intent import declared_purpose, excess, inferred_purpose
from tokenreach.scanner.model import CAPABILITY_ORDER, EXPOSURE_ORDER, Access, Finding, can_phrase

SEVERITIES = ("info", "low", "medium", "high", "critical")
_CAP_POINTS = {"delete": 3, "admin": 3, "billing": 3, "secrets": 3, "write": 2, "read": 1}
_REACH_POINTS = {"organization": 3, "account": 3, "project": 2, "resource": 1}
_DANGEROUS = ("delete", "admin", "billing", "secrets")


def severity_rank(severity: str) -> int:
    return SEVERITIES.index(severity)


def capability_points(access: Access) -> int:
    if not access.capabilities:
        return 3
    return max(_CAP_POINTS.get(c, 0) for c in access.capabilities)


def reach_points(access: Access) -> int:
    return _REACH_POINTS.get(access.reach or "", 2)


_SANDBOXES = frozenset({"test", "sandbox", "development", "testpypi"})


def local_only(access: Access) -> str | None:
    """Why a password cannot reach anything public, or None: its URL names this machine or an
    example host, or a private host with a login anyone would try first (credentials_url.py)."""
    scope = access.facts.get("host_scope")
    if scope == "local":
        return "its host is this machine: a development password"
    if scope == "documentation":
        return "its host is a documentation example"
    if scope == "private" and access.facts.get("default_password"):
        return "a well-known default login on a private host"
    return None


def severity_of(access: Access, only_history: bool) -> str:
    if access.live is False:
        return "info"
    points = capability_points(access) + reach_points(access)
    level = {6: 4, 5: 3, 4: 2, 3: 1, 2: 1}.get(points, 0)
    if only_history:
        level -= 1
    if str(access.facts.get("environment", "")).lower() in _SANDBOXES:
        level -= 1
    if access.live is None and local_only(access):  # low at most: a risk only where the password is reused
        level = min(level, 1)
    return SEVERITIES[max(0, level)]


def is_public(finding: Finding) -> bool:
    """A key its provider documents as safe to ship in client code (publishable, anon)."""
    if finding.access is not None and finding.access.facts.get("public_by_design") is True:
        return True
    det = detector(finding.token.provider)
    return det is not None and any(p.public for p in det.patterns if p.id == finding.token.pattern_id)


def blocks(finding: Finding, fail_on: str, fail_on_over_privileged: bool) -> bool:
    """Whether this finding fails the run: a public key never does, whatever the threshold."""
    if is_public(finding):
        return False
    return (severity_rank(finding.severity or "info") >= severity_rank(fail_on)
            or (fail_on_over_privileged and bool(finding.over_privileged)))


def assess(finding: Finding, intents: tuple[Intent, ...] = ()) -> None:
    """Fill severity, over_privileged, reasons and remediation in place."""
    access = finding.access or Access()
    if is_public(finding):
        finding.severity = "info"
        finding.over_privileged = False
        finding.reasons = ["public by design: its provider documents it as safe to ship in client code"]
        finding.remediation = ["none needed: it is meant for client code (keep the provider's secret keys out of it)"]
        return
    only_history = all(loc.exposure == "history" for loc in finding.locations)
    if access.facts.get("password_hash") is True:
        _assess_password_hash(finding, access, only_history)
        return
    finding.severity = severity_of(access, only_history)
    reasons: list[str] = []
    over = False
    if access.live is False:
        reasons.append("revoked or invalid: the provider rejected it")
    else:
        dangerous = [c for c in CAPABILITY_ORDER if c in access.capabilities and c in _DANGEROUS]
        if dangerous and access.reach in ("account", "organization"):
            over = True
            line = f"{access.reach}-wide: can {can_phrase(dangerous)}"
            if access.resources_total:
                line += f" across {access.resources_total} reachable resource(s)"
            impact = next((n for n in access.notes if n.startswith("can ")), None)
            reasons.append(line + (f" — {impact}" if impact else ""))
        purpose = declared_purpose(finding, intents) or inferred_purpose(finding)
        if purpose is not None:
            beyond = excess(access, purpose)
            if beyond:
                over = True
                if purpose.declared:
                    reasons.append(f"exceeds its declared intent {purpose.label!r} ({purpose.source}): "
                                   + "; ".join(beyond))
                else:
                    reasons.append(f"{purpose.source} suggests {purpose.label}, but it "
                                   + "; ".join(beyond) + " (inferred from its name or path)")
        if access.live is None:
            reasons.append("unconfirmed: liveness unknown, severity from what the token's bytes show")
        local = local_only(access) if access.live is None else None
        if local:
            reasons.append(f"low at most: {local}; a risk only where the same password is used elsewhere")
    if only_history:
        reasons.append("only in git history: still in every clone and fork until rotated")
    finding.over_privileged = over
    finding.reasons = reasons
    finding.remediation = remediation(finding, access, over)


def _assess_password_hash(finding: Finding, access: Access, only_history: bool) -> None:
    """A password hash (detectors/providers/password_hash.py) opens nothing by itself and has no
    one to ask: low by default (info when only in history), never over-privileged."""
    scheme = str(access.facts.get("scheme") or "password hash")
    finding.severity = "info" if only_history else "low"
    finding.over_privileged = False
    if scheme == "Kerberos keytab":
        finding.reasons = ["Kerberos keytab: its keys authenticate as the service without any password, "
                           "and the password-derived ones can be cracked offline"]
    else:
        fast = " (a fast hash: billions of guesses a second)" if access.facts.get("fast_hash") else ""
        finding.reasons = [f"{scheme} password hash: can be cracked offline{fast}, with no rate limit and no log; "
                           "a weak or reused password falls"]
    if only_history:
        finding.reasons.append("only in git history: still in every clone and fork")
    det = detector(finding.provider)
    # The exposure steps of remediation(), without its revoke-and-replace ones (nothing to revoke).
    finding.remediation = ([det.rotate_hint] if det and det.rotate_hint else []) + remediation(
        finding, Access(live=False), False)


def remediation(finding: Finding, access: Access, over: bool) -> list[str]:
    det = detector(finding.provider)
    title = det.title if det else finding.provider
    steps: list[str] = []
    if access.live is not False:
        if det and det.rotate_hint and not det.revoke_url:
            steps.append(det.rotate_hint)
        else:
            where = f" at {det.revoke_url}" if det and det.revoke_url else f" in {title}'s token settings"
            steps.append(f"revoke this {title} token{where}")
        if over or access.live is None:
            if det and det.least_privilege:
                better = det.least_privilege
            elif det and det.rotate_hint:  # no provider's vocabulary to name the narrower token in
                better = "a credential limited to the one system and the access its purpose needs"
            else:
                better = f"create a {title} token limited to the one resource and the capabilities its purpose needs"
            steps.append(f"replace it: {better}")
    exposures = {loc.exposure for loc in finding.locations}
    if "history" in exposures:
        steps.append("rotate it: deleting the file does not remove it from git history, which every clone keeps")
    if exposures & {"tracked", "ignored", "untracked", "staged"}:
        steps.append("keep the replacement out of the working tree (a secret manager or the CI's secret store), "
                     "where coding agents and scripts in this folder cannot read it")
    if "environment" in exposures:
        steps.append("unset it in the shells coding agents start from: every command they run inherits it")
    if "home" in exposures:
        steps.append("log the tool out (or narrow its token) where coding agents run: they read the home folder "
                     "as easily as the repository")
    if "nearby" in exposures:
        steps.append("move it out of the other project's folder tree (a secret manager): an agent's `grep -r` "
                     "reaches the projects next to this one")
    return steps


def order(findings: list[Finding]) -> list[Finding]:
    """Over-privileged first, then most severe; among equals the broadest (reach, then how many
    capabilities, then how many resources), then the most exposed."""
    def key(f: Finding) -> tuple[int, int, int, int, int, int, str, str]:
        a = f.access
        return (
            0 if f.over_privileged else 1,
            -severity_rank(f.severity or "info"),
            -(reach_points(a) if a and a.reach else 0),
            -(len(a.capabilities) if a else 0),
            -((a.resources_total or 0) if a else 0),
            EXPOSURE_ORDER.index(f.exposure),
            f.provider,
            f.fingerprint,
        )

    return sorted(findings, key=key)
