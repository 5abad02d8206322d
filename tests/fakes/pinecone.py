"""Fake https://api.pinecone.io answering ``GET /indexes`` as Pinecone's control-plane reference
documents it: ``{"indexes": [...]}`` for a project's key (``Api-Key`` header), 401
``UNAUTHENTICATED`` for a missing or invalid key, 403 for an exceeded quota, 429, 5xx. Errors are
``{"error": {"code", "message"}, "status"}``.
"""

from __future__ import annotations

from tests.fakes.server import FakeServer, Reply, Request

BROAD = "pcsk_qsR6RZ_24lPoQj3oPUlieI2nVsbBi1RMar1jf3YZ4Zq0CVB8iY4qw2oF5WJKBQx4BOuPhw0"
NARROW = "pcsk_MZOqSC_JNViCRUCIlsmlHwqxDqMrz4iKFJpKp4mSxieBPO9DyaUB73cojFZS1COqkUAV3q4"
QUOTA = "pcsk_WZwmT2_OxHTQi5TMpUFn3NcLSLcwLUKvlsmkYRJh5okeBPMJZIScC0vPfHaithAt6rKMSe8"
REVOKED = "pcsk_EHx21c_auvjFJIH0EoQnsZcyGT6kVjqBR02nqBLpwXpLsBnPwBcuzDfeWcM6aPXtmCEJyvd"
RATE_LIMITED = "pcsk_sHB8ij_3dhx0knttMyscwigxFCL4LBcwIsi9Zduk54IVi5a5p63RjfE7xewqZ0ndTpQ07pH"
BROKEN = "pcsk_Y6WCmK_zNd1J5dhNi8IWZxIztj9Itqfxd7bkUagHTr3fvZOBkN1RTSs6WchgtzyEyrjYjCt"
MALFORMED = "pcsk_aHbIqr_vo7p9282xAk1WZEAqjDL59IDmXyTE1mbK5cE0GligaLitf45FKHU1dnTV6PSBb9I"
LEGACY = "483cc059-aa42-4912-8b86-e12769d4f2a4"


def _index(name: str, protection: str) -> dict:
    return {"name": name, "dimension": 1536, "metric": "cosine", "vector_type": "dense",
            "host": f"{name}-a1b2c3d.svc.aped-4627-b74a.pinecone.io", "deletion_protection": protection,
            "spec": {"serverless": {"cloud": "aws", "region": "us-east-1"}},
            "status": {"ready": True, "state": "Ready"}, "tags": None}


_INDEXES = {
    BROAD: [_index("docs-prod", "disabled"), _index("support-rag", "disabled"), _index("search", "enabled")],
    NARROW: [_index("faq", "enabled")],
    LEGACY: [],
}


def _error(status: int, code: str, message: str) -> Reply:
    return Reply(status, {"error": {"code": code, "message": message}, "status": status})


def make() -> FakeServer:
    fake = FakeServer()

    @fake.route("GET", "/indexes")
    def indexes(req: Request) -> Reply:
        key = req.header("api-key")
        if key == RATE_LIMITED:
            return _error(429, "RESOURCE_EXHAUSTED", "Request failed. You've reached the max requests per minute.")
        if key == BROKEN:
            return _error(500, "UNKNOWN", "Internal server error")
        if key == MALFORMED:
            return Reply(200, "<html>maintenance</html>")
        if key == QUOTA:
            return _error(403, "FORBIDDEN", "Request failed. You've reached your project quota.")
        if key not in _INDEXES:
            return _error(401, "UNAUTHENTICATED", "Invalid API Key")
        return Reply(200, {"indexes": _INDEXES[key]})

    return fake
