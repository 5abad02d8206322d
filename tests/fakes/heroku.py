"""Fake https://api.heroku.com answering as the Heroku Platform API reference documents.

Errors are ``{"id": "...", "message": "..."}``: 401 ``unauthorized`` for an unknown token, 403
``forbidden`` for one whose OAuth scope does not allow the call. What each scope may call follows
devcenter.heroku.com/articles/oauth#scopes: ``global`` everything; ``identity`` the account only;
``read``/``write`` the apps, "excluding account information, configuration variables and other
protected data"; ``read-protected``/``write-protected`` the apps and their config vars. Only
global-scope tokens may list OAuth authorizations. ``/apps`` honours the Range header.
"""

from __future__ import annotations

from typing import Any

from tests.fakes.server import FakeServer, Reply, Request

GLOBAL_AUTH = "HRKU-AA" + "Gl0bal-Auth_" * 4 + "Zz9Yy8Xx7W"
API_KEY = "cf0e05d9-4eca-4948-a012-b91fe9704bab"
NETRC = "01234567-89ab-cdef-0123-456789abcdef"
READ_ONLY = "HRKU-AA" + "Read0nly_Tok" * 4 + "Aa1Bb2Cc3D"
IDENTITY = "HRKU-AA" + "IdentityOnly" * 4 + "Ee4Ff5Gg6H"
WRITE = "HRKU-AA" + "Write_Scoped" * 4 + "Ab1Cd2Ef3G"
READ_PROTECTED = "HRKU-AA" + "ReadProtectd" * 4 + "Gh4Ij5Kl6M"
WRITE_PROTECTED = "HRKU-AA" + "WriteProtect" * 4 + "Mn7Op8Qr9S"
IDENTITY_READ = "HRKU-AA" + "Ident1tyRead" * 4 + "St0Uv1Wx2Y"
REVOKED = "HRKU-AA" + "Revoked_Tokn" * 4 + "Hh7Ii8Jj9K"
RATE_LIMITED = "HRKU-AA" + "RateLimited-" * 4 + "Kk0Ll1Mm2N"
SERVER_ERROR = "HRKU-AA" + "ServerError_" * 4 + "Nn3Oo4Pp5Q"
MALFORMED = "HRKU-AA" + "MalformedRep" * 4 + "Qq6Rr7Ss8T"

_SCOPES = {GLOBAL_AUTH: ["global"], API_KEY: ["global"], NETRC: ["global"], READ_ONLY: ["read"],
           IDENTITY: ["identity"], WRITE: ["write"], READ_PROTECTED: ["read-protected"],
           WRITE_PROTECTED: ["write-protected"], IDENTITY_READ: ["identity", "read"]}
# The scopes that may make each kind of call (global may make them all).
_MAY = {"account": {"identity"}, "apps": {"read", "write", "read-protected", "write-protected"},
        "protected": {"read-protected", "write-protected"}, "authorizations": set()}

UNAUTHORIZED = {"id": "unauthorized", "message": "Invalid credentials provided."}
FORBIDDEN = {"id": "forbidden", "message": "You do not have access to this resource."}

_ACCOUNT = {"id": "01234567-89ab-cdef-0123-456789abcdef", "email": "dev@example.com", "name": "Dev",
            "two_factor_authentication": False, "verified": True, "created_at": "2020-01-01T00:00:00Z"}


def _authorization(token: str | None, scope: list[str], description: str, expires_in: int | None) -> dict[str, Any]:
    return {"id": "105a7bfa-34c3-476e-873a-b1ac3fdc12fb", "description": description, "scope": scope,
            "client": None, "created_at": "2025-01-01T00:00:00Z", "updated_at": "2025-01-01T00:00:00Z",
            "grant": None, "refresh_token": None,
            "access_token": None if token is None else {"expires_in": expires_in,
                                                         "id": "aa0e05d9-4eca-4948-a012-b91fe9704bab",
                                                         "token": token},
            "user": {"id": _ACCOUNT["id"], "email": _ACCOUNT["email"], "full_name": "Dev"}}


_AUTHORIZATIONS = [
    _authorization(GLOBAL_AUTH, ["global"], "deploy bot", None),
    _authorization(READ_ONLY, ["read"], "dashboard", 2592000),
    _authorization("HRKU-AA" + "SomeoneElse_" * 4 + "Uu1Vv2Ww3X", ["identity"], "sso", 28800),
    _authorization(None, ["global"], "Heroku CLI", None),
]
_APPS = [{"id": "a1", "name": "shop-web", "team": None, "owner": {"email": "dev@example.com"}},
         {"id": "a2", "name": "shop-worker", "team": None, "owner": {"email": "dev@example.com"}},
         {"id": "a3", "name": "billing-api", "team": {"id": "t1", "name": "acme"},
          "owner": {"email": "acme@herokumanager.com"}}]


def make() -> FakeServer:
    fake = FakeServer()

    def gate(req: Request, need: str) -> Reply | None:
        tok = req.bearer()
        if req.header("accept") != "application/vnd.heroku+json; version=3":
            return Reply(400, {"id": "bad_request", "message": "Accept header must name version 3"})
        if tok == RATE_LIMITED:
            return Reply(429, {"id": "rate_limit", "message": "Your account reached the API rate limit"},
                         headers={"RateLimit-Remaining": "0", "Retry-After": "120"})
        if tok == SERVER_ERROR:
            return Reply(503, {"id": "unavailable", "message": "Service temporarily unavailable"})
        if tok == MALFORMED:
            return Reply(200, "<html>oops</html>")
        if tok not in _SCOPES:
            return Reply(401, UNAUTHORIZED)
        scopes = set(_SCOPES[tok])
        if "global" not in scopes and not scopes & _MAY[need]:
            return Reply(403, FORBIDDEN)
        return None

    @fake.route("GET", "/account")
    def account(req: Request) -> Reply:
        return gate(req, "account") or Reply(200, _ACCOUNT, headers={"RateLimit-Remaining": "4499"})

    @fake.route("GET", "/oauth/authorizations")
    def authorizations(req: Request) -> Reply:
        return gate(req, "authorizations") or Reply(200, _AUTHORIZATIONS)

    @fake.route("GET", "/apps")
    def apps(req: Request) -> Reply:
        if (bad := gate(req, "apps")) is not None:
            return bad
        ranges = {"Content-Range": "name billing-api..shop-worker", "Next-Range": "name ]shop-worker..; max=200"}
        return Reply(206 if req.header("range") else 200, _APPS, headers=ranges)

    @fake.route("GET", r"/apps/[^/]+/config-vars")
    def config_vars(req: Request) -> Reply:
        if (bad := gate(req, "protected")) is not None:
            return bad
        if req.path.split("/")[2] not in {a["name"] for a in _APPS} | {a["id"] for a in _APPS}:
            return Reply(404, {"id": "not_found", "message": "Couldn't find that app."})
        return Reply(200, {"DATABASE_URL": "postgres://u:fake-config-secret@db.example.com/app", "LANG": "en_US.UTF-8"})

    return fake
