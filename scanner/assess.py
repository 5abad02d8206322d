"""Severity: one rule over the Access model and the exposure, no per-provider special cases.

    points = capability (0-3) + reach (0-3)
      capability: delete/admin/billing/secrets 3 · write 2 · read 1 · unknown 3 (assume the worst)
      reach:      organization/account 3 · project 2 · resource 1 · unknown 2
    6 critical · 5 high · 4 medium · 3-2 low · ≤1 info
    So a token nobody could look up, sitting in the working tree, is high: the default
    --fail-on blocks it until someone confirms it is harmless.
    exposure:  only in git history → one level lower (still in every clone, but not where an
               agent working in the tree reads it)
    liveness:  revoked → info; unknown → the severity the offline facts support, "unconfirmed"
"""

from __future__ import annotations

from tokenreach.detectors.base import Access
from tokenreach.scanner.findings import Finding

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


def severity_of(access: Access, only_history: bool) -> str:
    if access.live is False:
        return "info"
    points = capability_points(access) + reach_points(access)
    level = {6: 4, 5: 3, 4: 2, 3: 1, 2: 1}.get(points, 0)
    if only_history:
        level = max(0, level - 1)
    return SEVERITIES[level]


def assess(finding: Finding) -> None:
    """Fill severity, over_privileged and reasons in place."""
    access = finding.access or Access()
    only_history = all(loc.exposure == "history" for loc in finding.locations)
    finding.severity = severity_of(access, only_history)
    reasons: list[str] = []
    dangerous = sorted(c for c in access.capabilities if c in _DANGEROUS)
    broad = access.reach in ("account", "organization")
    if access.live is False:
        reasons.append("revoked or invalid: the provider rejected it")
    elif access.live is None:
        reasons.append("unconfirmed: liveness unknown, severity from offline facts")
    if dangerous and broad:
        where = f"{access.reach}-wide"
        if access.resources_total:
            where += f" ({access.resources_total} reachable resource(s))"
        reasons.append(f"{where}: can {', '.join(dangerous)}")
    finding.over_privileged = bool(access.live is not False and dangerous and broad)
    if only_history:
        reasons.append("only in git history: rotating is required, deleting the file does not remove it")
    finding.reasons = reasons
