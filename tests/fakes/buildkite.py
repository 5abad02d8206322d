"""Fake https://api.buildkite.com: ``GET /v2/access-token`` (the token's own scopes and user, no scope
needed) and ``GET /v2/organizations`` (``read_organizations``), with Buildkite's ``{"message": …}``
errors."""

from __future__ import annotations

from tests.fakes.server import FakeServer, Reply, Request

READER = "bkua_1d3ef5432339cb48c131f34173f4a5036b4c740c"  # reads builds and organizations
DEPLOYER = "bkua_MTA.b12610e9b3a6e7269b15754b16d2eaf834ce0a2f"  # writes builds, reads job env, graphql
USER_ONLY = "bkua_0a9b8c7d6e5f40312a3b4c5d6e7f8091a2b3c4d5"  # read_user alone
REVOKED = "bkua_77e0f1a2b3c4d5e6f708192a3b4c5d6e7f801234"
RATE_LIMITED = "bkua_5e4d3c2b1a0f9e8d7c6b5a49382716f5e4d3c2b1"
BROKEN = "bkua_9f3a1c7e5b2d8046aa71c3e95f0b2d4c6e8a1b3d"

_TOKENS = {
    READER: ["read_builds", "read_organizations", "read_pipelines"],
    DEPLOYER: ["graphql", "read_builds", "read_job_env", "read_organizations", "write_builds", "write_pipelines"],
    USER_ONLY: ["read_user"],
}
_ORGS = {READER: ["acme"], DEPLOYER: ["acme", "acme-oss"]}


def _org(slug: str) -> dict:
    return {"id": f"0b1d2c3e-{slug}", "graphql_id": "T3JnYW5pemF0aW9uLS0t", "url": f"https://api.buildkite.com/v2/organizations/{slug}",
            "web_url": f"https://buildkite.com/{slug}", "name": slug.title(), "slug": slug,
            "created_at": "2024-03-01T10:00:00.000Z"}


def make() -> FakeServer:
    fake = FakeServer()

    def refusal(token: str | None) -> Reply | None:
        if token == RATE_LIMITED:
            return Reply(429, {"message": "You have exceeded your rate limit"},
                         headers={"RateLimit-Remaining": "0", "RateLimit-Reset": "42", "Retry-After": "42"})
        if token == BROKEN:
            return Reply(502, "<html>502 Bad Gateway</html>")
        if token not in _TOKENS:
            return Reply(401, {"message": "Authentication required. Please supply a valid API Access Token: "
                                          "https://buildkite.com/docs/apis/rest-api#authentication"})
        return None

    @fake.route("GET", "/v2/access-token")
    def access_token(req: Request) -> Reply:
        token = req.bearer()
        return refusal(token) or Reply(200, {
            "uuid": "b63254c0-3271-4a98-8270-7cfbd6c2f14e", "scopes": _TOKENS[token],
            "description": "CI token", "created_at": "2025-07-16 06:07:42 UTC",
            "user": {"email": "ada@acme.test", "name": "Ada Lovelace"}})

    @fake.route("GET", "/v2/organizations")
    def organizations(req: Request) -> Reply:
        token = req.bearer()
        if (early := refusal(token)) is not None:
            return early
        if "read_organizations" not in _TOKENS[token]:
            return Reply(403, {"message": "Your access token does not have the read_organizations scope"})
        return Reply(200, [_org(slug) for slug in _ORGS[token]])

    return fake
