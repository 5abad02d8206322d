"""Remote repositories of a sweep: list a GitHub organisation or user and a GitLab group through
their REST APIs, and keep a bare mirror of each in a clone folder.

The listing goes through detectors/http.py (the one way to the network: deadline, retries, no
redirect followed with a token, the operator's base URL from TOKENREACH_GITHUB_API_URL /
TOKENREACH_GITLAB_API_URL). The credential comes from GITHUB_TOKEN / GITLAB_TOKEN (or the
TOKENREACH_… variables) and reaches git only through the environment: a credential helper,
configured with GIT_CONFIG_COUNT and scoped to the API's own host, prints it from an environment
variable of that git process. It is never in a URL, on argv, in the mirror's config, or scanned.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from tokenreach.scanner.errors import ScanError
from tokenreach.scanner.sources import git
from tokenreach.scanner.sweep import Outcome, Target, unique_targets

PER_PAGE = 100
MAX_PAGES = 1000  # 100,000 repositories: a listing that goes on past this is a broken server
LIST_TIMEOUT = 120.0  # seconds for the whole listing
CLONE_TIMEOUT = 3600.0  # one clone or fetch
# The variable of the git process that the credential helper prints; set on that process only.
SECRET_VAR = "TOKENREACH_GIT_PASSWORD"
# GitHub and GitLab both take a token as the password of HTTPS git; the user name is a label.
GIT_USER = {"github": "x-access-token", "gitlab": "oauth2"}


@dataclass(frozen=True)
class Remote:
    """A repository to clone: ``name`` (owner/name), its clone URL, and which API listed it."""

    name: str
    url: str
    provider: str | None = None  # "github" / "gitlab": whose credential may go with it


def credential(provider: str, environ: Mapping[str, str] | None = None) -> str | None:
    env = os.environ if environ is None else environ
    up = provider.upper()
    return env.get(f"TOKENREACH_{up}_TOKEN") or env.get(f"{up}_TOKEN") or None


# Listing --------------------------------------------------------------------------------------


class _Api:
    """Paged GETs on one provider's API, through its lookup session (budget lifted: a listing of
    many pages is one operator-requested walk, not a token lookup)."""

    def __init__(self, provider: str, token: str | None, environ: Mapping[str, str] | None = None) -> None:
        import httpx

        from tokenreach.detectors.http import ProviderSession, tls_context
        from tokenreach.detectors.registry import detector

        det = detector(provider)
        if det is None:
            raise ScanError(f"no {provider} detector installed")
        self.client = httpx.Client(verify=tls_context(), follow_redirects=False, trust_env=False)
        try:
            self.session = ProviderSession(det, client=self.client, deadline=time.monotonic() + LIST_TIMEOUT,
                                           timeout=30.0, environ=environ)
        except ValueError as exc:  # an unusable TOKENREACH_…_API_URL
            raise ScanError(str(exc)) from None
        self.session.budget = MAX_PAGES + 10
        self.http = self.session.http(token or "")
        self.title = det.title

    @property
    def host(self) -> str:
        return urlsplit(self.http.url("/")).netloc

    def get(self, path: str, params: Mapping[str, Any], headers: Mapping[str, str]) -> Any:
        from tokenreach.detectors.http import LookupUnavailable, json_of

        try:
            resp = self.http.get(path, params=params, headers=headers)
        except LookupUnavailable as exc:
            raise ScanError(f"listing {self.title} repositories: {exc}") from None
        if resp.status_code in (401, 403, 404):
            raise ScanError(f"listing {self.title} repositories: {path} answered {resp.status_code} "
                            "(no such owner, or the token may not see it)")
        if resp.status_code != 200:
            raise ScanError(f"listing {self.title} repositories: {path} answered {resp.status_code}")
        try:
            return json_of(resp), resp.headers
        except ValueError:
            raise ScanError(f"listing {self.title} repositories: {path} did not answer JSON") from None

    def close(self) -> None:
        self.client.close()


def github_repositories(owner: str, *, user: bool = False, forks: bool = False, archived: bool = False,
                        environ: Mapping[str, str] | None = None) -> list[Remote]:
    """Every repository of an organisation (``/orgs/ORG/repos?type=all``: the private ones the
    token can see among them) or of a user (``/user/repos`` when the token is that user's, for
    the private ones, else ``/users/USER/repos``), page by page."""
    _check_name(owner, "--github-user" if user else "--github-org")
    token = credential("github", environ)
    api = _Api("github", token, environ)
    headers = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28",
               **({"Authorization": f"Bearer {token}"} if token else {})}
    try:
        path, params = f"/orgs/{quote(owner)}/repos", {"type": "all"}
        if user:
            path, params = f"/users/{quote(owner)}/repos", {"type": "owner"}
            if token:
                me, _ = api.get("/user", {}, headers)
                if isinstance(me, dict) and str(me.get("login", "")).lower() == owner.lower():
                    path, params = "/user/repos", {"affiliation": "owner", "visibility": "all"}
        return _remotes(_pages(api, path, params, headers, next_page=_github_next), "github", "full_name",
                        "clone_url", lambda item: (bool(item.get("fork")) and not forks)
                        or (bool(item.get("archived")) and not archived))
    finally:
        api.close()


def gitlab_repositories(group: str, *, forks: bool = False, archived: bool = False,
                        environ: Mapping[str, str] | None = None) -> list[Remote]:
    """Every project of a group and its subgroups (``/api/v4/groups/ID/projects``)."""
    _check_name(group, "--gitlab-group")
    token = credential("gitlab", environ)
    api = _Api("gitlab", token, environ)
    headers = {"PRIVATE-TOKEN": token} if token else {}
    params: dict[str, Any] = {"include_subgroups": "true", "order_by": "id", "sort": "asc"}
    if not archived:
        params["archived"] = "false"
    try:
        items = _pages(api, f"/api/v4/groups/{quote(group, safe='')}/projects", params, headers,
                       next_page=_gitlab_next)
        return _remotes(items, "gitlab", "path_with_namespace", "http_url_to_repo",
                        lambda item: bool(item.get("forked_from_project")) and not forks)
    finally:
        api.close()


def _remotes(items: Iterable[Any], forge: str, name_key: str, url_key: str,
             skip: Callable[[dict[str, Any]], bool]) -> list[Remote]:
    """The repositories of a listing: each item an object with a string name and clone URL,
    except those ``skip`` leaves out (forks, archived ones)."""
    out = []
    for item in items:
        if isinstance(item, dict) and not skip(item):
            name, url = item.get(name_key), item.get(url_key)
            if isinstance(name, str) and isinstance(url, str):
                out.append(Remote(name, url, forge))
    return out


def _check_name(name: str, flag: str) -> None:
    if not re.fullmatch(r"[A-Za-z0-9_.][A-Za-z0-9_./-]{0,254}", name) or ".." in name:
        raise ScanError(f"{flag}: {name!r} is not an owner or group name")


def _pages(api: _Api, path: str, params: Mapping[str, Any], headers: Mapping[str, str],
           next_page: Any) -> Iterator[Any]:
    page = 1
    for _ in range(MAX_PAGES):
        body, resp_headers = api.get(path, {**params, "per_page": PER_PAGE, "page": page}, headers)
        if not isinstance(body, list):
            raise ScanError(f"listing {api.title} repositories: {path} did not answer a list")
        yield from body
        following = next_page(resp_headers, page, len(body))
        if following is None:
            return
        page = following
    raise ScanError(f"listing {api.title} repositories: more than {MAX_PAGES} pages")


def _github_next(headers: Mapping[str, str], page: int, n: int) -> int | None:
    # The Link header names the next page (docs: "Using pagination in the REST API").
    for part in (headers.get("link") or "").split(","):
        if 'rel="next"' in part:
            m = re.search(r"[?&]page=(\d+)", part)
            return int(m.group(1)) if m and int(m.group(1)) > page else None
    return None


def _gitlab_next(headers: Mapping[str, str], page: int, n: int) -> int | None:
    value = (headers.get("x-next-page") or "").strip()  # empty on the last page
    return int(value) if value.isdigit() and int(value) > page else None


# Cloning --------------------------------------------------------------------------------------


def mirror_path(clone_dir: Path, remote: Remote) -> Path:
    """A stable folder per URL: the next run finds it and fetches instead of cloning."""
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", remote.name)[:80].strip("._") or "repo"
    digest = hashlib.sha256(remote.url.encode()).hexdigest()[:10]
    return clone_dir / f"{safe}-{digest}.git"


def git_environment(remote: Remote, environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """git's environment for one clone or fetch: the scanner's safe one, and when a credential
    belongs with this URL's host, a helper scoped to that host that prints it from SECRET_VAR."""
    env = git.git_env()
    token = credential(remote.provider, environ) if remote.provider else None
    parts = urlsplit(remote.url)
    if token and parts.scheme == "https" and parts.hostname and _same_host(remote, environ):
        user = GIT_USER.get(remote.provider or "", "x-access-token")
        env.update({
            "GIT_CONFIG_COUNT": "2",
            # An empty value clears the helpers configured before, then ours, for this host only.
            "GIT_CONFIG_KEY_0": f"credential.https://{parts.netloc}.helper", "GIT_CONFIG_VALUE_0": "",
            "GIT_CONFIG_KEY_1": f"credential.https://{parts.netloc}.helper",
            "GIT_CONFIG_VALUE_1": (f"!f() {{ test \"$1\" = get && echo username={user} && "
                                   f"echo \"password=${SECRET_VAR}\"; }}; f"),
            SECRET_VAR: token,
        })
    return env


def _same_host(remote: Remote, environ: Mapping[str, str] | None) -> bool:
    """The credential goes only to the host of the API that listed the repository (github.com
    for api.github.com, the GitHub Enterprise or GitLab host itself otherwise)."""
    from tokenreach.detectors.http import override_url
    from tokenreach.detectors.registry import detector

    assert remote.provider is not None
    det = detector(remote.provider)
    base = override_url(remote.provider, environ) or (det.api_url if det else "")
    api_host = (urlsplit(base).hostname or "").lower()
    host = (urlsplit(remote.url).hostname or "").lower()
    return host == api_host or (api_host == "api.github.com" and host == "github.com")


# -c settings for clone and fetch: the scanner's safe ones, but with the protocols a clone needs and
# without the empty credential.helper (a -c value would override the environment's helper).
def _clone_options() -> list[str]:
    out = []
    for item in git._SAFE_CONFIG:
        if item.startswith(("credential.helper=", "protocol.allow=")):
            continue
        out += ["-c", item]
    out += ["-c", "protocol.allow=never", "-c", "protocol.https.allow=always",
            "-c", "protocol.http.allow=always", "-c", "protocol.file.allow=always"]
    return out


def _run_git(argv: list[str], env: dict[str, str]) -> None:
    try:
        proc = subprocess.run(argv, env=env, capture_output=True, stdin=subprocess.DEVNULL, timeout=CLONE_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise git.GitError(f"git {argv[-3] if len(argv) > 3 else ''} timed out") from None
    if proc.returncode != 0:
        line = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise git.GitError(line[-1] if line else f"git failed ({proc.returncode})")


def mirror(remote: Remote, clone_dir: Path, environ: Mapping[str, str] | None = None) -> Path:
    """A bare mirror of ``remote`` in ``clone_dir``: cloned the first time, fetched after."""
    scheme = urlsplit(remote.url).scheme
    if scheme not in ("https", "http", "file"):
        raise git.GitError(f"{remote.name}: only https and file:// clone URLs are supported, not {scheme or 'ssh'}")
    dest = mirror_path(clone_dir, remote)
    env = git_environment(remote, environ)
    if (dest / "HEAD").is_file():
        _run_git(["git", "--git-dir", str(dest), *_clone_options(), "fetch", "--prune", "--quiet", "origin"], env)
    else:
        partial = dest.with_name(dest.name + ".partial")
        if partial.exists():
            import shutil

            shutil.rmtree(partial)
        _run_git(["git", *_clone_options(), "clone", "--mirror", "--quiet", "--", remote.url, str(partial)], env)
        partial.rename(dest)
    return dest


def mirror_all(remotes: Sequence[Remote], clone_dir: Path, environ: Mapping[str, str] | None = None,
               jobs: int = 4) -> tuple[list[Target], list[Outcome]]:
    """Mirror every remote (a few at a time: it is network-bound). A clone that fails is that
    repository's failure, reported with the others, never the sweep's end."""
    from concurrent.futures import ThreadPoolExecutor

    try:
        clone_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ScanError(f"--clone-dir {clone_dir}: cannot create ({exc.strerror or exc})") from None

    def one(r: Remote) -> tuple[Remote, Path | None, str | None]:
        try:
            return r, mirror(r, clone_dir, environ), None
        except (git.GitError, OSError) as exc:
            return r, None, f"not cloned: {exc}"

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        done = list(pool.map(one, remotes))
    targets = unique_targets(((p, r.name) for r, p, _ in done if p is not None), shorten=False)
    failed = [Outcome(Target(r.name, r.url), error=why) for r, p, why in done if p is None]
    return targets, failed


def remote_of_url(url: str, environ: Mapping[str, str] | None = None) -> Remote:
    """A clone URL from --repos: named owner/name from its path; a GitHub or GitLab credential
    goes with it only when its host is that API's host."""
    parts = urlsplit(url)
    if parts.username or parts.password:
        raise ScanError("--repos: a clone URL must not carry a user or password (use GITHUB_TOKEN / GITLAB_TOKEN)")
    name = parts.path.strip("/").removesuffix(".git") or parts.hostname or url
    for provider in ("github", "gitlab"):
        candidate = Remote(name, url, provider)
        if parts.scheme == "https" and _same_host(candidate, environ):
            return candidate
    return Remote(name, url)
