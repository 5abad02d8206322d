"""Fake Nexus Repository 3 REST API: ``GET /service/rest/v1/repositories`` and
``GET /service/rest/v1/security/users?userId=``, answering HTTP Basic as Nexus does (401 for a refused
pair, 403 without ``nx-users-read``)."""

from __future__ import annotations

from tests.fakes.server import FakeServer, Reply, Request

ADMIN_PASSWORD = "aPwIqFpK4FVb!BqJsOiO4"
DEPLOYER_PASSCODE = "sYoeio9ntjYq3mbiJ0kmBeIY4Oo64d+uvm8D9WUhsjOa"
WRONG_PASSWORD = "Xq7!mZp2Lr9#Tv4Wk8Nd"
RATE_LIMITED = "Qz7!rT2vLm9xKc4WpB"
BROKEN = "Hn3#gY8uJd5sVo1EaR6t"

_ACCOUNTS = {("admin", ADMIN_PASSWORD): ["nx-admin"], ("ci-deployer", DEPLOYER_PASSCODE): ["deployer"]}


def make() -> FakeServer:
    fake = FakeServer()

    def account(req: Request) -> tuple[tuple[str, str] | None, Reply | None]:
        basic = req.basic()
        if basic and basic[1] == RATE_LIMITED:
            return None, Reply(429, "Too Many Requests", headers={"Retry-After": "2"})
        if basic and basic[1] == BROKEN:
            return None, Reply(503, "<html>Service Unavailable</html>")
        if basic not in _ACCOUNTS:
            return None, Reply(401, "", headers={"WWW-Authenticate": 'BASIC realm="Sonatype Nexus Repository Manager"'})
        return basic, None

    @fake.route("GET", "/service/rest/v1/repositories")
    def repositories(req: Request) -> Reply:
        who, refusal = account(req)
        if refusal:
            return refusal
        names = ["maven-releases", "maven-snapshots", "npm-proxy"] if who[0] == "admin" else ["maven-releases"]
        return Reply(200, [{"name": n, "format": "maven2", "type": "hosted",
                            "url": f"https://nexus.acme.internal/repository/{n}", "attributes": {}} for n in names])

    @fake.route("GET", "/service/rest/v1/security/users")
    def users(req: Request) -> Reply:
        who, refusal = account(req)
        if refusal:
            return refusal
        if "nx-admin" not in _ACCOUNTS[who]:
            return Reply(403, "The user does not have permission to perform the operation.")
        user_id = (req.query.get("userId") or [""])[0]
        return Reply(200, [{"userId": user_id, "firstName": "Ada", "lastName": "Admin", "emailAddress": "ada@acme.test",
                            "source": "default", "status": "active", "readOnly": False, "roles": ["nx-admin"],
                            "externalRoles": []}])

    return fake
