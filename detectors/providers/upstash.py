"""Upstash Redis REST tokens and QStash tokens.

Formats: ``detectors/rules/upstash.toml`` (Redis REST tokens named Upstash in their assignment,
QStash tokens, QStash signing keys).

A REST token works only on its own database's REST URL, ``https://<name>.upstash.io``
(``UPSTASH_REDIS_REST_URL``), so it is looked up only when that URL is bound to it (the same line,
or assigned in the same configuration block) and its host ends with ``.upstash.io``.

Lookup, ``Authorization: Bearer`` (Upstash's REST API, upstash.com/docs/redis/features/restapi: a
command is the path, ``GET /<command>/<arg>…``, answered ``{"result": …}`` or ``{"error": …}``):
``GET /acl/whoami`` names the user the token acts as (``ACL WHOAMI``): ``default`` for the database's
standard token, ``default_ro`` for its read-only token
(upstash.com/docs/redis/troubleshooting/readonly_connection), another name for a token made for an
ACL user (``ACL RESTTOKEN``). ``GET /dbsize`` then counts the keys it reaches. A wrong token gets 401
``WRONGPASS invalid or missing auth token`` (upstash.com/docs/redis/troubleshooting/http_unauthorized);
a command the user may not run gets ``NOPERM``. Both are read-only commands.

A QStash token (base64 of ``{"UserID", "Password"}``) reaches the account's whole QStash: it
publishes messages to any URL, manages schedules, queues and URL groups, and reads the signing keys
with which the account's endpoints verify QStash's requests. Lookup: ``GET /v2/schedules`` ("List
schedules", upstash.com/docs/qstash/api-reference/schedules/list-schedules: an array), on the
``QSTASH_URL`` bound to the token when there is one (a host under ``.upstash.io``), else on
``qstash.upstash.io`` and then the US region's ``qstash-us-east-1.upstash.io``: a token is revoked
only when every region refuses it. QStash signing keys are not looked up (no API takes them).
"""

from __future__ import annotations

from typing import Any

from tokenreach.detectors.base import Detector, LookupUnavailable
from tokenreach.detectors.http import ProviderHTTP, json_object, json_of
from tokenreach.detectors.rule_files import builtin, rules_for
from tokenreach.scanner.model import Access, Token

PATTERNS = rules_for("upstash")
_SPEC = builtin("upstash")

WHOAMI = "/acl/whoami"
DBSIZE = "/dbsize"


def _body(resp: Any) -> dict[str, Any]:
    try:
        return json_object(resp)
    except LookupUnavailable:
        return {}


class UpstashDetector(Detector):
    provider = "upstash"
    title = _SPEC.name
    patterns = PATTERNS
    api_url = None  # every database has its own host
    host_suffixes = (".upstash.io",)
    request_budget = 40
    revoke_url = _SPEC.revoke_url
    least_privilege = _SPEC.least_privilege
    context_patterns = {
        "host": r"(?i)https://([a-z0-9][a-z0-9-]{0,62}\.upstash\.io)(?![\w.-])",
        "qstash_host": r"(?i)https://(qstash(?:-[a-z0-9-]{1,40})?\.upstash\.io)(?![\w.-])",
    }
    bound_context = frozenset({"host", "qstash_host"})

    def classify(self, token: Token) -> Access:
        access = super().classify(token)
        if token.kind == "qstash_signing_key":
            access.facts["skip_lookup"] = True
            access.note("a QStash signing key: verifies QStash's requests, no API takes it, not looked up")
        elif token.kind == "redis_rest_token" and not token.context.get("host"):
            access.facts["skip_lookup"] = True
            access.note("not looked up: no Upstash REST URL (UPSTASH_REDIS_REST_URL) is bound to the token")
        return access

    def lookup(self, token: Token, http: ProviderHTTP, offline: Access) -> Access:
        access = offline
        if token.kind == "qstash_token":
            return _qstash(token, http, access)
        host = (token.context.get("host") or "").lower()
        if token.kind != "redis_rest_token" or not host:
            return access
        headers = {"Authorization": f"Bearer {token.secret}"}
        resp = http.get(WHOAMI, host=host, headers=headers)
        error = str(_body(resp).get("error") or "")
        noperm = error.startswith("NOPERM")
        if not http.settle(access, resp, f"ACL WHOAMI on {host}", detail=f"({error[:80]})" if error else None,
                           forbidden={resp.status_code} if noperm else None,
                           why={resp.status_code: "live, but its user may not run ACL WHOAMI"} if noperm else None):
            if not noperm:
                return access
            user = None
        else:
            user = _body(resp).get("result")
            if not isinstance(user, str):  # a proxy's page, not Upstash's answer
                return access.unknown("ACL WHOAMI answered 200 without a result")
        access.identity = f"user {user} on {host}" if isinstance(user, str) else f"database {host}"
        access.reach = "resource"
        access.add_resources([f"database {host}"])
        if user == "default_ro":
            access.capabilities = {"read"}
            access.grants = ["default_ro"]
            access.note("the database's read-only token (user default_ro)")
        elif user == "default":
            access.capabilities = {"read", "write", "delete"}
            access.grants = ["default"]
            access.note("the database's standard token (user default): can read, overwrite and flush every key")
        else:
            access.capabilities = {"read", "write", "delete"}
            access.facts["capabilities_upper_bound"] = True
            if isinstance(user, str):
                access.grants = [user]
            access.note("a token of an ACL user: its rights are that user's ACL, at most the standard token's")
        _dbsize(access, http, host, headers)
        return access


QSTASH_HOSTS = ("qstash.upstash.io", "qstash-us-east-1.upstash.io")
SCHEDULES = "/v2/schedules"


def _qstash(token: Token, http: ProviderHTTP, access: Access) -> Access:
    bound = (token.context.get("qstash_host") or "").lower()
    hosts = [bound] if bound else list(QSTASH_HOSTS)
    headers = {"Authorization": f"Bearer {token.secret}"}
    why = {401: "invalid or rotated" + ("" if bound else " (refused by every QStash region)")}
    for n, host in enumerate(hosts, 1):
        resp = http.get(SCHEDULES, host=host, headers=headers)
        if resp.status_code == 401 and n < len(hosts):
            continue  # a token of another region: ask there
        if not http.settle(access, resp, f"{SCHEDULES} on {host}", why=why):
            return access
        schedules = _json_list(resp)
        if schedules is None:  # a proxy's page, not QStash's answer
            return access.unknown(f"{SCHEDULES} answered 200 without a schedule list")
        access.identity = f"QStash on {host}"
        access.reach = "account"
        access.capabilities = {"read", "write", "delete", "secrets"}
        access.facts["schedules"] = len(schedules)
        access.note(f"{len(schedules)} schedule(s); can publish messages to any URL, delete schedules and "
                    "queues, and read the signing keys that let anyone forge QStash's requests to the "
                    "account's endpoints")
        return access
    return access


def _json_list(resp: Any) -> list[Any] | None:
    try:
        body = json_of(resp)
    except LookupUnavailable:
        return None
    return body if isinstance(body, list) else None


def _dbsize(access: Access, http: ProviderHTTP, host: str, headers: dict[str, str]) -> None:
    try:
        resp = http.get(DBSIZE, host=host, headers=headers)
    except LookupUnavailable as exc:
        access.note(f"keys not counted: {exc}")
        return
    size = _body(resp).get("result")
    if resp.status_code == 200 and isinstance(size, int):
        access.facts["keys"] = size
        access.note(f"the database holds {size} key(s)")


detector = UpstashDetector()
