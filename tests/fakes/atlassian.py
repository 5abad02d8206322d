"""Fake Atlassian cloud: sites ``<site>.atlassian.net`` (Jira ``/rest/api/3/myself`` and
``/mypermissions``, Confluence ``/wiki/rest/api/user/current``, ``/_edge/tenant_info``) and the API
gateway ``api.atlassian.com/ex/jira/<cloudId>/…`` for tokens with scopes.

Behind one override URL the fake tells a site from the gateway as the detector's requests say:
calls to a site carry ``X-Tokenreach-Target-Host``, gateway calls have ``/ex/jira/`` paths.
Classic tokens work on their site only, scoped tokens on the gateway only, as Atlassian documents.
"""

from __future__ import annotations

from tests.fakes.server import FakeServer, Reply, Request

SITE = "acme.atlassian.net"
WIKI_SITE = "acme-wiki.atlassian.net"  # Confluence only: Jira paths answer 404
CLOUD_ID = "0f1e2d3c-4b5a-4697-8877-665544332211"
EMAIL = "ops@acme.test"

_BODY = "xFfGF0qBepvKcuoTPcaISVuXgK1BOWDNSVvkpxoTa9dFdN-xObcttmSdVDooFQenRQcsx88YSpftOc7W6deOVsGbFU_Qf4IG"


def _token(tag: str, check: str) -> str:
    return f"ATATT3{tag}{_BODY}={check}"


CLASSIC_ADMIN = _token("SiteAdmin", "3F9A2C71")  # a Jira administrator's classic token
CLASSIC_READER = _token("Reader", "A1B2C3D4")  # may browse projects, nothing more
SCOPED = _token("Scoped", "5E6F7A8B")  # with scopes: gateway only; creates and edits issues
SCOPED_NO_USER = _token("NoUserScope", "9C0D1E2F")  # with scopes, but not read:jira-user
REVOKED = _token("Revoked", "0A1B2C3D")
WIKI_EDITOR = _token("WikiEditor", "4E5F6A7B")  # a Confluence user who creates content
RATE_LIMITED = _token("Slow", "8C9D0E1F")
BROKEN = _token("Broken", "2A3B4C5D")

_CLASSIC = {CLASSIC_ADMIN: "Ada Admin", CLASSIC_READER: "Rita Reader", RATE_LIMITED: "x", BROKEN: "x"}
_HELD = {
    CLASSIC_ADMIN: {"BROWSE_PROJECTS", "CREATE_ISSUES", "EDIT_ISSUES", "DELETE_ISSUES", "ADMINISTER_PROJECTS",
                    "ADMINISTER", "SYSTEM_ADMIN"},
    CLASSIC_READER: {"BROWSE_PROJECTS"},
    SCOPED: {"BROWSE_PROJECTS", "CREATE_ISSUES", "EDIT_ISSUES"},
}
_PERMISSION_TYPES = {"ADMINISTER": "GLOBAL", "SYSTEM_ADMIN": "GLOBAL"}


def _password(req: Request) -> str | None:
    basic = req.basic()
    return basic[1] if basic and basic[0] == EMAIL else None


def _unauthenticated() -> Reply:
    # Jira Cloud's refusal of Basic credentials it does not accept.
    return Reply(401, "Client must be authenticated to access this resource.",
                 headers={"WWW-Authenticate": 'Basic realm="protected-area"'})


def _failure(token: str | None) -> Reply | None:
    if token == RATE_LIMITED:
        return Reply(429, {"errorMessages": ["Rate limit exceeded."]}, headers={"Retry-After": "600"})
    if token == BROKEN:
        return Reply(503, "<html>Service Unavailable</html>")
    return None


def _myself(name: str) -> dict:
    return {"self": f"https://{SITE}/rest/api/3/user?accountId=5b10a2844c20165700ede21g",
            "accountId": "5b10a2844c20165700ede21g", "accountType": "atlassian", "emailAddress": EMAIL,
            "displayName": name, "active": True, "timeZone": "Europe/Paris", "locale": "en_US"}


def _permissions(req: Request, held: set[str]) -> Reply:
    asked = (req.query.get("permissions") or [""])[0].split(",")
    if asked == [""]:
        return Reply(400, {"errorMessages": ["The permissions query parameter is required."], "errors": {}})
    return Reply(200, {"permissions": {key: {"id": str(i), "key": key, "name": key.replace("_", " ").title(),
                                             "type": _PERMISSION_TYPES.get(key, "PROJECT"),
                                             "description": "", "havePermission": key in held}
                                       for i, key in enumerate(asked)}})


def make() -> FakeServer:
    fake = FakeServer()

    @fake.route("GET", "/_edge/tenant_info")
    def tenant_info(req: Request) -> Reply:
        assert req.header("authorization") is None, "tenant_info needs no credentials"
        return Reply(200, {"cloudId": CLOUD_ID})

    @fake.route("GET", "/rest/api/3/myself")
    def site_myself(req: Request) -> Reply:
        token = _password(req)
        if req.header("x-tokenreach-target-host") == WIKI_SITE:
            return Reply(404, "<html>Jira is not available on this site</html>")
        if (failure := _failure(token)) is not None:
            return failure
        if token in _CLASSIC:
            return Reply(200, _myself(_CLASSIC[token]))
        return _unauthenticated()

    @fake.route("GET", "/rest/api/3/mypermissions")
    def site_permissions(req: Request) -> Reply:
        token = _password(req)
        return _permissions(req, _HELD[token]) if token in _CLASSIC else _unauthenticated()

    @fake.route("GET", "/wiki/rest/api/user/current")
    def confluence_user(req: Request) -> Reply:
        if _password(req) != WIKI_EDITOR:
            return _unauthenticated()
        ops = [{"operation": "use", "targetType": "application"},
               {"operation": "create", "targetType": "space"},
               {"operation": "create", "targetType": "page"}] if req.query.get("expand") == ["operations"] else []
        return Reply(200, {"type": "known", "accountId": "5b10ac8d82e05b22cc7d4ef5", "accountType": "atlassian",
                           "email": EMAIL, "publicName": "Wendy Wiki", "displayName": "Wendy Wiki",
                           "operations": ops})

    @fake.route("GET", f"/ex/jira/{CLOUD_ID}/rest/api/3/myself")
    def gateway_myself(req: Request) -> Reply:
        token = _password(req)
        if token == SCOPED:
            return Reply(200, _myself("Sam Scoped"))
        if token == SCOPED_NO_USER:
            return Reply(401, {"code": 401, "message": "Unauthorized; scope does not match"})
        return Reply(401, {"code": 401, "message": "Unauthorized"})

    @fake.route("GET", f"/ex/jira/{CLOUD_ID}/rest/api/3/mypermissions")
    def gateway_permissions(req: Request) -> Reply:
        if _password(req) != SCOPED:
            return Reply(401, {"code": 401, "message": "Unauthorized"})
        return _permissions(req, _HELD[SCOPED])

    return fake
