"""HashiCorp Vault tokens, looked up only on the Vault the operator names.

Formats: ``detectors/rules/hashicorp_vault.toml`` (``hvs.``, ``hvb.``, ``hvr.`` and pre-1.10 ``s.``
tokens). Every Vault is self-hosted (HCP Vault Dedicated too has a URL per cluster), and a token
found in a repository names no trustworthy address: a token is sent only to
``TOKENREACH_HASHICORP_VAULT_API_URL``; without it, "not looked up: self-hosted instance".

Lookup, ``X-Vault-Token`` (and ``X-Vault-Namespace`` when ``VAULT_NAMESPACE`` is set next to it):
- ``GET /v1/auth/token/lookup-self`` (developer.hashicorp.com/vault/api-docs/auth/token, "Lookup a
  token (self)"; the ``default`` policy allows it): ``policies``, ``identity_policies``,
  ``display_name``, ``type``, ``expire_time``, ``ttl``, ``orphan``, ``num_uses``, ``path``. Vault
  answers 403 to a token it does not know; the error says ``invalid token`` (dead), while a bare
  ``permission denied`` may be a live token whose policies leave out lookup-self (unknown).
- ``POST /v1/sys/capabilities-self`` with ``{"paths": […]}`` ("Query self capabilities": returns the
  token's capabilities on each path, ``deny`` where none; it reads, it changes nothing) on
  representative paths: ACL policies, secret-engine and auth-method mounts, token creation, and the
  default KV v2 mount's data.

The ``root`` policy is every capability on every path. Recovery tokens (``hvr.``) work only on a
Vault in recovery mode and are not looked up.
"""

from __future__ import annotations

from typing import Any

from tokenreach.detectors.base import Detector, LookupUnavailable
from tokenreach.detectors.http import ProviderHTTP, json_object
from tokenreach.detectors.rule_files import builtin, rules_for
from tokenreach.scanner.model import Access, Capability, Token

PATTERNS = rules_for("hashicorp_vault")
_SPEC = builtin("hashicorp_vault")

LOOKUP_SELF = "/v1/auth/token/lookup-self"
CAPABILITIES_SELF = "/v1/sys/capabilities-self"

# Representative paths (no real secret's name: nothing is read) and what holding them means.
_PROBES: dict[str, str] = {
    "sys/policies/acl/tokenreach-probe": "policies",
    "sys/mounts/tokenreach-probe": "mounts",
    "sys/auth/tokenreach-probe": "auth",
    "auth/token/create": "tokens",
    "secret/data/tokenreach-probe": "kv",
}
_WRITE = {"create", "update", "patch"}


def capabilities_of(found: dict[str, list[str]]) -> tuple[set[Capability], list[str]]:
    """What the probed paths' capabilities mean, and the notes that say so."""
    caps: set[Capability] = set()
    notes: list[str] = []
    for path, what in _PROBES.items():
        held = set(found.get(path, [])) - {"deny"}
        if not held:
            continue
        if "root" in held:
            held |= {"create", "read", "update", "delete", "list", "sudo"}
        if what in ("policies", "mounts", "auth") and held & (_WRITE | {"delete", "sudo"}):
            caps.update(("write", "admin"))
            notes.append(f"can change {what} ({path}: {', '.join(sorted(held))}): administers this Vault")
        elif what == "tokens" and held & _WRITE:
            caps.add("write")
            notes.append("can create tokens (auth/token/create)" + (" with sudo: orphan tokens of any policy"
                                                                     if "sudo" in held else ""))
        elif what == "kv":
            if "read" in held:
                caps.update(("read", "secrets"))
            if held & _WRITE:
                caps.add("write")
            if "delete" in held:
                caps.add("delete")
            notes.append(f"on the secret/ KV mount: {', '.join(sorted(held))}")
        if held & {"read", "list"}:
            caps.add("read")
    return caps, notes


class VaultDetector(Detector):
    provider = "hashicorp_vault"
    title = _SPEC.name
    patterns = PATTERNS
    api_url = None
    self_hosted = True  # only TOKENREACH_HASHICORP_VAULT_API_URL
    dead_statuses = frozenset()  # Vault answers 403 to unknown tokens; the body decides (below)
    request_budget = 40
    revoke_url = _SPEC.revoke_url
    least_privilege = _SPEC.least_privilege
    context_patterns = {"namespace": r"\bVAULT_NAMESPACE\s*[=:]\s*[\"']?([A-Za-z0-9_/-]{1,100})"}

    def lookup(self, token: Token, http: ProviderHTTP, offline: Access) -> Access:
        access = offline
        if not http.overridden:
            return access.unknown("not looked up: self-hosted instance (set TOKENREACH_HASHICORP_VAULT_API_URL "
                                  "to the Vault this token belongs to)")
        if token.kind == "recovery_token":
            return access.unknown("not looked up: a recovery token works only on a Vault in recovery mode")
        headers = {"X-Vault-Token": token.secret}
        if token.context.get("namespace"):
            headers["X-Vault-Namespace"] = token.context["namespace"]
        resp = http.get(LOOKUP_SELF, headers=headers)
        errors = _errors(resp)
        invalid = resp.status_code == 403 and "invalid token" in errors.lower()
        why = {403: "invalid, expired or revoked (invalid token)" if invalid
               else "permission denied: an unknown token on an older Vault, or a live one whose policies "
                    "leave out lookup-self"}
        if not http.settle(access, resp, LOOKUP_SELF, dead={403} if invalid else (), why=why):
            return access
        data = json_object(resp).get("data")
        if not isinstance(data, dict):
            return access.unknown(f"{LOOKUP_SELF} answered 200 without data")
        policies = sorted({p for key in ("policies", "identity_policies") for p in data.get(key) or []
                           if isinstance(p, str)})
        access.grants = policies
        name = data.get("display_name")
        access.identity = str(name) if name else None
        for key in ("type", "path", "entity_id", "orphan", "num_uses", "ttl"):
            if data.get(key) not in (None, ""):
                access.facts[key] = data[key]
        if isinstance(data.get("expire_time"), str):
            access.expires_at = data["expire_time"]
        elif data.get("ttl") == 0:
            access.note("ttl 0 and no expire_time: the token never expires")
        access.note(f"{LOOKUP_SELF}: policies {', '.join(policies) or 'none'}")
        if "root" in policies:
            access.reach = "organization"
            access.capabilities = {"read", "write", "delete", "admin", "secrets"}
            access.note("the root policy: every capability on every path of this Vault")
            return access
        access.reach = "project"
        self._capabilities(http, headers, access)
        if "admin" in access.capabilities:
            access.reach = "organization"
        return access

    def _capabilities(self, http: ProviderHTTP, headers: dict[str, str], access: Access) -> None:
        try:
            resp = http.post_readonly(CAPABILITIES_SELF, headers=headers, json_body={"paths": list(_PROBES)},
                                      why="sys/capabilities-self only reports the token's capabilities on paths")
            body = json_object(resp) if resp.status_code == 200 else None
        except LookupUnavailable as exc:
            access.note(f"capabilities unavailable: {exc}")
            return
        if body is None:
            access.note(f"{CAPABILITIES_SELF} answered HTTP {resp.status_code}: capabilities unknown "
                        "(the token's policies may not allow it)")
            return
        found = {p: [c for c in v if isinstance(c, str)] for p, v in body.items()
                 if p in _PROBES and isinstance(v, list)}
        caps, notes = capabilities_of(found)
        access.capabilities |= caps
        for note in notes:
            access.note(note)
        if not caps:
            access.note("deny on every probed path (policies, mounts, auth methods, token creation, secret/): "
                        "its rights lie on other paths")


def _errors(resp: Any) -> str:
    """Vault's ``{"errors": […]}``, joined."""
    if 200 <= resp.status_code < 300:
        return ""
    try:
        errors = json_object(resp).get("errors")
    except LookupUnavailable:
        return ""
    return " ".join(e for e in errors if isinstance(e, str)) if isinstance(errors, list) else ""


detector = VaultDetector()
