"""Brevo (formerly Sendinblue) API keys.

Formats: ``detectors/rules/brevo.toml`` (``xkeysib-`` v3 API keys, ``xsmtpsib-`` SMTP keys).

Lookup, ``api-key`` header (Brevo's API reference, "Get account details",
developers.brevo.com/reference/get-account, and "Key concepts", developers.brevo.com/docs/how-it-works):
``GET https://api.brevo.com/v3/account`` answers the account's ``email``, ``companyName``,
``organization_id``, ``user_id``, ``enterprise`` and ``plan`` (type and credits). A wrong key gets
401 ``{"code": "unauthorized", "message": "Key not found"}``.

Brevo can block a valid key from IP addresses it does not know (developers.brevo.com/docs/ip-security,
"Requests from unauthorized IPs are blocked even if the API key is valid"; on by default for accounts
created after May 2024): that 401 says ``IP not authorized`` or ``not verified`` and means live, never
revoked. Brevo then emails the account owner about the unknown address.

Rights: a v3 API key has no scopes. It can do everything the API offers on its account: contacts,
campaigns and transactional mail, senders and domains, webhooks, users and sub-accounts. An SMTP key
only authenticates to the SMTP relay, which has no read-only check, so it is not looked up.
"""

from __future__ import annotations

import re

from tokenreach.detectors.base import Detector
from tokenreach.detectors.http import ProviderHTTP, json_object, refusal_detail
from tokenreach.detectors.rule_files import builtin, rules_for
from tokenreach.scanner.model import Access, Token

PATTERNS = rules_for("brevo")
_SPEC = builtin("brevo")

ACCOUNT = "/v3/account"
# Brevo's IP-authorization refusals ("unauthorized: IP not authorized", "unauthorized: not verified").
_IP_BLOCK = re.compile(r"\bIP\b|not verified|unrecognised ip|unrecognized ip", re.IGNORECASE)


class BrevoDetector(Detector):
    provider = "brevo"
    title = _SPEC.name
    patterns = PATTERNS
    api_url = "https://api.brevo.com"
    hosts = ("api.brevo.com",)
    request_budget = 60
    revoke_url = _SPEC.revoke_url
    least_privilege = _SPEC.least_privilege

    def classify(self, token: Token) -> Access:
        access = super().classify(token)
        if token.kind == "smtp_key":
            access.facts["skip_lookup"] = True
            access.note("an SMTP key: sends mail through Brevo's SMTP relay as the account, which has no "
                        "read-only check, so it is not looked up")
            access.capabilities = {"write"}
        return access

    def lookup(self, token: Token, http: ProviderHTTP, offline: Access) -> Access:
        access = offline
        if token.kind == "smtp_key":
            return access
        resp = http.get(ACCOUNT, headers={"api-key": token.secret})
        detail = refusal_detail(resp)
        ip_block = resp.status_code == 401 and detail is not None and bool(_IP_BLOCK.search(detail))
        if not http.settle(access, resp, ACCOUNT, detail=detail,
                           forbidden={401} if ip_block else None, dead=set() if ip_block else None,
                           why={401: ("live, but Brevo blocks it from this IP address (authorized IPs); "
                                      "Brevo emails the account owner about the attempt") if ip_block
                                else "invalid or revoked"}):
            if ip_block:
                access.facts["ip_restricted"] = True
            return access
        body = json_object(resp)
        email = body.get("email") if isinstance(body.get("email"), str) else None
        company = body.get("companyName") if isinstance(body.get("companyName"), str) else None
        if email or company:
            access.identity = " / ".join(x for x in (company, email) if x)
        for key in ("organization_id", "user_id"):
            if isinstance(body.get(key), (str, int)):
                access.facts[key] = body[key]
        plans = [p for p in body.get("plan") or [] if isinstance(p, dict)]
        types = sorted({str(p["type"]) for p in plans if isinstance(p.get("type"), str)})
        if types:
            access.facts["plan"] = types
        access.reach = "account"
        access.capabilities = {"read", "write", "delete", "admin"}
        access.note("a v3 API key has no scopes: every API call on the account, from contacts and "
                    "campaigns to senders, webhooks and users")
        access.note("can send mail and campaigns to the account's contacts as its verified senders")
        if body.get("enterprise") is True:
            access.facts["enterprise"] = True
            access.reach = "organization"
            access.note("an Enterprise account: the corporate API reaches its sub-accounts")
        return access


detector = BrevoDetector()
