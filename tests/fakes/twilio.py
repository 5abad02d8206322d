"""Fake Twilio: verify.twilio.com /v2/Services and api.twilio.com /2010-04-01/Accounts.json,
answering HTTP Basic credentials with the status codes and error codes Twilio documents."""

from __future__ import annotations

from tests.fakes.server import FakeServer, Reply, Request

PARENT_SID = "AC0123456789abcdef0123456789abcdef"
SUB_SID = "ACfedcba9876543210fedcba9876543210"
TRIAL_SID = "AC11112222333344445555666677778888"

AUTH_TOKEN = "9f8e7d6c5b4a39281706f5e4d3c2b1a0"  # PARENT_SID's, which has one subaccount
TRIAL_TOKEN = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"  # TRIAL_SID's, a trial account alone
WRONG_TOKEN = "00000000000000000000000000000bad"  # pairs with PARENT_SID but does not authenticate

MAIN_KEY = ("SK2b4d6f8a0c1e3b5d7f9a1c3e5b7d9f0a", "q7Zr2LkW9xNc4VbT6yHs8JdP1mGf3Ra5")
STANDARD_KEY = ("SKaaaabbbbccccddddeeeeffff00001111", "StandardKeySecretStandardKeySecr")
RESTRICTED_KEY = ("SK99998888777766665555444433332222", "RestrictedSecretRestrictedSecret")
REVOKED_KEY = ("SK0000111122223333444455556666777a", "RevokedKeySecretRevokedKeySecret")
RATE_LIMITED_KEY = ("SK1234123412341234123412341234abcd", "SlowSlowSlowSlowSlowSlowSlowSlow")
BROKEN_KEY = ("SKbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "BrokenBrokenBrokenBrokenBrokenBr")
MALFORMED_KEY = ("SKcccccccccccccccccccccccccccccccc", "MalformedMalformedMalformedMalfo")
FLAKY_ACCOUNTS_KEY = ("SKdddddddddddddddddddddddddddddddd", "FlakyAccountsFlakyAccountsFlakyA")


def _error(status: int, code: int, message: str) -> Reply:
    return Reply(status, {"code": code, "message": message,
                          "more_info": f"https://www.twilio.com/docs/errors/{code}", "status": status})


def _account(sid: str, name: str, kind: str = "Full", owner: str = PARENT_SID) -> dict:
    # The real resource also carries the account's auth_token: the detector must never keep it.
    return {"sid": sid, "friendly_name": name, "status": "active", "type": kind, "owner_account_sid": owner,
            "auth_token": "ffffffffffffffffffffffffffffffff", "date_created": "Tue, 01 Apr 2025 10:00:00 +0000",
            "uri": f"/2010-04-01/Accounts/{sid}.json", "subresource_uris": {}}


def _page(accounts: list[dict]) -> dict:
    return {"accounts": accounts, "end": len(accounts) - 1, "first_page_uri": "/2010-04-01/Accounts.json?Page=0",
            "next_page_uri": None, "page": 0, "page_size": 50, "previous_page_uri": None, "start": 0,
            "uri": "/2010-04-01/Accounts.json"}


def make() -> FakeServer:
    fake = FakeServer()

    @fake.route("GET", "/v2/Services")
    def services(req: Request) -> Reply:
        creds = req.basic()
        if creds in (MAIN_KEY, STANDARD_KEY, FLAKY_ACCOUNTS_KEY):
            return Reply(200, {"services": [], "meta": {"page": 0, "page_size": 50, "key": "services"}})
        if creds == RESTRICTED_KEY:
            return _error(403, 70051, "Authorization error")
        if creds == RATE_LIMITED_KEY:
            return Reply(429, {"code": 20429, "message": "Too Many Requests", "status": 429},
                         headers={"Retry-After": "60"})
        if creds == BROKEN_KEY:
            return Reply(500, {"code": 20500, "message": "Internal Server Error", "status": 500})
        if creds == MALFORMED_KEY:
            return Reply(200, "<xml/>")
        return _error(401, 20003, "Authenticate")

    @fake.route("GET", "/2010-04-01/Accounts.json")
    def accounts(req: Request) -> Reply:
        creds = req.basic()
        if creds in ((PARENT_SID, AUTH_TOKEN), MAIN_KEY):
            return Reply(200, _page([_account(PARENT_SID, "Acme Production"),
                                     _account(SUB_SID, "Acme Staging")]))
        if creds == FLAKY_ACCOUNTS_KEY:
            return Reply(503, {"code": 20503, "message": "Service Unavailable", "status": 503},
                         headers={"Retry-After": "120"})
        if creds == (TRIAL_SID, TRIAL_TOKEN):
            return Reply(200, _page([_account(TRIAL_SID, "Side project", kind="Trial", owner=TRIAL_SID)]))
        return _error(401, 20003, "Authenticate")

    return fake
