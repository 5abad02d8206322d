"""Fake https://api.airtable.com answering as Airtable's Web API reference documents it.

``GET /v0/meta/whoami`` (``id``; ``email`` only with ``user.email:read``; ``scopes`` only for OAuth
access tokens) and ``GET /v0/meta/bases`` (needs ``schema.bases:read``; 403
``INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND`` without it). Errors are ``{"error": {"type", "message"}}``.
"""

from __future__ import annotations

from tests.fakes.server import FakeServer, Reply, Request

BROAD = "patC3J27XDCG2LmlZ.f53e9421ce50211670eae679f02e8d28a79023c39c200661fccd268a29a0d347"
NARROW = "patTgadDZFlRJmCGm.4dc3cd6089065c3146e80a9c222670bbe4f4c54977656cf2d133187c8df95247"
NO_SCHEMA = "patEJP2NNern66nVb.28de71159b42b4ea410fb9102f29a422eb14ab2f2d0f0cc022238daceee2092f"
REVOKED = "patbo9ShFXNQ6Fq5a.b9465aef7ac86d66c7a644fb12853ef86dcfaea21818b904ce6087413e3b266f"
RATE_LIMITED = "patqlTaWEITclorXw.5c72dc4ee60caea63367c29a80b21ead8f062d15a4f4ef27e9589c6948f6d30c"
BROKEN = "patbIcH6zIZKhFfSk.2edc87ff4adfa36d0840164709ab7f3f386d0cd566647b5aa666347428c3dd46"
MALFORMED = "patzORZbgmKRw609x.3a62f301f46536559314e23acedbd6b0165debbc6530a2c6a8835c4abd5c652a"
LEGACY = "key35RxnHbHlHb6fs"  # retired API keys are refused like any invalid token

_WHOAMI = {
    BROAD: {"id": "usrL2PNC5o3H4lBEi", "email": "ada@acme.test"},
    NARROW: {"id": "usrR8kQwd8Bf9ctJx"},
    NO_SCHEMA: {"id": "usrNdK3zVx7u1pA0q"},
}

_BASES = {
    BROAD: [{"id": "appLkNDICXNqxSDhG", "name": "Apartment Hunting", "permissionLevel": "create"},
            {"id": "appSW9R5uCNmRmfl6", "name": "Project Tracker", "permissionLevel": "edit"},
            {"id": "appQ0cBPmJb8EcRv2", "name": "Customers", "permissionLevel": "create"}],
    NARROW: [{"id": "appSW9R5uCNmRmfl6", "name": "Project Tracker", "permissionLevel": "read"}],
}


def make() -> FakeServer:
    fake = FakeServer()

    def guard(req: Request) -> Reply | None:
        key = req.bearer()
        if key == RATE_LIMITED:
            return Reply(429, {"error": {"type": "RATE_LIMIT_REACHED",
                                         "message": "Rate limit exceeded. Please try again later"}})
        if key == BROKEN:
            return Reply(502, "bad gateway")
        if key == MALFORMED:
            return Reply(200, "<html>maintenance</html>")
        if key not in _WHOAMI:
            return Reply(401, {"error": {"type": "AUTHENTICATION_REQUIRED", "message": "Authentication required"}})
        return None

    @fake.route("GET", "/v0/meta/whoami")
    def whoami(req: Request) -> Reply:
        return guard(req) or Reply(200, _WHOAMI[req.bearer() or ""])

    @fake.route("GET", "/v0/meta/bases")
    def bases(req: Request) -> Reply:
        refused = guard(req)
        if refused:
            return refused
        found = _BASES.get(req.bearer() or "")
        if found is None:
            return Reply(403, {"error": {"type": "INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND",
                                         "message": "Invalid permissions, or the requested model was not found. "
                                                    "Check that both your user and your token have the required "
                                                    "permissions, and that the model names and/or ids are correct."}})
        return Reply(200, {"bases": found})

    return fake
