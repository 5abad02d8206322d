"""Fake https://<APPLICATION_ID>.algolia.net answering as Algolia's Search API reference documents it.

``GET /1/keys/{key}`` (a key's own ACL, indexes and validity, its description ``<redacted>``; 404
"Key does not exist" for the admin key, which is not one of the application's keys) and
``GET /1/keys`` (admin key only). Credentials come in ``X-Algolia-Application-Id`` and
``X-Algolia-API-Key``; bad ones get 403 "Invalid Application-ID or API key". The data-derived host
tokenreach asked for arrives in ``X-Tokenreach-Target-Host``.
"""

from __future__ import annotations

from tests.fakes.server import FakeServer, Reply, Request

APP_ID = "K4Q9ZP2M7A"
ADMIN = "eb8450ae2a1c5ed5571342c3967d286c"
WRITE = "8a160d1cf407d30366a02402f6d2c624"  # indexing key on every index
NARROW = "51184813c751b2b3be6c60ca0d367e8a"  # search on products_* for an hour
NO_ACL = "299310cdfb72d73cbb49580158534011"  # addObject only: may not read its own ACL
REVOKED = "e6c90b94f842932de4c58fb318452570"
RATE_LIMITED = "65fec25f820d92927433fe1f10b7e7bf"
BROKEN = "7121dd22615220bff02a2a0ee4cf43b7"
MALFORMED = "e467331322b30e6b270860e803d18fa7"

CREATED = 1717200000
_KEYS = {
    WRITE: {"acl": ["search", "browse", "addObject", "deleteObject", "deleteIndex", "editSettings", "listIndexes"],
            "indexes": [], "validity": 0},
    NARROW: {"acl": ["search"], "indexes": ["products_*"], "validity": 3600,
             "referers": ["https://shop.acme.test/*"]},
    NO_ACL: {"acl": ["addObject"], "indexes": [], "validity": 0},
}


def _error(status: int, message: str) -> Reply:
    return Reply(status, {"message": message, "status": status})


def make() -> FakeServer:
    fake = FakeServer()

    def guard(req: Request) -> Reply | None:
        key = req.header("x-algolia-api-key")
        if key == RATE_LIMITED:
            return _error(429, "Too many requests")
        if key == BROKEN:
            return Reply(503, "Service Unavailable")
        if key == MALFORMED:
            return Reply(200, "<html>maintenance</html>")
        if req.header("x-algolia-application-id") != APP_ID or key not in (ADMIN, *_KEYS):
            return _error(403, "Invalid Application-ID or API key")
        return None

    @fake.route("GET", "/1/keys/[0-9a-f]{32}")
    def get_key(req: Request) -> Reply:
        refused = guard(req)
        if refused:
            return refused
        caller, asked = req.header("x-algolia-api-key"), req.path.rsplit("/", 1)[1]
        if asked == ADMIN or asked not in _KEYS:
            return _error(404, "Key does not exist")
        if caller != ADMIN and caller != asked:
            return _error(403, "Method not allowed with this API key")
        if "search" not in _KEYS[asked]["acl"] and caller != ADMIN:
            return _error(403, "Method not allowed with this API key")
        return Reply(200, {"value": asked, "description": "<redacted>", "createdAt": CREATED,
                           "maxHitsPerQuery": 0, "maxQueriesPerIPPerHour": 0, "queryParameters": "",
                           "referers": [], **_KEYS[asked]})

    @fake.route("GET", "/1/keys")
    def list_keys(req: Request) -> Reply:
        refused = guard(req)
        if refused:
            return refused
        if req.header("x-algolia-api-key") != ADMIN:
            return _error(403, "Method not allowed with this API key")
        return Reply(200, {"keys": [{"value": k, "createdAt": CREATED, "description": "", **v}
                                    for k, v in _KEYS.items()]})

    return fake
