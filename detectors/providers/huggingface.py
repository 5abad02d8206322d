"""Hugging Face user access tokens.

Format (providers.md B.18; huggingface.co/docs/hub/security-tokens): ``hf_`` + 34 alphanumerics;
``api_org_`` + 34 is the deprecated organization token. One read-only call, ``GET
/api/whoami-v2``, returns the owner, their organizations and the token's own role (``read``,
``write`` or ``fineGrained`` with its scoped permissions).
"""

from __future__ import annotations

from typing import Any

from tokenreach.detectors.base import Detector
from tokenreach.detectors.http import ProviderHTTP, json_object
from tokenreach.detectors.rule_files import rules_for
from tokenreach.scanner.model import Access, Capability, Token

PATTERNS = rules_for("huggingface")

# Fine-grained permission → our capabilities. Names not listed here still appear in grants.
_FINE_GRAINED: dict[str, tuple[Capability, ...]] = {
    "repo.content.read": ("read",),
    "repo.write": ("write", "delete"),
    "discussion.write": ("write",),
    "post.write": ("write",),
    "collection.read": ("read",),
    "collection.write": ("write",),
    "inference.serverless.write": ("billing",),
    "inference.endpoints.infer.write": ("billing",),
    "inference.endpoints.write": ("write", "billing"),
    "org.read": ("read",),
    "org.write": ("admin",),
    "user.billing.read": ("billing",),
    "user.webhooks.read": ("read",),
    "user.webhooks.write": ("write",),
}


class HuggingFaceDetector(Detector):
    provider = "huggingface"
    title = "Hugging Face"
    patterns = PATTERNS
    api_url = "https://huggingface.co"
    hosts = ("huggingface.co",)
    request_budget = 60
    revoke_url = "https://huggingface.co/settings/tokens"
    least_privilege = (
        "create a fine-grained token scoped to the one repository with read access (repo.content.read)"
    )

    def lookup(self, token: Token, http: ProviderHTTP, offline: Access) -> Access:
        resp = http.get("/api/whoami-v2", headers={"Authorization": f"Bearer {token.secret}"})
        access = offline
        if not http.settle(access, resp, "whoami-v2"):
            return access
        body = json_object(resp)
        access.identity = str(body.get("name") or body.get("id") or "unknown user")
        if body.get("type") == "org":
            access.identity = f"org {access.identity}"
        orgs = [o for o in body.get("orgs") or [] if isinstance(o, dict)]
        admin_orgs = [str(o.get("name")) for o in orgs if o.get("roleInOrg") == "admin"]
        token_info: dict[str, Any] = ((body.get("auth") or {}).get("accessToken")) or {}
        role = token_info.get("role")
        if role == "fineGrained":
            _fine_grained(access, token_info.get("fineGrained") or {})
        elif role in ("read", "write"):
            access.grants = [role]
            access.capabilities = {"read"} if role == "read" else {"read", "write", "delete"}
            access.reach = "organization" if orgs else "account"
            access.add_resources([f"user {access.identity}"] + [f"org {o.get('name')}" for o in orgs])
            access.note(f"role {role}: applies to every repository of {access.identity}"
                        + (f" and of {len(orgs)} organization(s) they belong to" if orgs else ""))
        else:
            access.note("whoami-v2 did not state the token's role")
        if admin_orgs and ("write" in access.capabilities or "admin" in access.capabilities):
            access.note(f"owner is admin of {', '.join(admin_orgs)}")
            access.facts["admin_of"] = admin_orgs
        if body.get("canPay"):
            access.facts["can_pay"] = True
        return access


def _fine_grained(access: Access, fine: dict[str, Any]) -> None:
    grants: list[str] = []
    entities: list[str] = []
    reach_rank = 0  # 0 resource, 1 account, 2 organization
    for perm in fine.get("global") or []:
        grants.append(str(perm))
        reach_rank = max(reach_rank, 1)
    for scoped in fine.get("scoped") or []:
        if not isinstance(scoped, dict):
            continue
        entity = scoped.get("entity") or {}
        etype, ename = entity.get("type"), entity.get("name")
        entities.append(f"{etype} {ename}")
        reach_rank = max(reach_rank, {"org": 2, "user": 1}.get(str(etype), 0))
        for perm in scoped.get("permissions") or []:
            grants.append(f"{ename}:{perm}")
    access.grants = grants
    for g in grants:
        perm = g.rsplit(":", 1)[-1]
        access.capabilities.update(_FINE_GRAINED.get(perm, ("write",) if perm.endswith(".write") else ()))
        if perm.endswith(".read"):
            access.capabilities.add("read")
    access.reach = ("resource", "account", "organization")[reach_rank]
    access.add_resources(entities)
    access.note(f"fine-grained token scoped to {len(entities)} entit{'y' if len(entities) == 1 else 'ies'}")


detector = HuggingFaceDetector()
