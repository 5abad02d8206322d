"""Fake https://console.neon.tech/api/v2 answering as the Neon API reference documents.

Personal keys answer ``/users/me``; organization and project-scoped keys do not (how exactly
Neon refuses them is not documented: 403 here). ``/projects`` answers every live key with
``{"projects": [...], "pagination": {...}}``; a project-scoped key sees its one project and is
refused organization endpoints. Errors are ``{"code": "...", "message": "..."}``.
"""

from __future__ import annotations

from typing import Any

from tests.fakes.server import FakeServer, Reply, Request

PERSONAL = "napi_ujzde8gxd6ncf10epf91dhodzdoc9is0j8ht9lgmxg9edn581u33xtplpft75v2s"
PERSONAL_SOLO = "lqsaj08xui6d39zzzzg4zdmen2khvdgaj8gxbenyjqwx4hh5344tfjgvq4k7bn7x"  # unprefixed, no org
ORG = "napi_eh60kvj50ce9uvw53efr4edt2sywb3wkh5dnsipzz5fk2z9ri19r0wyojfljooa5"
ORG_ONE_PROJECT = "napi_j8b7tfq7xkwo886vompzom75wbbr4qmw2wxfogo4mvn4a4wfhym4l1vfz3zfkkib"
PROJECT = "napi_j3j4wj99ibag7i1mnbqns6puq80idw3706i8j76b2lajlj4h9du7794g9dpmrcg6"
REVOKED = "napi_29be2u66mr26846p7q9m2i0hz2uep1enthjxjqi3ogz5kok16zv0mwufxbv932by"
RATE_LIMITED = "napi_v7s6ehogfqrclri1qzj865ufrdl1erbfqfoeqh3av90ric7phkqdlmtt7ns26lrw"
SERVER_ERROR = "napi_bqcab69m64p2g158z6tnovmizwdiaeq1kdfy6spsc3lkr2aqxv9upctnwlavyf4r"
MALFORMED = "napi_6mp6afqfjzczbttof7jyu5jsjc616i76bofbcixgy29db8p5qa3e68f7e4qeqpno"

ORG_ID = "org-ocean-art-12345678"
SOLO_ORG_ID = "org-tiny-shop-87654321"


def _project(pid: str, name: str, org_id: str | None) -> dict[str, Any]:
    p = {"id": pid, "platform_id": "aws", "region_id": "aws-us-east-2", "name": name,
         "provisioner": "k8s-neonvm", "pg_version": 17, "owner_id": "u-1",
         "created_at": "2026-01-05T10:00:00Z", "updated_at": "2026-01-05T10:00:00Z"}
    if org_id:
        p["org_id"] = org_id
    return p


ORG_PROJECTS = [_project("spring-example-302709", "spring-example", ORG_ID),
                _project("ancient-sea-104858", "billing-db", ORG_ID),
                _project("winter-leaf-550012", "analytics", ORG_ID)]
PERSONAL_PROJECTS = [_project("quiet-pond-112233", "side-project", None)]
SOLO_ORG_PROJECTS = [_project("bold-sky-998877", "shop-db", SOLO_ORG_ID)]

USERS = {
    PERSONAL: {"id": "u-1", "email": "ada@example.com", "login": "ada", "name": "Ada",
               "last_name": "Lovelace", "image": "", "plan": "launch",
               "auth_accounts": [{"email": "ada@example.com", "provider": "github"}]},
    PERSONAL_SOLO: {"id": "u-2", "email": "solo@example.com", "login": "solo", "name": "Solo",
                    "last_name": "", "image": "", "plan": "free", "auth_accounts": []},
}
USER_ORGS = {
    PERSONAL: [{"id": ORG_ID, "name": "Ocean Art", "handle": "ocean-art", "plan": "scale",
                "managed_by": "console", "created_at": "2025-01-01T00:00:00Z"}],
    PERSONAL_SOLO: [],
}
VISIBLE_PROJECTS = {
    PERSONAL: PERSONAL_PROJECTS,
    PERSONAL_SOLO: PERSONAL_PROJECTS,
    ORG: ORG_PROJECTS,
    ORG_ONE_PROJECT: SOLO_ORG_PROJECTS,
    PROJECT: ORG_PROJECTS[1:2],
}
ORG_KEYS = {ORG: ORG_ID, ORG_ONE_PROJECT: SOLO_ORG_ID}


def _err(status: int, message: str, code: str = "", headers: dict[str, str] | None = None) -> Reply:
    return Reply(status, {"code": code, "message": message}, headers=headers or {})


def make() -> FakeServer:
    fake = FakeServer()

    def trouble(key: str | None) -> Reply | None:
        if key == RATE_LIMITED:
            return _err(429, "rate limit exceeded", headers={"Retry-After": "120"})
        if key == SERVER_ERROR:
            return _err(500, "internal server error")
        if key == MALFORMED:
            return Reply(200, "<html>maintenance</html>")
        if key not in VISIBLE_PROJECTS:
            return _err(401, "authentication required")
        return None

    @fake.route("GET", "/api/v2/users/me")
    def me(req: Request) -> Reply:
        key = req.bearer()
        if (bad := trouble(key)) is not None:
            return bad
        if key in USERS:
            return Reply(200, USERS[key])
        return _err(403, "this endpoint is not available with an organization or project API key")

    @fake.route("GET", "/api/v2/users/me/organizations")
    def my_orgs(req: Request) -> Reply:
        key = req.bearer()
        if (bad := trouble(key)) is not None:
            return bad
        if key in USER_ORGS:
            return Reply(200, {"organizations": USER_ORGS[key]})
        return _err(403, "this endpoint is not available with an organization or project API key")

    @fake.route("GET", "/api/v2/projects")
    def projects(req: Request) -> Reply:
        key = req.bearer()
        if (bad := trouble(key)) is not None:
            return bad
        limit = int(req.query.get("limit", ["10"])[0])  # Neon's default page is 10
        listed = VISIBLE_PROJECTS[key or ""][:limit]
        return Reply(200, {"projects": listed, "pagination": {"cursor": listed[-1]["id"] if listed else ""},
                           "applications": {}, "integrations": {}})

    @fake.route("GET", r"/api/v2/organizations/(?P<org>[^/]+)/members")
    def members(req: Request) -> Reply:
        key = req.bearer()
        if (bad := trouble(key)) is not None:
            return bad
        org = req.path.split("/")[4]
        if ORG_KEYS.get(key or "") != org:
            return _err(403, "project-scoped API keys cannot access organization resources")
        return Reply(200, {"members": [
            {"member": {"id": "m-1", "user_id": "u-9", "org_id": org, "role": "admin",
                        "joined_at": "2025-01-01T00:00:00Z"}, "user": {"email": "owner@example.com"}},
            {"member": {"id": "m-2", "user_id": "u-8", "org_id": org, "role": "member",
                        "joined_at": "2025-02-01T00:00:00Z"}, "user": {"email": "dev@example.com"}},
        ]})

    return fake
