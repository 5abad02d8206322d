"""Supabase personal access tokens and project API keys.

Formats (providers.md B.15; supabase.com/docs/guides/api/api-keys):

- ``sbp_`` + 40: personal access token for the Management API (api.supabase.com). It acts as its
  user in every organization and project they belong to.
- ``sb_secret_…``: a project's secret key; it maps to the ``service_role`` Postgres role and
  bypasses Row Level Security. ``sb_publishable_…``: the public key; it maps to ``anon``.
- legacy keys: JWTs whose ``role`` claim is the permission (``service_role`` or ``anon``), with
  ``iss: "supabase"`` and the project ``ref``. They are read offline with detectors/jwt.py.
  ``iss: "supabase-demo"`` marks the public local-development keys; ``iss: https://<ref>.supabase.co/
  auth/v1`` a signed-in user's session token (not an API key, never sent on its own).

Lookup, read-only: ``sbp_`` asks ``GET /v1/projects`` and ``GET /v1/organizations``; a project key
with a known project ref (the JWT's ``ref`` claim, or a ``https://<ref>.supabase.co`` URL bound to
the key: the same URL, the same line or the one assigned in its configuration block, never merely
one nearby; scanner/binding.py)
asks ``GET https://<ref>.supabase.co/rest/v1/`` (the PostgREST schema,
whose paths name the tables the key reaches). Calls to a project's API show in its logs.
Never a key-rotation or project-changing Management API call.
"""

from __future__ import annotations

import re
import time
from typing import Any

from tokenreach.detectors import jwt
from tokenreach.detectors.base import Detector, LookupUnavailable, Pattern
from tokenreach.detectors.http import ProviderHTTP, json_object, json_of
from tokenreach.scanner.model import Access, Capability, Token

_KEY_BODY = r"[A-Za-z0-9_-]{20,80}"
_JWT = r"eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}"
# "supabase" base64url-encoded at each of the three byte alignments, as it appears inside a
# payload carrying "iss":"supabase": lets a bare JWT be claimed without any name nearby.
_SUPABASE_B64 = ("c3VwYWJhc2", "N1cGFiYXNl", "zdXBhYmFzZ")
_ISS_JWT = (r"eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]*?(?:" + "|".join(_SUPABASE_B64)
            + r")[A-Za-z0-9_-]*\.[A-Za-z0-9_-]{16,}")
_CTX = r"""['"]?\s*[:=]\s*['"]?"""

# Synthetic examples (not real keys). The JWTs are unsigned look-alikes with real claim shapes.
_SERVICE_JWT = ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZSIsInJlZiI6ImFiY2RlZmdoaWprbG1ub3Bx"
                "cnN0Iiwicm9sZSI6InNlcnZpY2Vfcm9sZSIsImlhdCI6MTcwMDAwMDAwMCwiZXhwIjoyMDE1NTc2MDAwfQ."
                "c2lnbmF0dXJlLW5vdC1yZWFsLXN5bnRoZXRpYw")
_SECRET_KEY = "sb_secret_Q2x5Vm9rT3BuZ1R3b0Nh_aB3dE5fG"

PATTERNS = (
    Pattern(
        id="supabase.access_token",
        name="Supabase personal access token (Management API)",
        regex=r"\b(?P<secret>sbp_[a-z0-9]{40})\b",
        keywords=("sbp_",),
        kind="access_token",
        examples=("SUPABASE_ACCESS_TOKEN=sbp_0f1e2d3c4b5a69788796a5b4c3d2e1f00a1b2c3d",),
        counterexamples=(
            "sbp_0f1e2d3c4b5a69788796a5b4c3d2e1f00a1b2c3",  # 39 characters
            "sbp_0F1E2D3C4B5A69788796A5B4C3D2E1F00A1B2C3D",  # lowercase only
        ),
    ),
    Pattern(
        id="supabase.secret_key",
        name="Supabase secret API key",
        regex=rf"\b(?P<secret>sb_secret_{_KEY_BODY})",
        keywords=("sb_secret_",),
        kind="secret_key",
        examples=(f"SUPABASE_SECRET_KEY={_SECRET_KEY}", f'{{"default":"{_SECRET_KEY}"}}'),
        counterexamples=("sb_secret_...", "SUPABASE_SECRET_KEY=sb_secret_short"),
    ),
    Pattern(
        id="supabase.publishable_key",
        name="Supabase publishable API key (public by design)",
        regex=rf"\b(?P<secret>sb_publishable_{_KEY_BODY})",
        keywords=("sb_publishable_",),
        kind="publishable_key",
        examples=("NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY=sb_publishable_Zm9vYmFyYmF6cXV4cXV1_x7Kp2LmQ",),
        counterexamples=("sb_publishable_...", "sb_publishable_key_here"),
        lookup=False,  # meant to ship in browsers: nothing to learn that RLS does not decide
        public=True,
    ),
    Pattern(
        id="supabase.legacy_jwt",
        name="Supabase legacy API key (JWT issued by supabase)",
        regex=rf"\b(?P<secret>{_ISS_JWT})",
        keywords=tuple(s.lower() for s in _SUPABASE_B64),
        kind="legacy_jwt",
        examples=(f"const key = '{_SERVICE_JWT}'",),
        counterexamples=(
            # A JWT from another issuer ({"iss":"auth0","role":"admin"}).
            "eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJhdXRoMCIsInJvbGUiOiJhZG1pbiJ9.c2lnbmF0dXJlLW5vdC1yZWFs",
        ),
    ),
    Pattern(
        id="supabase.legacy_jwt_named",
        name="Supabase legacy API key (JWT assigned to a Supabase name)",
        regex=rf"(?i:supabase|service_role)[\w.-]{{0,40}}?{_CTX}(?P<secret>{_JWT})",
        keywords=("supabase", "service_role"),
        kind="legacy_jwt",
        examples=(
            "SUPABASE_SERVICE_ROLE_KEY=eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoic2VydmljZV9yb2xlIn0.c2lnbmF0dXJlLW5vdC1yZWFs",
        ),
        counterexamples=("SUPABASE_SERVICE_ROLE_KEY=your-service-role-key",),
    ),
)

_SERVICE_CAPS: set[Capability] = {"read", "write", "delete", "admin"}
_PAT_CAPS: set[Capability] = {"read", "write", "delete", "admin", "secrets"}
_REF = re.compile(r"[a-z0-9]{20}")
# Supabase Auth signs users' session tokens with iss https://<ref>.supabase.co/auth/v1.
_SESSION_ISS = re.compile(r"https://([a-z0-9]{20})\.supabase\.co/auth/v1")
_AUTHORITATIVE = ("the key's ref claim", "the token's issuer")


class SupabaseDetector(Detector):
    provider = "supabase"
    title = "Supabase"
    patterns = PATTERNS
    api_url = "https://api.supabase.com"
    hosts = ("api.supabase.com",)
    host_suffixes = (".supabase.co",)  # <project ref>.supabase.co, the ref read from the key
    request_budget = 60
    # Personal access tokens; project keys are rotated under the project's Settings > API Keys.
    revoke_url = "https://supabase.com/dashboard/account/tokens"
    least_privilege = ("give browsers only the publishable key and Row Level Security, and servers one "
                       "project's secret key from a secret store, never a personal access token")
    # A project URL bound to a key names the project a new-format key belongs to (they do not say).
    context_patterns = {"project_ref": r"https://([a-z0-9]{20})\.supabase\.co\b"}
    bound_context = frozenset({"project_ref"})

    def classify(self, token: Token) -> Access:
        kind = token.kind or ""
        access = Access(evidence="prefix")
        if kind == "access_token":
            access.reach = "organization"
            access.capabilities = set(_PAT_CAPS)
            access.note("sbp_ personal access token: the user's Management API access to every "
                        "organization and project")
            access.note("can read every project's API keys, change or delete projects and run SQL on "
                        "their databases")
        elif kind == "secret_key":
            _role(access, "service_role", "sb_secret_ key")
        elif kind == "publishable_key":
            _role(access, "anon", "sb_publishable_ key")
        elif kind == "legacy_jwt":
            _classify_jwt(access, token.secret)
        ref = token.context.get("project_ref")
        if ref and _REF.fullmatch(ref) and "project_ref" not in access.facts:
            _set_project(access, ref, "a project URL bound to the key")  # a JWT's own ref claim wins
        return access

    def lookup(self, token: Token, http: ProviderHTTP, offline: Access) -> Access:
        if token.kind == "access_token":
            return _lookup_access_token(token, http, offline)
        return _lookup_project_key(token, http, offline)


# Offline ---------------------------------------------------------------------------------------


def _role(access: Access, role: str, what: str) -> None:
    access.grants = [role]
    access.reach = "project"
    if role == "service_role":
        access.capabilities = set(_SERVICE_CAPS)
        access.facts["bypasses_rls"] = True
        access.note(f"{what}: service_role bypasses Row Level Security")
        access.note("can read, change and delete every row of every table, every Storage file and "
                    "every user account of the project")
    elif role == "anon":
        access.capabilities = {"read"}
        access.facts["public_by_design"] = True
        access.note(f"{what}: anon is public by design; it reaches what Row Level Security allows")
    elif role == "authenticated":
        access.capabilities = {"read", "write"}
        access.note(f"{what}: a signed-in user's session; Row Level Security decides what it reaches")
    else:
        access.note(f"{what}: role {role}")


def _set_project(access: Access, ref: str, source: str) -> None:
    access.facts["project_ref"] = ref
    access.facts["project_ref_from"] = source
    access.identity = access.identity or f"project {ref}"
    access.add_resources([f"project {ref}"])


def _classify_jwt(access: Access, secret: str) -> None:
    payload = jwt.claims(secret)
    if payload is None:
        access.note("looks like a JWT but does not decode")
        return
    access.evidence = "offline"
    role = payload.get("role")
    if isinstance(role, str) and role:
        _role(access, role, "JWT role claim")
    else:
        access.note("JWT has no role claim")
    ref = payload.get("ref")
    if isinstance(ref, str) and _REF.fullmatch(ref):
        _set_project(access, ref, "the key's ref claim")
    iss = payload.get("iss")
    if isinstance(iss, str):
        access.facts["issuer"] = iss
        session = _SESSION_ISS.fullmatch(iss)
        if iss == "supabase-demo":
            # The default keys of `supabase start` and self-hosting templates: public, identical
            # everywhere, and never a hosted project's key.
            access.facts["demo_key"] = True
            access.facts["environment"] = "development"
            access.facts["skip_lookup"] = True
            access.note("issuer supabase-demo: the well-known local development key")
        elif session:
            access.facts["token_type"] = "user_session"
            if "project_ref" not in access.facts:
                _set_project(access, session.group(1), "the token's issuer")
            access.note("a signed-in user's session token issued by Supabase Auth, not a project API key")
    access.expires_at = jwt.expiry(payload)
    exp = payload.get("exp")
    if isinstance(exp, (int, float)) and not isinstance(exp, bool) and exp < time.time():
        access.live = False
        access.note(f"expired at {access.expires_at} (exp claim)")


# Lookups ---------------------------------------------------------------------------------------


def _lookup_access_token(token: Token, http: ProviderHTTP, access: Access) -> Access:
    auth = {"Authorization": f"Bearer {token.secret}"}
    resp = http.get("/v1/projects", headers=auth)
    if not http.settle(access, resp, "/v1/projects"):
        return access
    projects = json_of(resp)
    if not isinstance(projects, list):
        return access.unknown("/v1/projects answered 200 without a project list")
    rows = [p for p in projects if isinstance(p, dict)]
    names = [f"project {p.get('name') or p.get('ref') or p.get('id')} ({p.get('ref') or p.get('id')})"
             for p in rows]
    orgs: list[dict[str, Any]] = []
    try:
        resp = http.get("/v1/organizations", headers=auth)
        if resp.status_code == 200:
            body = json_of(resp)
            orgs = [o for o in body if isinstance(o, dict)] if isinstance(body, list) else []
        else:
            access.note(f"/v1/organizations answered HTTP {resp.status_code}")
    except LookupUnavailable as exc:  # liveness is settled; only the organization names stay open
        access.note(f"organizations unknown: {exc}")
    org_names = [str(o.get("name") or o.get("slug") or o.get("id")) for o in orgs]
    access.add_resources([f"organization {n}" for n in org_names] + names)
    access.facts["organizations"] = org_names
    access.facts["projects"] = len(rows)
    if org_names:
        access.identity = "member of " + ", ".join(org_names)
    access.reach = "organization"
    access.note(f"lists {len(rows)} project(s) in {len(org_names)} organization(s); a personal "
                "access token has no scopes")
    return access


def _lookup_project_key(token: Token, http: ProviderHTTP, access: Access) -> Access:
    ref = access.facts.get("project_ref")
    if not isinstance(ref, str) or not _REF.fullmatch(ref):
        return access.unknown("not looked up: project unknown (no ref claim, and no project URL bound "
                              "to the key)")
    if access.facts.get("token_type") == "user_session":
        # The gateway wants an API key beside a session token; sending it alone proves nothing.
        return access.unknown("a session token is checked only together with its project's API key")
    headers = {"apikey": token.secret}
    if token.kind == "legacy_jwt":  # new sb_ keys are not JWTs and are refused as a Bearer
        headers["Authorization"] = f"Bearer {token.secret}"
    resp = http.get("/rest/v1/", host=f"{ref}.supabase.co", headers=headers)
    # A project named by a URL written with the key may still be another project's: its refusal
    # then says nothing about this key.
    authoritative = access.facts.get("project_ref_from") in _AUTHORITATIVE
    why = {401: "revoked, rotated or legacy keys disabled" if authoritative
           else "revoked, or a key of another project (the project came from a URL beside the key)"}
    if not http.settle(access, resp, f"project {ref}", dead=None if authoritative else (), why=why):
        return access
    schema = json_object(resp)
    paths = schema.get("paths")
    tables = sorted({p.strip("/") for p in paths if isinstance(p, str) and p.strip("/")
                     and not p.startswith("/rpc/")}) if isinstance(paths, dict) else []
    if tables:
        access.add_resources([f"table {t}" for t in tables], len(tables) + len(access.resources))
        access.facts["tables"] = len(tables)
    access.note(f"project {ref} accepted the key; its REST schema lists {len(tables)} table(s)")
    return access


detector = SupabaseDetector()
