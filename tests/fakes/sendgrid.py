"""Fake https://api.sendgrid.com answering GET /v3/scopes as SendGrid's v3 API documents it."""

from __future__ import annotations

from tests.fakes.server import FakeServer, Reply, Request

FULL = "SG.FullFullFullFullFullFu.FullAccessKeyFullAccessKeyFullAccessKey1234"
MAIL = "SG.MailMailMailMailMailMa.MailSendOnlyKeyMailSendOnlyKeyMailSendOnly1"
STATS = "SG.StatStatStatStatStatSt.ReadOnlyStatsKeyReadOnlyStatsKeyReadOnlyStR"
NO_SCOPES = "SG.NoScNoScNoScNoScNoScNo.CannotReadScopesCannotReadScopesCannotReadC"
REVOKED = "SG.GoneGoneGoneGoneGoneGo.RevokedKeyRevokedKeyRevokedKeyRevokedKey12R"
RATE_LIMITED = "SG.SlowSlowSlowSlowSlowSl.RateLimitedRateLimitedRateLimitedRateLimiRa"
BROKEN = "SG.ErrsErrsErrsErrsErrsEr.ServerErrorServerErrorServerErrorServerErSe"
MALFORMED = "SG.BadjBadjBadjBadjBadjBa.NotJsonAtAllNotJsonAtAllNotJsonAtAllNotJsNo"

FULL_SCOPES = ["alerts.create", "alerts.read", "api_keys.create", "api_keys.delete", "api_keys.read",
               "api_keys.update", "billing.read", "mail.send", "subusers.create", "subusers.delete",
               "subusers.read", "user.profile.read", "user.profile.update"]
STATS_SCOPES = ["stats.global.read", "stats.read"]


def make() -> FakeServer:
    fake = FakeServer()

    @fake.route("GET", "/v3/scopes")
    def scopes(req: Request) -> Reply:
        key = req.bearer()
        if key == FULL:
            return Reply(200, {"scopes": FULL_SCOPES})
        if key == MAIL:
            return Reply(200, {"scopes": ["mail.send"]})
        if key == STATS:
            return Reply(200, {"scopes": STATS_SCOPES})
        if key == NO_SCOPES:
            return Reply(403, {"errors": [{"field": None, "message": "access forbidden"}]})
        if key == RATE_LIMITED:
            return Reply(429, {"errors": [{"field": None, "message": "too many requests"}]},
                         headers={"Retry-After": "120", "X-RateLimit-Remaining": "0"})
        if key == BROKEN:
            return Reply(503, "upstream unavailable")
        if key == MALFORMED:
            return Reply(200, "<html>maintenance</html>")
        return Reply(401, {"errors": [{"field": None, "message": "authorization required"}]})

    return fake
