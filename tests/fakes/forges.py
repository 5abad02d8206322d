"""Fake repository listings of GitHub and GitLab, paged as their REST APIs document.

GitHub (docs.github.com, "List organization repositories", "List repositories for the
authenticated user", "Using pagination in the REST API"): ``per_page`` up to 100, ``page`` from 1,
a ``Link`` header with ``rel="next"`` while more pages remain; each repository has ``full_name``,
``clone_url``, ``fork``, ``archived`` and ``private``; private ones only to a token that sees them.
GitLab (docs.gitlab.com, "List a group's projects", "Pagination"): ``include_subgroups``,
``archived``, ``X-Next-Page`` (empty on the last page); ``path_with_namespace``,
``http_url_to_repo``, ``forked_from_project`` on forks.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tests.fakes.server import FakeServer, Reply, Request

LISTING_TOKEN = "ghp_" + "ListingOnlyFake0" * 2 + "abcd"  # never a real token's checksum
GITLAB_LISTING_TOKEN = "glpat-" + "ListingFake1234567890"


def _page(req: Request) -> tuple[int, int]:
    per = min(100, int((req.query.get("per_page") or ["30"])[0]))
    return int((req.query.get("page") or ["1"])[0]), per


def github(org: str, repos: Sequence[dict[str, Any]], user: str = "alice") -> FakeServer:
    """``repos``: {"name", "clone_url", "fork", "archived", "private"} of ``org``'s repositories."""
    fake = FakeServer()

    def visible(req: Request) -> list[dict[str, Any]]:
        authed = req.bearer() == LISTING_TOKEN
        return [{"full_name": f"{org}/{r['name']}", "name": r["name"], "clone_url": r["clone_url"],
                 "fork": r.get("fork", False), "archived": r.get("archived", False),
                 "private": r.get("private", False)} for r in repos if authed or not r.get("private")]

    def paged(req: Request, items: list[dict[str, Any]], path: str) -> Reply:
        page, per = _page(req)
        chunk = items[(page - 1) * per: page * per]
        headers = {}
        if page * per < len(items):
            headers["Link"] = f'<{fake.url}{path}?per_page={per}&page={page + 1}>; rel="next"'
        return Reply(200, chunk, headers=headers)

    @fake.route("GET", f"/orgs/{org}/repos")
    def org_repos(req: Request) -> Reply:
        if req.header("authorization") and req.bearer() != LISTING_TOKEN:
            return Reply(401, {"message": "Bad credentials"})
        return paged(req, visible(req), f"/orgs/{org}/repos")

    @fake.route("GET", "/user")
    def me(req: Request) -> Reply:
        if req.bearer() != LISTING_TOKEN:
            return Reply(401, {"message": "Bad credentials"})
        return Reply(200, {"login": user})

    @fake.route("GET", "/user/repos")
    def my_repos(req: Request) -> Reply:
        if req.bearer() != LISTING_TOKEN:
            return Reply(401, {"message": "Bad credentials"})
        return paged(req, visible(req), "/user/repos")

    return fake


def gitlab(group: str, projects: Sequence[dict[str, Any]]) -> FakeServer:
    """``projects``: {"path" (with subgroups), "clone_url", "fork", "archived"}."""
    fake = FakeServer()

    @fake.route("GET", rf"/api/v4/groups/{group}/projects")
    def group_projects(req: Request) -> Reply:
        if req.header("private-token") != GITLAB_LISTING_TOKEN:
            return Reply(401, {"message": "401 Unauthorized"})
        subgroups = (req.query.get("include_subgroups") or ["false"])[0] == "true"
        archived = (req.query.get("archived") or [None])[0]
        items = [p for p in projects
                 if (subgroups or p["path"].count("/") == 0)
                 and (archived is None or str(bool(p.get("archived"))).lower() == archived)]
        page, per = _page(req)
        chunk = items[(page - 1) * per: page * per]
        body = [{"path_with_namespace": f"{group}/{p['path']}", "http_url_to_repo": p["clone_url"],
                 "archived": bool(p.get("archived")),
                 **({"forked_from_project": {"id": 1}} if p.get("fork") else {})} for p in chunk]
        more = page * per < len(items)
        return Reply(200, body, headers={"X-Next-Page": str(page + 1) if more else "", "X-Page": str(page)})

    return fake
