"""Notion integration tokens (internal integration secrets and OAuth access tokens).

Formats: ``detectors/rules/notion.toml`` (``ntn_`` + 46, legacy ``secret_`` + 43). Facts from
Notion's own API reference:

- ``GET https://api.notion.com/v1/users/me`` ("Retrieve your token's bot user",
  developers.notion.com/reference/get-self; changelog "Retrieve information about your token"):
  the bot user, ``bot.owner`` (``{"type": "workspace", "workspace": true}`` for an internal
  integration, ``{"type": "user", "user": {...}}`` for a public one) and ``bot.workspace_name``.
  Every request carries ``Notion-Version`` (developers.notion.com/reference/versioning).
- Status codes (developers.notion.com/reference/status-codes): 401 ``unauthorized`` "The bearer
  token is not valid"; 403 ``restricted_resource`` "Given the bearer token used, the client doesn't
  have permission to perform this operation"; 429 ``rate_limited``; 5xx. Errors are
  ``{"object": "error", "status", "code", "message"}``.
- Capabilities (developers.notion.com/reference/capabilities): read content, update content,
  insert content, read/insert comments, and user information (none / without / with email). An
  endpoint the integration lacks the capability for answers 403. The API has no field that lists
  a token's capabilities, so they are probed with reads only: ``POST /v1/search`` (documented as a
  search by title over what is shared with the integration; it changes nothing, developers.notion.
  com/reference/post-search) needs read content, and ``GET /v1/users`` (developers.notion.com/
  reference/get-users) needs user information; ``person.email`` in its answer shows the "with email
  addresses" level. Update and insert content cannot be read without writing: they stay an upper
  bound, said so in a note.
"""

from __future__ import annotations

from typing import Any

from tokenreach.detectors.base import Detector, LookupUnavailable
from tokenreach.detectors.http import ProviderHTTP, json_object
from tokenreach.detectors.rule_files import rules_for
from tokenreach.scanner.model import Access, Token

PATTERNS = rules_for("notion")

def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


NOTION_VERSION = "2022-06-28"
_RESTRICTED = "restricted_resource"


class NotionDetector(Detector):
    provider = "notion"
    title = "Notion"
    patterns = PATTERNS
    api_url = "https://api.notion.com"
    hosts = ("api.notion.com",)
    request_budget = 90  # three reads per token
    revoke_url = "https://www.notion.so/profile/integrations"
    least_privilege = ("create an internal integration with only the read-content capability and share "
                       "only the pages it needs with it")

    def lookup(self, token: Token, http: ProviderHTTP, offline: Access) -> Access:
        access = offline
        headers = {"Authorization": f"Bearer {token.secret}", "Notion-Version": NOTION_VERSION}
        resp = http.get("/v1/users/me", headers=headers)
        code = _code(resp)
        if not http.settle(access, resp, "/v1/users/me", forbidden={403} if code == _RESTRICTED else (),
                           detail=f"({code})" if code else None):
            return access
        me = json_object(resp)
        bot = me.get("bot")
        if me.get("type") != "bot" or not isinstance(bot, dict):
            return access.unknown("/v1/users/me answered 200 without a bot user")
        _identity(access, me, bot)
        access.reach = "project"
        access.note("an integration reaches only the pages and databases shared with it (and their "
                    "children) in one workspace")
        read = _search(access, http, headers)
        _users(access, http, headers)
        # Update/insert content: no read-only way to tell, so the owner may have granted them.
        access.capabilities.update({"write", "delete"})
        access.facts["capabilities_upper_bound"] = True
        access.note("Notion exposes no field for an integration's content capabilities: update and "
                    "insert content (write, and archive/delete blocks) are assumed"
                    + ("" if read else "; read content is not granted"))
        return access


def _code(resp: Any) -> str | None:
    """Notion's error ``code`` ("unauthorized", "restricted_resource"), None for a 2xx or no body."""
    if 200 <= resp.status_code < 300:
        return None
    try:
        code = json_object(resp).get("code")
    except LookupUnavailable:
        return None
    return code if isinstance(code, str) and code.isidentifier() else None


def _identity(access: Access, me: dict[str, Any], bot: dict[str, Any]) -> None:
    name = str(me.get("name") or me.get("id") or "unnamed integration")
    workspace = bot.get("workspace_name")
    access.identity = f"integration {name}" + (f" in workspace {workspace}" if isinstance(workspace, str) else "")
    if isinstance(workspace, str):
        access.facts["workspace"] = workspace
    owner = bot.get("owner")
    owner = owner if isinstance(owner, dict) else {}
    if owner.get("type") == "workspace":
        access.facts["integration"] = "internal"
        access.note("bot owner is the workspace: an internal integration secret")
    elif owner.get("type") == "user":
        access.facts["integration"] = "public"
        user = _dict(owner.get("user"))
        person = _dict(user.get("person"))
        who = person.get("email") or user.get("name")
        access.note(f"bot owner is a user{f' ({who})' if who else ''}: an OAuth access token of a public "
                    "integration, acting with what that user shared")


def _search(access: Access, http: ProviderHTTP, headers: dict[str, str]) -> bool:
    """What the integration can read: True when it has the read-content capability."""
    try:
        resp = http.post_readonly(
            "/v1/search", headers=headers, json_body={"page_size": 100},
            why="Notion documents POST /v1/search as a search by title over shared pages; it changes nothing",
        )
    except LookupUnavailable as exc:
        access.note(f"pages not listed: {exc}")
        return False
    if resp.status_code == 403 and _code(resp) == _RESTRICTED:
        access.note("/v1/search answered 403 (restricted_resource): no read-content capability")
        return False
    try:
        body = json_object(resp) if resp.status_code == 200 else None
    except LookupUnavailable as exc:
        access.note(f"pages not listed: {exc}")
        return False
    results = body.get("results") if body else None
    if not isinstance(results, list):
        access.note(f"/v1/search answered HTTP {resp.status_code}: shared pages unknown")
        return False
    access.capabilities.add("read")
    access.grants.append("read content")
    names = [_title(o) for o in results if isinstance(o, dict)]
    more = body.get("has_more") is True if body else False
    access.add_resources(names, len(names))
    access.note(f"/v1/search: {len(names)} page(s) and database(s) shared with it"
                + (" on the first page; there are more" if more else ""))
    return True


def _title(obj: dict[str, Any]) -> str:
    """"page <title>" / "database <title>"; the id when the title is not readable."""
    kind = obj.get("object") if obj.get("object") in ("page", "database") else "object"
    rich: Any = obj.get("title")  # a database's title
    if rich is None:
        props = obj.get("properties")
        for prop in (props.values() if isinstance(props, dict) else ()):
            if isinstance(prop, dict) and prop.get("type") == "title":
                rich = prop.get("title")
                break
    text = "".join(str(r.get("plain_text", "")) for r in rich if isinstance(r, dict)) if isinstance(rich, list) else ""
    return f"{kind} {text[:80] or obj.get('id') or '?'}"


def _users(access: Access, http: ProviderHTTP, headers: dict[str, str]) -> None:
    """The user-information capability: GET /v1/users answers 403 without it."""
    try:
        resp = http.get("/v1/users", headers=headers, params={"page_size": 100})
    except LookupUnavailable as exc:
        access.note(f"users not listed: {exc}")
        return
    if resp.status_code == 403 and _code(resp) == _RESTRICTED:
        access.note("/v1/users answered 403 (restricted_resource): no user-information capability")
        return
    try:
        body = json_object(resp) if resp.status_code == 200 else None
    except LookupUnavailable as exc:
        access.note(f"users not listed: {exc}")
        return
    results = body.get("results") if body else None
    if not isinstance(results, list):
        access.note(f"/v1/users answered HTTP {resp.status_code}: user information unknown")
        return
    people = [u for u in results if isinstance(u, dict) and u.get("type") == "person"]
    emails = any(isinstance(u.get("person"), dict) and u["person"].get("email") for u in people)
    access.grants.append("read user information" + (" including email addresses" if emails else ""))
    access.capabilities.add("read")
    access.facts["workspace_members"] = len(people)
    access.note(f"/v1/users lists {len(people)} workspace member(s)"
                + (" with their email addresses" if emails else ""))


detector = NotionDetector()
