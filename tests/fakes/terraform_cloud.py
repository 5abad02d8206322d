"""Fake https://app.terraform.io API v2: ``/api/v2/account/details`` (with the
``authenticated-resource`` relationship), ``/api/v2/organizations`` (with each organization's
``permissions``) and ``/api/v2/teams/<id>``, answering JSON:API documents and error objects."""

from __future__ import annotations

from tests.fakes.server import FakeServer, Reply, Request

_BODY = "q3fzOKC9O1EaMd5JQ63Yu96yedTeIskCmhVQVFXL4ewTlIVogRK1WBrdS2eZC_2Sb"


def _token(prefix: str) -> str:
    return f"{prefix}.atlasv1.{_BODY}"


OWNER_USER = _token("xGnHs37939wU7j")  # a user who owns the organization acme
MEMBER_USER = _token("lXUjbVWrkxiRP0")  # a plain member of acme
DEV_TEAM = _token("Tm8dEvTeam0001")  # the "developers" team: reads workspaces
OWNERS_TEAM = _token("Tm8oWnErs00002")  # the owners team
ORG_TOKEN = _token("0rGt0kEnAcme03")
REVOKED = _token("ReV0kEdT0kEn04")
RATE_LIMITED = _token("Sl0wSl0wSl0w05")
BROKEN = _token("Br0kEnBr0kEn06")

_OWNER_PERMS = {"can-update": True, "can-destroy": True, "can-access-via-teams": True, "can-create-module": True,
                "can-create-team": True, "can-create-workspace": True, "can-manage-users": True,
                "can-manage-subscription": True, "can-manage-sso": False, "can-update-oauth": True,
                "can-update-sentinel": True, "can-update-ssh-keys": True, "can-update-api-token": True,
                "can-traverse": True, "can-start-trial": True, "can-update-agent-pools": True,
                "can-manage-tags": True, "can-manage-varsets": True, "can-read-varsets": True}
_MEMBER_PERMS = {key: key in ("can-access-via-teams", "can-traverse", "can-read-varsets") for key in _OWNER_PERMS}

_TEAMS = {
    DEV_TEAM: ("team-DeV5jTwJQXwqZBnc", "developers", {"read-workspaces": True, "read-projects": True,
                                                         "manage-workspaces": False, "manage-membership": False}),
    OWNERS_TEAM: ("team-0wN5jTwJQXwqZBnc", "owners", {"manage-workspaces": True, "manage-projects": True,
                                                       "read-workspaces": True, "manage-membership": True}),
}


def _user(uid: str, username: str, email: str | None, resource: tuple[str, str], service: bool) -> dict:
    return {"data": {"id": uid, "type": "users", "attributes": {
        "username": username, "is-service-account": service, "auth-method": "tfc", "v2-only": False,
        "is-site-admin": False, "is-sso-login": False, "email": email, "unconfirmed-email": None,
        "permissions": {"can-create-organizations": not service, "can-change-email": not service,
                        "can-change-username": not service}},
        "relationships": {
            "authentication-tokens": {"links": {"related": f"/api/v2/users/{uid}/authentication-tokens"}},
            "authenticated-resource": {"data": {"id": resource[0], "type": resource[1]},
                                       "links": {"related": f"/api/v2/{resource[1]}/{resource[0]}"}}},
        "links": {"self": f"/api/v2/users/{uid}"}}}


_ACCOUNTS = {
    OWNER_USER: _user("user-V3R563qtJNcExAkN", "ada", "ada@acme.test", ("user-V3R563qtJNcExAkN", "users"), False),
    MEMBER_USER: _user("user-M3M563qtJNcExAkN", "bob", "bob@acme.test", ("user-M3M563qtJNcExAkN", "users"), False),
    DEV_TEAM: _user("user-api1", "api-team_1234567", None, ("team-DeV5jTwJQXwqZBnc", "teams"), True),
    OWNERS_TEAM: _user("user-api2", "api-team_7654321", None, ("team-0wN5jTwJQXwqZBnc", "teams"), True),
    ORG_TOKEN: _user("user-api3", "api-org-acme-4321", None, ("acme", "organizations"), True),
}
_PERMS = {OWNER_USER: _OWNER_PERMS, MEMBER_USER: _MEMBER_PERMS, DEV_TEAM: _MEMBER_PERMS, OWNERS_TEAM: _OWNER_PERMS,
          ORG_TOKEN: _OWNER_PERMS}


def _error(status: int, title: str) -> Reply:
    return Reply(status, {"errors": [{"status": str(status), "title": title}]},
                 headers={"Content-Type": "application/vnd.api+json"})


def make() -> FakeServer:
    fake = FakeServer()

    def refusal(token: str | None) -> Reply | None:
        if token == RATE_LIMITED:
            return Reply(429, {"errors": [{"status": "429", "title": "Too Many Requests"}]},
                         headers={"Retry-After": "30", "X-RateLimit-Limit": "30"})
        if token == BROKEN:
            return _error(500, "internal server error")
        if token not in _ACCOUNTS:
            return _error(401, "unauthorized")
        return None

    @fake.route("GET", "/api/v2/account/details")
    def account(req: Request) -> Reply:
        token = req.bearer()
        return refusal(token) or Reply(200, _ACCOUNTS[token])

    @fake.route("GET", "/api/v2/organizations")
    def organizations(req: Request) -> Reply:
        token = req.bearer()
        if (early := refusal(token)) is not None:
            return early
        org = {"id": "acme", "type": "organizations",
               "attributes": {"name": "acme", "external-id": "org-Hysjx5eUviuKVCJY", "email": "ops@acme.test",
                              "plan-identifier": "standard", "permissions": _PERMS[token]},
               "links": {"self": "/api/v2/organizations/acme"}}
        return Reply(200, {"data": [org], "meta": {"pagination": {"current-page": 1, "page-size": 100,
                                                                  "total-pages": 1, "total-count": 1}}})

    @fake.route("GET", r"/api/v2/teams/team-[A-Za-z0-9]+")
    def team(req: Request) -> Reply:
        token = req.bearer()
        if (early := refusal(token)) is not None:
            return early
        for secret, (team_id, name, access) in _TEAMS.items():
            if req.path.endswith(team_id) and secret == token:
                return Reply(200, {"data": {"id": team_id, "type": "teams", "attributes": {
                    "name": name, "users-count": 2, "visibility": "organization",
                    "permissions": {"can-update-membership": False, "can-destroy": False},
                    "organization-access": access}, "links": {"self": f"/api/v2/teams/{team_id}"}}})
        return _error(404, "not found")

    return fake
