"""Fake https://circleci.com API v2: ``GET /api/v2/me`` and ``/api/v2/me/collaborations``, answering
the ``Circle-Token`` header with the shapes and ``{"message": …}`` errors CircleCI documents."""

from __future__ import annotations

from tests.fakes.server import FakeServer, Reply, Request

SOLO = "CCIPAT_dBucPr0rbadB2TKjMqYbGI_3c8d478d50196986eb9a494ed6f7806dc1a5a5be"  # only the user's own org
TEAM = "CCIPAT_hA6ER8ANzxV3CrWr8NJIbL_b1c6e32c0f461189f888fa1f43d27b672cf99974"  # two organizations besides
LEGACY = "da49a24522cc8d43fa6cf4149188312a7a7245b3"  # an unprefixed token of the same user as TEAM
REVOKED = "CCIPAT_Rv0kedRv0kedRv0kedRv0k_0123456789abcdef0123456789abcdef01234567"
RATE_LIMITED = "CCIPAT_Sl0wSl0wSl0wSl0wSl0wSl_89abcdef0123456789abcdef0123456789abcdef"
BROKEN = "CCIPAT_Br0kenBr0kenBr0kenBr0k_fedcba9876543210fedcba9876543210fedcba98"
NO_ORGS = "CCIPAT_N0rgsN0rgsN0rgsN0rgsN0_00112233445566778899aabbccddeeff00112233"  # collaborations fail
PROJECT = "CCIPRJ_48QPdyPhujz6Q1txcNQNDy_796889143de1417060f12c05f8960fed89d394f4"

_USERS = {
    SOLO: {"id": "497f6eca-6276-4993-bfeb-53cbbbba6f08", "login": "sam-solo", "name": "Sam Solo"},
    TEAM: {"id": "5a1f2b3c-0000-4000-8000-00000000a11c", "login": "ada", "name": "Ada Lovelace"},
    NO_ORGS: {"id": "6b2f3c4d-0000-4000-8000-00000000b22d", "login": "nora", "name": "Nora"},
}
_USERS[LEGACY] = _USERS[TEAM]


def _org(vcs: str, name: str, uid: str) -> dict:
    prefix = {"github": "gh", "bitbucket": "bb"}[vcs]
    return {"id": uid, "vcs-type": vcs, "name": name, "avatar_url": f"https://avatars.example/{name}",
            "slug": f"{prefix}/{name}"}


_ORGS = {
    SOLO: [_org("github", "sam-solo", "11111111-1111-4111-8111-111111111111")],
    TEAM: [_org("github", "ada", "22222222-2222-4222-8222-222222222222"),
           _org("github", "acme", "33333333-3333-4333-8333-333333333333"),
           _org("bitbucket", "acme-legacy", "44444444-4444-4444-8444-444444444444")],
}
_ORGS[LEGACY] = _ORGS[TEAM]


def make() -> FakeServer:
    fake = FakeServer()

    def failure(token: str | None) -> Reply | None:
        if token == RATE_LIMITED:
            return Reply(429, {"message": "Rate limit exceeded"}, headers={"Retry-After": "60"})
        if token == BROKEN:
            return Reply(500, {"message": "Internal server error"})
        if token not in _USERS:  # project tokens do not work on API v2 either
            return Reply(401, {"message": "You must log in first."})
        return None

    @fake.route("GET", "/api/v2/me")
    def me(req: Request) -> Reply:
        token = req.header("circle-token")
        return failure(token) or Reply(200, _USERS[token])

    @fake.route("GET", "/api/v2/me/collaborations")
    def collaborations(req: Request) -> Reply:
        token = req.header("circle-token")
        if token == NO_ORGS:
            return Reply(503, {"message": "Service unavailable"})
        return failure(token) or Reply(200, _ORGS[token])

    return fake
