"""Whether the Action uploads its SARIF report to code scanning (input ``sarif``: auto, true, false).

GitHub accepts a SARIF upload on a private repository only with code scanning enabled (GitHub
Advanced Security / Code Security), and never from a fork's pull request, whose token is
read-only: there the upload step fails the job, even with nothing found (issue 15, item 1). So
``auto`` uploads only where the upload can succeed — a public repository (the event payload's
``repository.private`` is false), or one whose API answers that code scanning is on — and
otherwise skips it with a notice, never a failure.

The API is asked once, read-only, with the job's own token (``GET
/repos/{owner}/{repo}/code-scanning/alerts?per_page=1``), at ``GITHUB_API_URL``, through the same
HTTP session as every lookup (timeouts, no redirects, no proxy from the environment).
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tokenreach.scanner.errors import ScanError

SETTINGS = ("auto", "true", "false")
CHECK_SECONDS = 10.0  # the whole check; the scan's verdict never waits longer on it
_REPO = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")
_BOOL = {"1": "true", "yes": "true", "on": "true", "0": "false", "no": "false", "off": "false"}


@dataclass(frozen=True)
class Decision:
    upload: bool
    why: str  # said as a ::notice:: when the upload is skipped


def setting(value: str | None) -> str:
    """The ``sarif`` input: auto (the default), true or false."""
    v = (value or "auto").strip().lower()
    v = _BOOL.get(v, v)
    if v not in SETTINGS:
        raise ScanError(f"--sarif must be auto, true or false, not {value!r}")
    return v


def decide(value: str, event: str, payload: Mapping[str, Any], environ: Mapping[str, str], *,
           offline: bool = False) -> Decision:
    """Upload or not, for the ``sarif`` setting ``value``; ``offline``: the API is never asked."""
    if value == "true":
        return Decision(True, "sarif: true")
    if value == "false":
        return Decision(False, "sarif: false")
    pr = payload.get("pull_request")
    if event == "pull_request" and isinstance(pr, dict):
        head_repo = _at(pr, "head", "repo", "full_name")
        if head_repo is None or head_repo != _at(payload, "repository", "full_name"):
            return Decision(False, "SARIF not uploaded to code scanning: a pull request from a fork gets a "
                                   "read-only token, and code scanning refuses its upload (the findings are in "
                                   "the annotations and the job summary)")
    repo_info = payload.get("repository")
    if isinstance(repo_info, dict) and repo_info.get("private") is False:
        return Decision(True, "public repository")
    if offline:
        return Decision(False, "SARIF not uploaded to code scanning: offline, so whether code scanning is on "
                               "for this repository was not asked (set sarif: true to upload anyway)")
    repository = environ.get("GITHUB_REPOSITORY") or _at(payload, "repository", "full_name") or ""
    if not _REPO.fullmatch(repository):
        return Decision(False, "SARIF not uploaded to code scanning: the repository is unknown "
                               "(no GITHUB_REPOSITORY); set sarif: true to upload anyway")
    return ask_api(repository, environ)


def ask_api(repository: str, environ: Mapping[str, str]) -> Decision:
    """Is code scanning on? One read-only GET with the job's token."""
    import httpx

    from tokenreach.detectors.base import LookupUnavailable
    from tokenreach.detectors.http import ProviderSession, env_var_for, tls_context
    from tokenreach.detectors.providers.github import GitHubDetector

    token = environ.get("GITHUB_TOKEN", "")
    skip = "SARIF not uploaded to code scanning: "
    if not token:
        return Decision(False, skip + "no GITHUB_TOKEN to ask whether code scanning is on for this repository "
                                      "(set sarif: true to upload anyway)")
    api = environ.get("GITHUB_API_URL", "").strip()
    detector = GitHubDetector()
    with httpx.Client(verify=tls_context(), follow_redirects=False, trust_env=False) as client:
        try:
            session = ProviderSession(detector, client=client, deadline=time.monotonic() + CHECK_SECONDS,
                                      timeout=CHECK_SECONDS, max_retries=1,
                                      environ={env_var_for(detector.provider): api} if api else {})
        except ValueError:  # GITHUB_API_URL is not an https URL (plain http only on loopback)
            return Decision(False, skip + "GITHUB_API_URL is not an https URL")
        try:
            resp = session.http(token).get(
                f"/repos/{repository}/code-scanning/alerts", params={"per_page": 1},
                headers={"Authorization": f"Bearer {token}", "Accept": "application/vnd.github+json",
                         "X-GitHub-Api-Version": "2022-11-28"})
        except LookupUnavailable as exc:
            return Decision(False, skip + f"could not ask whether code scanning is on ({exc})")
    if resp.status_code == 200:
        return Decision(True, "code scanning is on")
    message = _message(resp)
    # Code scanning on, but nothing uploaded yet: the first upload is what starts it.
    if resp.status_code == 404 and message.lower() == "no analysis found":
        return Decision(True, "code scanning is on (no analysis yet)")
    if resp.status_code in (403, 404):
        return Decision(False, skip + f"code scanning is not enabled for {repository} (the API answered "
                                      f"{resp.status_code}); enable it, or set sarif: false to skip this check")
    return Decision(False, skip + f"the code scanning API answered HTTP {resp.status_code}")


def _message(resp: Any) -> str:
    try:
        body = resp.json()
    except ValueError:
        return ""
    value = body.get("message") if isinstance(body, dict) else None
    return value if isinstance(value, str) else ""


def _at(item: Any, *keys: str) -> Any:
    for key in keys:
        item = item.get(key) if isinstance(item, dict) else None
    return item
