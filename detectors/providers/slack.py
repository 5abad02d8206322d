"""Slack tokens and incoming webhooks.

Formats (providers.md B.7; "Tokens", docs.slack.dev/authentication/tokens; "Using token rotation",
docs.slack.dev/authentication/using-token-rotation; api.slack.com/methods/tooling.tokens.rotate for
``xoxe.xoxp-`` and ``xoxe-``; lengths and digit groups are not documented by Slack, and are the
shapes its tokens have in public code): ``xoxb-`` bot, ``xoxp-`` user, ``xapp-`` app-level,
``xoxe.xoxb-``/``xoxe.xoxp-`` rotating access or app configuration tokens, ``xoxe-``/``xoxr-``
refresh tokens, ``xoxa-``/``xoxo-``/``xoxs-`` legacy tokens, ``xoxc-`` browser session tokens, and
``hooks.slack.com`` webhook URLs.

One read-only call, ``POST https://slack.com/api/auth.test`` (docs.slack.dev/reference/methods/
auth.test; providers.md A.1 lists it as an allowed POST), names the principal; its
``X-OAuth-Scopes`` header lists the token's scopes. Slack answers HTTP 200 even for a bad token:
the body's ``ok`` and ``error`` decide. Refresh tokens are never redeemed and webhooks never posted
to (either would change state), so both are reported from their format alone.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any

from tokenreach.detectors.base import Detector
from tokenreach.detectors.http import ProviderHTTP, json_object
from tokenreach.detectors.rule_files import rules_for
from tokenreach.scanner.model import Access, Capability, Token

PATTERNS = rules_for("slack")

# Errors that mean the token itself is dead (auth.test docs). Everything else is unknown.
_DEAD = {
    "invalid_auth": "invalid or revoked",
    "token_revoked": "revoked",
    "token_expired": "expired",
    "account_inactive": "its user or bot was deactivated",
}
_HISTORY = frozenset({"channels:history", "groups:history", "im:history", "mpim:history"})
# Scopes that destroy others' data. (chat:write only deletes the token's own messages.)
_DELETES = frozenset({"files:write"})
# Legacy (pre-granular) scopes.
_LEGACY: dict[str, tuple[Capability, ...]] = {
    "client": ("read", "write", "delete"),
    "bot": ("read", "write"),
    "read": ("read",),
    "post": ("write",),
    "incoming-webhook": ("write",),
    "identify": (),
}


def scope_capabilities(scopes: list[str]) -> set[Capability]:
    """Our capabilities from Slack scope names (``chat:write``, ``admin.users:write`` …)."""
    caps: set[Capability] = set()
    for scope in scopes:
        if scope in _LEGACY:
            caps.update(_LEGACY[scope])
            continue
        resource, _, action = scope.partition(":")
        admin = resource == "admin" or resource.startswith("admin.")
        if admin:
            caps.add("admin")
        if "billing" in resource:
            caps.add("billing")
        if action.startswith(("read", "history")):
            caps.add("read")
        if action.startswith(("write", "manage")):
            caps.add("write")
            if admin or scope in _DELETES:
                caps.add("delete")
    return caps


class SlackDetector(Detector):
    provider = "slack"
    title = "Slack"
    patterns = PATTERNS
    api_url = "https://slack.com"
    hosts = ("slack.com",)
    request_budget = 100  # auth.test is a special tier: hundreds per minute
    revoke_url = "https://api.slack.com/apps"
    # auth.test answers every token with 200 and says in ``ok``/``error`` whether it is dead.
    dead_statuses = frozenset()
    least_privilege = (
        "reinstall the app with only the scopes it uses (e.g. chat:write to one channel), or use an "
        "incoming webhook for posting"
    )

    # Offline -----------------------------------------------------------------------------------

    def classify(self, token: Token) -> Access:
        access = Access(evidence="prefix")
        kind = token.kind or "bot_token"
        access.facts["token_type"] = kind
        if kind == "bot_token":
            access.note("xoxb- bot token: acts as an app's bot user in one workspace")
        elif kind == "user_token":
            access.note("xoxp- user token: acts as the person who installed the app")
        elif kind == "app_token":
            app_id = token.extras.get("app_id")
            if app_id:
                access.facts["app_id"] = app_id
            access.note("xapp- app-level token: Socket Mode and app APIs across every install of one app")
        elif kind == "rotating_token":
            inner = "user" if token.secret.startswith("xoxe.xoxp-") else "bot"
            access.facts["acts_as"] = inner
            access.note(f"xoxe.xox{inner[0]}- token: a rotating {inner} access token (12 h) or an app "
                        "configuration token that can create and change apps")
        elif kind == "refresh_token":
            access.note("refresh token: redeeming it would rotate the token and revoke the old one, "
                        "so it is never looked up; whoever holds it can mint new access tokens")
        elif kind == "legacy_token":
            access.note("legacy Slack token (xoxa-/xoxo-/xoxs-): pre-granular scopes, often broad")
        elif kind == "session_token":
            access.note("xoxc- browser session token: acts as the signed-in person, but only together "
                        "with their `d` cookie, so a lookup without it cannot tell")
        elif kind == "webhook":
            access.reach = "resource"
            access.capabilities = {"write"}
            team = token.extras.get("team_id")
            if team:
                access.facts["team_id"] = team
            access.note("incoming webhook: posts messages to one channel; checking it would post one, "
                        "so it is never verified")
        return access

    # Online ------------------------------------------------------------------------------------

    def lookup(self, token: Token, http: ProviderHTTP, offline: Access) -> Access:
        resp = http.post_readonly(
            "/api/auth.test",
            why="Slack documents auth.test as a read-only identity check (providers.md A.1)",
            headers={"Authorization": f"Bearer {token.secret}"},
        )
        access = offline
        if not http.settle(access, resp, "auth.test"):
            return access
        body = json_object(resp)
        ok = body.get("ok")
        if ok is not True:
            error = str(body.get("error") or "")
            if not re.fullmatch(r"[a-z_.]{1,60}", error):  # Slack error codes only, never free text
                error = "unrecognised" if error else ""
            if error == "invalid_auth" and token.kind == "rotating_token":
                # App configuration tokens are meant for the App Manifest APIs only; whether
                # auth.test accepts them is undocumented, so its refusal proves nothing.
                return access.unknown("auth.test answered invalid_auth, which does not prove an app "
                                      "configuration token dead")
            if ok is False and error in _DEAD:
                access.live = False
                access.evidence = "api"
                return access.note(f"auth.test answered {error}: the token is {_DEAD[error]}")
            return access.unknown(f"auth.test answered ok={ok} error={error or 'none'}")

        header = resp.headers.get("X-OAuth-Scopes")
        scopes = [s.strip() for s in (header or "").split(",") if s.strip()]
        access.grants = scopes
        _identity(access, body)
        if header is None:
            access.note("auth.test sent no X-OAuth-Scopes header: scopes unknown")
        else:
            access.capabilities = scope_capabilities(scopes)
            _judge_scopes(access, scopes)
        if body.get("is_enterprise_install") is True:
            access.reach = "organization"
            access.note("installed on an Enterprise Grid organization: every workspace in it")
        elif scopes and set(scopes) <= {"incoming-webhook", "identify"}:
            access.reach = "resource"
        else:
            access.reach = "account"
        expires_in = body.get("expires_in")
        if isinstance(expires_in, int) and not isinstance(expires_in, bool) and expires_in > 0:
            when = datetime.now(timezone.utc) + timedelta(seconds=expires_in)
            access.expires_at = when.replace(microsecond=0).isoformat().replace("+00:00", "Z")
            access.note(f"rotating token: expires in {expires_in // 60} minutes")
        return access


def _identity(access: Access, body: dict[str, Any]) -> None:
    team = body.get("team") or body.get("team_id")
    who = body.get("user") or body.get("app_name") or body.get("app_id") or body.get("user_id")
    if body.get("bot_id"):
        access.facts["bot_id"] = str(body["bot_id"])
        who = f"{who} (bot)" if who else "bot"
    access.identity = f"{who} in {team}" if who and team else str(who or team or "unknown")
    for key in ("team_id", "user_id", "enterprise_id", "app_id", "url"):
        if body.get(key):
            access.facts[key] = str(body[key])
    if team:
        access.add_resources([f"workspace {team}"])


def _judge_scopes(access: Access, scopes: list[str]) -> None:
    """Notes for the scope combinations providers.md B.7 calls critical or high."""
    have = set(scopes)
    if have & _HISTORY and "files:read" in have:
        access.facts["message_exfiltration"] = True
        access.note("reads message history and files: enough to copy conversations and shared files")
    if any(s == "admin" or s.startswith("admin.") for s in have):
        access.note("holds admin scopes: can manage users, channels or apps of the workspace")
    if {"chat:write", "chat:write.public"} <= have:
        access.note("can post in any public channel as the app (impersonation, phishing)")
    if "users:read.email" in have:
        access.facts["reads_personal_data"] = True
        access.note("can read every member's email address")


detector = SlackDetector()
