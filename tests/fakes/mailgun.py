"""Fake Mailgun API answering /v3/domains and /v1/keys as Mailgun documents them (Basic ``api:<key>``).

Mailgun answers a bad key with 401 and the plain-text body ``Forbidden``. A key of an EU account is
refused by the US host, so ``EU`` answers 401 to its first /v3/domains call and 200 to the second:
the lookup tries the US host and then the EU one. (Behind TOKENREACH_MAILGUN_API_URL both hosts are
this one server.)
"""

from __future__ import annotations

from collections import Counter

from tests.fakes.server import FakeServer, Reply, Request

ADMIN = "key-3a96e0d2f8b14c7a9e5d1f3b7c2a8e40"
DEVELOPER = "6d2e8a0f4b1c3e5d7f9a0b2c4d6e8f1a-3c5e7a9b-1d3f5a7c"
EU = "0f1e2d3c4b5a69788796a5b4c3d2e1f0-8a7b6c5d-4e3f2a1b"
SENDING = "1111aaaa2222bbbb3333cccc4444dddd-5555eeee-6666ffff"
REVOKED = "key-de4dbeefde4dbeefde4dbeefde4dbeef"
RATE_LIMITED = "key-5105105105105105105105105105105a"
BROKEN = "key-5025025025025025025025025025025b"
MALFORMED = "key-abcabcabcabcabcabcabcabcabcabc12"

_DOMAINS = [
    {"created_at": "Tue, 14 Jan 2025 10:00:00 GMT", "id": "d-1", "is_disabled": False, "name": "mg.acme.test",
     "require_tls": True, "smtp_login": "postmaster@mg.acme.test", "spam_action": "disabled",
     "state": "active", "type": "custom", "web_scheme": "https", "wildcard": False},
    {"created_at": "Tue, 14 Jan 2025 10:00:00 GMT", "id": "d-2", "is_disabled": False,
     "name": "sandbox1.mailgun.org", "require_tls": False, "smtp_login": "postmaster@sandbox1.mailgun.org",
     "spam_action": "disabled", "state": "unverified", "type": "sandbox", "web_scheme": "http",
     "wildcard": False},
]
_KEYS = [
    {"id": "e2153fd0-e0277777", "description": "ci", "kind": "user", "role": "admin",
     "created_at": "2025-01-02T15:04:05", "updated_at": "2025-01-02T15:04:05", "requestor": "alice@acme.test",
     "user_name": "Alice", "domain_name": None, "is_disabled": False},
    {"id": "f2153fd0-f1277777", "description": "send", "kind": "domain", "role": "sending",
     "created_at": "2025-01-02T15:04:05", "updated_at": "2025-01-02T15:04:05", "requestor": None,
     "user_name": None, "domain_name": "mg.acme.test", "is_disabled": False},
]
_LIVE = {ADMIN, DEVELOPER, EU, SENDING}


def make() -> FakeServer:
    fake = FakeServer()
    calls: Counter[str] = Counter()

    def key_of(req: Request) -> str:
        user, key = req.basic() or ("", "")
        return key if user == "api" else ""

    @fake.route("GET", "/v3/domains")
    def domains(req: Request) -> Reply:
        key = key_of(req)
        calls[key] += 1
        if key == RATE_LIMITED:
            return Reply(429, {"message": "Too many requests"}, headers={"Retry-After": "60"})
        if key == BROKEN:
            return Reply(502, "Bad Gateway")
        if key == MALFORMED:
            return Reply(200, "<html>maintenance</html>")
        if key == SENDING:
            return Reply(403, {"message": "Forbidden"})
        if key not in _LIVE or (key == EU and calls[key] == 1):
            return Reply(401, "Forbidden")
        return Reply(200, {"total_count": len(_DOMAINS), "items": _DOMAINS})

    @fake.route("GET", "/v1/keys")
    def keys(req: Request) -> Reply:
        key = key_of(req)
        if key not in _LIVE:
            return Reply(401, "Forbidden")
        if key != ADMIN:
            return Reply(403, {"message": "Forbidden"})
        return Reply(200, {"total_count": len(_KEYS), "items": _KEYS})

    return fake
