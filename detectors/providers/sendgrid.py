"""SendGrid API keys.

Format (providers.md C.1): ``SG.`` + a 22-character key id + ``.`` + a 43-character secret, both
URL-safe base64: 69 characters, the length Twilio's "API Keys" page states
(twilio.com/docs/sendgrid/ui/account-and-settings/api-keys); the split itself is not documented. One
read-only call, ``GET https://api.sendgrid.com/v3/scopes``, answers with the key's own scopes.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector
from tokenreach.detectors.http import ProviderHTTP, json_object
from tokenreach.detectors.rule_files import rules_for
from tokenreach.scanner.model import Access, Capability, Token

PATTERNS = rules_for("sendgrid")

# Scope families that administer the account itself rather than send mail or read stats.
_ADMIN_PREFIXES = ("api_keys.", "subusers.", "teammates.", "user.", "credentials.", "sso.",
                   "access_settings.", "ips.", "whitelabel.", "sender_verification_eligible")
_BILLING_PREFIXES = ("billing.",)
_SECRET_SCOPES = ("api_keys.read", "credentials.read")


def capabilities_of(scopes: list[str]) -> set[Capability]:
    caps: set[Capability] = set()
    for scope in scopes:
        action = scope.rsplit(".", 1)[-1]
        if action == "read":
            caps.add("read")
        elif action in ("create", "update", "send"):
            caps.add("write")
        elif action == "delete":
            caps.add("delete")
        if scope.startswith(_ADMIN_PREFIXES) and action in ("create", "update", "delete"):
            caps.add("admin")
        if scope.startswith(_BILLING_PREFIXES):
            caps.add("billing")
        if scope in _SECRET_SCOPES:
            caps.add("secrets")
    return caps


class SendGridDetector(Detector):
    provider = "sendgrid"
    forbidden_statuses = frozenset({403})  # /v3/scopes: authenticated, without scopes.read
    title = "SendGrid"
    patterns = PATTERNS
    api_url = "https://api.sendgrid.com"
    hosts = ("api.sendgrid.com",)
    request_budget = 60
    revoke_url = "https://app.sendgrid.com/settings/api_keys"
    least_privilege = (
        "create an API key with Restricted Access: only Mail Send, or only what the integration calls"
    )

    def lookup(self, token: Token, http: ProviderHTTP, offline: Access) -> Access:
        resp = http.get("/v3/scopes", headers={"Authorization": f"Bearer {token.secret}"})
        access = offline
        if not http.settle(access, resp, "/v3/scopes",
                           why={403: "the key is live but may not read its own scopes"}):
            return access
        scopes = json_object(resp).get("scopes")
        if not isinstance(scopes, list) or not all(isinstance(s, str) for s in scopes):
            return access.unknown("/v3/scopes answered 200 without a scopes list")
        access.grants = sorted(scopes)
        access.capabilities = capabilities_of(scopes)
        subusers = any(s.startswith("subusers.") for s in scopes)
        access.reach = "organization" if subusers else "account"
        access.note(f"/v3/scopes lists {len(scopes)} scope(s) for this key")
        if "api_keys.create" in scopes and "user.profile.update" in scopes:
            access.facts["full_access"] = True
            access.note("holds api_keys.* and user.* scopes: a Full Access key that can mint more keys")
        if subusers:
            access.note("subusers.* scopes: reaches every subuser of the parent account")
        if "mail.send" in scopes:
            access.facts["can_send_mail"] = True
            access.note("mail.send: can send mail as the account's verified sender domains")
        return access


detector = SendGridDetector()
