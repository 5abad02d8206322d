"""Fake https://api.openai.com answering as OpenAI's API does.

Errors are ``{"error": {"message", "type", "param", "code"}}``. A dead key gets 401
"Incorrect API key provided" (code ``invalid_api_key``); a restricted key that lacks a scope
also gets **401**, whose message names the missing scopes (providers.md B.8).
"""

from __future__ import annotations

from tests.fakes.server import FakeServer, Reply, Request

_M = "T3BlbkFJ"
ALL = f"sk-proj-FakeAllPermissionsProjectKeyAbCdEfGh_{_M}IjKlMnOpQrStUvWxYz0123456789ab"
# Restricted: Models read and Files read only.
RESTRICTED = f"sk-proj-FakeRestrictedProjectKeyAbCdEfGhIj_{_M}KlMnOpQrStUvWxYz0123456789abcd"
# Restricted: nothing readable at all, but model requests allowed.
REQUEST_ONLY = f"sk-proj-FakeRequestOnlyProjectKeyAbCdEfGhI_{_M}JkLmNoPqRsTuVwXyZ0123456789abc"
# Restricted: Models read only; the files refusal also names model.request (as OpenAI's combined
# "Missing scopes: a, b" messages do).
NO_SPEND = f"sk-proj-FakeNoSpendProjectKeyAbCdEfGhIjKlMn_{_M}OpQrStUvWxYz0123456789abcdefgh"
SERVICE = f"sk-svcacct-FakeServiceAccountKeyAbCdEfGhIj_{_M}KlMnOpQrStUvWxYz0123456789abcd"
LEGACY = f"sk-FakeLegacyUserKey001{_M}AbCdEfGhIjKlMnOpQrSt"
ADMIN = f"sk-admin-FakeAdminKeyAbCdEfGhIjKlMnOpQrStUv_{_M}WxYz0123456789abcdefghijklmnXyZ9"
ADMIN_REVOKED = f"sk-admin-FakeAdminGoneAbCdEfGhIjKlMnOpQrStU_{_M}vWxYz0123456789abcdefghijklmn"
REVOKED = f"sk-proj-FakeRevokedProjectKeyAbCdEfGhIjKlM_{_M}nOpQrStUvWxYz0123456789abcdefg"
RATE_LIMITED = f"sk-proj-FakeRateLimitedProjectKeyAbCdEfGh_{_M}IjKlMnOpQrStUvWxYz0123456789ab"
SERVER_ERROR = f"sk-proj-FakeServerErrorProjectKeyAbCdEfGh_{_M}IjKlMnOpQrStUvWxYz0123456789ab"
MALFORMED = f"sk-proj-FakeMalformedProjectKeyAbCdEfGhIj_{_M}KlMnOpQrStUvWxYz0123456789abcd"
# Used from outside its project's IP allowlist (wording assumed, not documented).
IP_BLOCKED = f"sk-proj-FakeIpBlockedProjectKeyAbCdEfGhIjK_{_M}lMnOpQrStUvWxYz0123456789abcde"
REGION_BLOCKED = f"sk-proj-FakeRegionBlockedProjectKeyAbCdEfG_{_M}hIjKlMnOpQrStUvWxYz0123456789a"

_SCOPES = {
    "/v1/models": "api.model.read",
    "/v1/files": "api.files.read",
    "/v1/fine_tuning/jobs": "api.fine_tuning.jobs.read",
    "/v1/assistants": "api.assistants.read",
}
_ALLOWED: dict[str, set[str]] = {
    ALL: set(_SCOPES), SERVICE: set(_SCOPES), LEGACY: set(_SCOPES),
    RESTRICTED: {"/v1/models", "/v1/files"},
    REQUEST_ONLY: set(),
    NO_SPEND: {"/v1/models"},
}


def _err(status: int, message: str, code: str | None = None, type_: str = "invalid_request_error") -> Reply:
    return Reply(status, {"error": {"message": message, "type": type_, "param": None, "code": code}})


def _missing(*scopes: str) -> Reply:
    return _err(401, "You have insufficient permissions for this operation. Missing scopes: "
                f"{', '.join(scopes)}. Check that you have the correct role in your organization (Reader, "
                "Writer, Owner) and project (Member, Owner), and if you're using a restricted API key, that "
                "it has the necessary scopes.")


def _incorrect() -> Reply:
    return _err(401, "Incorrect API key provided: sk-proj-****6789. You can find your API key at "
                "https://platform.openai.com/account/api-keys.", "invalid_api_key")


_ME = {
    "object": "user", "id": "user-FakeAlice", "email": "alice@acme.example", "name": "Alice",
    "phone_number": None, "mfa_flag_enabled": False,
    "orgs": {"object": "list", "data": [
        {"object": "organization", "id": "org-FakeAcme", "title": "Acme", "name": "acme",
         "personal": False, "is_default": True, "role": "owner"},
        {"object": "organization", "id": "org-FakeLabs", "title": "Labs", "name": "labs",
         "personal": False, "is_default": False, "role": "reader"},
    ]},
}


def make() -> FakeServer:
    fake = FakeServer()

    def api(req: Request) -> Reply:
        key = req.bearer() or ""
        path = req.path
        if key == RATE_LIMITED:
            return _err(429, "Rate limit reached for requests", "rate_limit_exceeded", "requests")
        if key == SERVER_ERROR:
            return _err(500, "The server had an error while processing your request.", None, "server_error")
        if key == MALFORMED:
            return Reply(200, "<html>upstream connect error</html>")
        if key == IP_BLOCKED:
            return _err(401, "You are not allowed to access this project from your IP address.",
                        "ip_not_authorized")
        if key == REGION_BLOCKED:
            return _err(403, "Country, region, or territory not supported",
                        "unsupported_country_region_territory")
        if key not in _ALLOWED:
            return _incorrect()
        if path == "/v1/me":
            if key == SERVICE:  # a service account is no person
                return _err(403, "This endpoint is not available to service accounts.")
            return Reply(200, _ME)
        if path == "/v1/assistants" and req.header("openai-beta") != "assistants=v2":
            return _err(400, "You must provide the 'OpenAI-Beta' header to access the Assistants API.")
        if path not in _ALLOWED[key]:
            if key == NO_SPEND and path == "/v1/files":
                return _missing(_SCOPES[path], "model.request")
            return _missing(_SCOPES[path])
        if path == "/v1/models":
            return Reply(200, {"object": "list", "data": [
                {"id": "gpt-4o", "object": "model", "created": 1715367049, "owned_by": "system"},
                {"id": "text-embedding-3-small", "object": "model", "created": 1705948997,
                 "owned_by": "system"},
            ]})
        return Reply(200, {"object": "list", "data": [], "first_id": None, "last_id": None,
                           "has_more": False})

    for path in (*_SCOPES, "/v1/me"):
        fake.add("GET", path, api)

    @fake.route("GET", "/v1/organization/admin_api_keys")
    def admin_keys(req: Request) -> Reply:
        key = req.bearer()
        if key != ADMIN:
            return _incorrect()
        return Reply(200, {"object": "list", "has_more": False, "first_id": "key_fake1",
                           "last_id": "key_fake2", "data": [
            {"object": "organization.admin_api_key", "id": "key_fake1", "name": "ops automation",
             "redacted_value": f"{ADMIN[:12]}...{ADMIN[-4:]}", "created_at": 1711471533,
             "last_used_at": 1711471534,
             "owner": {"type": "user", "object": "organization.user", "id": "user-FakeBob",
                       "name": "Bob", "created_at": 1711471533, "role": "owner"}},
            {"object": "organization.admin_api_key", "id": "key_fake2", "name": "other",
             "redacted_value": "sk-admin-Zzz...0000", "created_at": 1711471533,
             "owner": {"type": "user", "id": "user-FakeCarol", "name": "Carol", "role": "owner"}},
        ]})

    return fake
