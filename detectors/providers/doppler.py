"""Doppler tokens.

Formats: ``detectors/rules/doppler.toml`` (``dp.pt.`` personal, ``dp.ct.`` CLI, ``dp.st.`` service,
``dp.sa.`` service account, ``dp.scim.`` and ``dp.audit.`` tokens).

Lookup, ``Authorization: Bearer``: ``GET https://api.doppler.com/v3/me`` ("Me": the token's own
``type``, ``name``, ``slug``, ``token_preview``, ``created_at``, ``last_seen_at`` and its
``workplace`` ``slug`` and ``name``). 401 is an invalid or revoked token; errors are
``{"messages": […], "success": false}``. SCIM and audit tokens work only on the SCIM and audit APIs,
which describe nothing about them: they are not looked up.

Rights (docs.doppler.com/reference/api, "Authentication"): CLI and personal tokens have read/write
access to every resource of their user's account; a service token read, or read/write, access to the
secrets of one config (``dp.st.<config>.`` names it); a service account token a granular set of the
workplace's resources. No endpoint tells a token which of these limits it carries, so the
capabilities reported are the upper bound, said so in the notes.
"""

from __future__ import annotations

from typing import Any

from tokenreach.detectors.base import Detector, LookupUnavailable
from tokenreach.detectors.http import ProviderHTTP, json_object
from tokenreach.detectors.rule_files import builtin, rules_for
from tokenreach.scanner.model import Access, Capability, Reach, Token

PATTERNS = rules_for("doppler")
_SPEC = builtin("doppler")

ME = "/v3/me"
_NOT_ON_ME = ("scim_token", "audit_token")

# Token kind -> (reach, upper bound of its capabilities, what Doppler documents).
_KINDS: dict[str, tuple[Reach, frozenset[Capability], str]] = {
    "personal": ("organization", frozenset({"read", "write", "delete", "secrets"}),
                 "read/write access to every resource of its user's account"),
    "cli": ("organization", frozenset({"read", "write", "delete", "secrets"}),
            "read/write access to every resource of its user's account"),
    "service": ("resource", frozenset({"read", "write", "secrets"}),
                "read, or read/write, access to the secrets of one config"),
    "service_account": ("organization", frozenset({"read", "write", "delete", "secrets"}),
                        "access to the workplace resources its service account was granted"),
}
_PREFIX_KIND = {"dp.pt.": "personal", "dp.ct.": "cli", "dp.st.": "service", "dp.sa.": "service_account"}


def kind_of(doppler_type: str, secret: str) -> str | None:
    """The token kind from /v3/me's ``type`` (``personal``, ``cli``, ``service_token`` …), else from
    the prefix."""
    t = doppler_type.lower().replace("-", "_")
    for kind in ("service_account", "service", "personal", "cli"):
        if t.startswith(kind):
            return kind
    return next((k for p, k in _PREFIX_KIND.items() if secret.startswith(p)), None)


class DopplerDetector(Detector):
    provider = "doppler"
    title = _SPEC.name
    patterns = PATTERNS
    api_url = "https://api.doppler.com"
    hosts = ("api.doppler.com",)
    request_budget = 60
    revoke_url = _SPEC.revoke_url
    least_privilege = _SPEC.least_privilege

    def classify(self, token: Token) -> Access:
        access = Access(evidence="prefix")
        kind = kind_of("", token.secret)
        if kind in _KINDS:
            access.note(f"a {kind.replace('_', ' ')} token ({token.secret[:6]} prefix): {_KINDS[kind][2]}")
        parts = token.secret.split(".")
        if kind == "service" and len(parts) == 4:
            access.facts["config"] = parts[2]
            access.note(f"its prefix names the config {parts[2]}")
        if token.kind in _NOT_ON_ME:
            access.note(f"a {token.kind.split('_')[0].upper()} token: works on that API only, not looked up")
        return access

    def lookup(self, token: Token, http: ProviderHTTP, offline: Access) -> Access:
        access = offline
        if token.kind in _NOT_ON_ME:
            return access.unknown("not looked up: SCIM and audit tokens are refused by /v3/me, and their "
                                  "own APIs say nothing about the token")
        resp = http.get(ME, headers={"Authorization": f"Bearer {token.secret}"})
        if not http.settle(access, resp, ME, detail=_messages(resp)):
            return access
        body = json_object(resp)
        kind = kind_of(str(body.get("type") or ""), token.secret)
        workplace = body.get("workplace")
        workplace = workplace if isinstance(workplace, dict) else {}
        wp_name = workplace.get("name") or workplace.get("slug")
        name = body.get("name")
        access.identity = " in ".join(str(x) for x in (name, f"workplace {wp_name}" if wp_name else None) if x) or None
        if isinstance(body.get("type"), str):
            access.facts["token_type"] = body["type"]
        if isinstance(workplace.get("slug"), str):
            access.facts["workplace"] = workplace["slug"]
            access.add_resources([f"workplace {workplace['slug']}"])
        if kind not in _KINDS:
            return access.note(f"{ME}: token type {body.get('type')!r} is not one Doppler documents; "
                               "capabilities unknown")
        reach, caps, documented = _KINDS[kind]
        access.reach = reach
        access.capabilities = set(caps)
        access.facts["capabilities_upper_bound"] = True
        access.note(f"{ME}: a {kind.replace('_', ' ')} token; Doppler documents {documented}: "
                    "capabilities are that upper bound (no endpoint tells a token its own limits)")
        if access.facts.get("config"):
            access.add_resources([f"config {access.facts['config']}"])
        return access


def _messages(resp: Any) -> str | None:
    """Doppler's ``{"messages": […]}`` on a refusal, quoted in the note."""
    if 200 <= resp.status_code < 300:
        return None
    try:
        messages = json_object(resp).get("messages")
    except LookupUnavailable:
        return None
    if isinstance(messages, list) and messages and isinstance(messages[0], str):
        return f"({messages[0][:120]})"
    return None


detector = DopplerDetector()
