"""Google Cloud service-account JSON keys.

Format (providers.md B.5; cloud.google.com/iam/docs/keys-create-delete): a JSON object with
``"type": "service_account"``, ``project_id``, ``private_key_id`` (40 hex), ``private_key`` (a PEM
RSA key, newlines escaped as ``\\n``), ``client_email`` (``<name>@<project>.iam.gserviceaccount.com``)
and the OAuth URIs. The finding is the private key block; ``client_email``, ``project_id`` and
``private_key_id`` ride along in ``Token.extras``. Two patterns cover the two field orders seen in
the wild: the order Google writes, and sorted keys (``jq -S``, Terraform's ``jsonencode``). One
level of JSON-in-a-string escaping (``\\"``, ``\\\\n``) is accepted.

Offline: project, service-account email, key ID, and whether the private key parses.

Lookup, in the order B.5 gives:

1. ``GET https://www.googleapis.com/robot/v1/metadata/x509/<client_email>``, unauthenticated: the
   account's active public keys by key ID. A 404, or a map without our key ID, means the key or
   the account was deleted, and nothing is signed with it.
2. ``POST https://oauth2.googleapis.com/token``, the RFC 7523 JWT-bearer grant with an RS256
   assertion signed here (``cryptography``) for the ``cloud-platform.read-only`` scope: 200 live,
   400 ``invalid_grant`` deleted or disabled. It mints a short-lived read-only token and changes
   nothing (the key's "last used" time aside). The file's own ``token_uri`` is never used.
3. ``POST https://cloudresourcemanager.googleapis.com/v1/projects/<project>:testIamPermissions``
   (documented read-only; needs no permission) over a fixed list of dangerous permissions.

``TOKENREACH_GCP_API_URL`` replaces all three hosts with one base URL (the paths differ).
"""

from __future__ import annotations

import base64
import json
import re
import time
from typing import Any
from urllib.parse import quote

from tokenreach.detectors.base import Detector
from tokenreach.detectors.http import ProviderHTTP, json_object
from tokenreach.detectors.rule_files import rules_for
from tokenreach.scanner.model import Access, Capability, Token

TOKEN_URI = "https://oauth2.googleapis.com/token"
OAUTH_HOST = "oauth2.googleapis.com"
CERTS_HOST = "www.googleapis.com"
CRM_HOST = "cloudresourcemanager.googleapis.com"
READ_ONLY_SCOPE = "https://www.googleapis.com/auth/cloud-platform.read-only"
JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"

PATTERNS = rules_for("gcp")

# Permissions asked about (testIamPermissions takes up to 100) and what holding each means.
DANGEROUS: dict[str, tuple[Capability, ...]] = {
    "resourcemanager.projects.get": ("read",),
    "resourcemanager.projects.getIamPolicy": ("read",),
    "resourcemanager.projects.setIamPolicy": ("admin",),
    "resourcemanager.projects.delete": ("delete", "admin"),
    "resourcemanager.projects.createBillingAssignment": ("billing",),
    "billing.resourceAssociations.create": ("billing",),
    "iam.serviceAccountKeys.create": ("admin", "secrets"),
    "iam.serviceAccounts.getAccessToken": ("admin",),
    "iam.serviceAccounts.actAs": ("admin",),
    "iam.roles.create": ("admin",),
    "serviceusage.services.enable": ("write",),
    "storage.buckets.list": ("read",),
    "storage.objects.get": ("read",),
    "storage.objects.create": ("write",),
    "storage.objects.delete": ("delete",),
    "storage.buckets.delete": ("delete",),
    "compute.instances.list": ("read",),
    "compute.instances.create": ("write",),
    "compute.instances.delete": ("delete",),
    "cloudsql.instances.delete": ("delete",),
    "bigquery.tables.getData": ("read",),
    "bigquery.datasets.delete": ("delete",),
    "run.services.update": ("write",),
    "cloudfunctions.functions.update": ("write",),
    "secretmanager.versions.access": ("secrets",),
    "cloudkms.cryptoKeyVersions.useToDecrypt": ("secrets",),
}
# Holding any of these makes the key owner-like (it can grant itself anything in the project).
ESCALATION = ("resourcemanager.projects.setIamPolicy", "iam.serviceAccountKeys.create",
              "iam.serviceAccounts.getAccessToken")


# Offline ----------------------------------------------------------------------------------------


def unescape_pem(secret: str) -> str:
    """The PEM as a PEM: JSON's ``\\n`` (once or twice escaped) back to newlines."""
    text = secret.replace("\\\\n", "\n").replace("\\n", "\n").replace("\\r", "").replace("\\/", "/")
    return "\n".join(line.strip() for line in text.strip().splitlines()) + "\n"


def load_key(secret: str) -> Any | None:
    """The RSA private key, or None when the block does not parse (placeholder, mangled)."""
    try:
        from cryptography.hazmat.primitives.asymmetric import rsa
        from cryptography.hazmat.primitives.serialization import load_pem_private_key

        key = load_pem_private_key(unescape_pem(secret).encode(), password=None)
    except Exception:  # ValueError, TypeError, UnsupportedAlgorithm: not a usable key
        return None
    return key if isinstance(key, rsa.RSAPrivateKey) else None


def project_of(email: str) -> str | None:
    """The project a service-account email names (the default compute SA names a project number)."""
    m = re.fullmatch(r"([^@]+)@(.+)\.gserviceaccount\.com", email or "")
    if not m:
        return None
    local, domain = m.groups()
    if domain.endswith(".iam"):
        return domain[: -len(".iam")]
    if domain == "appspot":
        return local
    if domain == "developer" and re.fullmatch(r"\d+-compute", local):
        return local.split("-", 1)[0]
    return None


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def assertion(key: Any, email: str, key_id: str | None, now: float | None = None) -> str:
    """An RS256-signed JWT-bearer assertion for the read-only cloud-platform scope."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    iat = int(now if now is not None else time.time())
    header: dict[str, str] = {"alg": "RS256", "typ": "JWT"}
    if key_id:
        header["kid"] = key_id
    claims = {"iss": email, "scope": READ_ONLY_SCOPE, "aud": TOKEN_URI, "iat": iat, "exp": iat + 600}
    signing_input = _b64url(json.dumps(header, separators=(",", ":")).encode()) + "." + _b64url(
        json.dumps(claims, separators=(",", ":")).encode())
    signature = key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
    return signing_input + "." + _b64url(signature)


def capabilities_of(permissions: list[str]) -> set[Capability]:
    caps: set[Capability] = set()
    for perm in permissions:
        caps.update(DANGEROUS.get(perm, ()))
    return caps


# The detector -------------------------------------------------------------------------------


class GCPDetector(Detector):
    provider = "gcp"
    title = "Google Cloud"
    patterns = PATTERNS
    api_url = f"https://{OAUTH_HOST}"
    hosts = (OAUTH_HOST, CERTS_HOST, CRM_HOST)
    request_budget = 45
    revoke_url = "https://console.cloud.google.com/iam-admin/serviceaccounts"
    # The token endpoint says what a refusal means in its OAuth error (RFC 6749 §5.2), never by a
    # status alone (_exchange_refusal).
    dead_statuses = frozenset()

    def classify(self, token: Token) -> Access:
        access = Access(evidence="offline")
        email = token.extras.get("client_email", "")
        project = token.extras.get("project_id") or project_of(email)
        key_id = token.extras.get("private_key_id")
        if email:
            access.identity = email
            access.facts["client_email"] = email
        if project:
            access.facts["project_id"] = project
            access.add_resources([f"project {project}"])
        if key_id:
            access.facts["private_key_id"] = key_id
        access.note(f"service-account key {key_id or '(no key ID nearby)'} of {email or 'an unknown account'}"
                    + (f" in project {project}" if project else ""))
        key = load_key(token.secret)
        if key is None:
            access.facts["key_parses"] = False
            access.note("the private key block does not parse: nothing can be signed with it")
        else:
            access.facts["key_parses"] = True
            access.facts["key_bits"] = key.key_size
            access.note(f"the private key parses (RSA {key.key_size})")
        return access

    def lookup(self, token: Token, http: ProviderHTTP, offline: Access) -> Access:
        access = offline
        email = token.extras.get("client_email", "")
        key_id = token.extras.get("private_key_id")
        gone = _published_keys(http, email, key_id, access)
        if gone:
            return access
        key = load_key(token.secret)
        if key is None:
            return access.unknown("the key does not parse, so the token exchange cannot be tried")
        resp = http.post_readonly(
            "/token", host=OAUTH_HOST,
            data={"grant_type": JWT_BEARER, "assertion": assertion(key, email, key_id)},
            why="RFC 7523 JWT-bearer grant: mints a short-lived cloud-platform.read-only token, changes nothing",
        )
        if not http.settle(access, resp, "the token endpoint", **_exchange_refusal(resp)):
            return access
        body = json_object(resp)
        access_token = body.get("access_token")
        if not isinstance(access_token, str) or not access_token:
            return access.unknown("the token endpoint answered 200 without an access_token")
        access.note("the JWT-bearer exchange answered 200: the key is live")
        project = access.facts.get("project_id")
        if not project:
            return access.note("no project known: permissions not tested")
        _test_permissions(http, access, str(project), access_token)
        return access


def _json_or_empty(resp: Any) -> dict[str, Any]:
    try:
        body = json.loads(resp.content)
    except (ValueError, UnicodeDecodeError):
        return {}
    return body if isinstance(body, dict) else {}


def _published_keys(http: ProviderHTTP, email: str, key_id: str | None, access: Access) -> bool:
    """Step 1. True when the public-key list proves the key or the account gone (live set False)."""
    if not email:
        return False
    resp = http.get(f"/robot/v1/metadata/x509/{quote(email, safe='@')}", host=CERTS_HOST)
    if resp.status_code == 404:
        access.live = False
        access.evidence = "api"
        access.note("the public-key list of this service account is 404: the account was deleted")
        return True
    if resp.status_code != 200:
        access.note(f"the public-key list answered HTTP {resp.status_code}; asking the token endpoint")
        return False
    keys = json_object(resp)
    if not keys or (key_id and key_id not in keys):
        access.live = False
        access.evidence = "api"
        access.note(f"key {key_id or ''} is not among the account's {len(keys)} published public keys: "
                    "the key was deleted")
        return True
    access.note(f"key is among the account's {len(keys)} published public keys (disabled keys may still be)"
                if key_id else "the account publishes public keys; the key ID is unknown")
    return False


def _exchange_refusal(resp: Any) -> dict[str, Any]:
    """ProviderHTTP.settle's arguments for the token endpoint's answer: 400 invalid_grant is a
    deleted or disabled key, unless it is about the assertion's times (our clock, not the key)."""
    if resp.is_success:
        return {}
    body = _json_or_empty(resp)
    error = str(body.get("error") or "")
    description = str(body.get("error_description") or "")
    if error != "invalid_grant":
        return {"detail": error or None}
    if re.search(r"\biat\b|\bexp\b|timeframe|clock|short-lived", description, re.IGNORECASE):
        return {"detail": error, "why": {400: f"it refused the assertion's times ({description[:80]})"}}
    return {"dead": {400}, "detail": error, "why": {400: "the key was deleted or disabled, or the service "
                                                          "account is disabled"}}


def _test_permissions(http: ProviderHTTP, access: Access, project: str, access_token: str) -> None:
    """Step 3: which of the dangerous permissions the key holds on its project."""
    resp = http.post_readonly(
        f"/v1/projects/{quote(project, safe='')}:testIamPermissions", host=CRM_HOST,
        headers={"Authorization": f"Bearer {access_token}"},
        json_body={"permissions": list(DANGEROUS)},
        why="projects.testIamPermissions is documented read-only and needs no permission",
    )
    if resp.status_code == 403:
        error = _json_or_empty(resp).get("error") or {}
        text = json.dumps(error) if isinstance(error, dict) else str(error)
        if "SERVICE_DISABLED" in text or "has not been used" in text:
            access.facts["permissions_unknown"] = True
            access.note("the Cloud Resource Manager API is disabled in the key's project: permissions unknown")
            return
        access.reach = "resource"
        access.note(f"testIamPermissions on project {project} answered 403: the key holds nothing at project "
                    "level there (it may hold roles on single resources)")
        return
    if resp.status_code != 200:
        access.facts["permissions_unknown"] = True
        access.note(f"testIamPermissions answered HTTP {resp.status_code}: permissions unknown")
        return
    body = _json_or_empty(resp)
    granted = [str(p) for p in body.get("permissions") or [] if isinstance(p, str)]
    if not body and resp.content.strip() not in (b"{}", b""):
        access.facts["permissions_unknown"] = True
        access.note("testIamPermissions answered a body that is not a JSON object: permissions unknown")
        return
    access.grants = granted
    access.capabilities = capabilities_of(granted)
    if not granted:
        access.reach = "resource"
        access.note(f"holds none of the {len(DANGEROUS)} tested permissions on project {project} "
                    "(it may hold roles on single resources)")
        return
    access.reach = "project"
    owner_like = [p for p in ESCALATION if p in granted]
    if owner_like:
        access.facts["owner_like"] = True
        access.note(f"holds {', '.join(owner_like)} on project {project}: it can grant itself anything there")
    access.note(f"holds {len(granted)} of {len(DANGEROUS)} tested permissions on project {project}")


detector = GCPDetector()
