"""Infisical service tokens.

Format: ``detectors/rules/infisical.toml`` (``st.<id>.<hex>.<hex>``). "The part after the last ``.``
delimiter is a symmetric key; everything before it is an access token. When authenticating with the
Infisical API, it is important to send in only the access token portion" (infisical.com/docs/
documentation/platform/token): so the key that decrypts the project's secrets never leaves.

Lookup, ``Authorization: Bearer <access token portion>``: ``GET /api/v2/service-token`` ("Get: Return
Infisical Token data", infisical.com/docs/api-reference/endpoints/service-tokens/get; deprecated in
favour of machine identities, still served): ``name``, ``projectId``/``workspace``, ``scopes``
(``environment`` and ``secretPath`` pairs), ``permissions`` (``read``, ``write``), ``expiresAt``, and
the creating ``user``. The body also carries the token's encrypted project key (``encryptedKey``,
``iv``, ``tag``), which is never kept. 401 is an invalid, revoked or expired token (an expired one
is deleted).

Hosts: Infisical Cloud US (``us.infisical.com``, formerly ``app.infisical.com``) and EU
(``eu.infisical.com``). A token is per region: the one the text names (``INFISICAL_API_URL``,
``INFISICAL_DOMAIN``, ``--domain``) is asked; another host is a self-hosted Infisical, not looked up
unless ``TOKENREACH_INFISICAL_API_URL`` is set; with none named, US then EU, and a 401 from both stays
unknown (it may be a self-hosted instance's).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from tokenreach.detectors.base import Detector
from tokenreach.detectors.http import ProviderHTTP, json_object, refusal_detail
from tokenreach.detectors.rule_files import builtin, rules_for
from tokenreach.scanner.model import Access, Token

PATTERNS = rules_for("infisical")
_SPEC = builtin("infisical")

SERVICE_TOKEN = "/api/v2/service-token"
US, EU = "us.infisical.com", "eu.infisical.com"
_CLOUD = {"app.infisical.com": US, US: US, EU: EU}


def access_portion(secret: str) -> str:
    """What authenticates: everything before the last dot (the rest is the decryption key)."""
    return secret.rsplit(".", 1)[0]


class InfisicalDetector(Detector):
    provider = "infisical"
    title = _SPEC.name
    patterns = PATTERNS
    api_url = "https://us.infisical.com"
    hosts = (US, EU)
    request_budget = 40
    revoke_url = _SPEC.revoke_url
    least_privilege = _SPEC.least_privilege
    context_patterns = {
        "domain": r"(?i)(?:INFISICAL_(?:API_URL|DOMAIN|SITE_URL)\s*[=:]\s*[\"']?|--domain[= ][\"']?)"
                  r"(https?://[A-Za-z0-9.:-]{3,200})",
    }

    def classify(self, token: Token) -> Access:
        access = Access(evidence="prefix")
        access.note("an Infisical service token: read and/or write access to chosen environments and paths "
                    "of one project; its last part decrypts the project's secrets")
        return access

    def lookup(self, token: Token, http: ProviderHTTP, offline: Access) -> Access:
        access = offline
        named = urlsplit(token.context.get("domain", "")).hostname
        if named and named.lower() not in _CLOUD and not http.overridden:
            return access.unknown("not looked up: self-hosted instance (Infisical)")
        headers = {"Authorization": f"Bearer {access_portion(token.secret)}"}
        regions = [_CLOUD[named.lower()]] if named and named.lower() in _CLOUD else [US, EU]
        for i, host in enumerate(regions):
            resp = http.get(SERVICE_TOKEN, host=host, headers=headers)
            last = i == len(regions) - 1
            if resp.status_code == 401 and not last:
                access.note(f"{host} does not know it (401): asking {regions[i + 1]}")
                continue
            ambiguous = named is None and resp.status_code == 401
            why = {401: "revoked or expired, or a self-hosted Infisical's token (no host is named near it)"
                   if ambiguous else "invalid, revoked or expired"}
            if not http.settle(access, resp, f"{SERVICE_TOKEN} on {host}", dead=() if ambiguous else None,
                               why=why, detail=refusal_detail(resp)):
                return access
            self._read(json_object(resp), host, access)
            return access
        return access

    def _read(self, body: dict[str, Any], host: str, access: Access) -> None:
        # encryptedKey, iv and tag (the project key, encrypted) are deliberately not read.
        perms = [p for p in body.get("permissions") or [] if isinstance(p, str)]
        scopes = [s for s in body.get("scopes") or [] if isinstance(s, dict)]
        pairs = [f"{s.get('environment')}:{s.get('secretPath')}" for s in scopes]
        access.grants = sorted(perms)
        if "read" in perms:
            access.capabilities.update(("read", "secrets"))
        if "write" in perms:
            access.capabilities.update(("write", "delete"))
        project = body.get("projectId") or body.get("workspace")
        name = body.get("name")
        access.identity = f"{name} (project {project})" if name and project else (name or project or None)
        access.add_resources(pairs, len(pairs))
        access.reach = "resource" if len(pairs) == 1 else "project"  # one environment and path, or more
        if isinstance(body.get("expiresAt"), str):
            access.expires_at = body["expiresAt"]
        user = body.get("user")
        user = user if isinstance(user, dict) else {}
        if isinstance(user.get("email"), str):
            access.facts["created_by"] = user["email"]
        access.facts["region"] = host
        access.note(f"{SERVICE_TOKEN}: {' and '.join(perms) or 'no'} permission on {', '.join(pairs) or 'no scope'}")


detector = InfisicalDetector()
