"""Fake Datadog API answering /api/v1/validate and /api/v2/current_user as Datadog documents them.

Every Datadog site answers a key of another site with 403, so ``ROAMING`` answers 403 to the first
three validations and 200 to the fourth: the lookup tries the sites in order and the fourth is
datadoghq.eu. (Behind TOKENREACH_DATADOG_API_URL every site is this one server.)
"""

from __future__ import annotations

from collections import Counter

from tests.fakes.server import FakeServer, Reply, Request

API = "3f9a1c7e5b2d4f6a8c0e1b3d5f7a9c2e"
ROAMING = "4e8d2c6a0f1b3d5e7a9c1e3b5d7f9a0c"
API_REVOKED = "0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a"
API_RATE_LIMITED = "1a1a1a1a2b2b2b2b3c3c3c3c4d4d4d4d"
API_BROKEN = "5e5e5e5e6f6f6f6f7a7a7a7a8b8b8b8b"
API_MALFORMED = "9c9c9c9c0d0d0d0d1e1e1e1e2f2f2f2f"

APP_ADMIN = "9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b"
APP_READ_ONLY = "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d"
APP_SERVICE = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c"
APP_REVOKED = "de4dbeefde4dbeefde4dbeefde4dbeefde4dbeef"
APP_RATE_LIMITED = "ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12"

_FORBIDDEN = {"errors": ["Forbidden"]}
_ROLES = {
    "r-admin": "Datadog Admin Role",
    "r-ro": "Datadog Read Only Role",
    "r-custom": "SRE on-call",
}
_USERS = {
    APP_ADMIN: ("u-1", "alice@acme.test", "Alice", False, ["r-admin"]),
    APP_READ_ONLY: ("u-2", "bob@acme.test", "Bob", False, ["r-ro"]),
    APP_SERVICE: ("u-3", "ci-bot", "CI bot", True, ["r-custom"]),
}


def _current_user(app_key: str) -> dict:
    uid, handle, name, service, roles = _USERS[app_key]
    return {
        "data": {
            "type": "users",
            "id": uid,
            "attributes": {"name": name, "handle": handle, "email": f"{handle}@mail.test" if service else handle,
                           "status": "Active", "disabled": False, "service_account": service},
            "relationships": {"roles": {"data": [{"type": "roles", "id": r} for r in roles]},
                              "org": {"data": {"type": "orgs", "id": "o-1"}}},
        },
        "included": [{"type": "roles", "id": r, "attributes": {"name": n}} for r, n in _ROLES.items()]
        + [{"type": "orgs", "id": "o-1", "attributes": {"name": "Acme", "public_id": "acme1"}}],
    }


def make() -> FakeServer:
    fake = FakeServer()
    validations: Counter[str] = Counter()

    def api_failure(key: str | None) -> Reply | None:
        if key == API_RATE_LIMITED:
            return Reply(429, {"errors": ["Rate limit exceeded"]},
                         headers={"Retry-After": "60", "X-RateLimit-Reset": "60"})
        if key == API_BROKEN:
            return Reply(500, {"errors": ["Internal Server Error"]})
        if key == API_MALFORMED:
            return Reply(200, "<html>maintenance</html>")
        return None

    @fake.route("GET", "/api/v1/validate")
    def validate(req: Request) -> Reply:
        key = req.header("dd-api-key") or ""
        validations[key] += 1
        if (fail := api_failure(key)) is not None:
            return fail
        if key == API or (key == ROAMING and validations[key] == 4):
            return Reply(200, {"valid": True})
        return Reply(403, _FORBIDDEN)

    @fake.route("GET", "/api/v2/current_user")
    def current_user(req: Request) -> Reply:
        api_key, app_key = req.header("dd-api-key"), req.header("dd-application-key") or ""
        if api_key != API:
            return Reply(403, _FORBIDDEN)
        if app_key == APP_RATE_LIMITED:
            return Reply(429, {"errors": ["Rate limit exceeded"]}, headers={"Retry-After": "60"})
        if app_key not in _USERS:
            return Reply(403, _FORBIDDEN)
        return Reply(200, _current_user(app_key))

    return fake
