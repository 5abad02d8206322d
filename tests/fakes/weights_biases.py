"""Fake https://api.inference.wandb.ai answering ``GET /v1/models`` as W&B's Inference API documents
it: an OpenAI-style model list; errors ``{"error": {"message": …}}`` with 401 "Authentication failed",
402 out of credits, 403 for an organization without Inference or an unsupported country."""

from __future__ import annotations

from tests.fakes.server import FakeServer, Reply, Request

LIVE = "51ffdd7d2107cba373ba483144f1ca50c6bd80c8"
NO_CREDITS = "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567"
ORG_OFF = "f9e8d7c6b5a4938271605f4e3d2c1b0a98765432"
COUNTRY = "1f2e3d4c5b6a79880f1e2d3c4b5a697812345678"
REVOKED = "9a8b7c6d5e4f30211f2e3d4c5b6a798812345678"
RATE_LIMITED = "3c4b5a69780f1e2d1e2d3c4b5a6f708112345678"
BROKEN = "7c6d5e4f30211f2e9a8b5b6a79883d4c12345678"
MALFORMED = "2b3c4d5e6f708192a3b4c5d6e7f8091a12345678"
SELF_HOSTED = "local-51ffdd7d2107cba373ba483144f1ca50c6bd80c8"


def _error(status: int, message: str) -> Reply:
    return Reply(status, {"error": {"message": message, "type": "error"}})


def make() -> FakeServer:
    fake = FakeServer()

    @fake.route("GET", "/v1/models")
    def models(req: Request) -> Reply:
        key = req.bearer()
        if key in (LIVE, SELF_HOSTED):
            return Reply(200, {"object": "list", "data": [
                {"id": "openai/gpt-oss-20b", "object": "model", "created": 0, "owned_by": "system",
                 "root": "openai/gpt-oss-20b"}]})
        if key == NO_CREDITS:
            return _error(402, "You exceeded your current quota, please check your plan and billing details")
        if key == ORG_OFF:
            return _error(403, "The inference gateway is not enabled for your organization")
        if key == COUNTRY:
            return _error(403, "Country, region, or territory not supported")
        if key == RATE_LIMITED:
            return _error(429, "Concurrency limit reached for requests")
        if key == MALFORMED:
            return Reply(200, "<html>maintenance</html>")
        if key == BROKEN:
            return _error(503, "The engine is currently overloaded, please try again later")
        return _error(401, "Authentication failed")

    return fake
